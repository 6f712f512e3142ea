import Postgres
import TSQL

extension EngineSession {
    /// `ALTER DATABASE name|CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON|OFF` and
    /// `SET DELAYED_DURABILITY = DISABLED|ALLOWED|FORCED`; other options are refused
    /// with SQL Server's "not supported" error rather than ignored.
    func alterDatabase(_ alter: AlterDatabaseStatement) async throws {
        let name = alter.database?.value ?? database.name
        guard let record = try await catalog.database(named: name) else { throw SQLServerError.databaseDoesNotExist(name) }
        for option in alter.options {
            switch (option.name, option.value) {
            case ("ALLOW_SNAPSHOT_ISOLATION", .on?), ("ALLOW_SNAPSHOT_ISOLATION", .off?):
                // SQL Server's sys.databases state: 0 OFF, 1 ON (2/3 are the transitions).
                try await catalog.setSnapshotIsolation(databaseID: record.id, allowed: option.value == .on)
            case ("DELAYED_DURABILITY", .word(let mode)?) where ["DISABLED", "ALLOWED", "FORCED"].contains(mode):
                // EngineSession+Durability: 0 DISABLED, 1 ALLOWED, 2 FORCED.
                try await catalog.setDelayedDurability(databaseID: record.id, mode: ["DISABLED", "ALLOWED", "FORCED"].firstIndex(of: mode)!)
            default:
                throw SQLServerError.notSupported("ALTER DATABASE SET \(option.name)")
            }
        }
    }

    /// `SET TRANSACTION ISOLATION LEVEL`: applies from the next transaction the session starts
    /// (PostgreSQL fixes a transaction's level when it begins; SQL Server allows a change inside a
    /// transaction, which the emulator then applies only after it ends).
    func setIsolationLevel(_ level: IsolationLevel) {
        isolationLevel = level
    }

    /// PostgreSQL's `BEGIN` for the session's isolation level.
    ///
    /// | SQL Server | PostgreSQL |
    /// |---|---|
    /// | READ UNCOMMITTED, READ COMMITTED | READ COMMITTED (PostgreSQL never reads uncommitted rows) |
    /// | REPEATABLE READ, SNAPSHOT | REPEATABLE READ (a snapshot taken at the first statement) |
    /// | SERIALIZABLE | SERIALIZABLE |
    var beginStatement: String {
        switch isolationLevel {
        case .readUncommitted, .readCommitted: "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .repeatableRead, .snapshot: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }

}

extension SQLServerError {
    /// Msg 3952: a SNAPSHOT transaction read a table of a database without ALLOW_SNAPSHOT_ISOLATION
    /// (checked when the statement resolves the table, as SQL Server checks at first data access).
    static func snapshotNotAllowed(_ database: String) -> SQLServerError {
        SQLServerError(
            code: .init(3952),
            message: "Snapshot isolation transaction failed accessing database '\(database)' because snapshot isolation is not allowed in this database. Use ALTER DATABASE to allow snapshot isolation.")
    }
}

extension Catalog {
    /// Records `ALLOW_SNAPSHOT_ISOLATION` for a database.
    func setSnapshotIsolation(databaseID: Int, allowed: Bool) async throws {
        try await connection.query(
            "UPDATE sqlserver_catalog.databases SET snapshot_isolation_state = $1 WHERE database_id = $2",
            [.int32(allowed ? 1 : 0), .int32(Int32(databaseID))])
    }

    /// Whether a database allows snapshot isolation.
    func snapshotIsolationAllowed(databaseID: Int) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT snapshot_isolation_state FROM sqlserver_catalog.databases WHERE database_id = $1", [.int32(Int32(databaseID))])
        return try rows.first?.decode(Int.self, at: 0) == 1
    }

    /// `snapshot_isolation_state` by database id.
    func snapshotIsolationStates() async throws -> [Int: Int] {
        let rows = try await connection.query("SELECT database_id, snapshot_isolation_state FROM sqlserver_catalog.databases")
        var states: [Int: Int] = [:]
        for row in rows { states[try row.decode(Int.self, at: 0)] = try row.decode(Int.self, at: 1) }
        return states
    }
}
