/// One thing a batch produced, in the order SQL Server sends them.
public enum EngineResult: Hashable, Sendable {
    /// A result set (a SELECT's rows).
    case resultSet(ResultSet)
    /// "(n rows affected)": after each SELECT, INSERT, UPDATE and DELETE unless `SET NOCOUNT ON`.
    case rowCount(Int)
    /// An informational message (PRINT, "Changed database context to …").
    case message(InfoMessage)
    /// An error; when it aborts the batch it is the last result.
    case error(SQLServerError)
}

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

/// An informational message (INFO token, class 0 to 10).
public struct InfoMessage: Hashable, Sendable {
    /// The message number (0 for PRINT).
    public var number: Int
    /// The class.
    public var severity: Int
    /// The state.
    public var state: Int
    /// The text.
    public var text: String
    /// The line of the statement.
    public var line: Int

    /// Creates a message.
    public init(number: Int, severity: Int = 0, state: Int = 1, text: String, line: Int = 1) {
        self.number = number
        self.severity = severity
        self.state = state
        self.text = text
        self.line = line
    }
}
