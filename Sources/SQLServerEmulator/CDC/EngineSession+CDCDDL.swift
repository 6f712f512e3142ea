import Postgres
import TSQL

/// DDL on tables tracked by change data capture, as SQL Server handles it: TRUNCATE is refused,
/// column changes are recorded in `cdc.ddl_history` (existing capture instances keep their columns:
/// an added column is not captured, a dropped one reads NULL from then on), DROP TABLE drops the
/// table's capture instances.
extension EngineSession {
    /// Msg 4711 when `table` has a capture instance.
    func refuseTruncateOfCapturedTable(_ table: TableRecord) async throws {
        let instances = try await CaptureInstance.load(connection, databaseID: table.database.id, sourceObjectID: table.objectID)
        guard instances.isEmpty else {
            throw SQLServerError(
                code: .init(4711),
                message: "Cannot truncate table '\(table.twoPartName)' because it is published for replication or enabled for Change Data Capture.")
        }
    }

    /// After ALTER TABLE on a captured table: one `cdc.ddl_history` row per capture instance with the
    /// statement's text and an LSN; an ALTER COLUMN of a captured column changes the change table's
    /// column too (`required_column_update` 1).
    func recordCDCDDL(_ alter: AlterTableStatement, table: TableRecord) async throws {
        let columnChange: Bool
        var alteredColumn: String?
        switch alter.action {
        case .add(let elements, _): columnChange = elements.contains { if case .column = $0 { true } else { false } }
        case .drop(let elements): columnChange = elements.contains { $0.kind == .column }
        case .alterColumn(let name, _, _, _):
            columnChange = true
            alteredColumn = name.value
        default: columnChange = false
        }
        guard columnChange else { return }
        let instances = try await CaptureInstance.load(connection, databaseID: table.database.id, sourceObjectID: table.objectID)
        guard !instances.isEmpty, let schema = try await CaptureScanner.cdcSchema(connection, databaseID: table.database.id) else {
            return
        }
        let text = TSQLPrinter.print(Statement.alterTable(alter))
        let lsn = try await allocateCDCLSN()
        let altered = try await catalog.table(in: table.database, objectID: table.objectID)
        for var instance in instances {
            var requiresUpdate = false
            if let alteredColumn, let index = instance.columns.firstIndex(where: { $0.name.lowercased() == alteredColumn.lowercased() }),
                let column = altered?.definition.column(named: alteredColumn)
            {
                requiresUpdate = true
                let declaration = column.type.base == .rowversion ? "binary(8)" : column.systemType
                let changeTable = "cdc.[\(instance.name.replacingOccurrences(of: "]", with: "]]"))_CT]"
                let parsed = try TSQLParser.parse(
                    "ALTER TABLE \(changeTable) ALTER COLUMN [\(column.name.replacingOccurrences(of: "]", with: "]]"))] \(declaration) NULL")
                if case .alterTable(let changeAlter)? = parsed.statements.first?.kind { try await alterTable(changeAlter) }
                instance.columns[index].systemType = declaration
                instance.columns[index].typeName = column.type.base == .rowversion ? "timestamp" : column.type.base.rawValue
                try await instance.save(connection)
                try await connection.query(
                    "UPDATE \(PostgresIdentifier.qualified(schema: schema, "captured_columns")) SET column_type = $2 WHERE object_id = $1 AND column_name = $3",
                    [.int64(Int64(instance.changeTableID)), .text(instance.columns[index].typeName), .text(instance.columns[index].name)])
            }
            try await connection.query(
                """
                INSERT INTO \(PostgresIdentifier.qualified(schema: schema, "ddl_history"))
                    (source_object_id, object_id, required_column_update, ddl_command, ddl_lsn, ddl_time)
                VALUES ($1, $2, $3, $4, sqlserver_catalog.cdc_lsn($5), localtimestamp(3))
                """,
                [
                    .int64(Int64(table.objectID)), .int64(Int64(instance.changeTableID)), .int64(requiresUpdate ? 1 : 0), .text(text),
                    .int64(lsn),
                ])
        }
    }

    /// DROP TABLE of a captured table: its capture instances are dropped with it.
    func dropCaptureInstances(of table: TableRecord) async throws {
        let instances = try await CaptureInstance.load(connection, databaseID: table.database.id, sourceObjectID: table.objectID)
        guard !instances.isEmpty, let schema = try await CaptureScanner.cdcSchema(connection, databaseID: table.database.id) else {
            return
        }
        for instance in instances { try await dropCaptureInstance(instance, schema: schema, source: table) }
    }
}
