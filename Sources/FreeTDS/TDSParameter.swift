import CFreeTDS

/// A parameter of a remote procedure call (``TDSConnection/call(_:parameters:)``): a name, a typed
/// value and whether the caller wants the final value back (`OUTPUT`).
///
/// The value's case picks the SQL Server type sent on the wire, so a parameterised statement gets
/// exactly the value it declared and no text is parsed by the server:
///
/// | ``TDSValue`` | sent as |
/// |---|---|
/// | `tinyInt`, `smallInt`, `int`, `bigInt` | `tinyint`, `smallint`, `int`, `bigint` |
/// | `bit`, `real`, `float`, `money` | `bit`, `real`, `float`, `money` |
/// | `decimal` | `decimal(p, s)` with the value's precision and scale |
/// | `string` | `nvarchar` (db-lib converts the UTF-8 text to UTF-16); not empty (see below) |
/// | `bytes` | `varbinary`; not empty |
/// | `date` | midnight as `datetime2(0)` (db-lib cannot send `date`), converted by the server |
/// | `time`, `dateTime`, `dateTimeOffset` | `time(n)`, `datetime2(n)`, `datetimeoffset(n)` |
/// | `uniqueIdentifier` | its text as `nvarchar` (db-lib cannot send the type), converted by the server |
/// | `null` | NULL of ``nullType`` |
///
/// db-lib treats a zero-length value as NULL, so an empty string or binary is refused with
/// `invalidArgument` rather than silently sent as NULL.
///
/// ```swift
/// let result = try await connection.call("sp_executesql", parameters: [
///     .init(value: .string("SELECT name FROM dbo.t WHERE id = @id")),
///     .init(value: .string("@id int")),
///     .init(name: "@id", value: .int(5)),
/// ])
/// ```
public struct TDSParameter: Hashable, Sendable {
    /// The parameter's name with its `@`, or empty for a positional parameter.
    public var name: String
    /// The value; its case decides the type sent.
    public var value: TDSValue
    /// The type of a NULL ``value`` (`nvarchar` unless set).
    public var nullType: TDSDataType
    /// Whether the procedure's final value of the parameter comes back (`OUTPUT`).
    public var isOutput: Bool
    /// For an OUTPUT parameter of a variable-length type: the longest value, in bytes, that may come
    /// back (at most 8000). Ignored for fixed-length types.
    public var maximumOutputLength: Int

    /// Creates a parameter.
    public init(name: String = "", value: TDSValue, nullType: TDSDataType = .nVarChar, isOutput: Bool = false, maximumOutputLength: Int = 8000) {
        self.name = name
        self.value = value
        self.nullType = nullType
        self.isOutput = isOutput
        self.maximumOutputLength = maximumOutputLength
    }

    /// db-lib's description of the value: the type token, the maximum length argument of
    /// `dbrpcparam` and the host-format bytes (nil for NULL).
    func dbLibArguments() throws(TDSError) -> (type: Int32, maximumLength: Int32, bytes: [UInt8]?) {
        let variable = Int32(isOutput ? min(max(maximumOutputLength, 1), 8000) : -1)
        switch value {
        case .null:
            // db-lib takes its own (TDS 5) tokens: the 7.x wide types map to their db-lib names.
            // An input NULL has maxlen 0 (db-lib refuses anything else); an OUTPUT one its room.
            let room = isOutput ? variable : 0
            switch nullType {
            case .nVarChar, .nChar, .nVarCharLegacy, .nText, .xml, .bigVarChar, .bigChar, .varChar, .char, .text, .uniqueIdentifier,
                .decimal, .numeric:
                // db-lib sends a NULL decimal as decimal(0,0), which is malformed: NULL converts
                // to any declared type, so it goes as a NULL nvarchar.
                return (Int32(SYBVARCHAR), room, nil)
            case .bigVarBinary, .bigBinary, .varBinary, .binary, .image: return (Int32(SYBVARBINARY), room, nil)
            case .intN: return (Int32(SYBINT4), -1, nil)
            case .bitN: return (Int32(SYBBIT), -1, nil)
            case .floatN: return (Int32(SYBFLT8), -1, nil)
            case .moneyN: return (Int32(SYBMONEY), -1, nil)
            case .dateTimeN: return (Int32(SYBDATETIME), -1, nil)
            case .date, .time, .dateTime2, .dateTimeOffset: return (Int32(SYBMSDATETIME2), -1, nil)
            default: return (nullType.rawValue, -1, nil)
            }
        case .tinyInt(let value): return (Int32(SYBINT1), -1, [value])
        case .smallInt(let value): return (Int32(SYBINT2), -1, Self.littleEndian(value))
        case .int(let value): return (Int32(SYBINT4), -1, Self.littleEndian(value))
        case .bigInt(let value): return (Int32(SYBINT8), -1, Self.littleEndian(value))
        case .bit(let value): return (Int32(SYBBIT), -1, [value ? 1 : 0])
        case .real(let value): return (Int32(SYBREAL), -1, Self.littleEndian(value.bitPattern))
        case .float(let value): return (Int32(SYBFLT8), -1, Self.littleEndian(value.bitPattern))
        case .money(let value):
            // DBMONEY: the high 32 bits, then the low 32 bits, each in host order.
            let high = Int32(truncatingIfNeeded: value.tenThousandths >> 32)
            let low = UInt32(truncatingIfNeeded: value.tenThousandths)
            return (Int32(SYBMONEY), -1, Self.littleEndian(high) + Self.littleEndian(low))
        case .decimal(let value):
            return (Int32(SYBDECIMAL), -1, try Self.numeric(value))
        case .string(let text):
            guard !text.utf8.contains(0) else {
                throw TDSError(.invalidArgument, "parameter \(displayName): text cannot contain a NUL character")
            }
            guard !text.isEmpty else { throw Self.emptyValue(displayName) }
            return (Int32(SYBVARCHAR), variable, Array(text.utf8))
        case .bytes(let bytes):
            guard !bytes.isEmpty else { throw Self.emptyValue(displayName) }
            return (Int32(SYBVARBINARY), variable, bytes)
        case .uniqueIdentifier(let guid):
            // db-lib cannot send a non-NULL uniqueidentifier (it takes the type as fixed-length and
            // nullable at once and refuses it), so the value goes as its text, which SQL Server
            // converts to the declared uniqueidentifier exactly.
            return (Int32(SYBVARCHAR), variable, Array(guid.uuidString.utf8))
        case .date(let date):
            // db-lib refuses SYBMSDATE values (fixed-length and nullable at once): midnight of
            // that day as datetime2(0), which SQL Server converts to the declared date exactly.
            return (
                Int32(SYBMSDATETIME2), -1,
                Self.dateTimeAll(days: date.daysSinceJanuaryFirst0001, time: TDSTime(nanosecondsSinceMidnight: 0, fractionalDigits: 0), offset: nil))
        case .time(let time):
            return (Int32(SYBMSTIME), -1, Self.dateTimeAll(days: nil, time: time, offset: nil))
        case .dateTime(let dateTime):
            return (Int32(SYBMSDATETIME2), -1, Self.dateTimeAll(days: dateTime.date.daysSinceJanuaryFirst0001, time: dateTime.time, offset: nil))
        case .dateTimeOffset(let value):
            return (
                Int32(SYBMSDATETIMEOFFSET), -1,
                Self.dateTimeAll(days: value.utc.date.daysSinceJanuaryFirst0001, time: value.utc.time, offset: value.offsetMinutes))
        }
    }

    private var displayName: String { name.isEmpty ? "(positional)" : name }

    /// db-lib reads a zero data length as NULL, so an empty string or binary cannot be sent.
    private static func emptyValue(_ name: String) -> TDSError {
        TDSError(.invalidArgument, "parameter \(name): db-lib sends an empty value as NULL; write N'' or 0x in the statement instead")
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// `DBDECIMAL`: precision, scale, a sign byte (1 = negative) and the magnitude big-endian in
    /// the number of bytes FreeTDS uses for that precision; the array is 33 bytes long.
    private static func numeric(_ value: TDSDecimal) throws(TDSError) -> [UInt8] {
        let precision = value.precision
        guard precision >= 1, precision <= TDSDecimal.maximumPrecision, value.scale >= 0, value.scale <= precision else {
            throw TDSError(.invalidArgument, "decimal precision \(precision) and scale \(value.scale) are outside SQL Server's 1...38")
        }
        let length = TDSValueDecoder.numericBytesPerPrecision[precision] - 1
        var magnitude = value.unscaledValue.magnitude
        var digits = [UInt8](repeating: 0, count: length)
        for index in stride(from: length - 1, through: 0, by: -1) {
            digits[index] = UInt8(truncatingIfNeeded: magnitude)
            magnitude >>= 8
        }
        guard magnitude == 0 else {
            throw TDSError(.invalidArgument, "decimal \(value) has more digits than its precision \(precision)")
        }
        var bytes: [UInt8] = [UInt8(precision), UInt8(value.scale), value.isNegative ? 1 : 0] + digits
        bytes += [UInt8](repeating: 0, count: 35 - bytes.count)
        return bytes
    }

    /// `DBDATETIMEALL` (16 bytes): time in 100 ns, days since 1900-01-01, offset minutes and the
    /// flags `time_prec:3, _res:10, has_time:1, has_date:1, has_offset:1`.
    private static func dateTimeAll(days: Int?, time: TDSTime?, offset: Int?) -> [UInt8] {
        let ticks = UInt64((time?.nanosecondsSinceMidnight ?? 0) / 100)
        let epochDays = Int32((days ?? TDSDate.sqlServerEpochDayNumber) - TDSDate.sqlServerEpochDayNumber)
        var flags = UInt16(min(max(time?.fractionalDigits ?? 7, 0), 7))
        if time != nil { flags |= 1 << 13 }
        if days != nil { flags |= 1 << 14 }
        if offset != nil { flags |= 1 << 15 }
        return littleEndian(ticks) + littleEndian(epochDays) + littleEndian(Int16(offset ?? 0)) + littleEndian(flags)
    }
}
