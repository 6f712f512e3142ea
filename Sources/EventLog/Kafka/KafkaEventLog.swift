import Kafka
public import Logging
import Synchronization

/// An ``EventLog`` on a Kafka cluster, through librdkafka.
///
/// Appends use one idempotent producer (`acks=all`) and return once every record is
/// acknowledged. Topics are only ever created by ``createTopic(_:)``: clients run with
/// `allow.auto.create.topics=false`, and appends check the topic and partition against the
/// cluster's metadata first. Partition counts are cached, since a topic's count never changes in
/// this contract.
public final class KafkaEventLog: EventLog {
    private struct State {
        var isClosed = false
        var partitionCounts: [String: Int32] = [:]
    }

    private let configuration: Configuration
    private let producer: KafkaProducer
    private let admin: KafkaAdmin
    private let logger: Logger
    private let state = Mutex(State())

    /// Connects to the cluster described by `configuration`.
    /// - Throws: ``EventLogError`` with code `invalidConfiguration` for a bad property.
    public init(configuration: Configuration, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
        let clientConfiguration = configuration.clientConfiguration
        do {
            producer = try KafkaProducer(
                configuration: clientConfiguration,
                maxInFlightMessages: configuration.maxInFlightRecords,
                logger: logger
            )
            admin = try KafkaAdmin(configuration: clientConfiguration, logger: logger)
        } catch let error as KafkaError {
            throw error.eventLogError()
        }
    }

    public func createTopic(_ topic: TopicConfiguration) async throws {
        try checkOpen()
        let context = ["topic": topic.name]
        guard topic.partitions >= 1 else {
            throw EventLogError(.invalidConfiguration, "a topic needs at least one partition", context: context)
        }
        // A topic made beforehand (by the platform team, or an earlier run) is only checked: no
        // CreateTopics request, so Ferry needs no CREATE permission on topics that exist.
        if let existing = try await partitionCount(of: topic.name) {
            try Self.check(existing: existing, of: topic, context: context)
            return
        }
        let specification = KafkaTopicSpecification(
            name: topic.name,
            partitions: topic.partitions,
            replicationFactor: configuration.replicationFactor,
            configs: [
                "cleanup.policy": topic.cleanupPolicy.rawValue,
                "retention.ms": String(topic.retentionMilliseconds ?? -1),
                "retention.bytes": String(topic.retentionBytes ?? -1),
            ]
        )
        let outcome = try await mappingKafkaErrors(context) { try await admin.createTopic(specification) }
        switch outcome {
        case .created:
            state.withLock { $0.partitionCounts[topic.name] = topic.partitions }
            logger.info("kafka topic created", metadata: ["topic": .string(topic.name), "partitions": .stringConvertible(topic.partitions)])
        case .alreadyExists:
            // Created by someone else since the lookup.
            try Self.check(existing: try await partitionCount(of: topic.name), of: topic, context: context)
        }
    }

    private static func check(existing: Int32?, of topic: TopicConfiguration, context: [String: String]) throws {
        guard existing == topic.partitions else {
            throw EventLogError(
                .topicMismatch,
                "topic '\(topic.name)' exists with \(existing.map(String.init) ?? "unknown") partitions, not \(topic.partitions)",
                context: context
            )
        }
    }

    public func partitionCount(of topic: String) async throws -> Int32? {
        try checkOpen()
        if let known = state.withLock({ $0.partitionCounts[topic] }) { return known }
        let count = try await mappingKafkaErrors(["topic": topic]) { try await admin.partitionCount(of: topic) }
        if let count { state.withLock { $0.partitionCounts[topic] = count } }
        return count
    }

    public func append(_ records: [OutgoingRecord]) async throws -> [RecordPosition] {
        try checkOpen()
        for topic in Set(records.map(\.destination.topic)) {
            let partitions = Set(records.lazy.filter { $0.destination.topic == topic }.map(\.destination.partition))
            try await checkExists(topic: topic, partitions: partitions)
        }
        let messages = records.map { record in
            KafkaProducerMessage(
                topic: record.destination.topic,
                partition: record.destination.partition,
                key: record.key,
                value: record.value,
                headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) },
                timestampMilliseconds: record.timestampMilliseconds
            )
        }
        let reports = try await mappingKafkaErrors { try await producer.send(messages) }
        return try zip(records, reports).map { record, report in
            if let error = report.error {
                throw error.eventLogError(["topic": record.destination.topic, "partition": String(record.destination.partition)])
            }
            guard let offset = report.offset else {
                throw EventLogError(.unavailable, "the broker acknowledged a record without an offset", context: ["topic": record.destination.topic])
            }
            return RecordPosition(partition: record.destination, offset: offset)
        }
    }

    public func offsets(of partition: TopicPartition) async throws -> PartitionOffsets {
        try checkOpen()
        try await checkExists(topic: partition.topic, partitions: [partition.partition])
        let watermarks = try await mappingKafkaErrors(context(of: partition)) {
            try await admin.watermarks(of: KafkaTopicPartition(topic: partition.topic, partition: partition.partition))
        }
        return PartitionOffsets(earliest: watermarks.low, next: watermarks.high)
    }

    public func offset(of partition: TopicPartition, atOrAfter timestampMilliseconds: Int64) async throws -> Int64? {
        try checkOpen()
        try await checkExists(topic: partition.topic, partitions: [partition.partition])
        let place = KafkaTopicPartition(topic: partition.topic, partition: partition.partition)
        let offsets = try await mappingKafkaErrors(context(of: partition)) {
            try await admin.offsets(forTimestamps: [place: timestampMilliseconds])
        }
        // librdkafka reports "no such record" as -1, which the admin already turned into nil.
        return offsets[place] ?? nil
    }

    public func makeReader() async throws -> any EventLogReader {
        try checkOpen()
        return try KafkaEventLogReader(configuration: configuration.clientConfiguration, logger: logger)
    }

    public func close() async throws {
        let wasOpen = state.withLock { state in
            defer { state.isClosed = true }
            return !state.isClosed
        }
        guard wasOpen else { return }
        await producer.close()
        await admin.close()
    }

    private func checkOpen() throws {
        if state.withLock({ $0.isClosed }) {
            throw EventLogError(.closed, "the Kafka event log is closed", context: ["bootstrap.servers": configuration.bootstrapServers])
        }
    }

    /// Throws `unknownTopic` or `unknownPartition` unless the topic has all these partitions.
    private func checkExists(topic: String, partitions: Set<Int32>) async throws {
        guard let count = try await partitionCount(of: topic) else {
            throw EventLogError(.unknownTopic, "topic '\(topic)' does not exist", context: ["topic": topic])
        }
        if let bad = partitions.sorted().first(where: { $0 < 0 || $0 >= count }) {
            throw EventLogError(
                .unknownPartition,
                "topic '\(topic)' has \(count) partitions, no partition \(bad)",
                context: ["topic": topic, "partition": String(bad)]
            )
        }
    }

    private func context(of partition: TopicPartition) -> [String: String] {
        ["topic": partition.topic, "partition": String(partition.partition)]
    }
}

extension KafkaEventLog.Configuration {
    /// The librdkafka properties every client of the log uses.
    var clientConfiguration: KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: bootstrapServers, properties: properties)
        configuration.bootstrapServers = bootstrapServers
        // Producing or looking up a topic must never create it.
        configuration.allowsAutoCreateTopics = false
        return configuration
    }
}
