import Postgres

/// One scan cycle of the capture job over one database, as SQL Server's log reader does it: up to
/// `maxtrans` committed transactions, in commit-LSN order, into the change tables of every capture
/// instance of the database that existed when they committed, with their `cdc.lsn_time_mapping`
/// rows; when there is nothing to capture, an idle mapping row (`tran_id = 0x00`) so that
/// `sys.fn_cdc_get_max_lsn()` still advances.
///
/// A cycle is set-based inside PostgreSQL: one statement takes the transactions below the capture
/// horizon (`cdc_horizon()`, see ``CDCSchema``), deletes their pending changes, inserts them into
/// every change table and writes the mapping rows — no round trip per transaction or per change.
///
/// The caller owns the PostgreSQL transaction: everything a cycle writes commits (or not) at once,
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
        /// The highest commit LSN the pass captured: the next cycle of the same scan starts above
        /// it (its index scan then skips the entries this scan deleted).
        var lastCommitLSN: Int64? = nil
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

    /// Runs one scan cycle; the caller is inside a READ COMMITTED transaction (each statement must
    /// see the commits that finished before it started).
    static func pass(_ connection: PostgresConnection, databaseID: Int, maxTransactions: Int, after: Int64? = nil) async throws -> PassResult {
        guard let schema = try await cdcSchema(connection, databaseID: databaseID) else {
            return PassResult(transactions: 0, changeRows: 0, wroteIdleRow: false)
        }
        try await connection.query("SELECT pg_advisory_xact_lock(\(CDCSchema.scanLock))")
        let horizon = try await connection.query("SELECT sqlserver_catalog.cdc_horizon()")[0].decode(Int64.self, at: 0)
        let instances = try await CaptureInstance.load(connection, databaseID: databaseID)
        let mapping = PostgresIdentifier.qualified(schema: schema, "lsn_time_mapping")
        let counts = try await connection.query(
            scanSQL(instances, databaseID: databaseID, mapping: mapping, horizon: horizon, after: after, limit: max(1, maxTransactions)))
        let transactions = try counts[0].decode(Int.self, at: 0)
        let changeRows = try counts[0].decode(Int.self, at: 1)
        if transactions > 0 {
            return PassResult(
                transactions: transactions, changeRows: changeRows, wroteIdleRow: false, lastCommitLSN: try counts[0].decode(Int64.self, at: 2))
        }
        // Idle: an LSN above every commit the next cycle can find (none when one is in flight).
        let idle = try await connection.query(
            """
            INSERT INTO \(mapping) (start_lsn, tran_begin_time, tran_end_time, tran_id, tran_begin_lsn)
            SELECT sqlserver_catalog.cdc_lsn(v), localtimestamp(3), localtimestamp(3), decode('00', 'hex'), NULL
            FROM sqlserver_catalog.cdc_idle_lsn($1) AS v WHERE v IS NOT NULL
            """, [.int32(Int32(databaseID))])
        return PassResult(transactions: 0, changeRows: 0, wroteIdleRow: (idle.affectedRowCount ?? 0) > 0)
    }

    /// The statement of one scan cycle: the oldest `limit` committed transactions of the database
    /// below `horizon` (`batch`), their changes taken out of `cdc_pending` and numbered within each
    /// transaction (`changes`), one INSERT … SELECT per capture instance, the mapping rows, and the
    /// commit records no other database still needs. It returns (transactions, change rows, the
    /// last commit LSN). `after`: a lower bound on the commit LSNs (everything below was captured).
    static func scanSQL(
        _ instances: [CaptureInstance], databaseID: Int, mapping: String, horizon: Int64, after: Int64?, limit: Int
    ) -> String {
        // Index lookups only: the sublinks are scalar (never turned into joins that read the whole
        // pending log) and the deletes take `= ANY(ARRAY(…))`, so a cycle's cost follows its batch,
        // not the backlog.
        var ctes = [
            """
            batch AS MATERIALIZED (
                SELECT c.xid, c.first_lsn, c.commit_lsn, c.begin_time, c.end_time,
                    (SELECT true FROM sqlserver_catalog.cdc_pending p
                     WHERE p.xid = c.xid AND p.database_id <> \(databaseID) LIMIT 1) IS NOT NULL AS shared
                FROM sqlserver_catalog.cdc_commits c
                WHERE c.commit_lsn < \(horizon)\(after.map { " AND c.commit_lsn > \($0)" } ?? "")
                  AND (SELECT true FROM sqlserver_catalog.cdc_pending p
                       WHERE p.xid = c.xid AND p.database_id = \(databaseID) LIMIT 1) IS NOT NULL
                ORDER BY c.commit_lsn LIMIT \(limit))
            """,
            """
            taken AS MATERIALIZED (
                DELETE FROM sqlserver_catalog.cdc_pending p
                WHERE p.xid = ANY (ARRAY(SELECT b.xid FROM batch b)) AND p.database_id = \(databaseID)
                RETURNING p.change_id, p.xid, p.object_id, p.command_id, p.operation, p.old_image, p.new_image)
            """,
            """
            changes AS MATERIALIZED (
                SELECT t.*, b.commit_lsn, b.first_lsn, row_number() OVER (PARTITION BY t.xid ORDER BY t.change_id) AS position
                FROM taken t JOIN batch b ON b.xid = t.xid)
            """,
            """
            mapped AS (
                INSERT INTO \(mapping) (start_lsn, tran_begin_time, tran_end_time, tran_id, tran_begin_lsn)
                SELECT sqlserver_catalog.cdc_lsn(c.commit_lsn), c.begin_time, c.end_time, sqlserver_catalog.cdc_tran_id(c.xid),
                    sqlserver_catalog.cdc_lsn(c.first_lsn)
                FROM batch c ORDER BY c.commit_lsn)
            """,
            """
            finished AS (
                DELETE FROM sqlserver_catalog.cdc_commits c WHERE c.xid = ANY (ARRAY(SELECT b.xid FROM batch b WHERE NOT b.shared)))
            """,
        ]
        var counts = ["0"]
        for (index, instance) in instances.enumerated() {
            ctes.append("written\(index) AS (\(captureSQL(instance)) RETURNING 1)")
            counts.append("(SELECT count(*) FROM written\(index))")
        }
        return "WITH " + ctes.joined(separator: ",\n") + "\nSELECT (SELECT count(*) FROM batch), " + counts.joined(separator: " + ")
            + ", (SELECT max(commit_lsn) FROM batch)"
    }

    /// The INSERT … SELECT moving one instance's changes (the cycle's `changes`) into its change table.
    ///
    /// Each pending update yields an op-3 row (before image) and an op-4 row (after image) with the
    /// same `__$seqval`; the seqval of a change is its transaction's first LSN plus its position
    /// among the transaction's changes in this database.
    static func captureSQL(_ instance: CaptureInstance) -> String {
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
            } else if type.base == .hierarchyid {
                // A numeric[] is a JSON array in the row image: [1, 1, 0] → {1, 1, 0}.
                value = "CAST(translate(v.image ->> \(key), '[]', '{}') AS \(type.postgresCastType))"
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
            FROM changes AS p
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
