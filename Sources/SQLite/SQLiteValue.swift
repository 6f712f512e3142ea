/// A value SQLite stores or returns: one of its five storage classes.
public enum SQLiteValue: Hashable, Sendable {
    /// SQL `NULL`.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A 64-bit IEEE floating-point number.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes; an empty array is a zero-length blob, distinct from `NULL`.
    case blob([UInt8])
}

extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    /// An integer literal binds as `.integer`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A float literal binds as `.real`.
    public init(floatLiteral value: Double) { self = .real(value) }
    /// A string literal binds as `.text`.
    public init(stringLiteral value: String) { self = .text(value) }
    /// `nil` binds as `.null`.
    public init(nilLiteral: ()) { self = .null }
}

extension SQLiteValue {
    /// `.blob(bytes)`, or `.null` when `bytes` is `nil`.
    public static func blob(orNull bytes: [UInt8]?) -> SQLiteValue { bytes.map(SQLiteValue.blob) ?? .null }
    /// `.integer(value)`, or `.null` when `value` is `nil`.
    public static func integer(orNull value: Int64?) -> SQLiteValue { value.map(SQLiteValue.integer) ?? .null }
    /// `.text(value)`, or `.null` when `value` is `nil`.
    public static func text(orNull value: String?) -> SQLiteValue { value.map(SQLiteValue.text) ?? .null }
}
