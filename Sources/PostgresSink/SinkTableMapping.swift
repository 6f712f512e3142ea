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

extension SinkTableMapping {
    /// The naming of DMS table mappings (`table_mappings.json`): selection rules choose the tables,
    /// transformation rules rename schemas, tables and columns and exclude columns; `folding`
    /// applies last (lowercase by default, as `ferry convert` names objects).
    ///
    /// With the default lowercase folding this is ``TableMappings/ferryTarget(for:targetSchema:)``
    /// — the naming `ferry convert` creates tables with and `ferry validate` reads — so without a
    /// `TargetSchema` the schema is SCT's `<database>_<schema>`, not the bare source schema.
    ///
    /// Added columns, changed data types and redefined keys are `ferry convert`'s business: the
    /// sink writes the source columns under their mapped names.
    public init(tableMappings: TableMappings, targetSchema: String?, folding: NameFolding = .lowercase) {
        let schemaName = targetSchema ?? ""
        // One naming for convert, validate and the sink: ferryTarget when folding to lower case.
        let naming: @Sendable (TableSchema) throws -> TargetTable = { shell in
            folding == .lowercase ? try tableMappings.ferryTarget(for: shell, targetSchema: schemaName)
                                  : try tableMappings.targetTable(for: shell, targetSchema: schemaName, folding: folding)
        }
        self.table = { identity in
            guard tableMappings.selects(identity),
                  let shell = try? TableSchema(identity: identity, columns: [], keyColumns: []),
                  let target = try? naming(shell)
            else { return nil }
            return SinkTarget(schema: target.schema, table: target.table)
        }
        self.column = { identity, name in
            guard let type = try? SQLServerDataType(.int),
                  let shell = try? TableSchema(identity: identity, columns: [ColumnDefinition(name: name, type: type)], keyColumns: []),
                  let target = try? naming(shell),
                  let column = target.column(forSource: name), column.isIncluded
            else { return nil }
            return column.name
        }
    }
}
