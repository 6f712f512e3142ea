/// A db-lib data type code, as `dbcoltype()` or the server's column metadata report it.
///
/// db-lib folds several server types together before handing data out: with TDS 7.4 and a UTF-8
/// client charset, `nchar`/`nvarchar` arrive as `char` (already converted to UTF-8), `ntext` as
/// `text`, `varbinary` as `binary`, and the nullable `intn`/`fltn`/`moneyn`/`datetimn` types as
/// their fixed-size forms. ``TDSColumn/serverType`` keeps the type the server declared.
public struct TDSDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric code (FreeTDS `SYB…`/`XSYB…` constants, equal to the TDS wire type byte).
    public let rawValue: Int32

    /// Wraps a raw db-lib type code.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `image` (SYBIMAGE).
    public static let image = TDSDataType(rawValue: 34)
    /// `text` (SYBTEXT); also what db-lib reports for `ntext` and, in newer FreeTDS, `xml`.
    public static let text = TDSDataType(rawValue: 35)
    /// `uniqueidentifier` (SYBUNIQUE).
    public static let uniqueIdentifier = TDSDataType(rawValue: 36)
    /// `varbinary` (SYBVARBINARY).
    public static let varBinary = TDSDataType(rawValue: 37)
    /// Nullable integer of 1, 2, 4 or 8 bytes (SYBINTN).
    public static let intN = TDSDataType(rawValue: 38)
    /// `varchar` (SYBVARCHAR).
    public static let varChar = TDSDataType(rawValue: 39)
    /// `date` (SYBMSDATE), delivered as `DBDATETIMEALL`.
    public static let date = TDSDataType(rawValue: 40)
    /// `time(n)` (SYBMSTIME), delivered as `DBDATETIMEALL`.
    public static let time = TDSDataType(rawValue: 41)
    /// `datetime2(n)` (SYBMSDATETIME2), delivered as `DBDATETIMEALL`.
    public static let dateTime2 = TDSDataType(rawValue: 42)
    /// `datetimeoffset(n)` (SYBMSDATETIMEOFFSET), delivered as `DBDATETIMEALL`.
    public static let dateTimeOffset = TDSDataType(rawValue: 43)
    /// `binary` (SYBBINARY); also what db-lib reports for `varbinary`.
    public static let binary = TDSDataType(rawValue: 45)
    /// `char` (SYBCHAR); also what db-lib reports for `varchar`, `nchar` and `nvarchar`.
    public static let char = TDSDataType(rawValue: 47)
    /// `tinyint` (SYBINT1), unsigned.
    public static let tinyInt = TDSDataType(rawValue: 48)
    /// `bit` (SYBBIT).
    public static let bit = TDSDataType(rawValue: 50)
    /// `smallint` (SYBINT2).
    public static let smallInt = TDSDataType(rawValue: 52)
    /// `int` (SYBINT4).
    public static let int = TDSDataType(rawValue: 56)
    /// `smalldatetime` (SYBDATETIME4).
    public static let smallDateTime = TDSDataType(rawValue: 58)
    /// `real` (SYBREAL).
    public static let real = TDSDataType(rawValue: 59)
    /// `money` (SYBMONEY).
    public static let money = TDSDataType(rawValue: 60)
    /// `datetime` (SYBDATETIME).
    public static let dateTime = TDSDataType(rawValue: 61)
    /// `float` (SYBFLT8).
    public static let float = TDSDataType(rawValue: 62)
    /// `sql_variant` (SYBVARIANT). db-lib does not report a value's base type, so a value arrives
    /// as `.bytes`: the base value laid out as db-lib lays out that base type (see
    /// ``TDSValue/init(decoding:as:)-(UnsafeRawBufferPointer?,_)``); decode it with the base type
    /// `SQL_VARIANT_PROPERTY(col, 'BaseType')` reports.
    public static let variant = TDSDataType(rawValue: 98)
    /// `ntext` (SYBNTEXT).
    public static let nText = TDSDataType(rawValue: 99)
    /// `nvarchar` in TDS 4/5 form (SYBNVARCHAR).
    public static let nVarCharLegacy = TDSDataType(rawValue: 103)
    /// Nullable bit (SYBBITN).
    public static let bitN = TDSDataType(rawValue: 104)
    /// `decimal` (SYBDECIMAL), delivered as `DBDECIMAL`.
    public static let decimal = TDSDataType(rawValue: 106)
    /// `numeric` (SYBNUMERIC), delivered as `DBNUMERIC`.
    public static let numeric = TDSDataType(rawValue: 108)
    /// Nullable float of 4 or 8 bytes (SYBFLTN).
    public static let floatN = TDSDataType(rawValue: 109)
    /// Nullable money of 4 or 8 bytes (SYBMONEYN).
    public static let moneyN = TDSDataType(rawValue: 110)
    /// Nullable datetime of 4 or 8 bytes (SYBDATETIMN).
    public static let dateTimeN = TDSDataType(rawValue: 111)
    /// `smallmoney` (SYBMONEY4).
    public static let smallMoney = TDSDataType(rawValue: 122)
    /// `bigint` (SYBINT8).
    public static let bigInt = TDSDataType(rawValue: 127)
    /// `varbinary(n)`/`varbinary(max)` as the server declares it (XSYBVARBINARY).
    public static let bigVarBinary = TDSDataType(rawValue: 165)
    /// `varchar(n)`/`varchar(max)` as the server declares it (XSYBVARCHAR).
    public static let bigVarChar = TDSDataType(rawValue: 167)
    /// `binary(n)` as the server declares it (XSYBBINARY).
    public static let bigBinary = TDSDataType(rawValue: 173)
    /// `char(n)` as the server declares it (XSYBCHAR; FreeTDS also uses 175 for SYBLONGCHAR).
    public static let bigChar = TDSDataType(rawValue: 175)
    /// `nvarchar(n)`/`nvarchar(max)` as the server declares it (XSYBNVARCHAR).
    public static let nVarChar = TDSDataType(rawValue: 231)
    /// `nchar(n)` as the server declares it (XSYBNCHAR).
    public static let nChar = TDSDataType(rawValue: 239)
    /// CLR user-defined type (SYBMSUDT); not decoded.
    public static let userDefined = TDSDataType(rawValue: 240)
    /// `xml` (SYBMSXML).
    public static let xml = TDSDataType(rawValue: 241)

    private static let names: [Int32: String] = [
        34: "image", 35: "text", 36: "uniqueidentifier", 37: "varbinary", 38: "intn", 39: "varchar",
        40: "date", 41: "time", 42: "datetime2", 43: "datetimeoffset", 45: "binary", 47: "char",
        48: "tinyint", 50: "bit", 52: "smallint", 56: "int", 58: "smalldatetime", 59: "real",
        60: "money", 61: "datetime", 62: "float", 98: "sql_variant", 99: "ntext", 103: "nvarchar",
        104: "bitn", 106: "decimal", 108: "numeric", 109: "floatn", 110: "moneyn", 111: "datetimen",
        122: "smallmoney", 127: "bigint", 165: "varbinary", 167: "varchar", 173: "binary", 175: "char",
        231: "nvarchar", 239: "nchar", 240: "udt", 241: "xml",
    ]

    /// The SQL Server name of the type, or `type <code>` for one this module does not know.
    public var description: String { Self.names[rawValue] ?? "type \(rawValue)" }
}
