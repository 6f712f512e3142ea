public import FerryCore

extension ConversionNaming {
    /// Naming by DMS table-mapping rules, as the replication names the same tables: schema, table
    /// and column renames, prefixes, `remove-column`, `change-data-type`, then lower case
    /// (`convert-lowercase`, SCT's default).
    ///
    /// A table no schema rule renames goes to `targetSchema` (task settings'
    /// `TargetMetadata.TargetSchema`) or, when that is empty, to SCT's `<database>_<schema>`.
    /// - Throws: ``TaskConfigurationError`` naming the rule and field when a rule cannot apply.
    public init(mappings: TableMappings, catalog: SourceCatalog, targetSchema: String = "") throws(TaskConfigurationError) {
        var tables: [String: TargetTable] = [:]
        for table in catalog.tables {
            let columns = table.columns.map {
                ColumnDefinition(name: $0.name, type: $0.type, isNullable: $0.isNullable, isIdentity: $0.identity != nil, isComputed: $0.computed != nil)
            }
            let schema: TableSchema
            do {
                schema = try TableSchema(
                    identity: TableIdentity(database: catalog.database, schema: table.schema, table: table.name), columns: columns,
                    keyColumns: table.primaryKey?.columns ?? [])
            } catch {
                throw TaskConfigurationError(.invalidField, "table \(table.qualifiedName): \(error.message)", field: "table-name")
            }
            tables[table.qualifiedName.lowercased()] = try mappings.ferryTarget(for: schema, targetSchema: targetSchema)
        }
        let resolved = tables
        let database = catalog.database
        @Sendable func key(_ schema: String, _ table: String) -> String { "\(schema).\(table)".lowercased() }
        self.init(
            schema: { _, schema in
                resolved.values.first { $0.source.schema.lowercased() == schema.lowercased() }?.schema
                    ?? (targetSchema.isEmpty ? "\(database)_\(schema)" : targetSchema).lowercased()
            },
            table: { schema, table in resolved[key(schema, table)]?.table ?? table.lowercased() },
            column: { schema, table, column in
                resolved[key(schema, table)]?.column(forSource: column)?.name ?? column.lowercased()
            },
            object: { $0.lowercased() })
        includesColumn = { schema, table, column in
            resolved[key(schema, table)]?.column(forSource: column)?.isIncluded ?? true
        }
        columnType = { schema, table, column in
            resolved[key(schema, table)]?.column(forSource: column)?.changedType?.postgreSQLDeclaration
        }
    }
}
