/// A DDL change to a captured table, written to `<prefix>.schema-changes` before the data that
/// depends on it.
public struct SchemaChangeEvent: Hashable, Sendable {
    /// The table that changed.
    public var table: TableIdentity
    /// The columns before the change; `nil` when the table was first captured.
    public var oldColumns: [ColumnDefinition]?
    /// The columns after the change; `nil` when the table was dropped.
    public var newColumns: [ColumnDefinition]?
    /// The key columns after the change.
    public var keyColumns: [String]
    /// The DDL text from `cdc.ddl_history` (or Ferry's description when there is none).
    public var ddl: String
    /// The DDL's LSN (`ddl_lsn`).
    public var lsn: LSN
    /// When the DDL ran, milliseconds since 1970-01-01 UTC.
    public var timestampMilliseconds: Int64

    /// Makes a schema-change event.
    public init(table: TableIdentity, oldColumns: [ColumnDefinition]?, newColumns: [ColumnDefinition]?, keyColumns: [String],
                ddl: String, lsn: LSN, timestampMilliseconds: Int64) {
        self.table = table
        self.oldColumns = oldColumns
        self.newColumns = newColumns
        self.keyColumns = keyColumns
        self.ddl = ddl
        self.lsn = lsn
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// The table schema after the change; `nil` if the table was dropped.
    public func newSchema() throws(FerryCoreError) -> TableSchema? {
        guard let newColumns else { return nil }
        return try TableSchema(identity: table, columns: newColumns, keyColumns: keyColumns)
    }
}
