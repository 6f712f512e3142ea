extension EventLog {
    /// Appends keyed records to `topic`, each to the partition ``Partitioner`` picks for its key.
    public func append(
        toTopic topic: String,
        _ records: [(key: [UInt8]?, value: [UInt8]?)],
        timestampMilliseconds: Int64? = nil
    ) async throws -> [RecordPosition] {
        guard let count = try await partitionCount(of: topic) else {
            throw EventLogError(.unknownTopic, "topic '\(topic)' does not exist", context: ["topic": topic])
        }
        let outgoing = records.map { record in
            OutgoingRecord(
                destination: TopicPartition(
                    topic: topic,
                    partition: Partitioner.partition(forKey: record.key, partitionCount: count)
                ),
                key: record.key,
                value: record.value,
                timestampMilliseconds: timestampMilliseconds
            )
        }
        return try await append(outgoing)
    }
}
