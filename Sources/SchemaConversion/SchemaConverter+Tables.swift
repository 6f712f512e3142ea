import FerryCore

extension ConversionRun {
    mutating func convertSequence(_ sequence: CatalogSequence) {
        let source = "\(sequence.schema).\(sequence.name)"
        let schema = targetSchema(sequence.schema)
        let name = uniqueRelationName(naming.object(sequence.name), schema: schema, table: "seq")
        let target = PostgreSQLNames.qualified(schema, name)
        let type: String
        switch sequence.type.name {
        case .tinyint, .smallint: type = "smallint"
        case .int: type = "integer"
        case .bigint: type = "bigint"
        default:
            type = "bigint"
            action(.warning, .sequence, source, "a \(sequence.type) sequence became bigint; PostgreSQL sequences are integers",
                   recommendation: "Check that the sequence's values fit bigint.")
        }
        let start: String
        if let current = sequence.currentValue, let value = Int64(current), let step = Int64(sequence.increment) {
            start = String(value &+ step)
        } else {
            start = sequence.start
        }
        var sql = "CREATE SEQUENCE \(target) AS \(type) INCREMENT BY \(sequence.increment) MINVALUE \(sequence.minimum) MAXVALUE \(sequence.maximum) START WITH \(start)"
        if sequence.isCycling { sql += " CYCLE" }
        emit(.beforeLoad, .sequence, source, target, sql)
        record(.sequence, source, target, type == "bigint" && sequence.type.name != .bigint ? .withWarnings : .automatic)
    }

    mutating func convertTable(_ table: CatalogTable) {
        let target = targetTable(table)
        var lines: [String] = []
        var tableOutcome = ConversionOutcome.automatic
        var targetColumns: [TargetColumn] = []
        for column in table.columns {
            let source = "\(table.qualifiedName).\(column.name)"
            guard naming.includesColumn(table.schema, table.name, column.name) else {
                action(.info, .column, source, "excluded by a remove-column table-mapping rule", recommendation: "Nothing, if intended.")
                continue
            }
            let name = targetColumn(table, column.name)
            var mapped = column.type.postgreSQLType
            if let changed = naming.columnType(table.schema, table.name, column.name) {
                mapped = PostgreSQLColumnType(declaration: changed, checkTemplate: nil, caveat: nil)
                action(.info, .column, source, "the type was set to \(changed) by a change-data-type table-mapping rule",
                       recommendation: "Check that every source value fits \(changed).")
            }
            targetColumns.append(TargetColumn(
                name: naming.column(table.schema, table.name, column.name), type: mapped.declaration,
                isNullable: column.isNullable && column.computed == nil || column.computed != nil && column.isNullable))
            var line = "\(name) \(mapped.declaration)"
            if let caveat = mapped.caveat {
                action(.warning, .column, source, caveat, snippet: "\(column.name) \(column.type.aliasName ?? column.type.description)",
                       generated: line, recommendation: "Check that applications do not depend on what the mapping loses.")
                tableOutcome = max(tableOutcome, .withWarnings)
            }
            if column.type.name == .rowversion {
                action(.info, .column, source, "rowversion values are copied from the source; PostgreSQL does not change them on update",
                       generated: line, recommendation: "After cut-over, use xmin or a trigger if applications rely on row versions.")
            }
            if let computed = column.computed {
                switch translateStored(computed.definition, table: table) {
                case .success(let translated) where Self.isImmutable(translated.sql):
                    line += " GENERATED ALWAYS AS (\(translated.sql)) STORED"
                    let outcome: ConversionOutcome = translated.warnings.isEmpty ? .automatic : .withWarnings
                    for warning in translated.warnings {
                        action(.warning, .computedColumn, source, warning, snippet: computed.definition, generated: line, recommendation: "Compare results on sample rows.")
                    }
                    record(.computedColumn, source, "\(target).\(name)", outcome)
                    tableOutcome = max(tableOutcome, outcome)
                    lines.append(line)
                    continue
                case .success(let translated):
                    action(.manual, .computedColumn, source,
                           "the computed expression is not immutable in PostgreSQL (it reads the clock, the session or formats dates), so it cannot be a generated column; a plain column was created, which replicated rows fill with NULL (CDC does not capture computed values)",
                           snippet: computed.definition, generated: "\(line) -- would be: \(translated.sql)",
                           recommendation: "Compute the value in a view or a BEFORE INSERT OR UPDATE trigger.")
                case .failure(let failure):
                    action(.manual, .computedColumn, source,
                           "the computed expression does not convert (\(failure.reason)); a plain column was created, which replicated rows fill with NULL",
                           snippet: computed.definition, generated: line,
                           recommendation: "Rewrite the expression as a generated column, a view or a trigger.")
                }
                record(.computedColumn, source, "\(target).\(name)", .manual)
                tableOutcome = .manual
                lines.append(line)
                continue
            }
            if let identity = column.identity {
                if [.tinyint, .smallint, .int, .bigint].contains(column.type.name) {
                    let start = Self.identityStart(identity)
                    // BY DEFAULT, not ALWAYS: the full load and CDC insert the source's values.
                    line += " GENERATED BY DEFAULT AS IDENTITY (START WITH \(start) INCREMENT BY \(identity.increment))"
                    record(.identity, source, "\(target).\(name)", .automatic)
                } else {
                    action(.manual, .identity, source, "a \(column.type) identity has no PostgreSQL identity (integers only)",
                           snippet: "\(column.name) \(column.type) IDENTITY(\(identity.seed),\(identity.increment))", generated: line,
                           recommendation: "Create a sequence and a DEFAULT nextval(...) if new rows need generated values.")
                    record(.identity, source, nil, .manual)
                    tableOutcome = .manual
                }
            }
            if !column.isNullable { line += " NOT NULL" }
            if let check = mapped.check(forQuotedColumn: name) { line += " CHECK (\(check))" }
            if let defaultConstraint = column.defaultConstraint, column.identity == nil {
                switch translateStored(defaultConstraint.definition, table: table, expected: ValueKind(column.type)) {
                case .success(let translated):
                    line += " DEFAULT \(translated.sql)"
                    for warning in translated.warnings {
                        action(.warning, .defaultValue, source, warning, snippet: defaultConstraint.definition, generated: "DEFAULT \(translated.sql)", recommendation: "Check the default on new rows.")
                    }
                    record(.defaultValue, "\(table.qualifiedName).\(defaultConstraint.name)", "\(target).\(name)", translated.warnings.isEmpty ? .automatic : .withWarnings)
                case .failure(let failure):
                    action(.manual, .defaultValue, source, "the default does not convert: \(failure.reason); the column has no default",
                           snippet: defaultConstraint.definition, generated: line,
                           recommendation: "Add the default with ALTER TABLE … ALTER COLUMN … SET DEFAULT.")
                    record(.defaultValue, "\(table.qualifiedName).\(defaultConstraint.name)", nil, .manual)
                    tableOutcome = .manual
                }
            }
            lines.append(line)
        }
        let sql = "CREATE TABLE \(target) (\n    " + lines.joined(separator: ",\n    ") + "\n)"
        emit(.beforeLoad, .table, table.qualifiedName, target, sql)
        result.statements[result.statements.count - 1].columns = targetColumns
        record(.table, table.qualifiedName, target, tableOutcome)
    }

    /// The value the identity generates next: after `last_value` when the source has used it.
    static func identityStart(_ identity: CatalogIdentity) -> String {
        if let last = identity.lastValue, let value = Int64(last), let step = Int64(identity.increment) {
            let (next, overflow) = value.addingReportingOverflow(step)
            return overflow ? last : String(next)
        }
        return identity.seed
    }

    /// Whether PostgreSQL accepts the expression in a generated column (no volatile or stable calls).
    static func isImmutable(_ sql: String) -> Bool {
        let lowered = sql.lowercased()
        let unstable = ["localtimestamp", "now()", "current_", "session_user", "gen_random_uuid", "to_char(", "inet_client_addr", "current_setting", "current_database", "time zone"]
        return !unstable.contains { lowered.contains($0) }
    }

    mutating func convertKeys(_ table: CatalogTable) {
        let target = targetTable(table)
        let schema = targetSchema(table.schema)
        let tableName = naming.table(table.schema, table.name)
        var keys: [(ConversionObjectKind, CatalogKeyConstraint)] = table.primaryKey.map { [(.primaryKey, $0)] } ?? []
        keys += table.uniqueConstraints.map { (.uniqueConstraint, $0) }
        for (kind, key) in keys {
            let source = "\(table.qualifiedName).\(key.name)"
            let name = uniqueRelationName(naming.object(key.name), schema: schema, table: tableName)
            let columns = key.columns.map { targetColumn(table, $0) }.joined(separator: ", ")
            var clause = kind == .primaryKey ? "PRIMARY KEY" : "UNIQUE"
            var outcome = ConversionOutcome.automatic
            if kind == .uniqueConstraint, key.columns.contains(where: { table.column(named: $0)?.isNullable ?? false }) {
                if options.postgreSQLVersion >= 150000 {
                    clause += " NULLS NOT DISTINCT"
                } else {
                    outcome = .withWarnings
                    action(.warning, kind, source, "SQL Server allows one NULL in a unique key; PostgreSQL before 15 allows many",
                           recommendation: "Upgrade to PostgreSQL 15 for NULLS NOT DISTINCT, or add a partial unique index.")
                }
            }
            let sql = "ALTER TABLE \(target) ADD CONSTRAINT \(PostgreSQLNames.quote(name)) \(clause) (\(columns))"
            emit(constraintPhase, kind, source, "\(target).\(PostgreSQLNames.quote(name))", sql)
            record(kind, source, PostgreSQLNames.quote(name), outcome)
        }
    }

    mutating func convertChecks(_ table: CatalogTable) {
        let target = targetTable(table)
        var names = Set<String>()
        for check in table.checkConstraints {
            let source = "\(table.qualifiedName).\(check.name)"
            var name = Self.truncated(naming.object(check.name))
            if names.contains(name) { name = Self.truncated(name + "_\(names.count)") }
            names.insert(name)
            if check.isDisabled {
                action(.warning, .checkConstraint, source, "the check is disabled (NOCHECK) on the source and was not created",
                       snippet: check.definition, recommendation: "Fix the rows that violate it and create it by hand if it should hold.")
                record(.checkConstraint, source, nil, .withWarnings)
                continue
            }
            switch translateStored(check.definition, table: table) {
            case .success(let translated):
                let sql = "ALTER TABLE \(target) ADD CONSTRAINT \(PostgreSQLNames.quote(name)) CHECK (\(translated.sql))"
                emit(constraintPhase, .checkConstraint, source, "\(target).\(PostgreSQLNames.quote(name))", sql)
                for warning in translated.warnings {
                    action(.warning, .checkConstraint, source, warning, snippet: check.definition, generated: sql, recommendation: "Check the constraint on sample rows.")
                }
                record(.checkConstraint, source, PostgreSQLNames.quote(name), translated.warnings.isEmpty ? .automatic : .withWarnings)
            case .failure(let failure):
                action(.manual, .checkConstraint, source, "the check does not convert: \(failure.reason)", snippet: check.definition,
                       recommendation: "Write the CHECK constraint in PostgreSQL by hand.")
                record(.checkConstraint, source, nil, .manual)
            }
        }
    }

    mutating func convertIndexes(_ table: CatalogTable) {
        let target = targetTable(table)
        let schema = targetSchema(table.schema)
        let tableName = naming.table(table.schema, table.name)
        for index in table.indexes {
            let source = "\(table.qualifiedName).\(index.name)"
            if let kind = index.unsupportedKind {
                action(.manual, .index, source, "\(kind) indexes have no PostgreSQL equivalent Ferry creates",
                       recommendation: "Choose a PostgreSQL index type (GIN, GiST, BRIN) for the queries this index serves.")
                record(.index, source, nil, .manual)
                continue
            }
            let name = uniqueRelationName(naming.object(index.name), schema: schema, table: tableName)
            let keys = index.keyColumns.map { targetColumn(table, $0.name) + ($0.isDescending ? " DESC" : "") }.joined(separator: ", ")
            var sql = "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX \(PostgreSQLNames.quote(name)) ON \(target) (\(keys))"
            if index.isUnique, options.postgreSQLVersion >= 150000,
                index.keyColumns.contains(where: { table.column(named: $0.name)?.isNullable ?? false })
            {
                sql += " NULLS NOT DISTINCT"
            }
            if !index.includedColumns.isEmpty {
                sql += " INCLUDE (" + index.includedColumns.map { targetColumn(table, $0) }.joined(separator: ", ") + ")"
            }
            var outcome = ConversionOutcome.automatic
            if let filter = index.filter {
                switch translateStored(filter, table: table) {
                case .success(let translated):
                    sql += " WHERE \(translated.sql)"
                case .failure(let failure):
                    action(.manual, .index, source, "the filter does not convert (\(failure.reason)); the index was not created",
                           snippet: filter, recommendation: "Write the partial index's WHERE clause by hand.")
                    record(.index, source, nil, .manual)
                    continue
                }
            }
            if index.isClustered {
                outcome = .withWarnings
                action(.info, .index, source, "PostgreSQL does not keep a table in index order (no clustered index)", generated: sql,
                       recommendation: "Run CLUSTER once after the load if range scans on this index matter.")
            }
            emit(constraintPhase, .index, source, PostgreSQLNames.qualified(schema, name), sql)
            record(.index, source, PostgreSQLNames.quote(name), outcome)
        }
    }

    mutating func convertForeignKeys(_ table: CatalogTable) {
        let target = targetTable(table)
        for key in table.foreignKeys {
            let source = "\(table.qualifiedName).\(key.name)"
            let snippet = "FOREIGN KEY (\(key.columns.joined(separator: ", "))) REFERENCES \(key.referencedSchema).\(key.referencedTable) (\(key.referencedColumns.joined(separator: ", ")))"
            guard let referenced = catalog.table(schema: key.referencedSchema, name: key.referencedTable) else {
                action(.manual, .foreignKey, source, "the referenced table \(key.referencedSchema).\(key.referencedTable) is not converted (not selected)",
                       snippet: snippet, recommendation: "Select the referenced table too, or create the foreign key once it exists.")
                record(.foreignKey, source, nil, .manual)
                continue
            }
            if key.isDisabled {
                action(.warning, .foreignKey, source, "the foreign key is disabled (NOCHECK) on the source and was not created", snippet: snippet,
                       recommendation: "Fix orphaned rows and create the foreign key by hand if it should hold.")
                record(.foreignKey, source, nil, .withWarnings)
                continue
            }
            let name = Self.truncated(naming.object(key.name))
            var sql = "ALTER TABLE \(target) ADD CONSTRAINT \(PostgreSQLNames.quote(name)) FOREIGN KEY ("
                + key.columns.map { targetColumn(table, $0) }.joined(separator: ", ") + ") REFERENCES \(targetTable(referenced)) ("
                + key.referencedColumns.map { targetColumn(referenced, $0) }.joined(separator: ", ") + ")"
            if key.onDelete != .noAction { sql += " ON DELETE \(key.onDelete.rawValue)" }
            if key.onUpdate != .noAction { sql += " ON UPDATE \(key.onUpdate.rawValue)" }
            emit(constraintPhase, .foreignKey, source, "\(target).\(PostgreSQLNames.quote(name))", sql)
            record(.foreignKey, source, PostgreSQLNames.quote(name), .automatic)
        }
    }

    /// Moves each identity past the rows loaded or replicated (BY DEFAULT identities do not
    /// advance when rows carry their own values): run after the load and again at cut-over.
    mutating func resynchroniseIdentity(_ table: CatalogTable) {
        let target = targetTable(table)
        for column in table.columns where column.identity != nil && [.tinyint, .smallint, .int, .bigint].contains(column.type.name) {
            let name = targetColumn(table, column.name)
            let descending = column.identity?.increment.hasPrefix("-") ?? false
            let extreme = descending ? "min" : "max"
            let sql = "SELECT setval(pg_get_serial_sequence(\(PostgreSQLNames.literal(target)), \(PostgreSQLNames.literal(naming.column(table.schema, table.name, column.name)))), "
                + "COALESCE((SELECT \(extreme)(\(name)) FROM \(target)), \(Self.identityStart(column.identity!))), "
                + "(SELECT \(extreme)(\(name)) FROM \(target)) IS NOT NULL)"
            emit(.afterLoad, .identity, "\(table.qualifiedName).\(column.name)", "\(target).\(name)", sql)
        }
    }
}
