import Kafka
import Logging
import Testing

@Suite struct KafkaRoundTripTests {
    @Test func producedMessagesComeBackWithKeysHeadersAndTimestamps() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 1)
        defer { cluster.close() }
        #expect(try cluster.createTopic("round-trip", partitions: 1) == .created)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        let partition = KafkaTopicPartition(topic: "round-trip", partition: 0)
        let sent = [
            KafkaProducerMessage(topic: "round-trip", partition: 0, key: TestSupport.bytes("k1"), value: (0...255).map { UInt8($0) },
                                 headers: [KafkaHeader(name: "h1", value: [0, 1]), KafkaHeader(name: "null", value: nil), KafkaHeader(name: "empty", value: [])],
                                 timestampMilliseconds: 1_700_000_000_123),
            KafkaProducerMessage(topic: "round-trip", partition: 0, key: TestSupport.bytes("k1"), value: nil, timestampMilliseconds: 1_700_000_000_124),
            KafkaProducerMessage(topic: "round-trip", partition: 0, key: nil, value: [], timestampMilliseconds: 1_700_000_000_125),
            KafkaProducerMessage(topic: "round-trip", partition: 0, key: [], value: TestSupport.bytes("✓"), timestampMilliseconds: 1_700_000_000_126),
        ]
        let reports = try await producer.send(sent)
        #expect(reports.map(\.error) == [nil, nil, nil, nil])
        #expect(reports.map(\.offset) == [0, 1, 2, 3])
        #expect(reports.allSatisfy { $0.topicPartition == partition })
        await producer.close()

        let consumer = try KafkaConsumer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        try await consumer.assign([partition: .beginning])
        let received = try await TestSupport.consume(4, from: consumer)
        try #require(received.count == 4)
        for (message, got) in zip(sent, received) {
            #expect(got.topicPartition == partition)
            #expect(got.key == message.key)
            #expect(got.value == message.value)
            #expect(got.headers == message.headers)
            #expect(got.timestampMilliseconds == message.timestampMilliseconds)
        }
        #expect(received.map(\.offset) == [0, 1, 2, 3])
        await consumer.close()
    }

    @Test func producingAfterCloseFails() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 1)
        defer { cluster.close() }
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        await producer.close()
        await #expect {
            _ = try await producer.send(KafkaProducerMessage(topic: "t", partition: 0, value: [1]))
        } throws: { error in
            (error as? KafkaError)?.code == .destroyed
        }
    }

    @Test func librdkafkaLogsReachTheInjectedLogger() async throws {
        let store = CollectingLogHandler.Store()
        let logger = Logger(label: "collect") { _ in CollectingLogHandler(store: store) }
        // Nothing listens on port 1: librdkafka logs the failed connection.
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"), logger: logger)
        let logged = try await TestSupport.waitUntil(timeout: .seconds(10)) {
            store.records.withLock { records in
                records.contains { $0.message == "librdkafka" && $0.level >= .error && $0.metadata["kafka.facility"] != nil }
            }
        }
        #expect(logged)
        _ = producer
    }
}
