import Kafka
import Testing

@Suite struct KafkaAdminTests {
    @Test func createTopicThenDuplicateIsReportedAsExisting() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 3)
        defer { cluster.close() }
        let admin = try KafkaAdmin(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        #expect(try await admin.partitionCount(of: "compacted") == nil)
        let specification = KafkaTopicSpecification(
            name: "compacted", partitions: 3, replicationFactor: 3,
            configs: ["cleanup.policy": "compact", "retention.ms": "-1"]
        )
        #expect(try await admin.createTopic(specification) == .created)
        #expect(try await admin.createTopic(specification) == .alreadyExists)
        #expect(try await admin.partitionCount(of: "compacted") == 3)
        // Looking a topic up never creates it.
        #expect(try await admin.partitionCount(of: "missing") == nil)
        #expect(try await admin.partitionCount(of: "missing") == nil)
        await admin.close()
    }

    @Test func watermarksFollowProducedMessages() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 1)
        defer { cluster.close() }
        _ = try cluster.createTopic("marks", partitions: 2)
        let admin = try KafkaAdmin(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        let p0 = KafkaTopicPartition(topic: "marks", partition: 0)
        #expect(try await admin.watermarks(of: p0) == KafkaWatermarks(low: 0, high: 0))
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        _ = try await producer.send((0..<5).map { KafkaProducerMessage(topic: "marks", partition: 0, value: [UInt8($0)]) })
        await producer.close()
        #expect(try await admin.watermarks(of: p0) == KafkaWatermarks(low: 0, high: 5))
        #expect(try await admin.watermarks(of: KafkaTopicPartition(topic: "marks", partition: 1)) == KafkaWatermarks(low: 0, high: 0))
        await admin.close()
    }

    @Test func offsetsForTimesOnTheMockCluster() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 1)
        defer { cluster.close() }
        _ = try cluster.createTopic("times", partitions: 1)
        let partition = KafkaTopicPartition(topic: "times", partition: 0)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        let base: Int64 = 1_700_000_000_000
        _ = try await producer.send((0..<5).map {
            KafkaProducerMessage(topic: "times", partition: 0, value: [UInt8($0)], timestampMilliseconds: base + Int64($0) * 1000)
        })
        await producer.close()
        let admin = try KafkaAdmin(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        // librdkafka 2.0.2's mock broker answers every ListOffsets-by-timestamp request with
        // offset -1 ("no such message"), whatever the timestamp: the lookup succeeds and reports
        // none. A real broker would answer 0, 2 and 3 for the first three lookups.
        for timestamp in [0, base + 2000, base + 2500, base + 60_000] {
            let offsets = try await admin.offsets(forTimestamps: [partition: timestamp])
            #expect(offsets.count == 1)
            #expect(offsets[partition] == .some(nil), "timestamp \(timestamp)")
        }
        await admin.close()
    }
}
