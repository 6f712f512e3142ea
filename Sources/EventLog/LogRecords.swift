/// A header of a record: a name and opaque bytes, as in Kafka.
public struct RecordHeader: Hashable, Sendable {
    /// The header's name.
    public var name: String
    /// The header's value; `nil` is distinct from empty.
    public var value: [UInt8]?

    /// Makes a header.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}

/// A record to append to a given partition.
public struct OutgoingRecord: Hashable, Sendable {
    /// Where the record goes. ``Partitioner`` chooses the partition from the key.
    public var destination: TopicPartition
    /// The record's key; compaction keeps the latest record per key.
    public var key: [UInt8]?
    /// The record's value; `nil` is a tombstone.
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [RecordHeader]
    /// Milliseconds since 1970 (Kafka's CreateTime); `nil` takes the time of the append.
    public var timestampMilliseconds: Int64?

    /// Makes a record.
    public init(
        destination: TopicPartition,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [RecordHeader] = [],
        timestampMilliseconds: Int64? = nil
    ) {
        self.destination = destination
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }
}

/// Where an appended record was stored.
public struct RecordPosition: Hashable, Sendable {
    /// The record's partition.
    public var partition: TopicPartition
    /// The record's offset in that partition.
    public var offset: Int64

    /// Makes a position.
    public init(partition: TopicPartition, offset: Int64) {
        self.partition = partition
        self.offset = offset
    }
}

/// A record as read back from the log.
public struct StoredRecord: Hashable, Sendable {
    /// The record's partition.
    public var partition: TopicPartition
    /// The record's offset in that partition.
    public var offset: Int64
    /// The record's key.
    public var key: [UInt8]?
    /// The record's value; `nil` is a tombstone.
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [RecordHeader]
    /// Milliseconds since 1970.
    public var timestampMilliseconds: Int64

    /// Makes a stored record.
    public init(
        partition: TopicPartition,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [RecordHeader],
        timestampMilliseconds: Int64
    ) {
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }
}

/// The bounds of a partition.
public struct PartitionOffsets: Hashable, Sendable {
    /// The offset of the first record still stored (Kafka's log start offset).
    public var earliest: Int64
    /// The offset the next appended record will get (Kafka's high watermark).
    public var next: Int64

    /// Makes partition bounds.
    public init(earliest: Int64, next: Int64) {
        self.earliest = earliest
        self.next = next
    }
}
