extension TDSValue {
    /// Decodes a value exactly as db-lib's `dbdata()`/`dbdatlen()` present it.
    ///
    /// - Parameters:
    ///   - bytes: the `dbdatlen()` bytes at `dbdata()`, or nil when `dbdata()` returned NULL (SQL NULL).
    ///     An empty buffer is an empty string or binary, not NULL.
    ///   - type: the column's db-lib type (`dbcoltype()`), which decides the layout: native-endian
    ///     integers and floats, `DBNUMERIC`, `DBMONEY` (high then low half), `DBMONEY4`, `DBDATETIME`
    ///     (days since 1900-01-01, 1/300 s), `DBDATETIME4`, `DBDATETIMEALL` (100 ns time, days since
    ///     1900-01-01, offset minutes), GUID bytes in SQL Server's mixed-endian order, and text already
    ///     converted by FreeTDS to the client charset (UTF-8).
    ///
    ///   A `sql_variant` column (``TDSDataType/variant``) decodes to `.bytes`, the buffer db-lib
    ///   holds for the value's base type, because db-lib's API does not say which base type a row
    ///   holds. Decoding those bytes again with the base type (`SQL_VARIANT_PROPERTY(col,
    ///   'BaseType')`) gives the value for the fixed-size numbers, `bit`, `money`, `smallmoney`,
    ///   `datetime`, `smalldatetime`, `date`, `time`, `datetime2`, `datetimeoffset`,
    ///   `uniqueidentifier`, `binary` and `varbinary`. Two base types cannot be read this way with
    ///   FreeTDS 1.3.17: `decimal`/`numeric` (db-lib holds a `DBNUMERIC` but reports the wire
    ///   length, which cuts off its magnitude) and, in practice, the character types: once a row
    ///   of a result set held a character base type, FreeTDS keeps that character conversion for
    ///   the column and converts later non-character values of the same column as text. Select
    ///   those base types separately (`CAST(col AS nvarchar(max))`) and keep them out of the raw
    ///   column, as the source's `ColumnProjection` does.
    /// - Throws: ``TDSError/Code-swift.struct/decodingFailed`` when the bytes do not fit the type or the
    ///   type is not supported (CLR types).
    public init(decoding bytes: UnsafeRawBufferPointer?, as type: TDSDataType) throws(TDSError) {
        guard let bytes else {
            self = .null
            return
        }
        self = try TDSValueDecoder(bytes: bytes, type: type).decode()
    }

    /// Decodes a value from a byte array laid out as `dbdata()` presents it; nil means SQL NULL.
    public init(decoding bytes: [UInt8]?, as type: TDSDataType) throws(TDSError) {
        guard let bytes else {
            self = .null
            return
        }
        let result: Result<TDSValue, TDSError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(TDSError) in try TDSValue(decoding: buffer, as: type) }
        }
        self = try result.get()
    }
}

/// The pure functions behind ``TDSValue/init(decoding:as:)-(UnsafeRawBufferPointer?,_)``.
struct TDSValueDecoder {
    let bytes: UnsafeRawBufferPointer
    let type: TDSDataType

    /// FreeTDS's table of bytes (sign included) a numeric of each precision occupies; the magnitude
    /// in `DBNUMERIC.array[1...]` is big-endian and exactly this long minus the sign byte.
    static let numericBytesPerPrecision: [Int] = [
        1, 2, 2, 3, 3, 4, 4, 4, 5, 5,
        6, 6, 6, 7, 7, 8, 8, 9, 9, 9,
        10, 10, 11, 11, 11, 12, 12, 13, 13, 14,
        14, 14, 15, 15, 16, 16, 16, 17, 17,
    ]

    func decode() throws(TDSError) -> TDSValue {
        switch type {
        case .tinyInt: return .tinyInt(try load(UInt8.self))
        case .smallInt: return .smallInt(try load(Int16.self))
        case .int: return .int(try load(Int32.self))
        case .bigInt: return .bigInt(try load(Int64.self))
        case .intN:
            switch bytes.count {
            case 1: return .tinyInt(try load(UInt8.self))
            case 2: return .smallInt(try load(Int16.self))
            case 4: return .int(try load(Int32.self))
            case 8: return .bigInt(try load(Int64.self))
            default: throw wrongLength()
            }
        case .bit, .bitN: return .bit(try load(UInt8.self) != 0)
        case .real: return .real(try load(Float.self))
        case .float: return .float(try load(Double.self))
        case .floatN:
            switch bytes.count {
            case 4: return .real(try load(Float.self))
            case 8: return .float(try load(Double.self))
            default: throw wrongLength()
            }
        case .money: return .money(try money8())
        case .smallMoney: return .money(TDSMoney(tenThousandths: Int64(try load(Int32.self))))
        case .moneyN:
            switch bytes.count {
            case 4: return .money(TDSMoney(tenThousandths: Int64(try load(Int32.self))))
            case 8: return .money(try money8())
            default: throw wrongLength()
            }
        case .dateTime: return .dateTime(try dateTime8())
        case .smallDateTime: return .dateTime(try dateTime4())
        case .dateTimeN:
            switch bytes.count {
            case 4: return .dateTime(try dateTime4())
            case 8: return .dateTime(try dateTime8())
            default: throw wrongLength()
            }
        case .decimal, .numeric: return .decimal(try numeric())
        case .char, .varChar, .text, .nText, .nVarCharLegacy, .bigChar, .bigVarChar, .nChar, .nVarChar, .xml:
            return .string(try utf8String())
        case .binary, .varBinary, .image, .bigBinary, .bigVarBinary:
            return .bytes(Array(bytes))
        case .uniqueIdentifier:
            guard let guid = TDSGUID(storageBytes: bytes) else { throw wrongLength() }
            return .uniqueIdentifier(guid)
        case .date, .time, .dateTime2, .dateTimeOffset:
            return try dateTimeAll()
        case .variant:
            // The base value's db-lib buffer; only the base type (not known here) says its layout.
            return .bytes(Array(bytes))
        default:
            throw TDSError(.decodingFailed, "values of SQL Server type \(type) (db-lib type \(type.rawValue)) are not supported")
        }
    }

    private func wrongLength() -> TDSError {
        TDSError(.decodingFailed, "a \(type) value cannot be \(bytes.count) bytes long")
    }

    private func load<T: FixedWidthInteger>(_: T.Type, at offset: Int = 0) throws(TDSError) -> T {
        guard offset + MemoryLayout<T>.size <= bytes.count else { throw wrongLength() }
        return bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    private func load(_: Float.Type) throws(TDSError) -> Float {
        guard bytes.count == 4 else { throw wrongLength() }
        return bytes.loadUnaligned(as: Float.self)
    }

    private func load(_: Double.Type) throws(TDSError) -> Double {
        guard bytes.count == 8 else { throw wrongLength() }
        return bytes.loadUnaligned(as: Double.self)
    }

    /// `DBMONEY`: `DBINT mnyhigh` then `DBUINT mnylow`, each in native order.
    private func money8() throws(TDSError) -> TDSMoney {
        guard bytes.count == 8 else { throw wrongLength() }
        let high = try load(Int32.self)
        let low = try load(UInt32.self, at: 4)
        return TDSMoney(tenThousandths: Int64(high) << 32 | Int64(low))
    }

    /// `DBDATETIME`: days since 1900-01-01 (negative back to 1753) and 1/300 s since midnight.
    private func dateTime8() throws(TDSError) -> TDSDateTime {
        guard bytes.count == 8 else { throw wrongLength() }
        let days = try load(Int32.self)
        let ticks = try load(Int32.self, at: 4)
        guard ticks >= 0, ticks < 300 * 86_400 else {
            throw TDSError(.decodingFailed, "datetime time part \(ticks)/300 s is outside one day")
        }
        // Same rounding as SQL Server's CAST(datetime AS datetime2(7)): 1/300 s to the nearest 100 ns.
        let hundredNanoseconds = (Int64(ticks) * 10_000_000 * 2 + 300) / 600
        return TDSDateTime(
            daysSinceJanuaryFirst0001: Int(days) + TDSDate.sqlServerEpochDayNumber,
            nanosecondsSinceMidnight: hundredNanoseconds * 100,
            fractionalDigits: 3
        )
    }

    /// `DBDATETIME4`: unsigned days since 1900-01-01 and minutes since midnight.
    private func dateTime4() throws(TDSError) -> TDSDateTime {
        guard bytes.count == 4 else { throw wrongLength() }
        let days = try load(UInt16.self)
        let minutes = try load(UInt16.self, at: 2)
        guard minutes < 1440 else {
            throw TDSError(.decodingFailed, "smalldatetime minute \(minutes) is outside one day")
        }
        return TDSDateTime(
            daysSinceJanuaryFirst0001: Int(days) + TDSDate.sqlServerEpochDayNumber,
            nanosecondsSinceMidnight: Int64(minutes) * 60_000_000_000,
            fractionalDigits: 0
        )
    }

    /// `DBNUMERIC`: precision, scale, then `array[0]` = 1 when negative and the magnitude big-endian.
    private func numeric() throws(TDSError) -> TDSDecimal {
        guard bytes.count >= 3 else { throw wrongLength() }
        let precision = Int(bytes[0])
        let scale = Int(bytes[1])
        guard precision >= 1, precision <= TDSDecimal.maximumPrecision, scale <= precision else {
            throw TDSError(.decodingFailed, "numeric precision \(precision) and scale \(scale) are invalid")
        }
        let magnitudeLength = Self.numericBytesPerPrecision[precision] - 1
        guard bytes.count >= 3 + magnitudeLength else { throw wrongLength() }
        var magnitude: UInt128 = 0
        for index in 0..<magnitudeLength {
            magnitude = magnitude << 8 | UInt128(bytes[3 + index])
        }
        var limit: UInt128 = 1
        for _ in 0..<precision { limit *= 10 }
        guard magnitude < limit else {
            throw TDSError(.decodingFailed, "numeric magnitude \(magnitude) has more than \(precision) digits")
        }
        let signed = Int128(magnitude)
        return TDSDecimal(unscaledValue: bytes[2] == 1 ? -signed : signed, scale: scale, precision: precision)
    }

    private func utf8String() throws(TDSError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TDSError(.decodingFailed, "a \(type) value of \(bytes.count) bytes is not valid UTF-8; is the client charset UTF-8?")
        }
        return text
    }

    /// `DBDATETIMEALL` (16 bytes): `UInt64 time` in 100 ns, `Int32 date` in days since 1900-01-01,
    /// `Int16 offset` in minutes, then bit fields `time_prec:3, _res:10, has_time:1, has_date:1, has_offset:1`.
    private func dateTimeAll() throws(TDSError) -> TDSValue {
        guard bytes.count == 16 else { throw wrongLength() }
        let ticks = try load(UInt64.self)
        let days = Int(try load(Int32.self, at: 8)) + TDSDate.sqlServerEpochDayNumber
        let offset = Int(try load(Int16.self, at: 12))
        let flags = try load(UInt16.self, at: 14)
        let precision = Int(flags & 0x7)
        let hasTime = flags & (1 << 13) != 0
        let hasDate = flags & (1 << 14) != 0
        let hasOffset = flags & (1 << 15) != 0
        guard ticks < 864_000_000_000 else {
            throw TDSError(.decodingFailed, "\(type) time part \(ticks) x 100 ns is outside one day")
        }
        guard days >= 0, days < 3_652_059 else {
            throw TDSError(.decodingFailed, "\(type) date part \(days) days since 0001-01-01 is outside 0001-9999")
        }
        guard offset >= -840, offset <= 840 else {
            throw TDSError(.decodingFailed, "datetimeoffset offset \(offset) minutes is outside -14:00...+14:00")
        }
        let nanoseconds = Int64(ticks) * 100
        switch type {
        case .date:
            guard hasDate else { throw TDSError(.decodingFailed, "a date value has no date part") }
            return .date(TDSDate(daysSinceJanuaryFirst0001: days))
        case .time:
            guard hasTime else { throw TDSError(.decodingFailed, "a time value has no time part") }
            return .time(TDSTime(nanosecondsSinceMidnight: nanoseconds, fractionalDigits: precision))
        case .dateTime2:
            guard hasDate, hasTime else { throw TDSError(.decodingFailed, "a datetime2 value lacks its date or time part") }
            return .dateTime(TDSDateTime(
                date: TDSDate(daysSinceJanuaryFirst0001: days),
                time: TDSTime(nanosecondsSinceMidnight: nanoseconds, fractionalDigits: precision)
            ))
        default:
            guard hasDate, hasTime, hasOffset else {
                throw TDSError(.decodingFailed, "a datetimeoffset value lacks its date, time or offset part")
            }
            let utc = TDSDateTime(
                date: TDSDate(daysSinceJanuaryFirst0001: days),
                time: TDSTime(nanosecondsSinceMidnight: nanoseconds, fractionalDigits: precision)
            )
            return .dateTimeOffset(TDSDateTimeOffset(utc: utc, offsetMinutes: offset))
        }
    }
}
