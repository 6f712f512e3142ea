import Postgres

/// One pass of the capture job over one database, as SQL Server's log reader does it: up to
/// `maxtrans` committed transactions, in commit-LSN order, into the change tables of every capture
/// instance of the database that existed when they committed, with their `cdc.lsn_time_mapping`
/// rows; when there is nothing to capture, an idle mapping row (`tran_id = 0x00`) so that
/// `sys.fn_cdc_get_max_lsn()` still advances.
///
/// The caller owns the PostgreSQL transaction: everything a pass writes commits (or not) at once,
/// so a crash never loses or doubles a change.
enum CaptureScanner {
    /// What one pass did.
    struct PassResult: Sendable {
        /// Committed transactions moved into the change tables.
        var transactions: Int
        /// Change table rows written.
        var changeRows: Int
        /// Whether the pass wrote an idle mapping row.
        var wroteIdleRow: Bool
    }

    /// The PostgreSQL schema of a database's `cdc` schema, nil when CDC is not enabled.
    static func cdcSchema(_ connection: PostgresConnection, databaseID: Int) async throws -> String? {
        let rows = try await connection.query(
            """
            SELECT s.pg_schema FROM sqlserver_catalog.cdc_databases d
            JOIN sqlserver_catalog.schemas s ON s.database_id = d.database_id AND s.name_key = 'cdc'
            WHERE d.database_id = $1
            """, [.int64(Int64(databaseID))])
        return try rows.first?.decode(String.self, at: 0)
    }

    /// Runs one pass; the caller is inside a transaction.
    static func pass(_ connection: PostgresConnection, databaseID: Int, maxTransactions: Int) async throws -> PassResult {
        guard let schema = try await cdcSchema(connection, databaseID: databaseID) else {
            return PassResult(transactions: 0, changeRows: 0, wroteIdleRow: false)
        }
        try await connection.query("SELECT pg_advisory_xact_lock(\(CDCSchema.scanLock))")
        let mapping = PostgresIdentifier.qualified(schema: schema, "lsn_time_mapping")
        let commits = try await connection.query(
            """
            SELECT c.commit_lsn FROM sqlserver_catalog.cdc_commits c
            WHERE EXISTS (SELECT 1 FROM sqlserver_catalog.cdc_pending p WHERE p.xid = c.xid AND p.database_id = $1)
            ORDER BY c.commit_lsn LIMIT $2
            """, [.int64(Int64(databaseID)), .int64(Int64(max(1, maxTransactions)))])
        guard let last = commits.last else {
            // Idle: under the commit lock no transaction is between its LSN and its commit, so
            // an LSN taken now is above every commit the next pass can find.
            try await connection.query("SELECT pg_advisory_xact_lock(\(CDCSchema.commitLock))")
            let late = try await connection.query(
                "SELECT 1 FROM sqlserver_catalog.cdc_pending WHERE database_id = $1 LIMIT 1", [.int64(Int64(databaseID))])
            if !late.isEmpty { return PassResult(transactions: 0, changeRows: 0, wroteIdleRow: false) }
            try await connection.execute(
                """
                INSERT INTO \(mapping) (start_lsn, tran_begin_time, tran_end_time, tran_id, tran_begin_lsn)
                SELECT sqlserver_catalog.cdc_lsn(v), localtimestamp(3), localtimestamp(3), decode('00', 'hex'), NULL
                FROM nextval('sqlserver_catalog.cdc_lsns') AS v
                """)
            return PassResult(transactions: 0, changeRows: 0, wroteIdleRow: true)
        }
        let upTo = try last.decode(Int64.self, at: 0)
        var changeRows = 0
        for instance in try await CaptureInstance.load(connection, databaseID: databaseID) {
            let written = try await connection.execute(captureSQL(instance, databaseID: databaseID, upTo: upTo))
            changeRows += written.affectedRowCount ?? 0
        }
        try await connection.execute(
            """
            INSERT INTO \(mapping) (start_lsn, tran_begin_time, tran_end_time, tran_id, tran_begin_lsn)
            SELECT sqlserver_catalog.cdc_lsn(c.commit_lsn), c.begin_time, c.end_time, sqlserver_catalog.cdc_tran_id(c.xid),
                sqlserver_catalog.cdc_lsn(c.first_lsn)
            FROM sqlserver_catalog.cdc_commits c
            WHERE c.commit_lsn <= \(upTo)
              AND EXISTS (SELECT 1 FROM sqlserver_catalog.cdc_pending p WHERE p.xid = c.xid AND p.database_id = \(databaseID))
            ORDER BY c.commit_lsn;
            DELETE FROM sqlserver_catalog.cdc_pending p USING sqlserver_catalog.cdc_commits c
            WHERE p.xid = c.xid AND c.commit_lsn <= \(upTo) AND p.database_id = \(databaseID);
            DELETE FROM sqlserver_catalog.cdc_commits c
            WHERE c.commit_lsn <= \(upTo) AND NOT EXISTS (SELECT 1 FROM sqlserver_catalog.cdc_pending p WHERE p.xid = c.xid);
            """)
        return PassResult(transactions: commits.count, changeRows: changeRows, wroteIdleRow: false)
    }

    /// The INSERT … SELECT moving one instance's changes (commits up to `upTo`) into its change table.
    ///
    /// Each pending update yields an op-3 row (before image) and an op-4 row (after image) with the
    /// same `__$seqval`; the seqval of a change is its transaction's first LSN plus its position
    /// among the transaction's changes in this database.
    static func captureSQL(_ instance: CaptureInstance, databaseID: Int, upTo: Int64) -> String {
        let columns = instance.columns.sorted { $0.ordinal < $1.ordinal }
        let changed: (CaptureInstance.Column) -> String = { column in
            let key = PostgresLiteral.quote(column.sourcePgName)
            return "((p.old_image -> \(key)) IS DISTINCT FROM (p.new_image -> \(key)))"
        }
        var targets = ["__$start_lsn", "__$end_lsn", "__$seqval", "__$operation", "__$update_mask"].map(PostgresIdentifier.quote)
        var values = [
            "sqlserver_catalog.cdc_lsn(p.commit_lsn)", "NULL",
            "sqlserver_catalog.cdc_lsn(p.first_lsn + p.position - 1)", "v.op",
            "CASE WHEN v.op IN (1, 2) THEN \(fullMask(count: columns.last?.ordinal ?? 0)) ELSE \(changedMask(columns, changed: changed)) END",
        ]
        for column in columns {
            targets.append(PostgresIdentifier.quote(column.changePgName))
            let type = SQLServerType(declaration: column.systemType) ?? SQLServerType(.sqlVariant)
            let key = PostgresLiteral.quote(column.sourcePgName)
            var value: String
            if type.base == .datetimeoffset || type.hasSeventhDigit {
                // Composites (the 100 ns types, datetimeoffset) are objects in the row image.
                value = "CASE WHEN jsonb_typeof(v.image -> \(key)) = 'object' THEN jsonb_populate_record(NULL::\(type.postgresStorageType), v.image -> \(key)) END"
            } else {
                value = "CAST(v.image ->> \(key) AS \(type.postgresCastType))"
            }
            switch column.largeValue {
            case .none: break
            case .max: value = "CASE WHEN v.op = 3 AND NOT \(changed(column)) THEN NULL ELSE \(value) END"
            case .legacy: value = "CASE WHEN v.op IN (1, 3) THEN NULL ELSE \(value) END"
            }
            if column.isComputed { value = "CAST(NULL AS \(type.postgresCastType))" }
            values.append(value)
        }
        targets.append(PostgresIdentifier.quote("__$command_id"))
        values.append("p.command_id")
        return """
            INSERT INTO \(instance.changeTablePg) (\(targets.joined(separator: ", ")))
            SELECT \(values.joined(separator: ", "))
            FROM (
                SELECT p.*, c.commit_lsn, c.first_lsn, row_number() OVER (PARTITION BY p.xid ORDER BY p.change_id) AS position
                FROM sqlserver_catalog.cdc_pending p JOIN sqlserver_catalog.cdc_commits c ON c.xid = p.xid
                WHERE p.database_id = \(databaseID) AND c.commit_lsn <= \(upTo)
            ) AS p
            CROSS JOIN LATERAL (
                SELECT 1 AS op, p.old_image AS image WHERE p.operation = 1
                UNION ALL SELECT 2, p.new_image WHERE p.operation = 2
                UNION ALL SELECT 3, p.old_image WHERE p.operation = 3
                UNION ALL SELECT 4, p.new_image WHERE p.operation = 3
            ) AS v
            WHERE p.object_id = \(instance.sourceObjectID) AND p.commit_lsn > \(instance.createdLSN)
            ORDER BY p.commit_lsn, p.position, v.op
            """
    }

    /// All bits of `count` columns set: ceil(count/8) bytes, the last holding ordinals 1–8.
    static func fullMask(count: Int) -> String {
        let bytes = max(1, (count + 7) / 8)
        var hex = ""
        for index in 0..<bytes {
            let low = (bytes - 1 - index) * 8 + 1
            let bits = max(0, min(8, count - low + 1))
            let byte = bits == 8 ? 0xFF : (1 << bits) - 1
            hex += String(byte, radix: 16).leftPadded(to: 2)
        }
        return "decode('\(hex)', 'hex')"
    }

    /// The mask of the columns an update changed (the same layout as ``fullMask(count:)``).
    static func changedMask(_ columns: [CaptureInstance.Column], changed: (CaptureInstance.Column) -> String) -> String {
        let count = columns.last?.ordinal ?? 0
        let bytes = max(1, (count + 7) / 8)
        var parts: [String] = []
        for index in 0..<bytes {
            let low = (bytes - 1 - index) * 8 + 1
            let terms = columns.filter { $0.ordinal >= low && $0.ordinal < low + 8 }.map { column in
                "CASE WHEN \(changed(column)) THEN \(1 << (column.ordinal - low)) ELSE 0 END"
            }
            parts.append("lpad(to_hex(\(terms.isEmpty ? "0" : terms.joined(separator: " + "))), 2, '0')")
        }
        return "decode(\(parts.joined(separator: " || ")), 'hex')"
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
