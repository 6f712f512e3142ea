/// A SQL Server data type with everything its TDS `TYPE_INFO` carries (length, precision, scale,
/// collation): the type of a result column, an RPC parameter or a return value.
///
/// Output always uses the nullable wire forms (INTN, BITN, FLTN, MONEYN, DATETIMN), which can carry
/// NULL whatever the column's nullability. Fixed-length wire types (INT4, FLT8…) and the TDS 7.4
/// types all decode to these cases when they arrive in RPC parameters.
public enum TDSType: Hashable, Sendable {
    /// `tinyint` (unsigned 8-bit).
    case tinyInt
    /// `smallint`.
    case smallInt
    /// `int`.
    case int
    /// `bigint`.
    case bigInt
    /// `bit`.
    case bit
    /// `real` (4-byte float).
    case real
    /// `float` (8-byte float).
    case float
    /// `decimal(precision, scale)`, precision 1…38.
    case decimal(precision: Int, scale: Int)
    /// `numeric(precision, scale)`, precision 1…38.
    case numeric(precision: Int, scale: Int)
    /// `money`.
    case money
    /// `smallmoney`.
    case smallMoney
    /// `datetime` (1/300 s since 1753).
    case dateTime
    /// `smalldatetime` (minutes, 1900–2079).
    case smallDateTime
    /// `date`.
    case date
    /// `time(scale)`, scale 0…7.
    case time(scale: Int)
    /// `datetime2(scale)`, scale 0…7.
    case dateTime2(scale: Int)
    /// `datetimeoffset(scale)`, scale 0…7.
    case dateTimeOffset(scale: Int)
    /// `char(length)`: `length` bytes (1…8000) in the collation's code page, blank-padded.
    case char(length: Int, collation: TDSCollation = .sqlLatin1GeneralCP1CIAS)
    /// `varchar(maxLength)` (1…8000 bytes) or `varchar(max)` when `maxLength` is nil.
    case varChar(maxLength: Int?, collation: TDSCollation = .sqlLatin1GeneralCP1CIAS)
    /// `nchar(length)`: `length` UTF-16 code units (1…4000), blank-padded.
    case nChar(length: Int, collation: TDSCollation = .sqlLatin1GeneralCP1CIAS)
    /// `nvarchar(maxLength)` in UTF-16 code units (1…4000), or `nvarchar(max)` when nil.
    case nVarChar(maxLength: Int?, collation: TDSCollation = .sqlLatin1GeneralCP1CIAS)
    /// `binary(length)` (1…8000 bytes), zero-padded.
    case binary(length: Int)
    /// `varbinary(maxLength)` (1…8000 bytes) or `varbinary(max)` when nil.
    case varBinary(maxLength: Int?)
    /// `uniqueidentifier`.
    case uniqueIdentifier
    /// `xml` (untyped; sent as UTF-16 PLP).
    case xml
    /// `text` (legacy large text in the collation's code page).
    case text(collation: TDSCollation = .sqlLatin1GeneralCP1CIAS)
    /// `ntext` (legacy large UTF-16 text).
    case nText(collation: TDSCollation = .sqlLatin1GeneralCP1CIAS)
    /// `image` (legacy large binary).
    case image
    /// `sql_variant` (TDS `SSVARIANT`, at most 8016 bytes): each value carries its own base type;
    /// the values are ``TDSWireValue/variant(baseType:value:)``.
    case variant

    /// The T-SQL spelling, e.g. `decimal(38,4)`, `nvarchar(max)`.
    public var sqlName: String {
        func length(_ value: Int?) -> String { value.map(String.init) ?? "max" }
        switch self {
        case .tinyInt: return "tinyint"
        case .smallInt: return "smallint"
        case .int: return "int"
        case .bigInt: return "bigint"
        case .bit: return "bit"
        case .real: return "real"
        case .float: return "float"
        case .decimal(let precision, let scale): return "decimal(\(precision),\(scale))"
        case .numeric(let precision, let scale): return "numeric(\(precision),\(scale))"
        case .money: return "money"
        case .smallMoney: return "smallmoney"
        case .dateTime: return "datetime"
        case .smallDateTime: return "smalldatetime"
        case .date: return "date"
        case .time(let scale): return "time(\(scale))"
        case .dateTime2(let scale): return "datetime2(\(scale))"
        case .dateTimeOffset(let scale): return "datetimeoffset(\(scale))"
        case .char(let count, _): return "char(\(count))"
        case .varChar(let count, _): return "varchar(\(length(count)))"
        case .nChar(let count, _): return "nchar(\(count))"
        case .nVarChar(let count, _): return "nvarchar(\(length(count)))"
        case .binary(let count): return "binary(\(count))"
        case .varBinary(let count): return "varbinary(\(length(count)))"
        case .uniqueIdentifier: return "uniqueidentifier"
        case .xml: return "xml"
        case .text: return "text"
        case .nText: return "ntext"
        case .image: return "image"
        case .variant: return "sql_variant"
        }
    }

    /// Whether values travel as PLP (partially length-prefixed) streams: the `(max)` types and `xml`.
    public var isPLP: Bool {
        switch self {
        case .varChar(nil, _), .nVarChar(nil, _), .varBinary(nil), .xml: return true
        default: return false
        }
    }

    /// Whether this is one of the legacy large types (`text`, `ntext`, `image`) sent with a text pointer.
    public var isLegacyLargeObject: Bool {
        switch self {
        case .text, .nText, .image: return true
        default: return false
        }
    }

    /// Checks the lengths, precision and scale SQL Server allows.
    func validate() throws(TDSServerError) {
        func check(_ condition: Bool) throws(TDSServerError) {
            guard condition else { throw TDSServerError(.invalidValue, "\(sqlName) is not a valid SQL Server type") }
        }
        switch self {
        case .decimal(let precision, let scale), .numeric(let precision, let scale):
            try check((1...38).contains(precision) && (0...precision).contains(scale))
        case .time(let scale), .dateTime2(let scale), .dateTimeOffset(let scale):
            try check((0...7).contains(scale))
        case .char(let length, _), .binary(let length):
            try check((1...8000).contains(length))
        case .varChar(let length?, _), .varBinary(let length?):
            try check((1...8000).contains(length))
        case .nChar(let length, _):
            try check((1...4000).contains(length))
        case .nVarChar(let length?, _):
            try check((1...4000).contains(length))
        default:
            break
        }
    }
}
