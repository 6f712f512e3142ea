import Postgres

/// Change table cleanup: `sys.sp_cdc_cleanup_change_table` for one capture instance, and the
/// retention-based cleanup job for a whole database. Either raises `cdc.change_tables.start_lsn`
/// (the instance's low water mark, what `sys.fn_cdc_get_min_lsn` returns) and deletes change
/// rows below it; a query from an LSN below it then fails with Msg 313.
enum ChangeCleanup {
    /// The `cdc` tables of a database in PostgreSQL.
    struct Tables {
        var changeTables: String
        var lsnTimeMapping: String

        init(schema: String) {
            changeTables = PostgresIdentifier.qualified(schema: schema, "change_tables")
            lsnTimeMapping = PostgresIdentifier.qualified(schema: schema, "lsn_time_mapping")
        }
    }

    /// Cleans one instance up to `lowWaterMark` (nil: its current low water mark). A mark must be a
    /// `start_lsn` of `cdc.lsn_time_mapping`; entries sharing its commit time lower it to the
    /// smallest of them. A mark below the current one leaves `start_lsn` unchanged.
    ///
    /// - Returns: the change rows deleted.
    static func cleanup(
        _ connection: PostgresConnection, schema: String, instance: CaptureInstance, lowWaterMark: String?, threshold: Int
    ) async throws -> Int {
        let tables = Tables(schema: schema)
        let name = PostgresLiteral.quote(instance.name)
        if let lowWaterMark {
            let mark = "'\\x\(lowWaterMark)'::bytea"
            let found = try await connection.query(
                """
                SELECT (SELECT encode(sqlserver_catalog.binary_min(m2.start_lsn), 'hex') FROM \(tables.lsnTimeMapping) m2 WHERE m2.tran_end_time = m.tran_end_time)
                FROM \(tables.lsnTimeMapping) m WHERE m.start_lsn = \(mark) LIMIT 1
                """)
            guard let row = found.first, let adjusted = try row.decode(String?.self, at: 0) else {
                let bounds = try await connection.query(
                    """
                    SELECT encode((SELECT start_lsn FROM \(tables.changeTables) WHERE capture_instance = \(name)), 'hex'),
                        encode((SELECT sqlserver_catalog.binary_max(start_lsn) FROM \(tables.lsnTimeMapping)), 'hex')
                    """)
                let low = try bounds.first?.decode(String?.self, at: 0) ?? ""
                let high = try bounds.first?.decode(String?.self, at: 1) ?? ""
                throw SQLServerError(
                    code: .init(22964),
                    message: "LSN 0x\(lowWaterMark.uppercased()), specified as the new low end point for the change table associated with capture instance '\(instance.name)', is not within the Change Data Capture timeline [0x\(low.uppercased()), 0x\(high.uppercased())].")
            }
            try await connection.query(
                """
                UPDATE \(tables.changeTables) SET start_lsn = decode($1, 'hex')
                WHERE capture_instance = \(name) AND (start_lsn IS NULL OR start_lsn < decode($1, 'hex'))
                """, [.text(adjusted)])
        }
        let deleted = try await connection.execute(
            """
            DELETE FROM \(instance.changeTablePg)
            WHERE "__$start_lsn" < (SELECT start_lsn FROM \(tables.changeTables) WHERE capture_instance = \(name))
            """)
        _ = threshold  // One statement deletes everything below the mark; PostgreSQL needs no batching.
        return deleted.affectedRowCount ?? 0
    }

    /// The cleanup job: the low water mark becomes the largest LSN committed before now − retention;
    /// every instance whose `start_lsn` is lower is raised to it and its older rows deleted, and older
    /// `cdc.lsn_time_mapping` rows go too.
    static func retentionCleanup(_ connection: PostgresConnection, databaseID: Int, retentionMinutes: Int) async throws {
        guard let schema = try await CaptureScanner.cdcSchema(connection, databaseID: databaseID) else { return }
        let tables = Tables(schema: schema)
        let marks = try await connection.query(
            """
            SELECT encode(sqlserver_catalog.binary_max(start_lsn), 'hex') FROM \(tables.lsnTimeMapping)
            WHERE tran_end_time < localtimestamp - make_interval(mins => \(retentionMinutes))
            """)
        guard let mark = try marks.first?.decode(String?.self, at: 0) else { return }
        for instance in try await CaptureInstance.load(connection, databaseID: databaseID) {
            _ = try await cleanup(connection, schema: schema, instance: instance, lowWaterMark: mark, threshold: 5000)
        }
        try await connection.execute("DELETE FROM \(tables.lsnTimeMapping) WHERE start_lsn < '\\x\(mark)'::bytea")
    }
}
