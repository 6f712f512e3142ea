extension PostgresConnection {
    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT` if `body` returns, `ROLLBACK` (and
    /// rethrow) if it throws.
    ///
    /// `body` is isolated to the connection, so it calls the connection's methods without `await`.
    /// Do not let other tasks use this connection while the transaction is open: an `await` inside
    /// `body` lets their statements run inside it.
    ///
    /// - Parameter isolation: the isolation level; the server default (normally read committed) if nil.
    /// - Throws: what `body` throws, or a ``PostgresError`` from BEGIN/COMMIT, including when the
    ///   server rolled back on COMMIT because a statement in the transaction had failed.
    public func withTransaction<Value: Sendable>(
        isolation: PostgresIsolationLevel? = nil,
        _ body: @Sendable (isolated PostgresConnection) async throws -> Value
    ) async throws -> Value {
        guard transactionStatus == .idle else {
            throw PostgresError(
                code: .invalidUsage,
                message: "cannot begin a transaction: the connection is \(transactionStatus), not idle (nested transactions are not supported)")
        }
        try execute(isolation.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN")
        let value: Value
        do {
            value = try await body(self)
        } catch {
            rollbackAfterFailure()
            throw error
        }
        // COMMIT of a transaction in which a statement failed succeeds with the tag ROLLBACK.
        let outcome = try execute("COMMIT")
        guard outcome.commandTag != "ROLLBACK" else {
            throw PostgresError(
                code: .queryFailed,
                message: "the transaction was rolled back at COMMIT because a statement inside it failed",
                context: "committing a transaction")
        }
        return value
    }

    private func rollbackAfterFailure() {
        guard isConnected, transactionStatus != .idle else { return }
        do {
            try execute("ROLLBACK")
        } catch {
            // The body's error is what the caller needs; a broken connection will surface again.
        }
    }
}
