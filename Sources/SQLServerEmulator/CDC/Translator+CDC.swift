import Postgres
import TSQL

/// Change data capture's query surface: the `sys.fn_cdc_*` scalar functions and the generated
/// table-valued functions `cdc.fn_cdc_get_all_changes_<ci>` and `cdc.fn_cdc_get_net_changes_<ci>`,
/// translated like any other expression or FROM item (so they work with variables, parameters,
/// inline `sys.fn_cdc_get_max_lsn()`, joins and ORDER BY).
extension Translator {
    static let lsnType = SQLServerType(.binary, length: .bounded(10))
    static let maskType = SQLServerType(.varbinary, length: .bounded(128))

    /// The PostgreSQL name of a table in the current database's `cdc` schema, or Msg 208 naming it.
    func cdcTable(_ name: String) async throws -> TableRecord {
        try await resolveTable(ObjectName(Identifier("cdc"), Identifier(name)))
    }

    // MARK: Scalar functions

    /// `sys.fn_cdc_*` (names upper-cased); arguments already translated.
    func cdcFunction(_ name: String, arguments: [TranslatedExpression]) async throws -> TranslatedExpression {
        func argument(_ index: Int) throws(SQLServerError) -> TranslatedExpression {
            guard index < arguments.count else {
                throw SQLServerError(
                    code: .init(313),
                    message: "An insufficient number of arguments were supplied for the procedure or function sys.\(name.lowercased()).",
                    abortsBatch: true)
            }
            return arguments[index]
        }
        func bytes(_ index: Int) throws(SQLServerError) -> String { "(\(try argument(index).sql))::bytea" }
        func text(_ index: Int) throws(SQLServerError) -> String { "(\(try argument(index).sql))::text" }
        switch name {
        case "FN_CDC_GET_MAX_LSN":
            let mapping = try await cdcTable("lsn_time_mapping")
            return TranslatedExpression(sql: "(SELECT sqlserver_catalog.binary_max(m.start_lsn) FROM \(mapping.pgQualifiedName) AS m)", type: Self.lsnType)
        case "FN_CDC_GET_MIN_LSN":
            let zero = "decode('00000000000000000000', 'hex')"
            guard let changeTables = try? await cdcTable("change_tables") else {
                return TranslatedExpression(sql: zero, type: Self.lsnType, isNullable: false)
            }
            return TranslatedExpression(
                sql: "coalesce((SELECT c.start_lsn FROM \(changeTables.pgQualifiedName) AS c WHERE c.capture_instance = \(try text(0))), \(zero))",
                type: Self.lsnType)
        case "FN_CDC_INCREMENT_LSN", "FN_CDC_DECREMENT_LSN":
            let delta = name == "FN_CDC_INCREMENT_LSN" ? 1 : -1
            return TranslatedExpression(sql: "sqlserver_catalog.cdc_lsn_add(\(try bytes(0)), \(delta))", type: Self.lsnType)
        case "FN_CDC_MAP_LSN_TO_TIME":
            let mapping = try await cdcTable("lsn_time_mapping")
            return TranslatedExpression(
                sql: "(SELECT m.tran_end_time FROM \(mapping.pgQualifiedName) AS m WHERE m.start_lsn = \(try bytes(0)) LIMIT 1)",
                type: .datetime)
        case "FN_CDC_MAP_TIME_TO_LSN":
            let mapping = try await cdcTable("lsn_time_mapping").pgQualifiedName
            let time = convert(try argument(1), to: .datetime, style: nil, implicit: true).sql
            let op = "lower(btrim(\(try text(0))))"
            return TranslatedExpression(
                sql: """
                    (CASE \(op)
                    WHEN 'largest less than' THEN (SELECT sqlserver_catalog.binary_max(m.start_lsn) FROM \(mapping) AS m WHERE m.tran_end_time < \(time))
                    WHEN 'largest less than or equal' THEN (SELECT sqlserver_catalog.binary_max(m.start_lsn) FROM \(mapping) AS m WHERE m.tran_end_time <= \(time))
                    WHEN 'smallest greater than' THEN (SELECT sqlserver_catalog.binary_min(m.start_lsn) FROM \(mapping) AS m WHERE m.tran_end_time > \(time))
                    WHEN 'smallest greater than or equal' THEN (SELECT sqlserver_catalog.binary_min(m.start_lsn) FROM \(mapping) AS m WHERE m.tran_end_time >= \(time))
                    END)
                    """, type: Self.lsnType)
        case "FN_CDC_IS_BIT_SET":
            return TranslatedExpression(
                sql: "sqlserver_catalog.cdc_is_bit_set((\(try argument(0).sql))::integer, \(try bytes(1)))", type: .bit)
        case "FN_CDC_GET_COLUMN_ORDINAL", "FN_CDC_HAS_COLUMN_CHANGED":
            let changeTables = try await cdcTable("change_tables").pgQualifiedName
            let captured = try await cdcTable("captured_columns").pgQualifiedName
            let ordinal = """
                (SELECT cc.column_ordinal FROM \(captured) AS cc JOIN \(changeTables) AS ct ON ct.object_id = cc.object_id
                WHERE ct.capture_instance = \(try text(0)) AND cc.column_name = \(try text(1)))
                """
            if name == "FN_CDC_GET_COLUMN_ORDINAL" { return TranslatedExpression(sql: ordinal, type: .int) }
            return TranslatedExpression(sql: "sqlserver_catalog.cdc_is_bit_set(\(ordinal), \(try bytes(2)))", type: .bit)
        default:
            throw SQLServerError(
                code: .unknownFunction, message: "'\(name.lowercased())' is not a recognized built-in function name.", abortsBatch: true)
        }
    }

    // MARK: Table-valued functions

    /// `cdc.fn_cdc_get_all_changes_<ci>(from, to, option)` or `cdc.fn_cdc_get_net_changes_<ci>(…)` as
    /// a FROM item; nil when `call` names neither.
    func cdcTableFunction(
        _ call: FunctionCall, alias: Identifier?, into sources: inout [BoundSource], parent: Scope?, ctes: [String: TranslatedQuery],
        nullable: Bool
    ) async throws -> String? {
        guard call.name.schema?.value.lowercased() == "cdc" else { return nil }
        let functionName = call.name.name.value
        let lowered = functionName.lowercased()
        let isNet: Bool
        let instanceName: String
        if lowered.hasPrefix("fn_cdc_get_all_changes_") {
            isNet = false
            instanceName = String(functionName.dropFirst("fn_cdc_get_all_changes_".count))
        } else if lowered.hasPrefix("fn_cdc_get_net_changes_") {
            isNet = true
            instanceName = String(functionName.dropFirst("fn_cdc_get_net_changes_".count))
        } else {
            return nil
        }
        let database = try await self.database(of: call.name)
        guard let instance = try await CaptureInstance.load(catalog.connection, databaseID: database.id, named: instanceName),
            !isNet || instance.supportsNetChanges
        else { throw SQLServerError.invalidObjectName(call.name.description) }
        let publicName = isNet ? "cdc.fn_cdc_get_net_changes_" : "cdc.fn_cdc_get_all_changes_"
        guard call.arguments.count == 3 else {
            throw SQLServerError(
                code: .init(313), state: 3,
                message: "An insufficient number of arguments were supplied for the procedure or function \(publicName) ... .",
                abortsBatch: true)
        }
        let empty = Scope(sources: [], parent: parent)
        var bounds: [String] = []
        for argument in call.arguments {
            bounds.append(try await expression(argument, scope: empty, ctes: ctes).sql)
        }
        let changeTable = try await resolveTable(ObjectName(Identifier("cdc"), Identifier("\(instance.name)_CT")))
        let changeTables = try await cdcTable("change_tables").pgQualifiedName
        let mapping = try await cdcTable("lsn_time_mapping").pgQualifiedName
        let options = isNet ? "ARRAY['all', 'all with mask', 'all with merge']" : "ARRAY['all', 'all update old']"
        let arguments = """
            (SELECT sqlserver_catalog.cdc_check_range((\(bounds[0]))::bytea, (\(bounds[1]))::bytea, (\(bounds[2]))::text,
                (SELECT c.start_lsn FROM \(changeTables) AS c WHERE c.capture_instance = \(PostgresLiteral.quote(instance.name))),
                (SELECT sqlserver_catalog.binary_max(m.start_lsn) FROM \(mapping) AS m), \(options), \(PostgresLiteral.quote(publicName))) AS option,
                (\(bounds[0]))::bytea AS low, (\(bounds[1]))::bytea AS high) AS args
            """
        func column(_ name: String) -> ColumnMetadata? { changeTable.definition.column(named: name) }
        func pg(_ name: String) -> String { "ct." + PostgresIdentifier.quote(column(name)?.pgName ?? name.lowercased()) }
        let captured = changeTable.definition.columns.filter { !$0.name.hasPrefix("__$") }
        var outputs: [(name: String, sql: String, type: SQLServerType, isNullable: Bool)] = []
        let body: String
        if !isNet {
            outputs = [
                ("__$start_lsn", pg("__$start_lsn"), Self.lsnType, false), ("__$seqval", pg("__$seqval"), Self.lsnType, false),
                ("__$operation", pg("__$operation"), .int, false), ("__$update_mask", pg("__$update_mask"), Self.maskType, true),
            ]
            outputs += captured.map { ($0.name, "ct." + PostgresIdentifier.quote($0.pgName), $0.type, true) }
            body = """
                SELECT \(outputs.enumerated().map { "\($1.sql) AS c\($0 + 1)" }.joined(separator: ", "))
                FROM \(arguments)
                CROSS JOIN LATERAL (SELECT * FROM \(changeTable.pgQualifiedName) AS x
                    WHERE x."__$start_lsn" >= args.low AND x."__$start_lsn" <= args.high
                      AND (x."__$operation" <> 3 OR args.option = 'all update old')) AS ct
                """
        } else {
            // Net changes: per key the last change in the window decides the values; the first
            // decides whether the row existed before (an insert first: it did not).
            let keys = instance.keyColumns.map { pg($0) }.joined(separator: ", ")
            let orderColumns = ["__$start_lsn", "__$command_id", "__$seqval", "__$operation"].map { pg($0) }
            let order = orderColumns.joined(separator: ", ")
            let reversed = orderColumns.map { $0 + " DESC" }.joined(separator: ", ")
            let window = "PARTITION BY \(keys)"
            outputs = [
                ("__$start_lsn", "n.\"__$start_lsn\"", Self.lsnType, false),
                ("__$operation", "n.net_operation", .int, true),
                ("__$update_mask", "n.net_mask", Self.maskType, true),
            ]
            outputs += captured.map { ($0.name, "n." + PostgresIdentifier.quote($0.pgName), $0.type, true) }
            body = """
                SELECT \(outputs.enumerated().map { "\($1.sql) AS c\($0 + 1)" }.joined(separator: ", "))
                FROM \(arguments)
                CROSS JOIN LATERAL (
                    SELECT w.*,
                        CASE WHEN args.option = 'all with merge' THEN (CASE WHEN w."__$operation" = 1 THEN 1 ELSE 5 END)
                             WHEN w."__$operation" = 1 THEN 1 WHEN w.first_operation = 2 THEN 2 ELSE 4 END AS net_operation,
                        CASE WHEN args.option = 'all with mask' AND w."__$operation" <> 1 AND w.first_operation <> 2
                             THEN w.update_masks END AS net_mask
                    FROM (
                        SELECT ct.*,
                            row_number() OVER (\(window) ORDER BY \(reversed)) AS position_from_last,
                            first_value(\(pg("__$operation"))) OVER (\(window) ORDER BY \(order)) AS first_operation,
                            sqlserver_catalog.cdc_mask_or(CASE WHEN \(pg("__$operation")) = 4 THEN \(pg("__$update_mask")) END)
                                OVER (\(window)) AS update_masks
                        FROM \(changeTable.pgQualifiedName) AS ct
                        WHERE ct."__$start_lsn" >= args.low AND ct."__$start_lsn" <= args.high AND ct."__$operation" <> 3
                    ) AS w
                    WHERE w.position_from_last = 1 AND NOT (w.first_operation = 2 AND w."__$operation" = 1)
                ) AS n
                """
        }
        let pgAlias = nextAlias()
        sources.append(
            BoundSource(
                exposedName: alias?.value ?? functionName, schemaName: nil,
                columns: outputs.enumerated().map { index, output in
                    BoundColumn(
                        name: output.name, pgExpression: "\(pgAlias).c\(index + 1)", type: output.type,
                        isNullable: output.isNullable || nullable, isIdentity: false)
                }))
        return "(\(body)) AS \(pgAlias)"
    }
}
