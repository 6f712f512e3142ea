/// A Kafka message header: a name and opaque bytes.
public struct KafkaHeader: Hashable, Sendable {
    /// The header's name.
    public var name: String
    /// The header's value; `nil` (a null header) is distinct from empty.
    public var value: [UInt8]?

    /// Makes a header.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}
