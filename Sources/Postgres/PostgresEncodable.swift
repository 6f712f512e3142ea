/// A Swift type that can be sent as a statement parameter or COPY field.
public protocol PostgresEncodable {
    /// The value to send.
    var postgresValue: PostgresValue { get }
}

extension String: PostgresEncodable {
    /// ``PostgresValue/text(_:)``
    public var postgresValue: PostgresValue { .text(self) }
}

extension Substring: PostgresEncodable {
    /// ``PostgresValue/text(_:)``
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Int16: PostgresEncodable {
    /// ``PostgresValue/int16(_:)``
    public var postgresValue: PostgresValue { .int16(self) }
}

extension Int32: PostgresEncodable {
    /// ``PostgresValue/int32(_:)``
    public var postgresValue: PostgresValue { .int32(self) }
}

extension Int64: PostgresEncodable {
    /// ``PostgresValue/int64(_:)``
    public var postgresValue: PostgresValue { .int64(self) }
}

extension Int: PostgresEncodable {
    /// ``PostgresValue/int64(_:)``
    public var postgresValue: PostgresValue { .int64(Int64(self)) }
}

extension Double: PostgresEncodable {
    /// ``PostgresValue/double(_:)``
    public var postgresValue: PostgresValue { .double(self) }
}

extension Bool: PostgresEncodable {
    /// ``PostgresValue/bool(_:)``
    public var postgresValue: PostgresValue { .bool(self) }
}

extension Array: PostgresEncodable where Element == UInt8 {
    /// ``PostgresValue/bytes(_:)``
    public var postgresValue: PostgresValue { .bytes(self) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    /// The wrapped value, or ``PostgresValue/null``.
    public var postgresValue: PostgresValue { self?.postgresValue ?? .null }
}

extension PostgresValue: PostgresEncodable {
    /// The value itself.
    public var postgresValue: PostgresValue { self }
}
