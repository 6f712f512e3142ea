/// One value as the handler hands it to the response writer, or as an RPC parameter arrives.
///
/// The column's ``TDSType`` decides the exact wire form; a value may be written to any type it
/// converts to without loss (an `.int` to a `bigint` or `decimal` column, a `.string` to `varchar`
/// or `nvarchar`…). Values that do not fit (300 in a `tinyint`, 20 digits in `decimal(10,0)`, a
/// string longer than `nvarchar(10)`) make the write fail with `invalidValue`; nothing is silently cut.
///
/// Date and time values count days since 0001-01-01 (proleptic Gregorian) and time in 100 ns
/// units, the finest SQL Server keeps. Writing to a type with fewer fractional digits rounds half
/// up, as SQL Server converts (a `time` that rounds up to 24:00 wraps to 00:00; a `datetime2` moves
/// to the next day).
public enum TDSWireValue: Hashable, Sendable {
    /// SQL `NULL`.
    case null
    /// A `tinyint`.
    case tinyInt(UInt8)
    /// A `smallint`.
    case smallInt(Int16)
    /// An `int`.
    case int(Int32)
    /// A `bigint`.
    case bigInt(Int64)
    /// A `bit`.
    case bit(Bool)
    /// A `real`.
    case real(Float)
    /// A `float`.
    case float(Double)
    /// A `decimal`/`numeric`: `unscaled / 10^scale`, exact (at most 38 digits).
    case decimal(unscaled: Int128, scale: Int)
    /// A `money`/`smallmoney` value in ten-thousandths of the unit.
    case money(tenThousandths: Int64)
    /// A `date`: days since 0001-01-01.
    case date(daysSinceJanuaryFirst0001: Int)
    /// A `time`: 100 ns units since midnight (0 ..< 864 000 000 000).
    case time(hundredNanoseconds: Int64)
    /// A `datetime`, `smalldatetime` or `datetime2`: the date and the time of day.
    case dateTime(daysSinceJanuaryFirst0001: Int, hundredNanoseconds: Int64)
    /// A `datetimeoffset`: the UTC date and time plus the offset it was written with (−840…840 minutes).
    case dateTimeOffset(utcDaysSinceJanuaryFirst0001: Int, utcHundredNanoseconds: Int64, offsetMinutes: Int)
    /// Text for `char`, `varchar`, `nchar`, `nvarchar`, `text`, `ntext` and `xml`.
    case string(String)
    /// Bytes for `binary`, `varbinary` and `image`.
    case bytes([UInt8])
    /// A `uniqueidentifier`: the 16 bytes in display order (`6F9619FF-8B86-D011-…` is `6F 96 19 FF 8B 86 D0 11 …`).
    case uniqueIdentifier([UInt8])
    /// A `sql_variant`: a non-NULL value of `baseType`, one of the types SQL Server lets a
    /// `sql_variant` hold (the fixed and bounded types, not `(max)`, `text`, `xml` or another variant).
    indirect case variant(baseType: TDSType, value: TDSWireValue)

    /// Whether this is SQL `NULL`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// 100 ns units in a day.
    public static let hundredNanosecondsPerDay: Int64 = 864_000_000_000
    /// Days between 0001-01-01 and 1900-01-01, the epoch of `datetime` and `smalldatetime`.
    public static let daysFromJanuaryFirst0001To1900: Int = 693_595
}
