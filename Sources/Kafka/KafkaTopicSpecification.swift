/// A topic to create.
public struct KafkaTopicSpecification: Hashable, Sendable {
    /// The topic's name.
    public var name: String
    /// The number of partitions.
    public var partitions: Int32
    /// Copies of each partition; `-1` takes the broker's default.
    public var replicationFactor: Int32
    /// Topic configuration, e.g. `cleanup.policy=compact`, `retention.ms`.
    public var configs: [String: String]

    /// Describes a topic.
    public init(name: String, partitions: Int32, replicationFactor: Int32 = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// The outcome of asking for a topic to be created.
public enum KafkaTopicCreation: Hashable, Sendable {
    /// The topic was created.
    case created
    /// A topic of that name already existed; it was left as it is.
    case alreadyExists
}

/// The bounds of a partition.
public struct KafkaWatermarks: Hashable, Sendable {
    /// The first offset still stored (the log start offset).
    public var low: Int64
    /// The offset the next message will get (the high watermark).
    public var high: Int64

    /// Makes partition bounds.
    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }
}
