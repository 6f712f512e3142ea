import Postgres

/// SQL Server's delayed transaction durability ("lazy commit"), on PostgreSQL's asynchronous
/// commit.
///
/// | `ALTER DATABASE … SET DELAYED_DURABILITY =` | a commit is delayed durable when |
/// |---|---|
/// | `DISABLED` (0, the default) | never: `WITH (DELAYED_DURABILITY = ON)` is ignored |
/// | `ALLOWED` (1) | it says `COMMIT … WITH (DELAYED_DURABILITY = ON)` |
/// | `FORCED` (2) | always, autocommit statements included |
///
/// A delayed durable commit runs with `SET LOCAL synchronous_commit = off`: PostgreSQL makes it
/// visible at once and reports success before its WAL is flushed (the WAL writer flushes within
/// `wal_writer_delay`), exactly SQL Server's guarantee — visible at commit, durable after the next
/// log flush. A later fully durable commit, or `sys.sp_flush_log`, flushes every earlier one (WAL
/// is flushed in order). The database whose setting applies is the session's current database.
extension EngineSession {
    /// The statement that commits the current PostgreSQL transaction, asynchronously when the
    /// current database's `DELAYED_DURABILITY` (and `requested`, COMMIT's option) make it delayed
    /// durable. The setting is read by the same round trip as the COMMIT.
    func commitStatement(requested: Bool?) async -> String {
        // A failed transaction only accepts COMMIT (which rolls it back); no lookup first.
        guard await connection.transactionStatus == .inTransaction else { return "COMMIT" }
        let modes = requested == true ? "1, 2" : "2"
        return """
            SELECT set_config('synchronous_commit', 'off', true) FROM sqlserver_catalog.databases
            WHERE database_id = \(databaseRecord.id) AND delayed_durability IN (\(modes));
            COMMIT
            """
    }

    /// `sys.sp_flush_log`: makes every delayed durable commit so far durable. A transaction with an
    /// id commits synchronously, and PostgreSQL flushes the WAL up to its commit record. Inside a
    /// transaction it is refused: PostgreSQL cannot flush without committing.
    func flushLog() async throws {
        guard transactionCount == 0 else { throw SQLServerError.notSupported("sys.sp_flush_log inside a transaction") }
        try await connection.execute("BEGIN; SET LOCAL synchronous_commit = on; SELECT pg_current_xact_id(); COMMIT")
    }
}

extension Catalog {
    /// Records `DELAYED_DURABILITY` (0 DISABLED, 1 ALLOWED, 2 FORCED) for a database.
    func setDelayedDurability(databaseID: Int, mode: Int) async throws {
        try await connection.query(
            "UPDATE sqlserver_catalog.databases SET delayed_durability = $1 WHERE database_id = $2",
            [.int32(Int32(mode)), .int32(Int32(databaseID))])
    }

    /// `delayed_durability` by database id.
    func delayedDurabilityStates() async throws -> [Int: Int] {
        let rows = try await connection.query("SELECT database_id, delayed_durability FROM sqlserver_catalog.databases")
        var states: [Int: Int] = [:]
        for row in rows { states[try row.decode(Int.self, at: 0)] = try row.decode(Int.self, at: 1) }
        return states
    }

    /// `sys.databases.delayed_durability_desc` for a mode.
    static func delayedDurabilityDescription(_ mode: Int) -> String {
        switch mode {
        case 1: "ALLOWED"
        case 2: "FORCED"
        default: "DISABLED"
        }
    }
}
