/// What became of one produced message.
public struct KafkaDeliveryReport: Hashable, Sendable {
    /// The message's topic and partition (`-1` if it failed before a partition was chosen).
    public var topicPartition: KafkaTopicPartition
    /// The offset the message was stored at, or `nil` if it was not delivered.
    public var offset: Int64?
    /// Why the message was not delivered, or `nil` if it was.
    public var error: KafkaError?

    /// Makes a report.
    public init(topicPartition: KafkaTopicPartition, offset: Int64?, error: KafkaError?) {
        self.topicPartition = topicPartition
        self.offset = offset
        self.error = error
    }

    /// The stored offset, or the delivery error thrown.
    public func get() throws(KafkaError) -> Int64 {
        if let error { throw error }
        guard let offset else {
            throw KafkaError(.invalidState, "delivery report without offset", context: ["topic": topicPartition.topic])
        }
        return offset
    }
}
