import EventLog
import Testing

@Suite struct EventLogAddressTests {
    @Test func parsesKafkaBootstrapServers() throws {
        #expect(try EventLogAddress(parsing: "kafka://a:9092, b:9093") == .kafka(bootstrapServers: "a:9092,b:9093"))
        #expect(try EventLogAddress(parsing: "KAFKA://127.0.0.1:9092") == .kafka(bootstrapServers: "127.0.0.1:9092"))
    }

    @Test func parsesFilePaths() throws {
        #expect(try EventLogAddress(parsing: "/var/lib/ferry/log.db") == .embedded(path: "/var/lib/ferry/log.db"))
        #expect(try EventLogAddress(parsing: "file:///tmp/x.db") == .embedded(path: "/tmp/x.db"))
        #expect(try EventLogAddress(parsing: ".ferry/log") == .embedded(path: ".ferry/log"))
    }

    @Test(arguments: ["", "  ", "kafka://", "kafka://host", "kafka://host:0", "kafka://host:port", "http://x/y"])
    func rejectsMalformedAddresses(_ text: String) {
        #expect {
            try EventLogAddress(parsing: text)
        } throws: { error in
            (error as? EventLogError)?.code == .invalidConfiguration
        }
    }
}
