public import FerryCore

/// A target table: schema and name in PostgreSQL.
public struct SinkTarget: Hashable, Sendable, CustomStringConvertible {
    /// The PostgreSQL schema.
    public var schema: String
    /// The table name.
    public var table: String
    /// Makes a target name.
    public init(schema: String, table: String) {
        self.schema = schema
        self.table = table
    }
    /// `schema.table`, unquoted, as stored in the control tables.
    public var description: String { "\(schema).\(table)" }
}

/// How source tables and columns are named in the target, and which are left out.
///
/// The default is DMS's for a PostgreSQL target: the schema is `TargetMetadata.TargetSchema` if
/// set, otherwise the source schema, and every name is lowercased. Table mappings
/// (`table_mappings.json` selection and transformation rules) supply the two functions.
public struct SinkTableMapping: Sendable {
    /// The target of a source table; `nil` excludes the table.
    public var table: @Sendable (TableIdentity) -> SinkTarget?
    /// The target name of a source column; `nil` excludes the column.
    public var column: @Sendable (TableIdentity, String) -> String?

    /// Makes a mapping from two functions.
    public init(table: @escaping @Sendable (TableIdentity) -> SinkTarget?, column: @escaping @Sendable (TableIdentity, String) -> String?) {
        self.table = table
        self.column = column
    }

    /// The default naming: `targetSchema` (or the lowercased source schema), lowercased table and
    /// column names, nothing excluded.
    public init(targetSchema: String? = nil) {
        self.table = { SinkTarget(schema: targetSchema ?? $0.schema.lowercased(), table: $0.table.lowercased()) }
        self.column = { $1.lowercased() }
    }
}
