/// A position in a partition: an exact offset, or one of librdkafka's logical offsets.
public struct KafkaOffset: Hashable, Sendable, CustomStringConvertible {
    /// The value librdkafka uses: an offset (>= 0) or a negative logical offset.
    public var rawValue: Int64

    /// Wraps a raw offset, logical ones included.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// The message at `offset`; an offset below 0 means the first stored message.
    public static func exactly(_ offset: Int64) -> KafkaOffset {
        offset < 0 ? .beginning : KafkaOffset(rawValue: offset)
    }

    /// The first message still stored (`RD_KAFKA_OFFSET_BEGINNING`).
    public static let beginning = KafkaOffset(rawValue: -2)
    /// After the last stored message: only messages produced later (`RD_KAFKA_OFFSET_END`).
    public static let end = KafkaOffset(rawValue: -1)
    /// The group's committed offset (`RD_KAFKA_OFFSET_STORED`).
    public static let committed = KafkaOffset(rawValue: -1000)

    public var description: String {
        switch self {
        case .beginning: "beginning"
        case .end: "end"
        case .committed: "committed"
        default: String(rawValue)
        }
    }
}
