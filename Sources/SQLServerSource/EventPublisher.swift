public import EventLog
public import FerryCore
import Foundation

/// Turns events into log records and appends them: data topics keyed by the table key (Kafka's
/// partitioner), the transaction, schema-change, heartbeat and offsets topics with one partition.
public struct EventPublisher: Sendable {
    /// The log.
    public let log: any EventLog
    /// The topic names.
    public let topics: TopicNames
    /// The envelope codec.
    public let codec: EnvelopeCodec
    /// Partitions of data topics.
    public let dataPartitions: Int32
    private let database: String

    /// Makes a publisher.
    public init(log: any EventLog, prefix: String, database: String, envelope: EnvelopeCodec.Configuration, dataPartitions: Int32) throws(SourceError) {
        self.log = log
        do { self.topics = try TopicNames(prefix: prefix) } catch {
            throw SourceError(.invalidConfiguration, "prefix: \(error.message)", context: ["setting": "prefix"])
        }
        self.codec = EnvelopeCodec(configuration: envelope)
        self.dataPartitions = dataPartitions
        self.database = database
    }

    /// The data topic of `table`.
    public func topic(for table: TableIdentity) throws(SourceError) -> String {
        do { return try topics.table(table) } catch {
            throw SourceError(.invalidConfiguration, "\(table) cannot have a topic: \(error.message)", context: ["table": table.description])
        }
    }

    /// Creates the fixed topics and the data topics of `tables` (nothing happens for topics that exist).
    public func createTopics(for tables: [TableIdentity]) async throws {
        try await log.createTopic(TopicConfiguration(name: topics.offsets, partitions: 1, cleanupPolicy: .compact))
        try await log.createTopic(TopicConfiguration(name: topics.schemaChanges, partitions: 1))
        try await log.createTopic(TopicConfiguration(name: topics.transaction, partitions: 1))
        try await log.createTopic(TopicConfiguration(name: topics.heartbeat, partitions: 1))
        for table in tables {
            try await log.createTopic(TopicConfiguration(name: try topic(for: table), partitions: dataPartitions))
        }
    }

    /// The records of one event (the event, and a tombstone after a delete unless disabled).
    public func records(for event: ChangeEvent, schema: TableSchema) throws(SourceError) -> [OutgoingRecord] {
        let topic = try topic(for: schema.identity)
        let encoded: [EnvelopeCodec.EncodedRecord]
        do { encoded = try codec.encode(event, schema: schema) } catch {
            throw SourceError(.valueConversion, "\(schema.identity): the event at \(event.source.commitLSN?.description ?? "snapshot") cannot be encoded: \(error)",
                              context: ["table": schema.identity.description])
        }
        return encoded.map { record in
            OutgoingRecord(destination: TopicPartition(topic: topic, partition: Partitioner.partition(forKey: record.key, partitionCount: dataPartitions)),
                           key: record.key, value: record.value, timestampMilliseconds: event.source.timestampMilliseconds)
        }
    }

    /// A transaction boundary record.
    public func record(for transaction: TransactionEvent) -> OutgoingRecord {
        let encoded = codec.encodeTransaction(transaction)
        return OutgoingRecord(destination: TopicPartition(topic: topics.transaction, partition: 0), key: encoded.key, value: encoded.value,
                              timestampMilliseconds: transaction.timestampMilliseconds)
    }

    /// A schema-change record.
    public func record(for schemaChange: SchemaChangeEvent) -> OutgoingRecord {
        let encoded = codec.encodeSchemaChange(schemaChange)
        return OutgoingRecord(destination: TopicPartition(topic: topics.schemaChanges, partition: 0), key: encoded.key, value: encoded.value,
                              timestampMilliseconds: schemaChange.timestampMilliseconds)
    }

    /// A heartbeat: key `{"db","source"}`, value `{"db","lsn","source","ts_ms"}`.
    public func heartbeat(position: LSN?, nowMilliseconds: Int64) -> OutgoingRecord {
        let key = SourceCheckpoint.key(prefix: topics.prefix, database: database)
        let lsn = position.map { "\"\($0.description)\"" } ?? "null"
        let value = "{\"db\":\(jsonStringLiteral(database)),\"lsn\":\(lsn),\"source\":\(jsonStringLiteral(topics.prefix)),\"ts_ms\":\(nowMilliseconds)}"
        return OutgoingRecord(destination: TopicPartition(topic: topics.heartbeat, partition: 0), key: key, value: Array(value.utf8), timestampMilliseconds: nowMilliseconds)
    }

    /// Appends records; returns once they are durable.
    public func append(_ records: [OutgoingRecord]) async throws {
        guard !records.isEmpty else { return }
        _ = try await log.append(records)
    }

    /// Stores a checkpoint. Call only after the events it covers were appended (append returns
    /// after durability, so they are).
    public func store(_ checkpoint: SourceCheckpoint) async throws {
        let record = OutgoingRecord(destination: TopicPartition(topic: topics.offsets, partition: 0),
                                    key: SourceCheckpoint.key(prefix: topics.prefix, database: database), value: checkpoint.encoded(),
                                    timestampMilliseconds: checkpoint.timestampMilliseconds)
        _ = try await log.append([record])
    }

    /// The latest stored checkpoint of this source and database, or `nil`.
    public func loadCheckpoint() async throws -> SourceCheckpoint? {
        let partition = TopicPartition(topic: topics.offsets, partition: 0)
        let bounds = try await log.offsets(of: partition)
        guard bounds.next > bounds.earliest else { return nil }
        let key = SourceCheckpoint.key(prefix: topics.prefix, database: database)
        let reader = try await log.makeReader()
        var latest: [UInt8]??
        do {
            try await reader.assign([partition: bounds.earliest])
            var next = bounds.earliest
            while next < bounds.next {
                let records = try await reader.poll(maxRecords: 500, timeout: .seconds(5))
                if records.isEmpty { break }
                for record in records where record.partition == partition {
                    next = max(next, record.offset + 1)
                    if record.key == key { latest = .some(record.value) }
                }
            }
            try await reader.close()
        } catch {
            try? await reader.close()
            throw error
        }
        guard let value = latest, let bytes = value else { return nil }
        return try SourceCheckpoint(decoding: bytes)
    }


    /// Milliseconds since 1970-01-01 UTC now.
    static func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
