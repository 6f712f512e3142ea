/// A message read by a ``KafkaConsumer``.
public struct KafkaConsumerMessage: Hashable, Sendable {
    /// Where the message is stored.
    public var topicPartition: KafkaTopicPartition
    /// Its offset in the partition.
    public var offset: Int64
    /// The key; `nil` is a null key.
    public var key: [UInt8]?
    /// The value; `nil` is a tombstone.
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [KafkaHeader]
    /// Milliseconds since 1970, or `nil` if the message has none.
    public var timestampMilliseconds: Int64?

    /// Makes a message.
    public init(
        topicPartition: KafkaTopicPartition,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [KafkaHeader],
        timestampMilliseconds: Int64?
    ) {
        self.topicPartition = topicPartition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }
}
