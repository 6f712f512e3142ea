import Kafka
import Logging
import Testing

@Suite struct KafkaConfigurationTests {
    @Test func invalidPropertyIsNamedInTheError() throws {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration["no.such.property"] = "1"
        #expect {
            _ = try KafkaProducer(configuration: configuration, logger: Logger(label: "test"))
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .invalidArgument && error.message.contains("no.such.property")
                && error.context["property"] == "no.such.property"
        }
    }

    @Test func secretsAreRedactedWhenPrinted() throws {
        var configuration = KafkaConfiguration(bootstrapServers: "broker:9092")
        configuration["sasl.password"] = "hunter2"
        configuration["sasl.username"] = "ferry"
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description.contains("sasl.password=***"))
        #expect(configuration.description.contains("sasl.username=ferry"))
        // librdkafka refuses this combination when the client is made, and the error then
        // describes the whole configuration.
        configuration["max.in.flight.requests.per.connection"] = "10"
        do {
            _ = try KafkaProducer(configuration: configuration, logger: Logger(label: "test"))
            Issue.record("idempotence with 10 requests in flight must be refused")
        } catch {
            let text = String(describing: error)
            #expect(!text.contains("hunter2"))
            #expect(text.contains("sasl.password=***"))
        }
    }

    @Test func typedConveniencesSetLibrdkafkaProperties() {
        var configuration = KafkaConfiguration(bootstrapServers: "a:1,b:2")
        configuration.socketTimeout = .milliseconds(1500)
        configuration.allowsAutoCreateTopics = false
        configuration.autoOffsetReset = .earliest
        #expect(configuration.properties["socket.timeout.ms"] == "1500")
        #expect(configuration.properties["allow.auto.create.topics"] == "false")
        #expect(configuration.properties["auto.offset.reset"] == "earliest")
        #expect(configuration.socketTimeout == .milliseconds(1500))
        #expect(configuration.bootstrapServers == "a:1,b:2")
    }
}
