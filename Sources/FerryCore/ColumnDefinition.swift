/// One column of a captured table: name, type and the flags the sink and `ferry convert` need.
public struct ColumnDefinition: Hashable, Sendable {
    /// The column name as SQL Server spells it.
    public var name: String
    /// The column's SQL Server type.
    public var type: SQLServerDataType
    /// Whether the column accepts NULL.
    public var isNullable: Bool
    /// Whether the column is an `IDENTITY` column.
    public var isIdentity: Bool
    /// Whether the column is computed (CDC always captures computed columns as NULL).
    public var isComputed: Bool

    /// Makes a column definition.
    public init(name: String, type: SQLServerDataType, isNullable: Bool = true, isIdentity: Bool = false, isComputed: Bool = false) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.isIdentity = isIdentity
        self.isComputed = isComputed
    }
}
