import Foundation
import Postgres
import TSQL

/// SQL Server's change data capture procedures (`sys.sp_cdc_*`), run by ``EngineSession/runProcedure(_:arguments:into:)``.
extension EngineSession {
    /// A parameter of a CDC system procedure.
    struct CDCParameter {
        var name: String
        var type: SQLServerType
        var isRequired = false
    }

    /// Runs `name` when it is a CDC system procedure; nil otherwise.
    func runCDCProcedure(_ name: ObjectName, arguments: [ProcedureArgument], into results: inout [EngineResult]) async throws
        -> (returnStatus: Int, outputs: [Int: Variable])?
    {
        guard name.schema == nil || name.schema?.value.lowercased() == "sys" else { return nil }
        let procedure = name.name.value.lowercased()
        let sysname = SQLServerType.nvarchar(128)
        switch procedure {
        case "sp_flush_log":
            // Not CDC, but the log flush that delayed durability (EngineSession+Durability) needs.
            try await flushLog()
        case "sp_cdc_enable_db":
            _ = try await bindCDC(procedure, [], arguments)
            try await atomically { try await self.enableCDCDatabase() }
        case "sp_cdc_disable_db":
            _ = try await bindCDC(procedure, [], arguments)
            try await atomically { try await self.disableCDCDatabase() }
        case "sp_cdc_enable_table":
            let values = try await bindCDC(
                procedure,
                [
                    CDCParameter(name: "source_schema", type: sysname, isRequired: true),
                    CDCParameter(name: "source_name", type: sysname, isRequired: true),
                    CDCParameter(name: "role_name", type: sysname, isRequired: true),
                    CDCParameter(name: "capture_instance", type: sysname),
                    CDCParameter(name: "supports_net_changes", type: .bit),
                    CDCParameter(name: "index_name", type: sysname),
                    CDCParameter(name: "captured_column_list", type: .nvarcharMax),
                    CDCParameter(name: "filegroup_name", type: sysname),
                    CDCParameter(name: "allow_partition_switch", type: .bit),
                    CDCParameter(name: "enable_extended_ddl_handling", type: .bit),
                ], arguments)
            try await atomically { try await self.enableCDCTable(values) }
        case "sp_cdc_disable_table":
            let values = try await bindCDC(
                procedure,
                [
                    CDCParameter(name: "source_schema", type: sysname, isRequired: true),
                    CDCParameter(name: "source_name", type: sysname, isRequired: true),
                    CDCParameter(name: "capture_instance", type: sysname, isRequired: true),
                ], arguments)
            try await atomically {
                let schema = try await self.requireCDCSchema()
                let table = try await self.translator.resolveTable(
                    ObjectName(Identifier(values["source_schema"]?.flatMap { $0 } ?? "dbo"), Identifier(values["source_name"]?.flatMap { $0 } ?? "")))
                let wanted = (values["capture_instance"] ?? nil) ?? "all"
                let instances = try await CaptureInstance.load(self.connection, databaseID: self.databaseRecord.id, sourceObjectID: table.objectID)
                let chosen = wanted.lowercased() == "all" ? instances : instances.filter { $0.nameKey == wanted.lowercased() }
                if chosen.isEmpty {
                    throw SQLServerError(
                        code: .init(22958),
                        message: "Could not disable Change Data Capture: the capture instance '\(wanted)' does not exist for source table '\(table.twoPartName)'.")
                }
                for instance in chosen { try await self.dropCaptureInstance(instance, schema: schema, source: table) }
            }
        case "sp_cdc_help_change_data_capture":
            let values = try await bindCDC(
                procedure, [CDCParameter(name: "source_schema", type: sysname), CDCParameter(name: "source_name", type: sysname)],
                arguments)
            let set = try await atomically { try await self.helpChangeDataCapture(values) }
            results.append(.resultSet(set))
        case "sp_cdc_scan":
            let values = try await bindCDC(
                procedure,
                [
                    CDCParameter(name: "maxtrans", type: .int), CDCParameter(name: "maxscans", type: .int),
                    CDCParameter(name: "continuous", type: SQLServerType(.tinyint)), CDCParameter(name: "pollinginterval", type: .bigint),
                ], arguments)
            let autocommit = transactionCount == 0
            try await atomically {
                // Each statement of a scan must see every commit finished before it (the capture
                // horizon): its own READ COMMITTED transaction, whatever level the session uses.
                if autocommit {
                    try await self.connection.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                } else if try await self.connection.query("SELECT current_setting('transaction_isolation')")[0]
                    .decode(String.self, at: 0) != "read committed"
                {
                    // A transaction snapshot older than the horizon could skip a commit below it.
                    throw SQLServerError.notSupported("sys.sp_cdc_scan inside a REPEATABLE READ, SNAPSHOT or SERIALIZABLE transaction")
                }
                _ = try await self.requireCDCSchema()
                _ = try await CaptureJob.scan(
                    self.connection, databaseID: self.databaseRecord.id,
                    maxTransactions: Int((values["maxtrans"] ?? nil) ?? "500") ?? 500,
                    maxScans: Int((values["maxscans"] ?? nil) ?? "10") ?? 10, ownTransaction: false)
            }
        case "sp_cdc_cleanup_change_table":
            let values = try await bindCDC(
                procedure,
                [
                    CDCParameter(name: "capture_instance", type: sysname, isRequired: true),
                    CDCParameter(name: "low_water_mark", type: SQLServerType(.binary, length: .bounded(10)), isRequired: true),
                    CDCParameter(name: "threshold", type: .bigint, isRequired: true),
                    CDCParameter(name: "fcleanupfailed", type: .bit),
                ], arguments)
            try await atomically {
                let schema = try await self.requireCDCSchema()
                let name = (values["capture_instance"] ?? nil) ?? ""
                guard let instance = try await CaptureInstance.load(self.connection, databaseID: self.databaseRecord.id, named: name) else {
                    throw Self.unknownCaptureInstance(name)
                }
                let mark = (values["low_water_mark"] ?? nil).map { Self.hex(fromByteaText: $0) }
                _ = try await ChangeCleanup.cleanup(
                    self.connection, schema: schema, instance: instance, lowWaterMark: mark,
                    threshold: Int((values["threshold"] ?? nil) ?? "5000") ?? 5000)
            }
            var outputs: [Int: Variable] = [:]
            if let index = arguments.indices.first(where: { index in
                arguments[index].isOutput && (arguments[index].name?.lowercased() == "@fcleanupfailed" || (arguments[index].name == nil && index == 3))
            }) {
                outputs[index] = Variable(type: .bit, text: "0")
            }
            return (0, outputs)
        case "sp_cdc_start_job", "sp_cdc_stop_job":
            let values = try await bindCDC(procedure, [CDCParameter(name: "job_type", type: .nvarchar(20))], arguments)
            let jobType = try Self.jobType((values["job_type"] ?? nil) ?? "capture")
            try await atomically {
                _ = try await self.requireCDCSchema()
                try await self.connection.query(
                    "UPDATE sqlserver_catalog.cdc_jobs SET is_running = $3 WHERE database_id = $1 AND job_type = $2",
                    [.int64(Int64(self.databaseRecord.id)), .text(jobType), .bool(procedure == "sp_cdc_start_job")])
            }
        case "sp_cdc_change_job":
            let values = try await bindCDC(
                procedure,
                [
                    CDCParameter(name: "job_type", type: .nvarchar(20)), CDCParameter(name: "maxtrans", type: .int),
                    CDCParameter(name: "maxscans", type: .int), CDCParameter(name: "continuous", type: .bit),
                    CDCParameter(name: "pollinginterval", type: .bigint), CDCParameter(name: "retention", type: .bigint),
                    CDCParameter(name: "threshold", type: .bigint),
                ], arguments)
            let jobType = try Self.jobType((values["job_type"] ?? nil) ?? "capture")
            try await atomically {
                _ = try await self.requireCDCSchema()
                var assignments: [String] = []
                for (key, cast) in [("maxtrans", "integer"), ("maxscans", "integer"), ("pollinginterval", "bigint"), ("retention", "bigint"), ("threshold", "bigint")] {
                    if let value = values[key] ?? nil, let number = Int64(value) {
                        assignments.append("\(key) = \(number)::\(cast)")
                    }
                }
                if let continuous = values["continuous"] ?? nil { assignments.append("continuous = \(continuous == "1")") }
                guard !assignments.isEmpty else { return }
                try await self.connection.query(
                    "UPDATE sqlserver_catalog.cdc_jobs SET \(assignments.joined(separator: ", ")) WHERE database_id = $1 AND job_type = $2",
                    [.int64(Int64(self.databaseRecord.id)), .text(jobType)])
            }
        case "sp_cdc_help_jobs":
            _ = try await bindCDC(procedure, [], arguments)
            let set = try await atomically {
                _ = try await self.requireCDCSchema()
                let rows = try await self.connection.query(
                    """
                    SELECT gen_random_uuid()::text, job_type, 'cdc.' || $2 || '_' || job_type, maxtrans::text, maxscans::text,
                        (CASE WHEN continuous THEN 1 ELSE 0 END)::text, pollinginterval::text, retention::text, threshold::text
                    FROM sqlserver_catalog.cdc_jobs WHERE database_id = $1 ORDER BY job_type
                    """, [.int64(Int64(self.databaseRecord.id)), .text(self.databaseRecord.name)])
                let columns: [(String, SQLServerType)] = [
                    ("job_id", .uniqueidentifier), ("job_type", .nvarchar(20)), ("job_name", sysname), ("maxtrans", .int),
                    ("maxscans", .int), ("continuous", .bit), ("pollinginterval", .bigint), ("retention", .bigint), ("threshold", .bigint),
                ]
                return try Self.resultSet(rows, columns: columns.map {
                    BoundColumn(name: $0.0, pgExpression: "", type: $0.1, isNullable: true, isIdentity: false)
                })
            }
            results.append(.resultSet(set))
        default:
            return nil
        }
        return (0, [:])
    }

    /// Binds arguments (positional, then by name) to a CDC procedure's parameters: name (without
    /// `@`, lower-cased) → value as text, `nil` for NULL; omitted parameters are absent.
    func bindCDC(_ procedure: String, _ parameters: [CDCParameter], _ arguments: [ProcedureArgument]) async throws -> [String: String?] {
        if arguments.count > parameters.count {
            throw SQLServerError(code: .init(8144), message: "Procedure or function \(procedure) has too many arguments specified.")
        }
        var values: [String: String?] = [:]
        for (index, argument) in arguments.enumerated() {
            let parameter: CDCParameter
            if let name = argument.name {
                let key = name.hasPrefix("@") ? String(name.dropFirst()).lowercased() : name.lowercased()
                guard let named = parameters.first(where: { $0.name == key }) else {
                    throw SQLServerError(code: .init(8145), message: "\(name) is not a parameter for procedure \(procedure).")
                }
                parameter = named
            } else {
                parameter = parameters[index]
            }
            switch argument.value {
            case .default: continue
            case .expression(let expression): values[parameter.name] = .some(try await evaluate(expression, as: parameter.type))
            case .value(let variable): values[parameter.name] = .some(variable.text)
            }
        }
        for parameter in parameters where parameter.isRequired && values[parameter.name] == nil {
            throw SQLServerError(
                code: .init(201),
                message: "Procedure or function '\(procedure)' expects parameter '@\(parameter.name)', which was not supplied.")
        }
        return values
    }

    static func jobType(_ text: String) throws -> String {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard value == "capture" || value == "cleanup" else {
            throw SQLServerError(
                code: .init(22992),
                message: "The specified @job_type, '\(text)', is not valid. Valid values are 'capture' and 'cleanup'.")
        }
        return value
    }

    /// `\x0000…` (PostgreSQL's text of a bytea) or `0x…` as bare hex digits.
    static func hex(fromByteaText text: String) -> String {
        var value = Substring(text)
        if value.hasPrefix("\\x") || value.hasPrefix("0x") || value.hasPrefix("0X") { value = value.dropFirst(2) }
        return value.lowercased()
    }

    static func unknownCaptureInstance(_ name: String) -> SQLServerError {
        SQLServerError(
            code: .init(22985),
            message: "Could not find the capture instance '\(name)' in the current database. Specify a valid capture instance name and retry the operation.")
    }

    /// The PostgreSQL schema of the current database's `cdc` schema, or Msg 22901.
    func requireCDCSchema() async throws -> String {
        guard let schema = try await CaptureScanner.cdcSchema(connection, databaseID: databaseRecord.id) else {
            throw SQLServerError(
                code: .init(22901),
                message: "The database '\(databaseRecord.name)' is not enabled for Change Data Capture. Ensure that the correct database context is set and retry the operation. To report on the databases enabled for Change Data Capture, query the is_cdc_enabled column in the sys.databases catalog view.")
        }
        return schema
    }

    /// Runs engine DDL written in T-SQL (the `cdc` tables are ordinary catalog tables).
    func runCDCDefinition(_ text: String) async throws {
        for statement in try TSQLParser.parse(text).statements {
            switch statement.kind {
            case .createTable(let create): try await createTable(create)
            case .createIndex(let create): try await createIndex(create)
            default: throw SQLServerError.notSupported("CDC definition statement")
            }
        }
    }

    // MARK: Databases

    func enableCDCDatabase() async throws {
        if try await CaptureScanner.cdcSchema(connection, databaseID: databaseRecord.id) != nil { return }
        if databaseRecord.id == 1 {
            throw SQLServerError(
                code: .init(22988),
                message: "This instance of SQL Server is the Developer Edition (64-bit). Change data capture is not available for the system database 'master'.")
        }
        if try await catalog.schema(in: databaseRecord, named: "cdc") == nil {
            _ = try await catalog.createSchema(in: databaseRecord, named: "cdc")
        }
        try await runCDCDefinition(CDCSchema.metadataTables)
        try await connection.query(
            """
            INSERT INTO sqlserver_catalog.cdc_databases (database_id) VALUES ($1);
            """, [.int64(Int64(databaseRecord.id))])
        try await connection.query(
            """
            INSERT INTO sqlserver_catalog.cdc_jobs (database_id, job_type) VALUES ($1, 'capture'), ($1, 'cleanup')
            ON CONFLICT DO NOTHING
            """, [.int64(Int64(databaseRecord.id))])
    }

    func disableCDCDatabase() async throws {
        let schema = try await requireCDCSchema()
        for instance in try await CaptureInstance.load(connection, databaseID: databaseRecord.id) {
            let source = try await catalog.table(in: databaseRecord, objectID: instance.sourceObjectID)
            try await dropCaptureInstance(instance, schema: schema, source: source)
        }
        guard let cdc = try await catalog.schema(in: databaseRecord, named: "cdc") else { return }
        for object in try await catalog.objects(in: databaseRecord) where object.schemaID == cdc.id && object.type == "U" {
            try await catalog.deleteObject(databaseID: databaseRecord.id, objectID: object.objectID)
        }
        try await connection.execute("DROP SCHEMA IF EXISTS \(PostgresIdentifier.quote(schema)) CASCADE")
        let id = Int64(databaseRecord.id)
        try await connection.query(
            "DELETE FROM sqlserver_catalog.schemas WHERE database_id = $1 AND schema_id = $2", [.int64(id), .int64(Int64(cdc.id))])
        try await connection.query("DELETE FROM sqlserver_catalog.cdc_jobs WHERE database_id = $1", [.int64(id)])
        try await connection.query("DELETE FROM sqlserver_catalog.cdc_pending WHERE database_id = $1", [.int64(id)])
        try await connection.query("DELETE FROM sqlserver_catalog.cdc_databases WHERE database_id = $1", [.int64(id)])
    }

    // MARK: Tables

    /// An LSN taken under the commit lock: later than every committed change, earlier than every
    /// change committed after it (what a capture instance's start and a DDL's LSN need).
    func allocateCDCLSN() async throws -> Int64 {
        try await connection.query("SELECT pg_advisory_xact_lock(\(CDCSchema.commitLock))")
        return try await connection.query("SELECT nextval('sqlserver_catalog.cdc_lsns')")[0].decode(Int64.self, at: 0)
    }

    func enableCDCTable(_ values: [String: String?]) async throws {
        let schema = try await requireCDCSchema()
        func value(_ key: String) -> String? { values[key] ?? nil }
        let sourceSchema = value("source_schema") ?? "dbo"
        let sourceName = value("source_name") ?? ""
        let table = try await translator.resolveTable(ObjectName(Identifier(sourceSchema), Identifier(sourceName)))
        let existing = try await CaptureInstance.load(connection, databaseID: databaseRecord.id, sourceObjectID: table.objectID)
        if existing.count >= 2 {
            throw SQLServerError(
                code: .init(22962),
                message: "Two capture instances already exist for source table '\(table.schema.name).\(table.name)'. A table can have at most two capture instances. If the current tracking options are not appropriate, disable change tracking for the obsolete instance by using sys.sp_cdc_disable_table and retry the operation.")
        }
        let name = value("capture_instance") ?? "\(table.schema.name)_\(table.name)"
        if name.count > 100 {
            throw SQLServerError(
                code: .init(22927),
                message: "The length of the capture instance name '\(name)' exceeds the maximum of 100 characters.")
        }
        if try await CaptureInstance.load(connection, databaseID: databaseRecord.id, named: name) != nil {
            throw SQLServerError(
                code: .init(22926),
                message: "Could not create a capture instance because the capture instance name '\(name)' already exists in the current database. Specify an explicit unique name for the parameter @capture_instance.")
        }
        // The unique index that identifies rows: @index_name, else the primary key.
        var index: IndexMetadata?
        if let indexName = value("index_name") {
            guard let named = table.definition.indexes.first(where: { $0.name.lowercased() == indexName.lowercased() }), named.isUnique else {
                throw SQLServerError(
                    code: .init(22940),
                    message: "Could not locate index '\(indexName)' on source table '\(table.twoPartName)', or it is not a unique index. Specify a unique index or primary key of the source table.")
            }
            index = named
        } else {
            index = table.definition.primaryKey
        }
        let supportsNet = value("supports_net_changes").map { $0 == "1" } ?? (index != nil)
        if supportsNet, index == nil {
            throw SQLServerError(
                code: .init(22939),
                message: "The parameter @supports_net_changes is set to 1, but the source table does not have a primary key defined and no alternate unique index has been specified.")
        }
        // Captured columns: the list (names may be bracketed or quoted), else every column; in
        // source column order either way.
        var captured = table.definition.columns
        if let list = value("captured_column_list") {
            var names: [String] = []
            for item in list.split(separator: ",") {
                var text = item.trimmingCharacters(in: .whitespaces)
                if (text.hasPrefix("[") && text.hasSuffix("]")) || (text.hasPrefix("\"") && text.hasSuffix("\"")), text.count >= 2 {
                    text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "]]", with: "]")
                }
                guard table.definition.column(named: text) != nil else {
                    throw SQLServerError(
                        code: .init(22834),
                        message: "Column '\(text)' in @captured_column_list is not a column of source table '\(table.twoPartName)'.")
                }
                names.append(text.lowercased())
            }
            captured = table.definition.columns.filter { names.contains($0.name.lowercased()) }
        }
        for key in index?.keyColumns ?? [] where !captured.contains(where: { $0.name.lowercased() == key.name.lowercased() }) {
            throw SQLServerError(
                code: .init(22945),
                message: "Could not create the capture instance: index column '\(key.name)' of source table '\(table.twoPartName)' must be included in @captured_column_list.")
        }

        // The change table.
        func quoted(_ name: String) -> String { "[" + name.replacingOccurrences(of: "]", with: "]]") + "]" }
        func changeType(_ column: ColumnMetadata) -> String {
            column.type.base == .rowversion ? "binary(8)" : (column.systemType.isEmpty ? "sql_variant" : column.systemType)
        }
        let changeTableName = "\(name)_CT"
        var definitions = [
            "[__$start_lsn] binary(10) NOT NULL", "[__$end_lsn] binary(10) NULL", "[__$seqval] binary(10) NOT NULL",
            "[__$operation] int NOT NULL", "[__$update_mask] varbinary(128) NULL",
        ]
        definitions += captured.map { "\(quoted($0.name)) \(changeType($0)) NULL" }
        definitions.append("[__$command_id] int NULL")
        try await runCDCDefinition(
            """
            CREATE TABLE cdc.\(quoted(changeTableName)) (\(definitions.joined(separator: ", ")));
            CREATE UNIQUE CLUSTERED INDEX \(quoted("\(changeTableName)_clustered_idx")) ON cdc.\(quoted(changeTableName))
                ([__$start_lsn] ASC, [__$command_id] ASC, [__$seqval] ASC, [__$operation] ASC);
            """)
        let changeTable = try await translator.resolveTable(ObjectName(Identifier("cdc"), Identifier(changeTableName)))
        let createdLSN = try await allocateCDCLSN()

        var columns: [CaptureInstance.Column] = []
        for (position, column) in captured.enumerated() {
            let type = column.type
            let largeValue: CaptureInstance.LargeValueKind =
                switch type.base {
                case .text, .ntext, .image: .legacy
                case .xml: .max
                case .varchar, .nvarchar, .varbinary: type.length == .max ? .max : .none
                default: .none
                }
            columns.append(
                CaptureInstance.Column(
                    name: column.name, sourcePgName: column.pgName,
                    changePgName: changeTable.definition.column(named: column.name)?.pgName ?? column.pgName,
                    columnID: column.columnID, ordinal: position + 1, systemType: changeType(column),
                    typeName: type.base == .rowversion ? "timestamp" : type.base.rawValue,
                    isComputed: column.computedDefinition != nil, largeValue: largeValue))
        }
        let instance = CaptureInstance(
            name: name, databaseID: databaseRecord.id, sourceObjectID: table.objectID, sourceSchema: table.schema.name,
            sourceTable: table.name, changeTableID: changeTable.objectID, changeTablePg: changeTable.pgQualifiedName,
            createdLSN: createdLSN, supportsNetChanges: supportsNet, roleName: value("role_name"), indexName: index?.name,
            filegroupName: value("filegroup_name"), columns: columns, keyColumns: index?.keyColumns.map(\.name) ?? [])
        try await instance.save(connection)

        // The public metadata.
        let tables = ChangeCleanup.Tables(schema: schema)
        let ct = Int64(changeTable.objectID)
        try await connection.query(
            """
            INSERT INTO \(tables.changeTables) (object_id, version, source_object_id, capture_instance, start_lsn, end_lsn,
                supports_net_changes, has_drop_pending, role_name, index_name, filegroup_name, create_date, partition_switch)
            VALUES ($1, 0, $2, $3, sqlserver_catalog.cdc_lsn($4), NULL, $5, NULL, $6, $7, $8, localtimestamp(3), $9)
            """,
            [
                .int64(ct), .int64(Int64(table.objectID)), .text(name), .int64(createdLSN), .int64(supportsNet ? 1 : 0),
                instance.roleName.map { .text($0) } ?? .null, instance.indexName.map { .text($0) } ?? .null,
                instance.filegroupName.map { .text($0) } ?? .null, .int64(value("allow_partition_switch") == "0" ? 0 : 1),
            ])
        let capturedTable = PostgresIdentifier.qualified(schema: schema, "captured_columns")
        for column in columns {
            try await connection.query(
                "INSERT INTO \(capturedTable) (object_id, column_name, column_id, column_type, column_ordinal, is_computed) VALUES ($1, $2, $3, $4, $5, $6)",
                [.int64(ct), .text(column.name), .int64(Int64(column.columnID)), .text(column.typeName), .int64(Int64(column.ordinal)), .int64(column.isComputed ? 1 : 0)])
        }
        let indexTable = PostgresIdentifier.qualified(schema: schema, "index_columns")
        for (ordinal, key) in (index?.keyColumns ?? []).enumerated() {
            try await connection.query(
                "INSERT INTO \(indexTable) (object_id, column_name, index_ordinal, column_id) VALUES ($1, $2, $3, $4)",
                [.int64(ct), .text(key.name), .int64(Int64(ordinal + 1)), .int64(Int64(table.definition.column(named: key.name)?.columnID ?? 0))])
        }

        // The row and statement triggers feeding the capture job (shared by a table's instances).
        try await connection.execute(
            """
            CREATE OR REPLACE TRIGGER cdc_capture AFTER INSERT OR UPDATE OR DELETE ON \(table.pgQualifiedName)
                FOR EACH ROW EXECUTE FUNCTION sqlserver_catalog.cdc_row('\(databaseRecord.id)', '\(table.objectID)');
            CREATE OR REPLACE TRIGGER cdc_command BEFORE INSERT OR UPDATE OR DELETE ON \(table.pgQualifiedName)
                FOR EACH STATEMENT EXECUTE FUNCTION sqlserver_catalog.cdc_statement();
            """)
    }

    /// Drops a capture instance: its change table and metadata; the source's triggers with the last one.
    func dropCaptureInstance(_ instance: CaptureInstance, schema: String, source: TableRecord?) async throws {
        let ct = Int64(instance.changeTableID)
        for table in ["change_tables", "captured_columns", "index_columns", "ddl_history"] {
            try await connection.query("DELETE FROM \(PostgresIdentifier.qualified(schema: schema, table)) WHERE object_id = $1", [.int64(ct)])
        }
        try await connection.execute("DROP TABLE IF EXISTS \(instance.changeTablePg)")
        try await catalog.deleteObject(databaseID: instance.databaseID, objectID: instance.changeTableID)
        try await connection.query(
            "DELETE FROM sqlserver_catalog.cdc_instances WHERE database_id = $1 AND name_key = $2",
            [.int64(Int64(instance.databaseID)), .text(instance.nameKey)])
        let remaining = try await CaptureInstance.load(connection, databaseID: instance.databaseID, sourceObjectID: instance.sourceObjectID)
        if remaining.isEmpty, let source {
            try await connection.execute(
                """
                DROP TRIGGER IF EXISTS cdc_capture ON \(source.pgQualifiedName);
                DROP TRIGGER IF EXISTS cdc_command ON \(source.pgQualifiedName);
                """)
        }
    }

    /// `sys.sp_cdc_help_change_data_capture`: one row per capture instance (of one table, or all).
    func helpChangeDataCapture(_ values: [String: String?]) async throws -> ResultSet {
        let schema = try await requireCDCSchema()
        var condition = ""
        if let sourceName = values["source_name"] ?? nil {
            let table = try await translator.resolveTable(
                ObjectName(Identifier((values["source_schema"] ?? nil) ?? "dbo"), Identifier(sourceName)))
            condition = "WHERE ct.source_object_id = \(table.objectID)"
        }
        let q = { (table: String) in PostgresIdentifier.qualified(schema: schema, table) }
        let rows = try await connection.query(
            """
            SELECT s.name, o.name, ct.capture_instance, ct.object_id::text, ct.source_object_id::text, ct.start_lsn::text,
                ct.end_lsn::text, ct.supports_net_changes::text, ct.has_drop_pending::text, ct.role_name, ct.index_name,
                ct.filegroup_name, ct.create_date::text,
                (SELECT string_agg('[' || replace(ic.column_name::text COLLATE "C", ']', ']]') || ']', ', ' ORDER BY ic.index_ordinal)
                    FROM \(q("index_columns")) ic WHERE ic.object_id = ct.object_id),
                (SELECT string_agg('[' || replace(cc.column_name::text COLLATE "C", ']', ']]') || ']', ', ' ORDER BY cc.column_ordinal)
                    FROM \(q("captured_columns")) cc WHERE cc.object_id = ct.object_id)
            FROM \(q("change_tables")) ct
            JOIN sqlserver_catalog.objects o ON o.database_id = \(databaseRecord.id) AND o.object_id = ct.source_object_id
            JOIN sqlserver_catalog.schemas s ON s.database_id = o.database_id AND s.schema_id = o.schema_id
            \(condition)
            ORDER BY s.name, o.name, ct.capture_instance
            """)
        let sysname = SQLServerType.nvarchar(128)
        let lsn = SQLServerType(.binary, length: .bounded(10))
        let columns: [(String, SQLServerType)] = [
            ("source_schema", sysname), ("source_table", sysname), ("capture_instance", sysname), ("object_id", .int),
            ("source_object_id", .int), ("start_lsn", lsn), ("end_lsn", lsn), ("supports_net_changes", .bit),
            ("has_drop_pending", .bit), ("role_name", sysname), ("index_name", sysname), ("filegroup_name", sysname),
            ("create_date", .datetime), ("index_column_list", .nvarcharMax), ("captured_column_list", .nvarcharMax),
        ]
        return try Self.resultSet(rows, columns: columns.map {
            BoundColumn(name: $0.0, pgExpression: "", type: $0.1, isNullable: true, isIdentity: false)
        })
    }
}
