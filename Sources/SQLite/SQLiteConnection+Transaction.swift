extension SQLiteConnection {
    /// Runs `body` in a transaction: commits if it returns, rolls back if it (or the commit) throws.
    ///
    /// `body` receives the isolated connection and runs synchronously on its thread, so no other
    /// caller's statement can slip into the transaction.
    /// - Parameter mode: use `.immediate` for transactions that write, so that waiting for another
    ///   writer happens at `BEGIN`, under the busy timeout, rather than failing midway.
    public func withTransaction<T: Sendable>(
        _ mode: TransactionMode = .deferred,
        _ body: @Sendable (isolated SQLiteConnection) throws -> T
    ) throws -> T {
        guard !isInTransaction else {
            throw SQLiteError(code: .misuse, message: "a transaction is already open on this connection", context: ["path": path])
        }
        try run(mode.beginSQL)
        do {
            let result = try body(self)
            try run("COMMIT")
            return result
        } catch {
            if isInTransaction {
                _ = try? run("ROLLBACK")
            }
            throw error
        }
    }
}
