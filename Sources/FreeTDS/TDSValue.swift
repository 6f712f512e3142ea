/// One column value from SQL Server, decoded exactly: no floating point for decimals or money and
/// 100 ns precision for date/time types.
public enum TDSValue: Hashable, Sendable {
    /// SQL `NULL`.
    case null
    /// `tinyint` (0...255).
    case tinyInt(UInt8)
    /// `smallint`.
    case smallInt(Int16)
    /// `int`.
    case int(Int32)
    /// `bigint`.
    case bigInt(Int64)
    /// `bit`.
    case bit(Bool)
    /// `decimal`/`numeric`, exact.
    case decimal(TDSDecimal)
    /// `money`/`smallmoney`, exact to 1/10 000.
    case money(TDSMoney)
    /// `real`.
    case real(Float)
    /// `float`.
    case float(Double)
    /// `char`, `varchar`, `nchar`, `nvarchar` (incl. `max`), `text`, `ntext` and `xml`, as UTF-8 text.
    case string(String)
    /// `binary`, `varbinary` (incl. `max`) and `image`.
    case bytes([UInt8])
    /// `date`.
    case date(TDSDate)
    /// `time(n)`.
    case time(TDSTime)
    /// `datetime`, `smalldatetime` and `datetime2(n)`.
    case dateTime(TDSDateTime)
    /// `datetimeoffset(n)`.
    case dateTimeOffset(TDSDateTimeOffset)
    /// `uniqueidentifier`.
    case uniqueIdentifier(TDSGUID)

    /// Whether this is SQL `NULL`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value of any integer type (and `bit` as 0/1), or nil.
    public var int64Value: Int64? {
        switch self {
        case .tinyInt(let value): Int64(value)
        case .smallInt(let value): Int64(value)
        case .int(let value): Int64(value)
        case .bigInt(let value): value
        case .bit(let value): value ? 1 : 0
        default: nil
        }
    }

    /// The text of a character value, or nil.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The bytes of a binary value, or nil.
    public var bytesValue: [UInt8]? {
        if case .bytes(let value) = self { return value }
        return nil
    }
}

extension TDSValue: CustomStringConvertible {
    /// A readable form: `NULL`, numbers and dates as SQL Server prints them, text as is, binary as `0x…`.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .tinyInt(let value): String(value)
        case .smallInt(let value): String(value)
        case .int(let value): String(value)
        case .bigInt(let value): String(value)
        case .bit(let value): value ? "1" : "0"
        case .decimal(let value): value.description
        case .money(let value): value.description
        case .real(let value): String(value)
        case .float(let value): String(value)
        case .string(let value): value
        case .bytes(let value): TDSLiteral.binary(value)
        case .date(let value): value.description
        case .time(let value): value.description
        case .dateTime(let value): value.description
        case .dateTimeOffset(let value): value.description
        case .uniqueIdentifier(let value): value.description
        }
    }
}
