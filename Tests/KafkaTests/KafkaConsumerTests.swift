import Kafka
import Synchronization
import Testing

@Suite struct KafkaConsumerTests {
    @Test func assignStartsAtExplicitOffsetsAndReassignMoves() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 1)
        defer { cluster.close() }
        _ = try cluster.createTopic("assign", partitions: 2)
        let p0 = KafkaTopicPartition(topic: "assign", partition: 0)
        let p1 = KafkaTopicPartition(topic: "assign", partition: 1)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        _ = try await producer.send((0..<10).map { KafkaProducerMessage(topic: "assign", partition: 0, value: [UInt8($0)]) })
        _ = try await producer.send((0..<4).map { KafkaProducerMessage(topic: "assign", partition: 1, value: [UInt8(100 + $0)]) })
        await producer.close()

        let consumer = try KafkaConsumer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        try await consumer.assign([p0: .exactly(7), p1: .beginning])
        #expect(Set(try await consumer.assignment()) == [p0, p1])
        let first = try await TestSupport.consume(7, from: consumer)
        #expect(first.filter { $0.topicPartition == p0 }.map(\.offset) == [7, 8, 9])
        #expect(first.filter { $0.topicPartition == p1 }.map(\.value) == [[100], [101], [102], [103]])

        try await consumer.assign([p0: .exactly(2)])
        let second = try await TestSupport.consume(8, from: consumer)
        #expect(second.map(\.offset) == Array(2..<10))
        #expect(second.allSatisfy { $0.topicPartition == p0 })

        try await consumer.seek([p0: .exactly(5)])
        let third = try await TestSupport.consume(5, from: consumer)
        #expect(third.map(\.offset) == Array(5..<10))
        #expect(try await consumer.poll(maxMessages: 10, timeout: .milliseconds(200)).isEmpty)
        await consumer.close()
        await #expect(throws: KafkaError.self) { _ = try await consumer.poll(maxMessages: 1, timeout: .zero) }
    }

    @Test func groupSubscriptionReportsAssignedPartitions() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 1)
        defer { cluster.close() }
        _ = try cluster.createTopic("grouped", partitions: 4)
        var configuration = TestSupport.configuration(cluster)
        configuration.groupID = "group-1"
        configuration["session.timeout.ms"] = "6000"
        configuration["heartbeat.interval.ms"] = "500"
        let consumer = try KafkaConsumer(configuration: configuration, logger: TestSupport.logger)
        try await consumer.subscribe(topics: ["grouped"])
        let firstEvent = Task { await consumer.rebalanceEvents.first { _ in true } }
        let received = Atomic<Bool>(false)
        let watcher = Task {
            let event = await firstEvent.value
            received.store(true, ordering: .relaxed)
            return event
        }
        // Rebalance callbacks are served from poll.
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        while !received.load(ordering: .relaxed), clock.now < deadline {
            _ = try await consumer.poll(maxMessages: 10, timeout: .milliseconds(100))
        }
        let event = await watcher.value
        let expected = Set((0..<4).map { KafkaTopicPartition(topic: "grouped", partition: Int32($0)) })
        guard case .assigned(let partitions) = event else {
            Issue.record("expected an assignment, got \(String(describing: event))")
            return
        }
        #expect(Set(partitions) == expected)
        #expect(Set(try await consumer.assignment()) == expected)
        await consumer.close()
    }
}
