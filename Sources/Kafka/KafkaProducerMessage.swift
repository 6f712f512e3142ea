/// A message to produce.
public struct KafkaProducerMessage: Hashable, Sendable {
    /// The topic it goes to.
    public var topic: String
    /// The partition it goes to; `nil` lets librdkafka's partitioner choose from the key.
    public var partition: Int32?
    /// The key; `nil` is a null key, distinct from an empty one.
    public var key: [UInt8]?
    /// The value; `nil` is a tombstone (a null value), distinct from an empty one.
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [KafkaHeader]
    /// CreateTime in milliseconds since 1970; `nil` takes the time of sending.
    public var timestampMilliseconds: Int64?

    /// Makes a message.
    public init(
        topic: String,
        partition: Int32? = nil,
        key: [UInt8]? = nil,
        value: [UInt8]?,
        headers: [KafkaHeader] = [],
        timestampMilliseconds: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }
}
