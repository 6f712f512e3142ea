import Kafka
import Logging

/// Reads a Kafka-backed event log from explicitly assigned partitions and offsets.
///
/// The underlying consumer never joins a group and never commits: each sink keeps its own
/// offsets and passes them to ``assign(_:)``.
public final class KafkaEventLogReader: EventLogReader {
    private let consumer: KafkaConsumer

    init(configuration: KafkaConfiguration, logger: Logger) throws {
        var configuration = configuration
        configuration.autoOffsetReset = .earliest
        configuration["enable.auto.commit"] = "false"
        configuration["enable.auto.offset.store"] = "false"
        configuration["enable.partition.eof"] = "false"
        do {
            consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        } catch let error as KafkaError {
            throw error.eventLogError()
        }
    }

    /// Replaces the assignment; an offset below the first stored one starts at the first record.
    public func assign(_ startOffsets: [TopicPartition: Int64]) async throws {
        let offsets = Dictionary(uniqueKeysWithValues: startOffsets.map { partition, offset in
            (KafkaTopicPartition(topic: partition.topic, partition: partition.partition), KafkaOffset.exactly(offset))
        })
        try await mappingKafkaErrors { try await consumer.assign(offsets) }
    }

    /// The next records of the assigned partitions, waiting up to `timeout` for the first.
    public func poll(maxRecords: Int, timeout: Duration) async throws -> [StoredRecord] {
        let messages = try await mappingKafkaErrors { try await consumer.poll(maxMessages: maxRecords, timeout: timeout) }
        return messages.map { message in
            StoredRecord(
                partition: TopicPartition(topic: message.topicPartition.topic, partition: message.topicPartition.partition),
                offset: message.offset,
                key: message.key,
                value: message.value,
                headers: message.headers.map { RecordHeader(name: $0.name, value: $0.value) },
                timestampMilliseconds: message.timestampMilliseconds ?? -1
            )
        }
    }

    /// Releases the consumer.
    public func close() async throws {
        await consumer.close()
    }
}
