/// A statement parameter or COPY field: a Swift value, or SQL NULL.
///
/// Parameters are sent in text format except bytes, which go in binary so no escaping is needed.
/// Strings are sent untyped, so the server reads them as it would a quoted literal (they can fill
/// `text`, `jsonb`, `timestamptz`, `numeric`, … columns); the other cases carry their type.
///
/// Literals work directly: `[42, "name", nil, true, 1.5]`.
public enum PostgresValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A string, interpreted by the server like a quoted literal.
    case text(String)
    /// `int2`
    case int16(Int16)
    /// `int4`
    case int32(Int32)
    /// `int8`
    case int64(Int64)
    /// `float8`
    case double(Double)
    /// `bool`
    case bool(Bool)
    /// `bytea`
    case bytes([UInt8])

    /// Wraps any encodable value; `nil` becomes SQL NULL.
    public init(_ value: (some PostgresEncodable)?) {
        self = value?.postgresValue ?? .null
    }

    /// Whether this is SQL NULL.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The OID sent with the parameter; strings stay unspecified so the server infers their type.
    var dataType: PostgresDataType {
        switch self {
        case .null, .text: .unspecified
        case .int16: .int2
        case .int32: .int4
        case .int64: .int8
        case .double: .float8
        case .bool: .bool
        case .bytes: .bytea
        }
    }

    /// The value in PostgreSQL's text input format; nil for NULL and for bytes (sent binary).
    var textRepresentation: String? {
        switch self {
        case .null, .bytes: nil
        case .text(let value): value
        case .int16(let value): String(value)
        case .int32(let value): String(value)
        case .int64(let value): String(value)
        case .bool(let value): value ? "t" : "f"
        case .double(let value): Self.text(of: value)
        }
    }

    static func text(of value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "Infinity" }
        if value == -.infinity { return "-Infinity" }
        // Swift's description is the shortest string that round-trips, which float8in accepts.
        return value.description
    }
}

extension PostgresValue: ExpressibleByNilLiteral {
    /// SQL NULL.
    public init(nilLiteral: ()) {
        self = .null
    }
}

extension PostgresValue: ExpressibleByStringLiteral {
    /// A ``text(_:)`` value.
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

extension PostgresValue: ExpressibleByIntegerLiteral {
    /// An ``int64(_:)`` value.
    public init(integerLiteral value: Int64) {
        self = .int64(value)
    }
}

extension PostgresValue: ExpressibleByFloatLiteral {
    /// A ``double(_:)`` value.
    public init(floatLiteral value: Double) {
        self = .double(value)
    }
}

extension PostgresValue: ExpressibleByBooleanLiteral {
    /// A ``bool(_:)`` value.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}
