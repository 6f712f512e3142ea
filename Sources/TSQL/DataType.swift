/// A data type as written: a system type (`int`, `decimal(18, 2)`, `nvarchar(max)`) or an alias
/// type (`dbo.Name`).
public struct DataType: Hashable, Sendable {
    /// One type argument: a length, precision or scale, or `max`.
    public enum Argument: Hashable, Sendable {
        case value(Int)
        case max
    }

    /// The type name; one part for system types, one or two for alias types.
    public var name: ObjectName
    /// The arguments in parentheses, if any.
    public var arguments: [Argument]

    /// Creates a type.
    public init(name: ObjectName, arguments: [Argument] = []) {
        self.name = name
        self.arguments = arguments
    }

    /// A one-part type: `DataType("int")`, `DataType("varchar", .max)`.
    public init(_ name: String, _ arguments: Argument...) {
        self.init(name: ObjectName(name: Identifier(name)), arguments: arguments)
    }

    /// The system type this names, or `nil` for an alias type (or an unknown name).
    ///
    /// A one-part name matching a system type is that type (SQL Server resolves system types first).
    public var systemType: SystemDataType? {
        guard name.partCount == 1 || name.schema?.value.lowercased() == "sys" else { return nil }
        return SystemDataType(rawValue: name.name.value.lowercased())
    }
}

/// SQL Server's system data types, by their lower-case names.
public enum SystemDataType: String, Hashable, Sendable, CaseIterable {
    case tinyint, smallint, int, bigint, bit
    case decimal, numeric, money, smallmoney
    case float, real
    case date, time, datetime, smalldatetime, datetime2, datetimeoffset
    case char, varchar, nchar, nvarchar, text, ntext
    case binary, varbinary, image
    case uniqueidentifier, xml, rowversion, timestamp
    case sqlVariant = "sql_variant"
    case hierarchyid, geography, geometry
    case sysname
}
