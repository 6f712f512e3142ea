// sql_variant values exactly as MS-TDS 2.2.5.5.4 lays them out.

extension TDSType {
    /// The maximum length a `sql_variant` column declares in its TYPE_INFO: 8000 bytes of value
    /// plus the base type, property count and properties.
    static let variantMaxLength = 8016

    /// Writes a non-NULL `sql_variant` value: the total length (4 bytes), the base type's token,
    /// the count of property bytes, the properties, then the value in the base type's wire form
    /// without its length prefix.
    func writeVariant(_ value: TDSWireValue, into writer: inout ByteWriter) throws(TDSServerError) {
        guard case .variant(let baseType, let inner) = value else {
            throw TDSServerError(.invalidValue, "the value \(value) is not a sql_variant value (it has no base type)")
        }
        guard !inner.isNull else {
            throw TDSServerError(.invalidValue, "a sql_variant value cannot hold a NULL of \(baseType.sqlName); the variant itself is NULL")
        }
        try baseType.validate()
        guard let token = baseType.variantBaseTypeToken else {
            throw TDSServerError(.invalidValue, "a sql_variant cannot hold a \(baseType.sqlName) value")
        }
        var properties: [UInt8] = []
        switch baseType {
        case .decimal(let precision, let scale), .numeric(let precision, let scale):
            properties = [UInt8(precision), UInt8(scale)]
        case .time(let scale), .dateTime2(let scale), .dateTimeOffset(let scale):
            properties = [UInt8(scale)]
        case .binary(let length), .varBinary(let length?):
            properties = [UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8)]
        case .char(let length, let collation), .varChar(let length?, let collation):
            properties = collation.bytes + [UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8)]
        case .nChar(let length, let collation), .nVarChar(let length?, let collation):
            let bytes = length * 2
            properties = collation.bytes + [UInt8(truncatingIfNeeded: bytes), UInt8(truncatingIfNeeded: bytes >> 8)]
        default:
            break
        }
        // The base type's own encoding, then its length prefix (1 byte for the BYTELEN types,
        // 2 for the USHORT-length character and binary types) is dropped: the variant's total
        // length already says how long the value is.
        var encoded = ByteWriter()
        try baseType.writeValue(inner, into: &encoded)
        let prefix: Int
        switch baseType {
        case .char, .varChar, .nChar, .nVarChar, .binary, .varBinary: prefix = 2
        default: prefix = 1
        }
        let data = encoded.bytes.dropFirst(prefix)
        writer.uint32(2 + properties.count + data.count)
        writer.byte(token)
        writer.byte(UInt8(properties.count))
        writer.append(properties)
        writer.append(data)
    }

    /// The TDS token a `sql_variant` names its base type with: the fixed-length tokens (INT4TYPE,
    /// FLT8TYPE…) for the fixed types, the N and BIG tokens for the others; nil for the types a
    /// `sql_variant` cannot hold.
    var variantBaseTypeToken: UInt8? {
        switch self {
        case .tinyInt: 0x30
        case .smallInt: 0x34
        case .int: 0x38
        case .bigInt: 0x7F
        case .bit: 0x32
        case .real: 0x3B
        case .float: 0x3E
        case .money: 0x3C
        case .smallMoney: 0x7A
        case .dateTime: 0x3D
        case .smallDateTime: 0x3A
        case .uniqueIdentifier: 0x24
        case .date: 0x28
        case .time: 0x29
        case .dateTime2: 0x2A
        case .dateTimeOffset: 0x2B
        case .decimal: 0x6A
        case .numeric: 0x6C
        case .char: 0xAF
        case .varChar(let length, _): length == nil ? nil : 0xA7
        case .nChar: 0xEF
        case .nVarChar(let length, _): length == nil ? nil : 0xE7
        case .binary: 0xAD
        case .varBinary(let length): length == nil ? nil : 0xA5
        case .xml, .text, .nText, .image, .variant: nil
        }
    }
}
