/// A SQL Server system data type with its length, precision and scale: the type of one column.
///
/// Parsed from and printed to declaration text (`nvarchar(50)`, `decimal(38,4)`, `datetime2(7)`,
/// `varbinary(max)`). Printing always gives the canonical, fully specified form, so
/// `decimal` prints as `decimal(18,0)` and `timestamp` as `rowversion`. Alias (user-defined) types
/// are resolved by whoever reads the catalog; ``aliasName`` keeps the alias for messages and DDL.
public struct SQLServerDataType: Hashable, Sendable, CustomStringConvertible {
    /// The system type names Ferry knows.
    public enum Name: String, Hashable, Sendable, CaseIterable {
        case bit, tinyint, smallint, int, bigint
        case decimal, numeric, money, smallmoney
        case real, float
        case date, time, datetime2, datetimeoffset, datetime, smalldatetime
        case char, varchar, nchar, nvarchar, text, ntext
        case binary, varbinary, image
        case uniqueidentifier, xml, rowversion, hierarchyid, geography, geometry
        case sqlVariant = "sql_variant"
    }

    /// The declared length of a string or binary type.
    public enum Length: Hashable, Sendable {
        /// A fixed upper bound: characters for `char`/`varchar`/`nchar`/`nvarchar`, bytes for `binary`/`varbinary`.
        case limited(Int)
        /// `(max)`: up to 2 GB, stored as a large value.
        case max
    }

    /// The system type.
    public var name: Name
    /// The declared length for `char`, `varchar`, `nchar`, `nvarchar`, `binary`, `varbinary`; `nil` otherwise.
    public var length: Length?
    /// The precision of `decimal`/`numeric` (1–38); `nil` otherwise.
    public var precision: Int?
    /// The scale of `decimal`/`numeric` (0–precision), or the fractional-second digits of
    /// `time`, `datetime2`, `datetimeoffset` (0–7); `nil` otherwise.
    public var scale: Int?
    /// The alias type this column was declared with (`dbo.Phone`), if any.
    public var aliasName: String?

    /// Makes a type, checking its parameters as SQL Server would.
    public init(_ name: Name, length: Length? = nil, precision: Int? = nil, scale: Int? = nil, aliasName: String? = nil) throws(FerryCoreError) {
        self.name = name
        self.length = length
        self.precision = precision
        self.scale = scale
        self.aliasName = aliasName
        if let problem = parameterProblem() {
            throw FerryCoreError(.invalidDeclaration, "'\(description)' is not a valid SQL Server type: \(problem)", context: ["type": description])
        }
    }

    /// Makes a type from a parser, naming the declaration text in the error.
    init(_ name: Name, length: Length? = nil, precision: Int? = nil, scale: Int? = nil, aliasName: String?, declaration: String) throws(FerryCoreError) {
        self.name = name
        self.length = length
        self.precision = precision
        self.scale = scale
        self.aliasName = aliasName
        if let problem = parameterProblem() {
            throw FerryCoreError(.invalidDeclaration, "'\(declaration)' is not a valid SQL Server type: \(problem)", context: ["type": declaration])
        }
    }

    /// The canonical declaration, e.g. `nvarchar(50)`, `decimal(38,4)`, `datetime2(7)`, `varbinary(max)`.
    public var description: String {
        switch name {
        case .char, .varchar, .nchar, .nvarchar, .binary, .varbinary:
            switch length ?? .limited(1) {
            case .max: return "\(name.rawValue)(max)"
            case .limited(let n): return "\(name.rawValue)(\(n))"
            }
        case .decimal, .numeric:
            return "\(name.rawValue)(\(precision ?? 18),\(scale ?? 0))"
        case .time, .datetime2, .datetimeoffset:
            return "\(name.rawValue)(\(scale ?? 7))"
        default:
            return name.rawValue
        }
    }

    // MARK: Facts consumers need

    /// Whether the type is declared `(max)`.
    public var isMax: Bool { length == .max }

    /// Whether the type is one of the deprecated `text`, `ntext`, `image`: CDC leaves these NULL in
    /// delete and update-before rows.
    public var isLegacyLargeObject: Bool { name == .text || name == .ntext || name == .image }

    /// Whether CDC may leave the value out of a change row (it comes back NULL though the column
    /// has a value): the `(max)` types, `xml`, and `text`/`ntext`/`image`. Only such columns may
    /// carry ``ColumnValue/unchanged``.
    public var isLargeObject: Bool { isMax || isLegacyLargeObject || name == .xml }

    /// Whether every value of the type has the same storage size (`int`, `char(10)`, `binary(16)`, `datetime2(7)`).
    public var isFixedLength: Bool {
        switch name {
        case .varchar, .nvarchar, .varbinary, .text, .ntext, .image, .xml, .hierarchyid, .geography, .geometry, .sqlVariant:
            return false
        default:
            return true
        }
    }

    /// Whether the type holds Unicode text (`nchar`, `nvarchar`, `ntext`, `xml`).
    public var isUnicode: Bool { name == .nchar || name == .nvarchar || name == .ntext || name == .xml }

    /// The broad kind of values the type holds; ``ColumnValue`` cases follow it.
    public var category: Category {
        switch name {
        case .bit: return .boolean
        case .tinyint, .smallint, .int, .bigint: return .integer
        case .decimal, .numeric, .money, .smallmoney: return .exactNumeric
        case .real, .float: return .approximateNumeric
        case .date: return .date
        case .time: return .time
        case .datetime2, .datetime, .smalldatetime: return .dateTime
        case .datetimeoffset: return .dateTimeOffset
        case .char, .varchar, .nchar, .nvarchar, .text, .ntext, .xml: return .characterString
        case .binary, .varbinary, .image, .rowversion: return .binaryString
        case .uniqueidentifier: return .uniqueIdentifier
        case .hierarchyid: return .hierarchyID
        case .geography, .geometry: return .spatial
        case .sqlVariant: return .variant
        }
    }

    /// The broad kinds of SQL Server values.
    public enum Category: Hashable, Sendable {
        case boolean, integer, exactNumeric, approximateNumeric
        case date, time, dateTime, dateTimeOffset
        case characterString, binaryString, uniqueIdentifier, hierarchyID, spatial, variant
    }

    /// The range of an integer type; `nil` for other types.
    public var integerRange: ClosedRange<Int64>? {
        switch name {
        case .tinyint: return 0...255
        case .smallint: return Int64(Int16.min)...Int64(Int16.max)
        case .int: return Int64(Int32.min)...Int64(Int32.max)
        case .bigint: return Int64.min...Int64.max
        default: return nil
        }
    }

    /// The effective precision of an exact numeric type: `decimal(p,s)` → p, `money` → 19, `smallmoney` → 10.
    public var exactPrecision: Int? {
        switch name {
        case .decimal, .numeric: return precision ?? 18
        case .money: return 19
        case .smallmoney: return 10
        default: return nil
        }
    }

    /// The effective scale of an exact numeric type (`money` → 4) or the fractional-second digits
    /// of a temporal type (`datetime` → 3, `smalldatetime` and `date` → 0).
    public var effectiveScale: Int? {
        switch name {
        case .decimal, .numeric: return scale ?? 0
        case .money, .smallmoney: return 4
        case .time, .datetime2, .datetimeoffset: return scale ?? 7
        case .datetime: return 3
        case .smalldatetime, .date: return 0
        default: return nil
        }
    }

    /// What is wrong with the parameters by SQL Server's limits, or `nil`.
    private func parameterProblem() -> String? {
        switch name {
        case .char, .varchar, .binary, .varbinary, .nchar, .nvarchar:
            guard precision == nil, scale == nil else { return ("\(name.rawValue) takes only a length") }
            let limit = (name == .nchar || name == .nvarchar) ? 4000 : 8000
            switch length {
            case nil: break
            case .max:
                guard name == .varchar || name == .nvarchar || name == .varbinary else { return ("only varchar, nvarchar and varbinary may be (max)") }
            case .limited(let n):
                guard (1...limit).contains(n) else { return ("the length must be 1–\(limit) or max") }
            }
        case .decimal, .numeric:
            guard length == nil else { return ("\(name.rawValue) takes precision and scale, not a length") }
            let p = precision ?? 18
            guard (1...38).contains(p) else { return ("the precision must be 1–38") }
            guard (0...p).contains(scale ?? 0) else { return ("the scale must be 0–\(p)") }
        case .time, .datetime2, .datetimeoffset:
            guard length == nil, precision == nil else { return ("\(name.rawValue) takes only a fractional-second scale") }
            guard (0...7).contains(scale ?? 7) else { return ("the fractional-second scale must be 0–7") }
        default:
            guard length == nil, precision == nil, scale == nil else { return ("\(name.rawValue) takes no parameters") }
        }
        return nil
    }
}
