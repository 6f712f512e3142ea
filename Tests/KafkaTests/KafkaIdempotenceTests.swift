import Kafka
import Synchronization
import Testing

@Suite struct KafkaIdempotenceTests {
    /// The partition leader goes down between batches and comes back, and the broker refuses
    /// produce requests with transient errors: the idempotent producer retries until every
    /// message is stored once, in order.
    ///
    /// Why the broker is taken down *between* requests: when a connection drops after the broker
    /// appended a batch but before it answered, librdkafka retries with the same producer id,
    /// epoch and sequence — a real broker discards that copy. librdkafka 2.0.2's mock cluster does
    /// not check producer sequences, so it would append the copy again (seen in its debug log:
    /// `BaseSeq 125` sent twice with the same `PID{…,Epoch:0}`); a test built on that race would
    /// measure the mock, not Ferry.
    @Test func brokerOutageLosesAndDuplicatesNothing() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 3)
        defer { cluster.close() }
        let topic = "sequence"
        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        _ = try cluster.createTopic(topic, partitions: 1, replicationFactor: 3)
        try cluster.setPartitionLeader(partition, broker: 1)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)

        let batchSize = 25
        func batch(_ number: Int) -> [KafkaProducerMessage] {
            (0..<batchSize).map { index in
                KafkaProducerMessage(topic: topic, partition: 0, value: TestSupport.bytes(String(number * batchSize + index)))
            }
        }
        var reports: [KafkaDeliveryReport] = []
        for number in 0..<5 { reports += try await producer.send(batch(number)) }

        // The leader goes away: the next batches wait in librdkafka, undelivered, until it is back.
        try cluster.setBrokerDown(1)
        let sender = Task {
            var reports: [KafkaDeliveryReport] = []
            for number in 5..<20 { reports += try await producer.send(batch(number)) }
            return reports
        }
        #expect(try await TestSupport.waitUntil { producer.statistics.inFlight > 0 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(producer.statistics.inFlight > 0, "nothing is delivered while the leader is down")
        try cluster.setBrokerUp(1)
        reports += try await sender.value

        // The broker refuses the next requests with retriable errors before appending anything.
        try cluster.pushRequestErrors([.notEnoughReplicas, .requestTimedOut, .notLeaderForPartition], for: .produce)
        for number in 20..<40 { reports += try await producer.send(batch(number)) }

        let total = 40 * batchSize
        #expect(reports.count == total)
        #expect(reports.allSatisfy { $0.error == nil })
        #expect(reports.compactMap(\.offset) == (0..<Int64(total)).map { $0 })
        await producer.close()

        let admin = try KafkaAdmin(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        #expect(try await admin.watermarks(of: partition) == KafkaWatermarks(low: 0, high: Int64(total)))
        await admin.close()

        let consumer = try KafkaConsumer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        try await consumer.assign([partition: .beginning])
        let received = try await TestSupport.consume(total, from: consumer)
        let sequence = received.compactMap { TestSupport.text($0.value).flatMap(Int.init) }
        #expect(sequence == Array(0..<total), "every message exactly once, in order")
        #expect(received.map(\.offset) == (0..<Int64(total)).map { $0 })
        // Nothing after the last expected message either.
        #expect(try await consumer.poll(maxMessages: 10, timeout: .milliseconds(300)).isEmpty)
        await consumer.close()
    }

    /// With at most 3 messages in flight and the broker down, a sender of 10 messages hands 3 to
    /// librdkafka and waits; the others wait behind it; all are delivered once the broker is back.
    @Test func inFlightLimitMakesSendersWait() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 1)
        defer { cluster.close() }
        _ = try cluster.createTopic("bounded", partitions: 1)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), maxInFlightMessages: 3, logger: TestSupport.logger)
        // Connect and get a producer id first.
        #expect(try await producer.send(KafkaProducerMessage(topic: "bounded", partition: 0, value: [0])).error == nil)

        try cluster.setBrokerDown(1)
        let first = Task {
            try await producer.send((1...10).map { KafkaProducerMessage(topic: "bounded", partition: 0, value: [UInt8($0)]) })
        }
        #expect(try await TestSupport.waitUntil { producer.statistics.waitingSenders == 1 })
        let others = (0..<2).map { sender in
            Task {
                try await producer.send((0..<5).map { KafkaProducerMessage(topic: "bounded", partition: 0, value: [UInt8(100 + sender * 10 + $0)]) })
            }
        }
        #expect(try await TestSupport.waitUntil { producer.statistics.waitingSenders == 3 })
        let blocked = producer.statistics
        #expect(blocked.inFlight == 3)
        #expect(blocked.maxObservedInFlight == 3)

        try cluster.setBrokerUp(1)
        // Slots go to waiting senders first come, first served, message by message: each
        // sender's messages stay in order, interleaved with the others'.
        var offsets: [Int64] = []
        for reports in try await [first.value] + [others[0].value, others[1].value] {
            #expect(reports.allSatisfy { $0.error == nil })
            let mine = reports.compactMap(\.offset)
            #expect(mine == mine.sorted())
            offsets += mine
        }
        #expect(offsets.sorted() == (1...20).map { Int64($0) })
        let done = producer.statistics
        #expect(done.inFlight == 0)
        #expect(done.maxObservedInFlight == 3)
        #expect(done.waitsForSlot >= 3)
        await producer.close()
    }
}
