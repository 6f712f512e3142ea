import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t`, for the duration of one call.
final class TopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int) {
        pointer = rd_kafka_topic_partition_list_new(Int32(max(capacity, 1)))
    }

    /// A list of partitions, each with an offset (or a timestamp, for offset lookups).
    convenience init(_ entries: [KafkaTopicPartition: Int64]) {
        self.init(capacity: entries.count)
        // Sorted for deterministic requests and logs.
        for (place, offset) in entries.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }) {
            add(place).pointee.offset = offset
        }
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    @discardableResult
    func add(_ place: KafkaTopicPartition) -> UnsafeMutablePointer<rd_kafka_topic_partition_t> {
        rd_kafka_topic_partition_list_add(pointer, place.topic, place.partition)
    }

    /// Every element: partition, offset and per-partition error.
    var elements: [(place: KafkaTopicPartition, offset: Int64, error: rd_kafka_resp_err_t)] {
        Self.elements(of: pointer)
    }

    static func elements(of list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [(place: KafkaTopicPartition, offset: Int64, error: rd_kafka_resp_err_t)] {
        guard let list, let elements = list.pointee.elems else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            let element = elements[index]
            return (KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition), element.offset, element.err)
        }
    }
}
