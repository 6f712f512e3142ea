/// A Swift type that can be read from a non-NULL result value in text or binary format.
///
/// NULL never reaches `decode`: ``PostgresRow`` handles it (an error for `T`, `nil` for `T?`).
public protocol PostgresDecodable {
    /// Decodes one value.
    /// - Parameters:
    ///   - bytes: the value as libpq returned it (no terminating NUL); valid only during the call.
    ///   - type: the column's type OID.
    ///   - format: the format the result was requested in.
    static func decode(
        from bytes: UnsafeRawBufferPointer,
        type: PostgresDataType,
        format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> Self
}

extension String: PostgresDecodable {
    /// Any type in text format; in binary format the text-like types (`text`, `varchar`, `bpchar`,
    /// `name`, `char`, `json`, `jsonb`, `xml`, `unknown`).
    public static func decode(
        from bytes: UnsafeRawBufferPointer,
        type: PostgresDataType,
        format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> String {
        switch (format, type) {
        case (.text, _), (.binary, .text), (.binary, .varchar), (.binary, .bpchar), (.binary, .name),
            (.binary, .char), (.binary, .json), (.binary, .xml), (.binary, .unknown):
            return String(decoding: bytes, as: UTF8.self)
        case (.binary, .jsonb):
            // Binary jsonb is a version byte (1) followed by the JSON text.
            guard bytes.first == 1 else {
                throw PostgresDecodingFailure("unsupported binary jsonb version")
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes.dropFirst()), as: UTF8.self)
        default:
            throw PostgresDecodingFailure("binary \(type) is not text; request text format to read it as a string")
        }
    }
}

extension FixedWidthInteger {
    /// `int2`, `int4`, `int8` and `oid`, in either format, when the value fits in `Self`.
    static func decodeInteger(
        from bytes: UnsafeRawBufferPointer,
        type: PostgresDataType,
        format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> Self {
        let wide: Int64?
        switch (format, type) {
        case (.text, .int2), (.text, .int4), (.text, .int8), (.text, .oid):
            wide = Int64(String(decoding: bytes, as: UTF8.self))
        case (.binary, .int2):
            wide = bytes.count == 2 ? Int64(Int16(bigEndianBytes: bytes)) : nil
        case (.binary, .int4):
            wide = bytes.count == 4 ? Int64(Int32(bigEndianBytes: bytes)) : nil
        case (.binary, .oid):
            wide = bytes.count == 4 ? Int64(UInt32(bigEndianBytes: bytes)) : nil
        case (.binary, .int8):
            wide = bytes.count == 8 ? Int64(bigEndianBytes: bytes) : nil
        default:
            throw PostgresDecodingFailure("expected int2, int4, int8 or oid")
        }
        guard let wide else {
            throw PostgresDecodingFailure("malformed \(type) value")
        }
        guard let value = Self(exactly: wide) else {
            throw PostgresDecodingFailure("value \(wide) does not fit in \(Self.self)")
        }
        return value
    }

    /// Reads a big-endian (network order) integer of exactly `MemoryLayout<Self>.size` bytes.
    init(bigEndianBytes bytes: UnsafeRawBufferPointer) {
        self.init(bigEndian: bytes.loadUnaligned(as: Self.self))
    }
}

extension Int16: PostgresDecodable {
    /// Integer types that fit in 16 bits.
    public static func decode(
        from bytes: UnsafeRawBufferPointer, type: PostgresDataType, format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> Int16 {
        try decodeInteger(from: bytes, type: type, format: format)
    }
}

extension Int32: PostgresDecodable {
    /// Integer types that fit in 32 bits.
    public static func decode(
        from bytes: UnsafeRawBufferPointer, type: PostgresDataType, format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> Int32 {
        try decodeInteger(from: bytes, type: type, format: format)
    }
}

extension Int64: PostgresDecodable {
    /// `int2`, `int4`, `int8` and `oid`.
    public static func decode(
        from bytes: UnsafeRawBufferPointer, type: PostgresDataType, format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> Int64 {
        try decodeInteger(from: bytes, type: type, format: format)
    }
}

extension Int: PostgresDecodable {
    /// `int2`, `int4`, `int8` and `oid`.
    public static func decode(
        from bytes: UnsafeRawBufferPointer, type: PostgresDataType, format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> Int {
        try decodeInteger(from: bytes, type: type, format: format)
    }
}

extension Double: PostgresDecodable {
    /// `float4` and `float8` in either format, and `numeric` in text format (rounded).
    public static func decode(
        from bytes: UnsafeRawBufferPointer, type: PostgresDataType, format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> Double {
        switch (format, type) {
        case (.text, .float4), (.text, .float8), (.text, .numeric):
            guard let value = Double(String(decoding: bytes, as: UTF8.self)) else {
                throw PostgresDecodingFailure("malformed \(type) value")
            }
            return value
        case (.binary, .float4) where bytes.count == 4:
            return Double(Float(bitPattern: UInt32(bigEndianBytes: bytes)))
        case (.binary, .float8) where bytes.count == 8:
            return Double(bitPattern: UInt64(bigEndianBytes: bytes))
        default:
            throw PostgresDecodingFailure(
                format == .binary && type == .numeric
                    ? "binary numeric is not supported; request text format"
                    : "expected float4 or float8")
        }
    }
}

extension Bool: PostgresDecodable {
    /// `bool` in either format.
    public static func decode(
        from bytes: UnsafeRawBufferPointer, type: PostgresDataType, format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> Bool {
        guard type == .bool, bytes.count == 1 else {
            throw PostgresDecodingFailure(type == .bool ? "malformed bool value" : "expected bool")
        }
        switch format {
        case .binary:
            return bytes[0] != 0
        case .text:
            switch bytes[0] {
            case UInt8(ascii: "t"): return true
            case UInt8(ascii: "f"): return false
            default: throw PostgresDecodingFailure("malformed bool value")
            }
        }
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// `bytea` in either format (text format: hex `\x…` or the legacy escape format).
    public static func decode(
        from bytes: UnsafeRawBufferPointer, type: PostgresDataType, format: PostgresFormat
    ) throws(PostgresDecodingFailure) -> [UInt8] {
        guard type == .bytea else {
            throw PostgresDecodingFailure("expected bytea")
        }
        switch format {
        case .binary:
            return Array(bytes)
        case .text:
            return try PostgresByteaText.decode(bytes)
        }
    }
}
