/// The PostgreSQL column type Ferry converts a SQL Server type to: the one mapping that
/// `ferry convert`, the sink's schema evolution and docs/types.md share.
public struct PostgreSQLColumnType: Hashable, Sendable, CustomStringConvertible {
    /// The type as written in a column definition: `numeric(19,4)`, `timestamp(6)`, `varchar(50)`.
    public var declaration: String
    /// A `CHECK` condition the column needs to keep SQL Server's range (`tinyint` → 0–255), with
    /// `%@` standing for the quoted column name; `nil` when the type alone is enough.
    public var checkTemplate: String?
    /// Why the mapping is not lossless, or needs the user's attention; `nil` for an exact mapping.
    public var caveat: String?

    /// Makes a column type; `checkTemplate` uses `%@` for the quoted column name.
    public init(declaration: String, checkTemplate: String? = nil, caveat: String? = nil) {
        self.declaration = declaration
        self.checkTemplate = checkTemplate
        self.caveat = caveat
    }

    /// The declaration.
    public var description: String { declaration }

    /// The `CHECK` condition for a column, if the type needs one.
    public func check(forQuotedColumn column: String) -> String? {
        checkTemplate.map { $0.split(separator: "%@", omittingEmptySubsequences: false).joined(separator: column) }
    }
}

extension SQLServerDataType {
    /// The PostgreSQL type that holds every value of this type (see docs/types.md).
    ///
    /// `time(7)`, `datetime2(7)` and `datetimeoffset(7)` lose their 100 ns digit (PostgreSQL keeps
    /// microseconds); `datetimeoffset` keeps the instant but not the offset; `sql_variant`,
    /// `hierarchyid` and the spatial types have no PostgreSQL equivalent and carry a caveat.
    public var postgreSQLType: PostgreSQLColumnType {
        func exact(_ declaration: String) -> PostgreSQLColumnType {
            PostgreSQLColumnType(declaration: declaration, checkTemplate: nil, caveat: nil)
        }
        func temporal(_ base: String, suffix: String = "") -> PostgreSQLColumnType {
            let digits = effectiveScale ?? 7
            let caveat = digits == 7 ? "PostgreSQL keeps microseconds: the 100 ns digit of \(description) is truncated" : nil
            return PostgreSQLColumnType(declaration: "\(base)(\(min(digits, 6)))\(suffix)", checkTemplate: nil, caveat: caveat)
        }
        switch name {
        case .bit: return exact("boolean")
        case .tinyint:
            return PostgreSQLColumnType(declaration: "smallint", checkTemplate: "%@ BETWEEN 0 AND 255", caveat: nil)
        case .smallint: return exact("smallint")
        case .int: return exact("integer")
        case .bigint: return exact("bigint")
        case .decimal, .numeric: return exact("numeric(\(precision ?? 18),\(scale ?? 0))")
        case .money: return exact("numeric(19,4)")
        case .smallmoney: return exact("numeric(10,4)")
        case .real: return exact("real")
        case .float: return exact("double precision")
        case .date: return exact("date")
        case .time: return temporal("time")
        case .datetime2: return temporal("timestamp")
        case .datetime: return exact("timestamp(3)")
        case .smalldatetime: return exact("timestamp(0)")
        case .datetimeoffset:
            var type = temporal("timestamptz")
            let offset = "timestamptz keeps the instant, not the source's UTC offset"
            type.caveat = type.caveat.map { "\($0); \(offset)" } ?? offset
            return type
        case .char, .nchar:
            if case .limited(let n) = length ?? .limited(1) { return exact("character(\(n))") }
            return exact("text")
        case .varchar, .nvarchar:
            if case .limited(let n) = length ?? .limited(1) { return exact("varchar(\(n))") }
            return exact("text")
        case .text, .ntext: return exact("text")
        case .xml: return exact("xml")
        case .binary, .varbinary, .image, .rowversion: return exact("bytea")
        case .uniqueidentifier: return exact("uuid")
        case .hierarchyid:
            return PostgreSQLColumnType(declaration: "text", checkTemplate: nil, caveat: "hierarchyid is kept as its path text (/1/3/); text order is not hierarchy order")
        case .geography, .geometry:
            return PostgreSQLColumnType(declaration: "bytea", checkTemplate: nil, caveat: "\(name.rawValue) is kept as WKB bytes; install PostGIS and convert to \(name.rawValue) to query it spatially")
        case .sqlVariant:
            return PostgreSQLColumnType(declaration: "jsonb", checkTemplate: nil, caveat: "sql_variant has no PostgreSQL equivalent: values are kept as the JSON object {\"type\": declaration, \"value\": value}, not as a scalar")
        }
    }
}
