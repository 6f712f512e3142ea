import CLibPQ

extension PostgresConnection {
    /// Runs a `COPY … FROM STDIN` statement and streams the rows `body` writes.
    ///
    /// ```swift
    /// let loaded = try await connection.copyIn("COPY t (id, name) FROM STDIN") { writer in
    ///     for item in items { try writer.writeRow([.int64(item.id), .text(item.name)]) }
    /// }
    /// ```
    ///
    /// If `body` throws, the COPY is aborted (nothing is loaded) and the error rethrown.
    /// - Parameters:
    ///   - copyStatement: a `COPY … FROM STDIN` statement; text format for ``PostgresCopyWriter/writeRow(_:)``.
    ///   - body: writes the rows; it runs on the connection's thread.
    /// - Returns: the number of rows the server loaded.
    /// - Throws: ``PostgresError`` with code `copyFailed`, the SQLSTATE, and the server's context
    ///   (such as `COPY t, line 3, column n: "x"`) when the server rejects the data.
    @discardableResult
    public func copyIn(
        _ copyStatement: String,
        _ body: (inout PostgresCopyWriter) throws -> Void
    ) throws -> Int {
        let handle = try openHandle()
        let context = PostgresError.statementContext(copyStatement)
        let start = PostgresResultHandle(taking: try startCopy(copyStatement, handle: handle, context: context))
        guard start.status == PGRES_COPY_IN else {
            // Not a COPY FROM STDIN: report its error if it failed, otherwise the misuse.
            _ = try check(start, handle: handle, context: context, failureCode: .copyFailed)
            throw PostgresError(
                code: .invalidUsage,
                message: "copyIn needs a COPY … FROM STDIN statement",
                context: context)
        }

        var writer = PostgresCopyWriter(handle: handle)
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            // Abort so the server discards what it received, then leave the connection idle.
            let abortMessage = "COPY aborted by the client: \(String(describing: error).prefix(200))"
            handle.withConnection { _ = PQputCopyEnd($0, abortMessage) }
            _ = try? finishCopy(handle: handle, context: context)
            throw error
        }
        let sent = handle.withConnection { PQputCopyEnd($0, nil) }
        guard sent == 1 else {
            throw connectionError(handle: handle, context: context, failureCode: .copyFailed)
        }
        let outcome = try finishCopy(handle: handle, context: context)
        let loaded = outcome.affectedRowCount ?? writer.rowsWritten
        logger.debug(
            "COPY finished",
            metadata: ["postgres.rows": "\(loaded)", "postgres.bytes": "\(writer.bytesSent)"])
        return loaded
    }

    private func startCopy(
        _ copyStatement: String,
        handle: PostgresConnectionHandle,
        context: String
    ) throws(PostgresError) -> OpaquePointer {
        guard let pointer = handle.withConnection({ PQexec($0, copyStatement) }) else {
            throw connectionError(handle: handle, context: context, failureCode: .copyFailed)
        }
        return pointer
    }

    /// Collects the results that follow the end of the data; the first one is the COPY's outcome.
    private func finishCopy(handle: PostgresConnectionHandle, context: String) throws(PostgresError) -> PostgresRows {
        var first: OpaquePointer?
        handle.withConnection { connection in
            while let pointer = PQgetResult(connection) {
                if first == nil {
                    first = pointer
                } else {
                    PQclear(pointer)
                }
            }
        }
        return PostgresRows(result: try checked(first, handle: handle, context: context, failureCode: .copyFailed))
    }
}
