import Postgres
import TSQL

extension EngineSession {
    /// Runs one statement's PostgreSQL work atomically: in its own transaction under autocommit,
    /// under a savepoint inside an explicit transaction (so a failed statement is undone while the
    /// transaction stays open, as in SQL Server). PostgreSQL errors become SQL Server errors.
    ///
    /// - Parameter statementKind: `INSERT`, `UPDATE`, `DELETE` or `ALTER TABLE`, named by Msg 515 and 547.
    func atomically<T: Sendable>(statementKind: String = "", _ body: () async throws -> T) async throws -> T {
        let explicit = transactionCount > 0
        try await connection.execute(explicit ? "SAVEPOINT sqlserver_statement" : beginStatement)
        do {
            let value = try await body()
            try await connection.execute(explicit ? "RELEASE SAVEPOINT sqlserver_statement" : await commitStatement(requested: nil))
            return value
        } catch {
            try await connection.execute(
                explicit ? "ROLLBACK TO SAVEPOINT sqlserver_statement; RELEASE SAVEPOINT sqlserver_statement" : "ROLLBACK")
            if let error = error as? PostgresError {
                throw try await sqlServerError(for: error, statementKind: statementKind)
            }
            throw error
        }
    }

    func beginTransaction() async throws {
        if transactionCount == 0 {
            try await connection.execute(beginStatement)
        }
        transactionCount += 1
    }

    /// COMMIT [TRAN] [WITH (DELAYED_DURABILITY = ON|OFF)]: the outermost one commits, delayed
    /// durable as the database's setting and `delayedDurability` say (EngineSession+Durability).
    func commitTransaction(delayedDurability: Bool? = nil) async throws {
        guard transactionCount > 0 else { throw SQLServerError.commitWithoutBegin() }
        transactionCount -= 1
        if transactionCount == 0 {
            savepoints = []
            transactionEnding = .committed
            let outcome = try await connection.execute(await commitStatement(requested: delayedDurability))
            if outcome.commandTag == "ROLLBACK" {
                transactionEnding = .rolledBack
                throw SQLServerError(
                    code: .init(3930),
                    message: "The current transaction cannot be committed and cannot support operations that write to the log file. Roll back the transaction.")
            }
        }
    }

    /// ROLLBACK [TRAN name]: to a savepoint of that name, else the whole transaction.
    func rollbackTransaction(name: String?) async throws {
        guard transactionCount > 0 else { throw SQLServerError.rollbackWithoutBegin() }
        if let name, let index = savepoints.lastIndex(where: { $0 == name }) {
            try await connection.execute("ROLLBACK TO SAVEPOINT \(Self.savepointIdentifier(name))")
            savepoints.removeSubrange((index + 1)...)
            return
        }
        try await connection.execute("ROLLBACK")
        transactionEnding = .rolledBack
        transactionCount = 0
        savepoints = []
    }

    /// SAVE TRAN name; outside a transaction SQL Server refuses with Msg 628.
    func saveTransaction(name: String) async throws {
        guard transactionCount > 0 else {
            throw SQLServerError(
                code: .init(628),
                message: "Cannot issue SAVE TRANSACTION when there is no active transaction.")
        }
        try await connection.execute("SAVEPOINT \(Self.savepointIdentifier(name))")
        savepoints.append(name)
    }

    static func savepointIdentifier(_ name: String) -> String {
        PostgresIdentifier.quote("sqlserver_save_" + name)
    }
}
