import Postgres
import TSQL

/// A data change on a user table, handed to ``EngineSession/applyChange(_:)``: the one place every
/// INSERT, UPDATE and DELETE goes through.
///
/// Change data capture (the next step) hooks in here and in CREATE TABLE: each captured table gets
/// PostgreSQL row triggers (AFTER INSERT/UPDATE/DELETE, FOR EACH ROW) that write the before and
/// after images, the table's object_id and the statement's operation into a journal table in
/// `sqlserver_catalog`, keyed by the PostgreSQL transaction id and an in-transaction sequence; a
/// deferred constraint trigger (or the session's COMMIT path, which is also in one place,
/// ``EngineSession/commitTransaction()`` and ``EngineSession/atomically(statementKind:_:)``) stamps
/// the transaction's rows with a commit sequence taken from a PostgreSQL sequence at commit time,
/// which gives SQL Server's commit LSN order. Nothing here depends on the statement's text, so
/// TRUNCATE (Msg 4711 on captured tables) and ALTER TABLE can be checked at the same points.
struct DataChange: Sendable {
    enum Kind: String, Sendable {
        case insert = "INSERT", update = "UPDATE", delete = "DELETE"
    }
    var kind: Kind
    var table: TableRecord
    /// The PostgreSQL statement; it returns one row per changed row (the identity value for inserts).
    var sql: String
}

extension EngineSession {
    /// Runs a data change on a user table and returns the rows it changed.
    ///
    /// Every DML statement goes through here, inside the statement's transaction, so change capture
    /// can be added in one place (see docs: row triggers on the user tables writing before/after
    /// images to a journal, stamped with a commit sequence at COMMIT).
    func applyChange(_ change: DataChange) async throws -> PostgresRows {
        // Table hints' locks (and SET LOCK_TIMEOUT) first; a data change keeps them to the transaction's end.
        try await withTableHintLocks(readOnly: false) { try await connection.query(change.sql) }
    }

    func dmlTarget(_ target: DMLTarget) async throws -> TableRecord {
        guard case .table(let name, let hints) = target else { throw SQLServerError.notSupported("table variables") }
        let translator = self.translator
        let table = try await translator.resolveTable(name, includingViews: true)
        if table.type == "V" { throw SQLServerError.notSupported("data changes through a view") }
        try translator.recordLock(hints, on: table, isTarget: true)
        return table
    }


    // MARK: INSERT

    func insert(_ insert: InsertStatement) async throws -> Int {
        tableLocks.reset()
        if insert.output != nil { throw SQLServerError.notSupported("OUTPUT") }
        if insert.top != nil { throw SQLServerError.notSupported("TOP") }
        if !insert.commonTableExpressions.isEmpty, case .query = insert.source {} else if !insert.commonTableExpressions.isEmpty {
            throw SQLServerError.notSupported("WITH")
        }
        let table = try await dmlTarget(insert.target)
        let definition = table.definition
        let translator = self.translator
        let builder = TableBuilder(table: table)
        let identityInsert = identityInsertTable?.objectID == table.objectID && identityInsertTable?.databaseID == table.database.id
        let identity = definition.identityColumn

        var columns: [ColumnMetadata] = []
        if insert.columns.isEmpty {
            if identityInsert, identity != nil, case .defaultValues = insert.source {} else if identityInsert, identity != nil {
                throw SQLServerError(
                    code: .identityNeedsColumnList,
                    message: "An explicit value for the identity column in table '\(table.twoPartName)' can only be specified when a column list is used and IDENTITY_INSERT is ON.")
            }
            columns = definition.columns.filter {
                $0.identity == nil && $0.computedDefinition == nil && $0.type.base != .rowversion
            }
        } else {
            for name in insert.columns {
                guard let column = definition.column(named: name.value) else {
                    throw SQLServerError.invalidColumnName(name.value)
                }
                if column.computedDefinition != nil {
                    throw SQLServerError(
                        code: .computedColumnNotModifiable,
                        message: "The column \"\(column.name)\" cannot be modified because it is either a computed column or is the result of a UNION operator.")
                }
                columns.append(column)
            }
        }
        if let identity {
            let listed = columns.contains { $0.columnID == identity.columnID }
            if listed, !identityInsert { throw SQLServerError.identityInsertOff(table: table.twoPartName) }
            if !listed, identityInsert, !insert.columns.isEmpty {
                throw SQLServerError.identityValueRequired(table: table.twoPartName)
            }
        }

        let columnList = columns.map { PostgresIdentifier.quote($0.pgName) }.joined(separator: ", ")
        let returning = " RETURNING " + (identity.map { PostgresIdentifier.quote($0.pgName) + "::text" } ?? "NULL")
        var sql: String
        switch insert.source {
        case .defaultValues:
            sql = "INSERT INTO \(table.pgQualifiedName) DEFAULT VALUES"
        case .values(let rows):
            var rowTexts: [String] = []
            for row in rows {
                if row.count != columns.count {
                    if insert.columns.isEmpty { throw SQLServerError.valueCountMismatch() }
                    throw row.count < columns.count
                        ? SQLServerError(
                            code: .moreColumnsThanValues,
                            message: "There are more columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.",
                            abortsBatch: true)
                        : SQLServerError(
                            code: .fewerColumnsThanValues,
                            message: "There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.",
                            abortsBatch: true)
                }
                var values: [String] = []
                for (column, value) in zip(columns, row) {
                    if case .default = value {
                        values.append("DEFAULT")
                        continue
                    }
                    let translated = try await translator.expression(value, scope: Scope(sources: [], parent: nil))
                    values.append(try builder.assignment(translated, to: column, translator: translator))
                }
                rowTexts.append("(" + values.joined(separator: ", ") + ")")
            }
            sql = "INSERT INTO \(table.pgQualifiedName) (\(columnList)) VALUES " + rowTexts.joined(separator: ", ")
        case .query(var query):
            query.commonTableExpressions = insert.commonTableExpressions + query.commonTableExpressions
            let source = try await translator.query(query, parent: nil)
            guard source.columns.count == columns.count else {
                if insert.columns.isEmpty { throw SQLServerError.valueCountMismatch() }
                throw SQLServerError(
                    code: .init(120),
                    message: "The select list for the INSERT statement contains \(source.columns.count < columns.count ? "fewer" : "more") items than the insert list. The number of SELECT values must match the number of INSERT columns.",
                    abortsBatch: true)
            }
            var values: [String] = []
            for (index, column) in columns.enumerated() {
                let value = TranslatedExpression(sql: "s.c\(index + 1)", type: source.columns[index].type)
                values.append(try builder.assignment(value, to: column, translator: translator))
            }
            sql = "INSERT INTO \(table.pgQualifiedName) (\(columnList)) SELECT \(values.joined(separator: ", ")) FROM (\(source.sql)) AS s"
        case .execute:
            throw SQLServerError.notSupported("INSERT EXEC")
        }
        let rows = try await applyChange(DataChange(kind: .insert, table: table, sql: sql + returning))
        if let identity, let last = rows.last, let value = try last.decode(String?.self, at: 0) {
            lastIdentity = value
            if identityInsert {
                // SQL Server moves the identity past explicitly inserted values; PostgreSQL does not.
                try await advanceIdentity(table: table, column: identity)
            }
        }
        return rows.count
    }

    private func advanceIdentity(table: TableRecord, column: ColumnMetadata) async throws {
        guard let identity = column.identity else { return }
        let sequence = "pg_get_serial_sequence(\(PostgresLiteral.quote(table.pgQualifiedName)), \(PostgresLiteral.quote(column.pgName)))"
        let aggregate = identity.increment > 0 ? "max" : "min"
        let comparison = identity.increment > 0 ? ">" : "<"
        try await connection.query(
            """
            SELECT setval(\(sequence), m) FROM (SELECT \(aggregate)(\(PostgresIdentifier.quote(column.pgName)))::bigint AS m
            FROM \(table.pgQualifiedName)) AS x
            WHERE m IS NOT NULL AND m \(comparison) coalesce(pg_sequence_last_value(\(sequence)::regclass), \(identity.seed - identity.increment))
            """)
    }

    // MARK: UPDATE and DELETE

    func update(_ update: UpdateStatement) async throws -> Int {
        tableLocks.reset()
        if update.output != nil { throw SQLServerError.notSupported("OUTPUT") }
        if !update.commonTableExpressions.isEmpty { throw SQLServerError.notSupported("WITH") }
        let selection = try await rowSelection(update.target, from: update.from, top: update.top)
        let table = selection.table
        let translator = selection.translator
        let builder = TableBuilder(table: table)
        let pgAlias = selection.targetAlias
        let scope = selection.scope
        var assignments: [(column: String, value: String)] = []
        for clause in update.assignments {
            guard case .column(let reference) = clause.target else { throw SQLServerError.notSupported("SET @variable in UPDATE") }
            guard let column = table.definition.column(named: reference.column.value) else {
                throw SQLServerError.invalidColumnName(reference.column.value)
            }
            if column.identity != nil {
                throw SQLServerError(code: .identityNotUpdatable, message: "Cannot update identity column '\(column.name)'.")
            }
            if column.computedDefinition != nil {
                throw SQLServerError(
                    code: .computedColumnNotModifiable,
                    message: "The column \"\(column.name)\" cannot be modified because it is either a computed column or is the result of a UNION operator.")
            }
            var value = clause.value
            if clause.operation != .assign {
                value = .binary(.column(reference), Self.binaryOperator(clause.operation), clause.value)
            }
            let sql: String
            if case .default = value {
                sql = "DEFAULT"
            } else {
                let translated = try await translator.expression(value, scope: scope)
                sql = try builder.assignment(translated, to: column, translator: translator)
            }
            assignments.append((PostgresIdentifier.quote(column.pgName), sql))
        }
        for column in table.definition.columns where column.type.base == .rowversion {
            assignments.append((PostgresIdentifier.quote(column.pgName), "int8send(nextval('sqlserver_catalog.rowversions'))"))
        }
        var condition = try await update.whereClause.asyncMap { try await translator.condition($0, scope: scope) }
        var sql: String
        if let fromSQL = selection.fromSQL {
            // UPDATE … FROM / TOP: pick the target rows (by ctid) in a subquery over the T-SQL FROM
            // clause, computing the new values there, where all its sources are visible.
            var values: [String] = []
            var outer: [String] = []
            for (index, assignment) in assignments.enumerated() {
                if assignment.value == "DEFAULT" || assignment.value.hasPrefix("int8send(nextval(") {
                    outer.append("\(assignment.column) = \(assignment.value)")
                } else {
                    values.append("\(assignment.value) AS v\(index + 1)")
                    outer.append("\(assignment.column) = s.v\(index + 1)")
                }
            }
            var selectSQL = "SELECT \(([pgAlias + ".ctid AS rid"] + values).joined(separator: ", ")) FROM \(fromSQL)"
            if let condition { selectSQL += " WHERE \(condition)" }
            selectSQL += selection.limit ?? ""
            sql = "UPDATE \(table.pgQualifiedName) AS target SET \(outer.joined(separator: ", ")) FROM (\(selectSQL)) AS s WHERE target.ctid = s.rid"
            condition = nil
        } else {
            sql = "UPDATE \(table.pgQualifiedName) AS \(pgAlias) SET "
                + assignments.map { "\($0.column) = \($0.value)" }.joined(separator: ", ")
            if let condition { sql += " WHERE " + condition }
        }
        return try await applyChange(DataChange(kind: .update, table: table, sql: sql + " RETURNING 1")).count
    }

    func delete(_ delete: DeleteStatement) async throws -> Int {
        tableLocks.reset()
        if delete.output != nil { throw SQLServerError.notSupported("OUTPUT") }
        if !delete.commonTableExpressions.isEmpty { throw SQLServerError.notSupported("WITH") }
        let selection = try await rowSelection(delete.target, from: delete.from, top: delete.top)
        let table = selection.table
        let translator = selection.translator
        let condition = try await delete.whereClause.asyncMap { try await translator.condition($0, scope: selection.scope) }
        var sql: String
        if let fromSQL = selection.fromSQL {
            var selectSQL = "SELECT \(selection.targetAlias).ctid AS rid FROM \(fromSQL)"
            if let condition { selectSQL += " WHERE \(condition)" }
            selectSQL += selection.limit ?? ""
            sql = "DELETE FROM \(table.pgQualifiedName) AS target USING (\(selectSQL)) AS s WHERE target.ctid = s.rid"
        } else {
            sql = "DELETE FROM \(table.pgQualifiedName) AS \(selection.targetAlias)"
            if let condition { sql += " WHERE " + condition }
        }
        return try await applyChange(DataChange(kind: .delete, table: table, sql: sql + " RETURNING 1")).count
    }

    /// The rows an UPDATE or DELETE targets: the target table, the scope its expressions see, and,
    /// when the statement has a FROM clause or TOP, the PostgreSQL FROM text selecting them.
    func rowSelection(_ target: DMLTarget, from: [TableSource], top: TopClause?) async throws
        -> (table: TableRecord, translator: Translator, scope: Scope, targetAlias: String, fromSQL: String?, limit: String?)
    {
        let translator = self.translator
        var limit: String?
        if let top {
            if top.isPercent || top.withTies { throw SQLServerError.notSupported("TOP PERCENT") }
            limit = " LIMIT (\(try await translator.expression(top.count, scope: Scope(sources: [], parent: nil)).sql))"
        }
        guard case .table(let name, _) = target else { throw SQLServerError.notSupported("table variables") }
        if from.isEmpty {
            let table = try await dmlTarget(target)
            let pgAlias = translator.nextAlias()
            let source = translator.bind(table, alias: pgAlias, exposedName: table.name)
            let scope = Scope(sources: [source], parent: nil)
            let fromSQL = limit == nil ? nil : "\(table.pgQualifiedName) AS \(pgAlias)"
            return (table, translator, scope, pgAlias, fromSQL, limit)
        }
        var sources: [BoundSource] = []
        var parts: [String] = []
        for source in from {
            parts.append(try await translator.tableSource(source, into: &sources, parent: nil, ctes: [:], nullable: false))
        }
        // The target is a FROM alias or table name; otherwise it joins the FROM clause.
        let key = name.name.value.lowercased()
        let matching = name.partCount == 1 ? sources.filter { $0.exposedName.lowercased() == key && $0.table != nil } : []
        var targetSource = matching.first
        if targetSource == nil {
            let table = try await dmlTarget(target)
            targetSource = sources.first { $0.table?.objectID == table.objectID && $0.table?.database.id == table.database.id }
            if targetSource == nil {
                let pgAlias = translator.nextAlias()
                let bound = translator.bind(table, alias: pgAlias, exposedName: table.name)
                sources.append(bound)
                parts.append("\(table.pgQualifiedName) AS \(pgAlias)")
                targetSource = bound
            }
        }
        guard let targetSource, let table = targetSource.table, let pgAlias = targetSource.pgAlias else {
            throw SQLServerError.invalidObjectName(name.description)
        }
        if table.type == "V" { throw SQLServerError.notSupported("data changes through a view") }
        return (table, translator, Scope(sources: sources, parent: nil), pgAlias, parts.joined(separator: ", "), limit)
    }
}
