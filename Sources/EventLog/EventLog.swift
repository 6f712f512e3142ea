/// A durable, partitioned, append-only log of records: the spine between Ferry's source and its sinks.
///
/// Two implementations share this contract and one conformance suite: ``KafkaEventLog`` (any
/// Kafka-compatible cluster, through librdkafka) and ``EmbeddedEventLog`` (one SQLite file, for a
/// single machine). The contract follows Kafka's model, so that code written against it behaves the
/// same on both:
/// - a topic has a fixed number of partitions; order is guaranteed within a partition only;
/// - every record in a partition has an offset, assigned on append, that never changes and is never
///   reused, even after retention or compaction removed the record;
/// - ``append(_:)`` returns only once every record is durable (acknowledged by all in-sync
///   replicas, or committed to disk), so a crash after it returns loses none of them;
/// - compacted topics keep at least the latest record of every key.
public protocol EventLog: Sendable {
    /// Creates a topic, or does nothing if a topic of that name already exists with the same
    /// number of partitions. A different partition count is an error (`topicMismatch`).
    func createTopic(_ configuration: TopicConfiguration) async throws

    /// The number of partitions of `topic`, or `nil` if it does not exist.
    func partitionCount(of topic: String) async throws -> Int32?

    /// Appends records and waits until all of them are durable.
    ///
    /// Records for the same partition are stored in the order given. The result lists the
    /// position of each record, in the order of `records`.
    func append(_ records: [OutgoingRecord]) async throws -> [RecordPosition]

    /// The first offset still stored and the offset the next appended record will get.
    func offsets(of partition: TopicPartition) async throws -> PartitionOffsets

    /// The offset of the first record whose timestamp is at or after `timestampMilliseconds`, or
    /// `nil` if there is none.
    func offset(of partition: TopicPartition, atOrAfter timestampMilliseconds: Int64) async throws -> Int64?

    /// A reader that starts with no partition assigned.
    func makeReader() async throws -> any EventLogReader

    /// Flushes and releases every resource. Calls after this fail with `closed`.
    func close() async throws
}

/// Reads records from explicitly assigned partitions, from explicit offsets.
///
/// Ferry never relies on a broker's consumer-group offsets: each sink stores its offsets with the
/// data it wrote, and seeks to them on start.
public protocol EventLogReader: Sendable {
    /// Replaces the assignment: each partition is read from the given offset. An offset below the
    /// first stored offset starts at the first stored record.
    func assign(_ startOffsets: [TopicPartition: Int64]) async throws

    /// Returns the next records of the assigned partitions, in offset order within each partition,
    /// waiting up to `timeout` for at least one. An empty array means none arrived in time.
    func poll(maxRecords: Int, timeout: Duration) async throws -> [StoredRecord]

    /// Releases the reader's resources.
    func close() async throws
}
