// Reading TYPE_INFO and TYPE_VARBYTE values of RPC parameters (MS-TDS 2.2.5.4–2.2.5.6).

/// How a value of a wire type is length-prefixed.
enum TDSValueLayout: Equatable {
    /// A fixed-length type (INT4, FLT8…): no prefix, exactly this many bytes.
    case fixed(Int)
    /// BYTELEN prefix, 0 = NULL (INTN, DECIMALN, DATEN, GUID…).
    case byteLength
    /// USHORTLEN prefix, 0xFFFF = NULL (BIGVARCHAR, NVARCHAR, BIGBINARY…).
    case ushortLength
    /// Partially length-prefixed stream (the `(max)` types and xml).
    case plp
    /// LONGLEN prefix, 0xFFFFFFFF = NULL (text/ntext/image parameters).
    case longLength
}

/// A decoded TYPE_INFO: the SQL type and how its values are laid out.
struct TDSWireType {
    var type: TDSType
    var layout: TDSValueLayout

    /// Reads one TYPE_INFO.
    static func read(from reader: inout ByteReader) throws(TDSServerError) -> TDSWireType {
        let typeByte = try reader.byte("a TYPE_INFO type byte")
        func length(_ allowed: [Int: TDSType], _ name: String) throws(TDSServerError) -> TDSWireType {
            let size = Int(try reader.byte("the TYPE_INFO length of \(name)"))
            guard let type = allowed[size] else {
                throw TDSServerError(.malformedRequest, "\(name) cannot be \(size) bytes long")
            }
            return TDSWireType(type: type, layout: .byteLength)
        }
        func collation() throws(TDSServerError) -> TDSCollation {
            TDSCollation(bytes: try reader.bytes(5, "a collation"))!
        }
        switch typeByte {
        case 0x30: return TDSWireType(type: .tinyInt, layout: .fixed(1))
        case 0x32: return TDSWireType(type: .bit, layout: .fixed(1))
        case 0x34: return TDSWireType(type: .smallInt, layout: .fixed(2))
        case 0x38: return TDSWireType(type: .int, layout: .fixed(4))
        case 0x7F: return TDSWireType(type: .bigInt, layout: .fixed(8))
        case 0x3A: return TDSWireType(type: .smallDateTime, layout: .fixed(4))
        case 0x3B: return TDSWireType(type: .real, layout: .fixed(4))
        case 0x3C: return TDSWireType(type: .money, layout: .fixed(8))
        case 0x3D: return TDSWireType(type: .dateTime, layout: .fixed(8))
        case 0x3E: return TDSWireType(type: .float, layout: .fixed(8))
        case 0x7A: return TDSWireType(type: .smallMoney, layout: .fixed(4))
        case 0x26: return try length([1: .tinyInt, 2: .smallInt, 4: .int, 8: .bigInt], "an INTN")
        case 0x68: return try length([1: .bit], "a BITN")
        case 0x6D: return try length([4: .real, 8: .float], "a FLTN")
        case 0x6E: return try length([4: .smallMoney, 8: .money], "a MONEYN")
        case 0x6F: return try length([4: .smallDateTime, 8: .dateTime], "a DATETIMN")
        case 0x24: return try length([16: .uniqueIdentifier], "a GUID")
        case 0x6A, 0x6C, 0x37, 0x3F:
            let size = Int(try reader.byte("a decimal length"))
            let precision = Int(try reader.byte("a decimal precision"))
            let scale = Int(try reader.byte("a decimal scale"))
            guard (1...38).contains(precision), scale <= precision, (2...17).contains(size) else {
                throw TDSServerError(.malformedRequest, "decimal(\(precision),\(scale)) of \(size) bytes is not valid")
            }
            let type: TDSType = typeByte == 0x6C || typeByte == 0x3F
                ? .numeric(precision: precision, scale: scale) : .decimal(precision: precision, scale: scale)
            return TDSWireType(type: type, layout: .byteLength)
        case 0x28:
            return TDSWireType(type: .date, layout: .byteLength)
        case 0x29, 0x2A, 0x2B:
            let scale = Int(try reader.byte("a time scale"))
            guard scale <= 7 else { throw TDSServerError(.malformedRequest, "a time scale of \(scale) is above 7") }
            let type: TDSType = typeByte == 0x29 ? .time(scale: scale) : typeByte == 0x2A ? .dateTime2(scale: scale) : .dateTimeOffset(scale: scale)
            return TDSWireType(type: type, layout: .byteLength)
        case 0xA7, 0xAF, 0xE7, 0xEF:
            let size = Int(try reader.littleEndian(UInt16.self, "a character type's maximum length"))
            let collation = try collation()
            let isMax = size == 0xFFFF
            let type: TDSType
            switch typeByte {
            case 0xA7: type = .varChar(maxLength: isMax ? nil : max(size, 1), collation: collation)
            case 0xAF: type = .char(length: max(size, 1), collation: collation)
            case 0xE7: type = .nVarChar(maxLength: isMax ? nil : max(size / 2, 1), collation: collation)
            default: type = .nChar(length: max(size / 2, 1), collation: collation)
            }
            guard !isMax || typeByte == 0xA7 || typeByte == 0xE7 else {
                throw TDSServerError(.malformedRequest, "a fixed-length character type cannot have the (max) length")
            }
            return TDSWireType(type: type, layout: isMax ? .plp : .ushortLength)
        case 0xA5, 0xAD:
            let size = Int(try reader.littleEndian(UInt16.self, "a binary type's maximum length"))
            let isMax = size == 0xFFFF
            guard !isMax || typeByte == 0xA5 else {
                throw TDSServerError(.malformedRequest, "binary cannot have the (max) length")
            }
            let type: TDSType = typeByte == 0xA5 ? .varBinary(maxLength: isMax ? nil : max(size, 1)) : .binary(length: max(size, 1))
            return TDSWireType(type: type, layout: isMax ? .plp : .ushortLength)
        case 0xF1:
            if try reader.byte("the xml schema flag") != 0 {
                _ = try reader.bVarChar("an xml schema database name")
                _ = try reader.bVarChar("an xml schema owner")
                _ = try reader.usVarChar("an xml schema collection name")
            }
            return TDSWireType(type: .xml, layout: .plp)
        case 0x23, 0x63:
            _ = try reader.littleEndian(UInt32.self, "a text type's maximum length")
            let collation = try collation()
            return TDSWireType(type: typeByte == 0x23 ? .text(collation: collation) : .nText(collation: collation), layout: .longLength)
        case 0x22:
            _ = try reader.littleEndian(UInt32.self, "an image type's maximum length")
            return TDSWireType(type: .image, layout: .longLength)
        default:
            throw TDSServerError(.unsupportedRequest, "TDS data type 0x\(String(typeByte, radix: 16)) (sql_variant, CLR, table-valued or pre-7.0 types) is not supported")
        }
    }

    /// Reads one value of this type.
    func readValue(from reader: inout ByteReader) throws(TDSServerError) -> TDSWireValue {
        let what = "a \(type.sqlName) value"
        let bytes: [UInt8]
        switch layout {
        case .fixed(let size):
            bytes = try reader.bytes(size, what)
        case .byteLength:
            let size = Int(try reader.byte(what))
            if size == 0 { return .null }
            bytes = try reader.bytes(size, what)
        case .ushortLength:
            let size = Int(try reader.littleEndian(UInt16.self, what))
            if size == 0xFFFF { return .null }
            bytes = try reader.bytes(size, what)
        case .longLength:
            let size = try reader.littleEndian(UInt32.self, what)
            if size == 0xFFFF_FFFF { return .null }
            bytes = try reader.bytes(Int(size), what)
        case .plp:
            guard let data = try Self.readPLP(from: &reader, what) else { return .null }
            bytes = data
        }
        return try decode(bytes)
    }

    static func readPLP(from reader: inout ByteReader, _ what: String) throws(TDSServerError) -> [UInt8]? {
        let total = try reader.littleEndian(UInt64.self, what)
        if total == UInt64.max { return nil }
        var data: [UInt8] = []
        if total != UInt64.max - 1 {
            guard total <= UInt64(reader.remaining) else {
                throw TDSServerError(.malformedRequest, "\(what) claims \(total) bytes but the request has only \(reader.remaining) left")
            }
            data.reserveCapacity(Int(total))
        }
        while true {
            let chunk = Int(try reader.littleEndian(UInt32.self, "a PLP chunk length of \(what)"))
            if chunk == 0 { break }
            data += try reader.bytes(chunk, "a PLP chunk of \(what)")
        }
        if total != UInt64.max - 1, UInt64(data.count) != total {
            throw TDSServerError(.malformedRequest, "\(what) has \(data.count) bytes in its chunks but announced \(total)")
        }
        return data
    }

    private func decode(_ bytes: [UInt8]) throws(TDSServerError) -> TDSWireValue {
        func wrongSize() -> TDSServerError {
            TDSServerError(.malformedRequest, "a \(type.sqlName) value cannot be \(bytes.count) bytes long")
        }
        func integer<T: FixedWidthInteger>(_: T.Type, at offset: Int = 0) -> T {
            var value: T = 0
            for index in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index) }
            return value
        }
        func unsigned(_ range: Range<Int>) -> UInt64 {
            var value: UInt64 = 0
            for (shift, index) in range.enumerated() { value |= UInt64(bytes[index]) << (8 * UInt64(shift)) }
            return value
        }
        func time(scale: Int, length: Int) -> Int64 {
            Int64(unsigned(0..<length)) * Int64(TDSType.powerOfTen(7 - scale))
        }
        switch type {
        case .tinyInt:
            guard bytes.count == 1 else { throw wrongSize() }
            return .tinyInt(bytes[0])
        case .smallInt:
            guard bytes.count == 2 else { throw wrongSize() }
            return .smallInt(integer(Int16.self))
        case .int:
            guard bytes.count == 4 else { throw wrongSize() }
            return .int(integer(Int32.self))
        case .bigInt:
            guard bytes.count == 8 else { throw wrongSize() }
            return .bigInt(integer(Int64.self))
        case .bit:
            guard bytes.count == 1 else { throw wrongSize() }
            return .bit(bytes[0] != 0)
        case .real:
            guard bytes.count == 4 else { throw wrongSize() }
            return .real(Float(bitPattern: integer(UInt32.self)))
        case .float:
            guard bytes.count == 8 else { throw wrongSize() }
            return .float(Double(bitPattern: integer(UInt64.self)))
        case .decimal(let precision, let scale), .numeric(let precision, let scale):
            guard (2...17).contains(bytes.count) else { throw wrongSize() }
            var magnitude: UInt128 = 0
            for index in (1..<bytes.count).reversed() { magnitude = magnitude << 8 | UInt128(bytes[index]) }
            guard magnitude < TDSType.powerOfTen(precision) else {
                throw TDSServerError(.malformedRequest, "a \(type.sqlName) value has more than \(precision) digits")
            }
            let signed = Int128(magnitude)
            return .decimal(unscaled: bytes[0] == 0 ? -signed : signed, scale: scale)
        case .money:
            guard bytes.count == 8 else { throw wrongSize() }
            return .money(tenThousandths: Int64(integer(Int32.self)) << 32 | Int64(integer(UInt32.self, at: 4)))
        case .smallMoney:
            guard bytes.count == 4 else { throw wrongSize() }
            return .money(tenThousandths: Int64(integer(Int32.self)))
        case .dateTime:
            guard bytes.count == 8 else { throw wrongSize() }
            let days = Int(integer(Int32.self)) + TDSWireValue.daysFromJanuaryFirst0001To1900
            let threeHundredths = Int64(integer(UInt32.self, at: 4))
            // 1/300 s to the nearest 100 ns, as SQL Server converts datetime to datetime2(7).
            return .dateTime(daysSinceJanuaryFirst0001: days, hundredNanoseconds: (threeHundredths * 200_000 + 3) / 6)
        case .smallDateTime:
            guard bytes.count == 4 else { throw wrongSize() }
            let days = Int(integer(UInt16.self)) + TDSWireValue.daysFromJanuaryFirst0001To1900
            return .dateTime(daysSinceJanuaryFirst0001: days, hundredNanoseconds: Int64(integer(UInt16.self, at: 2)) * 600_000_000)
        case .date:
            guard bytes.count == 3 else { throw wrongSize() }
            return .date(daysSinceJanuaryFirst0001: Int(unsigned(0..<3)))
        case .time(let scale):
            let length = TDSType.timeByteLength(scale: scale)
            guard bytes.count == length else { throw wrongSize() }
            return .time(hundredNanoseconds: time(scale: scale, length: length))
        case .dateTime2(let scale):
            let length = TDSType.timeByteLength(scale: scale)
            guard bytes.count == length + 3 else { throw wrongSize() }
            return .dateTime(daysSinceJanuaryFirst0001: Int(unsigned(length..<(length + 3))), hundredNanoseconds: time(scale: scale, length: length))
        case .dateTimeOffset(let scale):
            let length = TDSType.timeByteLength(scale: scale)
            guard bytes.count == length + 5 else { throw wrongSize() }
            return .dateTimeOffset(
                utcDaysSinceJanuaryFirst0001: Int(unsigned(length..<(length + 3))),
                utcHundredNanoseconds: time(scale: scale, length: length),
                offsetMinutes: Int(integer(Int16.self, at: length + 3))
            )
        case .char(_, let collation), .varChar(_, let collation), .text(let collation):
            return .string(collation.codePage.decode(bytes))
        case .nChar, .nVarChar, .nText:
            return .string(decodeUTF16LE(bytes))
        case .xml:
            // An xml value may start with a UTF-16 byte order mark.
            let body = bytes.starts(with: [0xFF, 0xFE]) ? Array(bytes.dropFirst(2)) : bytes
            return .string(decodeUTF16LE(body))
        case .binary, .varBinary, .image:
            return .bytes(bytes)
        case .uniqueIdentifier:
            guard bytes.count == 16 else { throw wrongSize() }
            return .uniqueIdentifier(TDSType.guidByteOrder.map { bytes[$0] })
        case .variant:
            // Never reached: reading TYPE_INFO already refuses sql_variant parameters.
            throw TDSServerError(.unsupportedRequest, "sql_variant parameters are not supported")
        }
    }
}
