/// A result set: its columns and rows.
public struct ResultSet: Hashable, Sendable {
    /// The columns, in order.
    public var columns: [ResultColumn]
    /// The rows; each has one value per column.
    public var rows: [[SQLServerValue]]

    /// Creates a result set.
    public init(columns: [ResultColumn], rows: [[SQLServerValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// A result column's metadata, as SQL Server describes it in COLMETADATA.
public struct ResultColumn: Hashable, Sendable {
    /// The name (empty for an unnamed expression).
    public var name: String
    /// The SQL Server type (from the catalog for table columns).
    public var type: SQLServerType
    /// Whether the column may hold NULL.
    public var isNullable: Bool
    /// Whether the column is a table's identity column.
    public var isIdentity: Bool

    /// Creates a column.
    public init(name: String, type: SQLServerType, isNullable: Bool, isIdentity: Bool = false) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.isIdentity = isIdentity
    }
}
