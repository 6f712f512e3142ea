// Writing TYPE_INFO and values exactly as MS-TDS 2.2.5 lays them out.

extension TDSType {
    /// The wire type byte: always the nullable ("N") form for fixed-size types.
    var wireTypeByte: UInt8 {
        switch self {
        case .tinyInt, .smallInt, .int, .bigInt: 0x26
        case .bit: 0x68
        case .real, .float: 0x6D
        case .decimal: 0x6A
        case .numeric: 0x6C
        case .money, .smallMoney: 0x6E
        case .dateTime, .smallDateTime: 0x6F
        case .date: 0x28
        case .time: 0x29
        case .dateTime2: 0x2A
        case .dateTimeOffset: 0x2B
        case .char: 0xAF
        case .varChar: 0xA7
        case .nChar: 0xEF
        case .nVarChar: 0xE7
        case .binary: 0xAD
        case .varBinary: 0xA5
        case .uniqueIdentifier: 0x24
        case .xml: 0xF1
        case .text: 0x23
        case .nText: 0x63
        case .image: 0x22
        case .variant: 0x62
        }
    }

    /// The byte length of decimal/numeric values of a precision: 5, 9, 13 or 17 (sign included).
    static func decimalByteLength(precision: Int) -> Int {
        switch precision {
        case ...9: 5
        case ...19: 9
        case ...28: 13
        default: 17
        }
    }

    /// The byte length of the time part for a fractional-second scale: 3, 4 or 5.
    static func timeByteLength(scale: Int) -> Int {
        switch scale {
        case ...2: 3
        case ...4: 4
        default: 5
        }
    }

    /// The fixed byte length of a value of a BYTELEN type (INTN, BITN, FLTN…).
    private var fixedLength: Int {
        switch self {
        case .tinyInt, .bit: 1
        case .smallInt: 2
        case .int, .real, .smallMoney, .smallDateTime: 4
        case .bigInt, .float, .money, .dateTime: 8
        case .uniqueIdentifier: 16
        default: 0
        }
    }

    /// Writes TYPE_INFO (without the table name COLMETADATA adds for text/ntext/image).
    func writeTypeInfo(into writer: inout ByteWriter) {
        writer.byte(wireTypeByte)
        switch self {
        case .tinyInt, .smallInt, .int, .bigInt, .bit, .real, .float, .money, .smallMoney, .dateTime, .smallDateTime, .uniqueIdentifier:
            writer.byte(UInt8(fixedLength))
        case .decimal(let precision, let scale), .numeric(let precision, let scale):
            writer.byte(UInt8(Self.decimalByteLength(precision: precision)))
            writer.byte(UInt8(precision))
            writer.byte(UInt8(scale))
        case .date:
            break
        case .time(let scale), .dateTime2(let scale), .dateTimeOffset(let scale):
            writer.byte(UInt8(scale))
        case .char(let length, let collation):
            writer.uint16(length)
            writer.append(collation.bytes)
        case .varChar(let length, let collation):
            writer.uint16(length ?? 0xFFFF)
            writer.append(collation.bytes)
        case .nChar(let length, let collation):
            writer.uint16(length * 2)
            writer.append(collation.bytes)
        case .nVarChar(let length, let collation):
            writer.uint16(length.map { $0 * 2 } ?? 0xFFFF)
            writer.append(collation.bytes)
        case .binary(let length):
            writer.uint16(length)
        case .varBinary(let length):
            writer.uint16(length ?? 0xFFFF)
        case .xml:
            writer.byte(0)  // no schema collection
        case .text(let collation):
            writer.uint32(0x7FFF_FFFF)
            writer.append(collation.bytes)
        case .nText(let collation):
            writer.uint32(0x7FFF_FFFE)
            writer.append(collation.bytes)
        case .image:
            writer.uint32(0x7FFF_FFFF)
        case .variant:
            writer.uint32(Self.variantMaxLength)
        }
    }

    /// The bytes a NULL of this type costs in a ROW token (what NBCROW saves).
    var nullMarkerSize: Int {
        if isPLP { return 8 }
        switch self {
        case .char, .varChar, .nChar, .nVarChar, .binary, .varBinary: return 2
        case .variant: return 4
        default: return 1
        }
    }

    /// Writes one value (TYPE_VARBYTE) in this type's wire form.
    func writeValue(_ value: TDSWireValue, into writer: inout ByteWriter) throws(TDSServerError) {
        if case .null = value {
            writeNull(into: &writer)
            return
        }
        switch self {
        case .tinyInt:
            writer.byte(1)
            writer.byte(UInt8(try integer(value, in: 0...255)))
        case .smallInt:
            writer.byte(2)
            writer.littleEndian(Int16(try integer(value, in: Int64(Int16.min)...Int64(Int16.max))))
        case .int:
            writer.byte(4)
            writer.littleEndian(Int32(try integer(value, in: Int64(Int32.min)...Int64(Int32.max))))
        case .bigInt:
            writer.byte(8)
            writer.littleEndian(try integer(value, in: Int64.min...Int64.max))
        case .bit:
            writer.byte(1)
            if case .bit(let flag) = value {
                writer.byte(flag ? 1 : 0)
            } else {
                writer.byte(UInt8(try integer(value, in: 0...1)))
            }
        case .real:
            writer.byte(4)
            writer.littleEndian(Float(try floatingPoint(value)).bitPattern)
        case .float:
            writer.byte(8)
            writer.littleEndian(try floatingPoint(value).bitPattern)
        case .decimal(let precision, let scale), .numeric(let precision, let scale):
            let unscaled = try exactDecimal(value, scale: scale)
            guard unscaled.magnitude < Self.powerOfTen(precision) else {
                throw mismatch(value, "has more than \(precision) digits")
            }
            let length = Self.decimalByteLength(precision: precision)
            writer.byte(UInt8(length))
            writer.byte(unscaled < 0 ? 0 : 1)
            let magnitude = unscaled.magnitude
            for index in 0..<(length - 1) { writer.byte(UInt8(truncatingIfNeeded: magnitude >> (8 * index))) }
        case .money:
            let amount = try money(value)
            writer.byte(8)
            writer.littleEndian(Int32(truncatingIfNeeded: amount >> 32))
            writer.littleEndian(UInt32(truncatingIfNeeded: amount))
        case .smallMoney:
            let amount = try money(value)
            guard let small = Int32(exactly: amount) else { throw mismatch(value, "is outside smallmoney's range") }
            writer.byte(4)
            writer.littleEndian(small)
        case .dateTime:
            var (days, ticks) = try dateAndTime(value)
            // 1/300 s, rounded half up like SQL Server's conversion to datetime.
            var threeHundredths = (ticks * 3 + 50_000) / 100_000
            if threeHundredths >= 300 * 86_400 {
                threeHundredths -= 300 * 86_400
                days += 1
            }
            let daysSince1900 = days - TDSWireValue.daysFromJanuaryFirst0001To1900
            guard daysSince1900 >= -53_690, days < Self.daysInCalendar else { throw mismatch(value, "is outside datetime's range 1753-01-01…9999-12-31") }
            writer.byte(8)
            writer.littleEndian(Int32(daysSince1900))
            writer.littleEndian(UInt32(threeHundredths))
        case .smallDateTime:
            var (days, ticks) = try dateAndTime(value)
            var minutes = (ticks + 300_000_000) / 600_000_000
            if minutes >= 1440 {
                minutes -= 1440
                days += 1
            }
            let daysSince1900 = days - TDSWireValue.daysFromJanuaryFirst0001To1900
            guard (0...65_535).contains(daysSince1900) else { throw mismatch(value, "is outside smalldatetime's range 1900-01-01…2079-06-06") }
            writer.byte(4)
            writer.littleEndian(UInt16(daysSince1900))
            writer.littleEndian(UInt16(minutes))
        case .date:
            let days: Int
            switch value {
            case .date(let value): days = value
            case .dateTime(let value, _): days = value
            default: throw mismatch(value, "is not a date")
            }
            try checkDays(days, value)
            writer.byte(3)
            writer.littleEndian(UInt64(days), byteCount: 3)
        case .time(let scale):
            let ticks: Int64
            switch value {
            case .time(let value): ticks = value
            case .dateTime(_, let value): ticks = value
            default: throw mismatch(value, "is not a time of day")
            }
            try checkTicks(ticks, value)
            let (units, _) = Self.scaled(ticks, scale: scale)
            let length = Self.timeByteLength(scale: scale)
            writer.byte(UInt8(length))
            writer.littleEndian(UInt64(units), byteCount: length)
        case .dateTime2(let scale):
            let (days, ticks) = try dateAndTime(value)
            let (units, carry) = Self.scaled(ticks, scale: scale)
            try checkDays(days + carry, value)
            let length = Self.timeByteLength(scale: scale)
            writer.byte(UInt8(length + 3))
            writer.littleEndian(UInt64(units), byteCount: length)
            writer.littleEndian(UInt64(days + carry), byteCount: 3)
        case .dateTimeOffset(let scale):
            guard case .dateTimeOffset(let days, let ticks, let offset) = value else { throw mismatch(value, "is not a datetimeoffset") }
            try checkTicks(ticks, value)
            guard (-840...840).contains(offset) else { throw mismatch(value, "has an offset outside -14:00…+14:00") }
            let (units, carry) = Self.scaled(ticks, scale: scale)
            try checkDays(days + carry, value)
            let length = Self.timeByteLength(scale: scale)
            writer.byte(UInt8(length + 5))
            writer.littleEndian(UInt64(units), byteCount: length)
            writer.littleEndian(UInt64(days + carry), byteCount: 3)
            writer.littleEndian(Int16(offset))
        case .char(let length, let collation):
            var bytes = collation.codePage.encode(try string(value))
            guard bytes.count <= length else { throw mismatch(value, "is \(bytes.count) bytes, longer than char(\(length))") }
            bytes += repeatElement(UInt8(ascii: " "), count: length - bytes.count)
            writer.uint16(bytes.count)
            writer.append(bytes)
        case .varChar(let length, let collation):
            let bytes = collation.codePage.encode(try string(value))
            try writeVariable(bytes, maxLength: length, value, into: &writer)
        case .nChar(let length, _):
            let text = try string(value)
            let units = text.utf16.count
            guard units <= length else { throw mismatch(value, "is \(units) UTF-16 code units, longer than nchar(\(length))") }
            writer.uint16(length * 2)
            writer.utf16(text)
            for _ in units..<length { writer.uint16(0x20) }
        case .nVarChar(let length, _):
            let bytes = encodeUTF16LE(try string(value))
            try writeVariable(bytes, maxLength: length.map { $0 * 2 }, value, into: &writer)
        case .binary(let length):
            guard case .bytes(var bytes) = value else { throw mismatch(value, "is not binary") }
            guard bytes.count <= length else { throw mismatch(value, "is \(bytes.count) bytes, longer than binary(\(length))") }
            bytes += repeatElement(0, count: length - bytes.count)
            writer.uint16(bytes.count)
            writer.append(bytes)
        case .varBinary(let length):
            guard case .bytes(let bytes) = value else { throw mismatch(value, "is not binary") }
            try writeVariable(bytes, maxLength: length, value, into: &writer)
        case .uniqueIdentifier:
            guard case .uniqueIdentifier(let bytes) = value, bytes.count == 16 else { throw mismatch(value, "is not 16 uniqueidentifier bytes") }
            writer.byte(16)
            for index in Self.guidByteOrder { writer.byte(bytes[index]) }
        case .xml:
            Self.writePLP(encodeUTF16LE(try string(value)), into: &writer)
        case .text(let collation):
            Self.writeTextPointerValue(collation.codePage.encode(try string(value)), into: &writer)
        case .nText:
            Self.writeTextPointerValue(encodeUTF16LE(try string(value)), into: &writer)
        case .image:
            guard case .bytes(let bytes) = value else { throw mismatch(value, "is not binary") }
            Self.writeTextPointerValue(bytes, into: &writer)
        case .variant:
            try writeVariant(value, into: &writer)
        }
    }

    /// Display order ↔ storage order of a GUID: the first three groups are little-endian on the wire.
    static let guidByteOrder = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
    /// 0001-01-01 through 9999-12-31.
    static let daysInCalendar = 3_652_059

    private func writeNull(into writer: inout ByteWriter) {
        if isPLP {
            writer.littleEndian(UInt64.max)
            return
        }
        switch self {
        case .char, .varChar, .nChar, .nVarChar, .binary, .varBinary: writer.uint16(0xFFFF)
        case .variant: writer.uint32(0)  // a zero total length is NULL
        default: writer.byte(0)  // BYTELEN 0, or a text pointer length of 0
        }
    }

    private func writeVariable(_ bytes: [UInt8], maxLength: Int?, _ value: TDSWireValue, into writer: inout ByteWriter) throws(TDSServerError) {
        guard let maxLength else {
            Self.writePLP(bytes, into: &writer)
            return
        }
        guard bytes.count <= maxLength else { throw mismatch(value, "is \(bytes.count) bytes, longer than \(sqlName)") }
        writer.uint16(bytes.count)
        writer.append(bytes)
    }

    /// PLP: the total length, chunks of at most 32 KiB, then a zero-length terminator chunk.
    static func writePLP(_ bytes: [UInt8], into writer: inout ByteWriter) {
        writer.littleEndian(UInt64(bytes.count))
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 32_768, bytes.count)
            writer.uint32(end - offset)
            writer.append(bytes[offset..<end])
            offset = end
        }
        writer.uint32(0)
    }

    /// text/ntext/image in a row: a 16-byte text pointer, an 8-byte timestamp, then the length and data.
    static func writeTextPointerValue(_ bytes: [UInt8], into writer: inout ByteWriter) {
        writer.byte(16)
        writer.append(repeatElement(UInt8(0xAB), count: 16))
        writer.append(repeatElement(UInt8(0), count: 8))
        writer.uint32(bytes.count)
        writer.append(bytes)
    }

    // MARK: Conversions

    private func mismatch(_ value: TDSWireValue, _ problem: String) -> TDSServerError {
        TDSServerError(.invalidValue, "the value \(value) \(problem) for a \(sqlName) column")
    }

    static func powerOfTen(_ exponent: Int) -> UInt128 {
        var result: UInt128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    private func integer(_ value: TDSWireValue, in range: ClosedRange<Int64>) throws(TDSServerError) -> Int64 {
        let integer: Int64
        switch value {
        case .tinyInt(let value): integer = Int64(value)
        case .smallInt(let value): integer = Int64(value)
        case .int(let value): integer = Int64(value)
        case .bigInt(let value): integer = value
        case .bit(let value): integer = value ? 1 : 0
        case .decimal(let unscaled, let scale):
            let divisor = Int128(Self.powerOfTen(scale))
            guard unscaled % divisor == 0, let whole = Int64(exactly: unscaled / divisor) else { throw mismatch(value, "is not a whole number in range") }
            integer = whole
        default: throw mismatch(value, "is not an integer")
        }
        guard range.contains(integer) else { throw mismatch(value, "is outside \(range)") }
        return integer
    }

    private func floatingPoint(_ value: TDSWireValue) throws(TDSServerError) -> Double {
        switch value {
        case .real(let value): return Double(value)
        case .float(let value): return value
        case .tinyInt, .smallInt, .int, .bigInt: return Double(try integer(value, in: Int64.min...Int64.max))
        default: throw mismatch(value, "is not a number")
        }
    }

    /// The value as an unscaled integer at `scale`; fails rather than dropping digits.
    private func exactDecimal(_ value: TDSWireValue, scale: Int) throws(TDSServerError) -> Int128 {
        let (unscaled, valueScale): (Int128, Int)
        switch value {
        case .decimal(let digits, let digitsScale): (unscaled, valueScale) = (digits, digitsScale)
        case .money(let amount): (unscaled, valueScale) = (Int128(amount), 4)
        case .tinyInt, .smallInt, .int, .bigInt, .bit: (unscaled, valueScale) = (Int128(try integer(value, in: Int64.min...Int64.max)), 0)
        default: throw mismatch(value, "is not an exact number")
        }
        guard (0...38).contains(valueScale) else { throw mismatch(value, "has a scale outside 0…38") }
        if valueScale == scale { return unscaled }
        if valueScale < scale {
            let (product, overflow) = unscaled.multipliedReportingOverflow(by: Int128(Self.powerOfTen(scale - valueScale)))
            guard !overflow else { throw mismatch(value, "overflows") }
            return product
        }
        let divisor = Int128(Self.powerOfTen(valueScale - scale))
        guard unscaled % divisor == 0 else { throw mismatch(value, "has more than \(scale) decimal places") }
        return unscaled / divisor
    }

    private func money(_ value: TDSWireValue) throws(TDSServerError) -> Int64 {
        if case .money(let amount) = value { return amount }
        guard let amount = Int64(exactly: try exactDecimal(value, scale: 4)) else { throw mismatch(value, "is outside money's range") }
        return amount
    }

    private func dateAndTime(_ value: TDSWireValue) throws(TDSServerError) -> (days: Int, ticks: Int64) {
        switch value {
        case .dateTime(let days, let ticks):
            try checkTicks(ticks, value)
            return (days, ticks)
        case .date(let days):
            return (days, 0)
        default:
            throw mismatch(value, "is not a date and time")
        }
    }

    private func checkTicks(_ ticks: Int64, _ value: TDSWireValue) throws(TDSServerError) {
        guard ticks >= 0, ticks < TDSWireValue.hundredNanosecondsPerDay else { throw mismatch(value, "has a time of day outside 00:00…23:59:59.9999999") }
    }

    private func checkDays(_ days: Int, _ value: TDSWireValue) throws(TDSServerError) {
        guard days >= 0, days < Self.daysInCalendar else { throw mismatch(value, "is outside 0001-01-01…9999-12-31") }
    }

    /// 100 ns ticks rounded half up to `scale` digits; `carry` is 1 when that reaches midnight
    /// (the units then wrap to 0).
    static func scaled(_ ticks: Int64, scale: Int) -> (units: Int64, carry: Int) {
        let divisor = Int64(powerOfTen(7 - scale))
        var units = (ticks + divisor / 2) / divisor
        let perDay = TDSWireValue.hundredNanosecondsPerDay / divisor
        if units >= perDay {
            units -= perDay
            return (units, 1)
        }
        return (units, 0)
    }

    private func string(_ value: TDSWireValue) throws(TDSServerError) -> String {
        guard case .string(let text) = value else { throw mismatch(value, "is not text") }
        return text
    }
}
