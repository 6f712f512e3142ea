/// A change of a group consumer's assignment, reported by librdkafka's rebalance callback.
public enum KafkaRebalanceEvent: Hashable, Sendable {
    /// The group gave these partitions to this consumer; it now reads them.
    case assigned([KafkaTopicPartition])
    /// The group took these partitions away; this consumer no longer reads them.
    case revoked([KafkaTopicPartition])
    /// The rebalance failed; the consumer has no assignment until the next one.
    case failed(KafkaError)
}
