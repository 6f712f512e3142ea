import TSQL

/// A SQL Server data type as a column, variable or result column declares it: the system type with
/// its length, precision and scale, and, for a column declared with an alias type (`dbo.Name`), that
/// alias's name.
///
/// The emulator stores every value in PostgreSQL; ``postgresStorageType`` says how:
///
/// | SQL Server | PostgreSQL |
/// |---|---|
/// | tinyint | smallint (range checked on assignment) |
/// | smallint, int, bigint | smallint, integer, bigint |
/// | bit | smallint holding 0 or 1 (so `flag = 1` compares as in SQL Server) |
/// | decimal(p,s), numeric(p,s) | numeric(p,s) |
/// | money, smallmoney | numeric(19,4), numeric(10,4) |
/// | float(n), real | double precision, real |
/// | date | date |
/// | time(n), datetime2(n), n < 7 | time(n), timestamp(n) |
/// | time(7), datetime2(7) | `sqlserver_catalog.time_7` / `datetime2_7`: a composite of the microsecond value and the 7th digit (100 ns), which PostgreSQL's types cannot hold; expressions see the microsecond value |
/// | datetime, smalldatetime | timestamp(3), timestamp(0) |
/// | datetimeoffset(n) | `sqlserver_catalog.datetimeoffset`, a composite of the UTC timestamp, the offset in minutes and the 7th digit |
/// | char(n), nchar(n) | character(n) with the case-insensitive collation |
/// | varchar, nvarchar, text, ntext | text with the case-insensitive collation (lengths are checked on assignment) |
/// | binary, varbinary, image | bytea |
/// | uniqueidentifier | uuid |
/// | xml | xml |
/// | rowversion | bytea (8 bytes from a database-wide sequence) |
/// | sql_variant | jsonb: the base type's `SQL_VARIANT_PROPERTY` values and the value as text (CLRTypesSchema.swift) |
/// | hierarchyid | numeric[]: a key whose array order is SQL Server's depth-first order (CLRTypesSchema.swift) |
/// | geography, geometry | bytea: the SRID (4 bytes, little-endian) and the OGC well-known binary with Z/M (SpatialSchema.swift) |
public struct SQLServerType: Hashable, Sendable, CustomStringConvertible {
    /// A system type.
    public enum Base: String, Hashable, Sendable, CaseIterable {
        case tinyint, smallint, int, bigint, bit
        case decimal, numeric, money, smallmoney, float, real
        case date, time, datetime, smalldatetime, datetime2, datetimeoffset
        case char, varchar, nchar, nvarchar, text, ntext
        case binary, varbinary, image
        case uniqueidentifier, xml, rowversion
        case sqlVariant = "sql_variant"
        case hierarchyid, geography, geometry
    }

    /// The length of a character or binary type: a number of characters (bytes for binary), or `max`.
    public enum Length: Hashable, Sendable {
        case bounded(Int)
        case max
    }

    /// The system type.
    public var base: Base
    /// The declared length, for char/varchar/nchar/nvarchar/binary/varbinary.
    public var length: Length?
    /// The precision: decimal/numeric digits, or the float mantissa bits (24 or 53).
    public var precision: Int?
    /// The scale: decimal/numeric digits after the point, or the fractional-second digits of
    /// time/datetime2/datetimeoffset.
    public var scale: Int?
    /// The alias type the column was declared with (`dbo.Name`), if any.
    public var aliasName: String?

    /// Creates a type; missing arguments take SQL Server's defaults (see ``normalized()``).
    public init(_ base: Base, length: Length? = nil, precision: Int? = nil, scale: Int? = nil, aliasName: String? = nil) {
        self.base = base
        self.length = length
        self.precision = precision
        self.scale = scale
        self.aliasName = aliasName
        self = normalized()
    }

    /// The type with SQL Server's defaults filled in: `decimal` → `decimal(18,0)`, `varchar` →
    /// `varchar(1)`, `float` → `float(53)`, `datetime2` → `datetime2(7)`.
    func normalized() -> SQLServerType {
        var type = self
        switch base {
        case .decimal, .numeric:
            type.precision = precision ?? 18
            type.scale = scale ?? 0
            type.length = nil
        case .float:
            let bits = precision ?? 53
            if bits <= 24 { type.base = .real }
            type.precision = bits <= 24 ? 24 : 53
            type.scale = nil
        case .real:
            type.precision = 24
        case .time, .datetime2, .datetimeoffset:
            type.scale = scale ?? 7
            type.precision = nil
        case .char, .varchar, .nchar, .nvarchar, .binary, .varbinary:
            type.length = length ?? .bounded(1)
        default:
            type.length = nil
            type.precision = nil
            type.scale = nil
        }
        return type
    }

    // MARK: Common types

    /// `int`.
    public static let int = SQLServerType(.int)
    /// `bigint`.
    public static let bigint = SQLServerType(.bigint)
    /// `bit`.
    public static let bit = SQLServerType(.bit)
    /// `datetime`.
    public static let datetime = SQLServerType(.datetime)
    /// `float`.
    public static let float = SQLServerType(.float)
    /// `uniqueidentifier`.
    public static let uniqueidentifier = SQLServerType(.uniqueidentifier)
    /// `varchar(n)`.
    public static func varchar(_ length: Int) -> SQLServerType { SQLServerType(.varchar, length: .bounded(length)) }
    /// `nvarchar(n)`.
    public static func nvarchar(_ length: Int) -> SQLServerType { SQLServerType(.nvarchar, length: .bounded(length)) }
    /// `nvarchar(max)`.
    public static let nvarcharMax = SQLServerType(.nvarchar, length: .max)
    /// `decimal(p,s)`.
    public static func decimal(_ precision: Int, _ scale: Int) -> SQLServerType {
        SQLServerType(.decimal, precision: precision, scale: scale)
    }

    // MARK: Descriptions

    /// The system type's declaration as SQL Server prints it: `nvarchar(50)`, `decimal(18,2)`,
    /// `datetime2(7)`, `varbinary(max)`, `float`, `int`.
    public var systemDeclaration: String {
        switch base {
        case .decimal, .numeric:
            return "\(base.rawValue)(\(precision ?? 18),\(scale ?? 0))"
        case .time, .datetime2, .datetimeoffset:
            return "\(base.rawValue)(\(scale ?? 7))"
        case .char, .varchar, .nchar, .nvarchar, .binary, .varbinary:
            switch length ?? .bounded(1) {
            case .max: return "\(base.rawValue)(max)"
            case .bounded(let n): return "\(base.rawValue)(\(n))"
            }
        default:
            return base.rawValue
        }
    }

    /// The declaration as written for the column: the alias name for an alias type, else
    /// ``systemDeclaration``.
    public var declaration: String { aliasName ?? systemDeclaration }

    /// ``declaration``.
    public var description: String { declaration }

    /// The system type without the alias name.
    public var systemType: SQLServerType {
        var type = self
        type.aliasName = nil
        return type
    }

    // MARK: sys.columns

    /// `sys.columns.max_length`: bytes of storage, `-1` for `(max)` and xml, 16 for the text/image pointers.
    public var maxLength: Int {
        switch base {
        case .tinyint, .bit: return 1
        case .smallint: return 2
        case .int, .smallmoney, .real, .smalldatetime: return 4
        case .bigint, .money, .datetime, .rowversion: return 8
        case .float: return 8
        case .decimal, .numeric:
            let digits = precision ?? 18
            return digits <= 9 ? 5 : digits <= 19 ? 9 : digits <= 28 ? 13 : 17
        case .date: return 3
        case .time: return Self.fractionBytes(scale ?? 7) + 3
        case .datetime2: return Self.fractionBytes(scale ?? 7) + 6
        case .datetimeoffset: return Self.fractionBytes(scale ?? 7) + 8
        case .char, .varchar, .binary, .varbinary:
            if case .bounded(let n) = length ?? .bounded(1) { return n }
            return -1
        case .nchar, .nvarchar:
            if case .bounded(let n) = length ?? .bounded(1) { return 2 * n }
            return -1
        case .text, .ntext, .image, .uniqueidentifier: return 16
        case .xml, .geography, .geometry: return -1
        case .sqlVariant: return 8016
        case .hierarchyid: return 892
        }
    }

    /// 0, 1 or 2 extra bytes for the fractional seconds of time-based types.
    private static func fractionBytes(_ scale: Int) -> Int { scale <= 2 ? 0 : scale <= 4 ? 1 : 2 }

    /// `sys.columns.precision`.
    public var sysPrecision: Int {
        switch base {
        case .tinyint: return 3
        case .smallint: return 5
        case .int: return 10
        case .bigint: return 19
        case .bit: return 1
        case .decimal, .numeric: return precision ?? 18
        case .money: return 19
        case .smallmoney: return 10
        case .float: return 53
        case .real: return 24
        case .date: return 10
        case .time: let n = scale ?? 7; return n == 0 ? 8 : 9 + n
        case .datetime: return 23
        case .smalldatetime: return 16
        case .datetime2: let n = scale ?? 7; return n == 0 ? 19 : 20 + n
        case .datetimeoffset: let n = scale ?? 7; return n == 0 ? 26 : 27 + n
        default: return 0
        }
    }

    /// `sys.columns.scale`.
    public var sysScale: Int {
        switch base {
        case .decimal, .numeric: return scale ?? 0
        case .money, .smallmoney: return 4
        case .time, .datetime2, .datetimeoffset: return scale ?? 7
        case .datetime: return 3
        default: return 0
        }
    }

    // MARK: Families

    /// Whether values are character strings.
    public var isCharacter: Bool {
        switch base {
        case .char, .varchar, .nchar, .nvarchar, .text, .ntext: true
        default: false
        }
    }

    /// Whether values are Unicode character strings.
    public var isUnicode: Bool { base == .nchar || base == .nvarchar || base == .ntext }

    /// Whether values are byte strings.
    public var isBinary: Bool { base == .binary || base == .varbinary || base == .image || base == .rowversion }

    /// Whether the type is exact or approximate numeric (bit included).
    public var isNumeric: Bool {
        switch base {
        case .tinyint, .smallint, .int, .bigint, .bit, .decimal, .numeric, .money, .smallmoney, .float, .real: true
        default: false
        }
    }

    /// Whether the type holds dates and/or times.
    public var isDateTime: Bool {
        switch base {
        case .date, .time, .datetime, .smalldatetime, .datetime2, .datetimeoffset: true
        default: false
        }
    }

    /// The maximum number of characters (or bytes) a value may have, when bounded.
    public var characterLimit: Int? {
        if case .bounded(let n) = length { return n }
        return nil
    }

    /// SQL Server's data type precedence: the operand with the higher value decides an expression's type.
    var precedence: Int {
        switch base {
        case .sqlVariant: 26
        case .xml: 25
        case .datetimeoffset: 24
        case .datetime2: 23
        case .datetime: 22
        case .smalldatetime: 21
        case .date: 20
        case .time: 19
        case .float: 18
        case .real: 17
        case .decimal, .numeric: 16
        case .money: 15
        case .smallmoney: 14
        case .bigint: 13
        case .int: 12
        case .smallint: 11
        case .tinyint: 10
        case .bit: 9
        case .ntext: 8
        case .text: 7
        case .image: 6
        case .rowversion: 5
        case .uniqueidentifier: 4
        case .nvarchar, .nchar: 3
        case .varchar, .char: 2
        case .varbinary, .binary: 1
        case .hierarchyid, .geography, .geometry: 27
        }
    }

    // MARK: PostgreSQL storage

    /// The PostgreSQL column type that stores this type's values (see the table above).
    public var postgresStorageType: String {
        switch base {
        case .tinyint, .smallint, .bit: return "smallint"
        case .int: return "integer"
        case .bigint: return "bigint"
        case .decimal, .numeric: return "numeric(\(precision ?? 18),\(scale ?? 0))"
        case .money: return "numeric(19,4)"
        case .smallmoney: return "numeric(10,4)"
        case .float: return "double precision"
        case .real: return "real"
        case .date: return "date"
        case .time: return hasSeventhDigit ? "sqlserver_catalog.time_7" : "time(\(scale ?? 7))"
        case .datetime: return "timestamp(3)"
        case .smalldatetime: return "timestamp(0)"
        case .datetime2: return hasSeventhDigit ? "sqlserver_catalog.datetime2_7" : "timestamp(\(scale ?? 7))"
        case .datetimeoffset: return "sqlserver_catalog.datetimeoffset"
        case .char, .nchar:
            if case .bounded(let n) = length { return "character(\(n)) COLLATE sqlserver_catalog.ci" }
            return "text COLLATE sqlserver_catalog.ci"
        case .varchar, .nvarchar, .text, .ntext: return "text COLLATE sqlserver_catalog.ci"
        case .binary, .varbinary, .image, .rowversion, .geography, .geometry:
            return "bytea"
        case .sqlVariant: return "jsonb"
        case .hierarchyid: return "numeric[]"
        case .uniqueidentifier: return "uuid"
        case .xml: return "xml"
        }
    }

    /// The PostgreSQL type a value of this type is cast to in expressions (no collation clause).
    var postgresCastType: String {
        switch base {
        case .char, .nchar:
            if case .bounded(let n) = length { "character(\(n))" } else { "text" }
        case .varchar, .nvarchar, .text, .ntext: "text"
        // In expressions these are PostgreSQL's microsecond types; only storage keeps the 7th digit.
        case .time where hasSeventhDigit: "time(6)"
        case .datetime2 where hasSeventhDigit: "timestamp(6)"
        default: postgresStorageType
        }
    }

    /// Whether values have 100 ns precision, one digit more than PostgreSQL's microseconds:
    /// `time(7)` and `datetime2(7)` are then stored as a composite of the microsecond value and
    /// the 7th digit, and `datetimeoffset` always carries the digit in its composite.
    var hasSeventhDigit: Bool {
        switch base {
        case .time, .datetime2: (scale ?? 7) == 7
        default: false
        }
    }

    /// The SQL rendering a stored composite (``hasSeventhDigit``) as text with all 7 digits.
    func seventhDigitText(_ compositeSQL: String) -> String? {
        switch base {
        case .time where hasSeventhDigit: "sqlserver_catalog.time_7_text(\(compositeSQL))"
        case .datetime2 where hasSeventhDigit: "sqlserver_catalog.datetime2_7_text(\(compositeSQL))"
        default: nil
        }
    }

    /// The SQL building the stored composite (``hasSeventhDigit``) from text.
    func seventhDigitValue(fromText textSQL: String) -> String? {
        switch base {
        case .time where hasSeventhDigit: "sqlserver_catalog.to_time_7(\(textSQL))"
        case .datetime2 where hasSeventhDigit: "sqlserver_catalog.to_datetime2_7(\(textSQL))"
        default: nil
        }
    }
}

extension SQLServerType {
    /// The system type a parsed ``DataType`` names, with its arguments checked as SQL Server checks
    /// them; `nil` when it names no system type (an alias type, resolved through the catalog).
    ///
    /// - Throws: ``SQLServerError`` 131 for a length over 8000 (4000 for Unicode types).
    init?(systemType dataType: DataType, column: String = "") throws(SQLServerError) {
        guard let system = dataType.systemType else { return nil }
        func value(_ index: Int) -> Int? {
            guard index < dataType.arguments.count, case .value(let n) = dataType.arguments[index] else { return nil }
            return n
        }
        let isMax = dataType.arguments.first == .max
        func length(limit: Int) throws(SQLServerError) -> Length? {
            if isMax { return .max }
            guard let n = value(0) else { return nil }
            if n > limit || n < 1 {
                throw SQLServerError.sizeExceedsMaximum(size: n, column: column, maximum: limit)
            }
            return .bounded(n)
        }
        switch system {
        case .tinyint: self.init(.tinyint)
        case .smallint: self.init(.smallint)
        case .int: self.init(.int)
        case .bigint: self.init(.bigint)
        case .bit: self.init(.bit)
        case .decimal: self.init(.decimal, precision: value(0), scale: value(1))
        case .numeric: self.init(.numeric, precision: value(0), scale: value(1))
        case .money: self.init(.money)
        case .smallmoney: self.init(.smallmoney)
        case .float: self.init(.float, precision: value(0))
        case .real: self.init(.real)
        case .date: self.init(.date)
        case .time: self.init(.time, scale: value(0))
        case .datetime: self.init(.datetime)
        case .smalldatetime: self.init(.smalldatetime)
        case .datetime2: self.init(.datetime2, scale: value(0))
        case .datetimeoffset: self.init(.datetimeoffset, scale: value(0))
        case .char: self.init(.char, length: try length(limit: 8000))
        case .varchar: self.init(.varchar, length: try length(limit: 8000))
        case .nchar: self.init(.nchar, length: try length(limit: 4000))
        case .nvarchar: self.init(.nvarchar, length: try length(limit: 4000))
        case .text: self.init(.text)
        case .ntext: self.init(.ntext)
        case .binary: self.init(.binary, length: try length(limit: 8000))
        case .varbinary: self.init(.varbinary, length: try length(limit: 8000))
        case .image: self.init(.image)
        case .uniqueidentifier: self.init(.uniqueidentifier)
        case .xml: self.init(.xml)
        case .rowversion, .timestamp: self.init(.rowversion)
        case .sqlVariant: self.init(.sqlVariant)
        case .hierarchyid: self.init(.hierarchyid)
        case .geography: self.init(.geography)
        case .geometry: self.init(.geometry)
        case .sysname: self.init(.nvarchar, length: .bounded(128))
        }
    }

    /// Parses a stored system declaration (`nvarchar(50)`); `nil` if it is not one.
    init?(declaration: String) {
        guard let parsed = try? TSQLParser.parseDataType(declaration),
            let type = try? SQLServerType(systemType: parsed)
        else { return nil }
        self = type
    }
}
