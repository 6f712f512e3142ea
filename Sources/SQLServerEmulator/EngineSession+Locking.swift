import Postgres
import Synchronization
import TSQL

/// A table lock a statement's table hints ask for, as PostgreSQL takes it (`LOCK TABLE … IN mode`).
///
/// | SQL Server hint | SQL Server lock | PostgreSQL mode | held until |
/// |---|---|---|---|
/// | `TABLOCK` (read) | S on the table | `SHARE` (blocks writers, not readers) | end of statement |
/// | `TABLOCK, HOLDLOCK` / `SERIALIZABLE` | S on the table | `SHARE` | end of transaction |
/// | `HOLDLOCK` / `SERIALIZABLE` alone | key-range S locks | `SHARE` (coarser: the whole table) | end of transaction |
/// | `UPDLOCK` (with or without `TABLOCK`) | U | `SHARE ROW EXCLUSIVE` (coarser: also excludes S table locks) | end of transaction |
/// | `TABLOCKX`, `XLOCK`, `TABLOCK` on a DML target | X | `EXCLUSIVE` (plain reads still proceed, as row-versioned reads do) | end of transaction |
/// | `NOLOCK` / `READUNCOMMITTED` | none | none (PostgreSQL never reads uncommitted rows) | — |
///
/// A statement-duration lock inside an explicit transaction is taken under a savepoint that is
/// rolled back after the SELECT, which releases it (PostgreSQL keeps other locks to the end of
/// the transaction).
struct TableLockRequest: Hashable, Sendable {
    /// PostgreSQL's lock modes used here, weakest first.
    enum Mode: Int, Hashable, Sendable, Comparable {
        case share = 1, shareRowExclusive, exclusive
        var sql: String {
            switch self {
            case .share: "SHARE"
            case .shareRowExclusive: "SHARE ROW EXCLUSIVE"
            case .exclusive: "EXCLUSIVE"
            }
        }
        static func < (lhs: Mode, rhs: Mode) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The table's PostgreSQL qualified name.
    var table: String
    var mode: Mode
    /// Whether the lock lasts to the end of the transaction (else: to the end of the statement).
    var untilTransactionEnd: Bool

    /// The lock `hints` ask for on a table read in a FROM clause, or on the target of a data
    /// change (`isTarget`); `nil` when they ask for none.
    static func mode(for hints: [TableHint], isTarget: Bool) throws -> (mode: Mode, untilTransactionEnd: Bool)? {
        let names = Set(hints.map(\.name))
        if isTarget, !names.isDisjoint(with: ["NOLOCK", "READUNCOMMITTED"]) {
            throw SQLServerError(
                code: .init(1065), severity: 15,
                message: "The NOLOCK and READUNCOMMITTED lock hints are not allowed for target tables of INSERT, UPDATE, DELETE or MERGE statements.",
                abortsBatch: true)
        }
        let holds = !names.isDisjoint(with: ["HOLDLOCK", "SERIALIZABLE"])
        if names.contains("TABLOCKX") || names.contains("XLOCK") || (isTarget && names.contains("TABLOCK")) {
            return (.exclusive, true)
        }
        if names.contains("UPDLOCK") { return (.shareRowExclusive, true) }
        if names.contains("TABLOCK") { return (.share, holds) }
        if holds { return (.share, true) }
        return nil
    }
}

/// The table locks the statement being translated asks for; the translator adds, the session
/// takes them (``EngineSession/withTableHintLocks(readOnly:_:)``) right before the statement runs.
final class TableLockCollector: Sendable {
    private let requests = Mutex<[TableLockRequest]>([])

    func add(_ request: TableLockRequest) {
        requests.withLock { $0.append(request) }
    }

    /// Forgets requests of a statement that failed before it ran.
    func reset() {
        requests.withLock { $0.removeAll() }
    }

    /// The requests so far, the strongest per table and duration, and forgets them.
    func drain() -> [TableLockRequest] {
        requests.withLock { requests in
            defer { requests.removeAll() }
            var strongest: [String: TableLockRequest] = [:]
            for request in requests {
                let key = "\(request.untilTransactionEnd)|\(request.table)"
                if let known = strongest[key], known.mode >= request.mode { continue }
                strongest[key] = request
            }
            return strongest.values.sorted { ($0.table, $0.mode.rawValue) < ($1.table, $1.mode.rawValue) }
        }
    }
}

extension EngineSession {
    /// `SET LOCK_TIMEOUT n`: milliseconds a statement waits for a lock; -1 (the default) waits
    /// forever, 0 not at all. Applied to PostgreSQL's `lock_timeout` at each statement that
    /// takes locks (a session-level `SET` would be undone by a rollback; SQL Server's is not).
    func setLockTimeout(_ value: OptionValue) async throws {
        guard case .expression(let expression) = value, let text = try await evaluate(expression, as: .int), let milliseconds = Int(text) else {
            throw SQLServerError(code: .incorrectSyntax, message: "Incorrect syntax near 'LOCK_TIMEOUT'.", abortsBatch: true)
        }
        lockTimeout = max(-1, milliseconds)
        options["LOCK_TIMEOUT"] = String(lockTimeout)
    }

    /// PostgreSQL's `lock_timeout` for this transaction when `SET LOCK_TIMEOUT` set one.
    var lockTimeoutStatement: String? {
        switch lockTimeout {
        case ..<0: nil
        // PostgreSQL's 0 means "no timeout": 1 ms is the nearest to SQL Server's "do not wait".
        case 0: "SET LOCAL lock_timeout = 1"
        default: "SET LOCAL lock_timeout = \(lockTimeout)"
        }
    }

    /// Runs `body` (a statement's PostgreSQL work, inside its transaction or savepoint) after
    /// taking the table locks its hints asked for. With `readOnly`, statement-duration locks in an
    /// explicit transaction are released when the statement ends.
    func withTableHintLocks<T: Sendable>(readOnly: Bool, _ body: () async throws -> T) async throws -> T {
        let requests = tableLocks.drain()
        if let timeout = lockTimeoutStatement { try await connection.execute(timeout) }
        guard !requests.isEmpty else { return try await body() }
        let briefInTransaction = readOnly && transactionCount > 0
        let held = requests.filter { $0.untilTransactionEnd || !briefInTransaction }
        let brief = requests.filter { !$0.untilTransactionEnd && briefInTransaction }
        try await lockTables(held)
        guard !brief.isEmpty else { return try await body() }
        try await connection.execute("SAVEPOINT sqlserver_statement_locks")
        do {
            try await lockTables(brief)
            let value = try await body()
            try await connection.execute("ROLLBACK TO SAVEPOINT sqlserver_statement_locks; RELEASE SAVEPOINT sqlserver_statement_locks")
            return value
        } catch {
            _ = try? await connection.execute("ROLLBACK TO SAVEPOINT sqlserver_statement_locks; RELEASE SAVEPOINT sqlserver_statement_locks")
            throw error
        }
    }

    private func lockTables(_ requests: [TableLockRequest]) async throws {
        guard !requests.isEmpty else { return }
        let noWait = lockTimeout == 0 ? " NOWAIT" : ""
        try await connection.execute(requests.map { "LOCK TABLE \($0.table) IN \($0.mode.sql) MODE\(noWait)" }.joined(separator: "; "))
    }
}

extension SQLServerError {
    /// Msg 1222: a lock wait outlasted `SET LOCK_TIMEOUT`. It ends the statement only; an open
    /// transaction stays open.
    static func lockTimeout() -> SQLServerError {
        SQLServerError(code: .init(1222), severity: 16, state: 51, message: "Lock request time out period exceeded.")
    }
}
