/// How a topic is created: its partitions and what the log may delete.
public struct TopicConfiguration: Hashable, Sendable {
    /// What happens to old records.
    public enum CleanupPolicy: String, Hashable, Sendable {
        /// Records older than the retention are deleted.
        case delete
        /// Only the latest record of each key is kept (Kafka's `cleanup.policy=compact`); a record
        /// with a `nil` value (a tombstone) eventually removes its key.
        case compact
    }

    /// The topic's name.
    public var name: String
    /// How many partitions; at least 1.
    public var partitions: Int32
    /// Delete by age and size, or compact by key.
    public var cleanupPolicy: CleanupPolicy
    /// Records older than this may be deleted (`retention.ms`); `nil` keeps them forever.
    public var retentionMilliseconds: Int64?
    /// A partition may be trimmed from its oldest record down to this size (`retention.bytes`);
    /// `nil` sets no limit.
    public var retentionBytes: Int64?

    /// Describes a topic.
    public init(
        name: String,
        partitions: Int32 = 1,
        cleanupPolicy: CleanupPolicy = .delete,
        retentionMilliseconds: Int64? = nil,
        retentionBytes: Int64? = nil
    ) {
        self.name = name
        self.partitions = partitions
        self.cleanupPolicy = cleanupPolicy
        self.retentionMilliseconds = retentionMilliseconds
        self.retentionBytes = retentionBytes
    }
}
