import CLibPQ

extension PostgresConnection {
    /// Prepares a statement (`PQprepare`); the server infers each `$n` type from the statement
    /// (add casts such as `$1::int8` where it cannot).
    /// - Parameters:
    ///   - name: the server-side name; by default a name unique on this connection.
    ///   - sql: a single statement with `$1`, `$2`, … placeholders.
    public func prepare(name: String? = nil, sql: String) throws(PostgresError) -> PostgresPreparedStatement {
        let handle = try openHandle()
        let name = name ?? nextStatementName()
        let context = "preparing \"\(name)\": " + PostgresError.statementContext(sql)
        _ = try checked(handle.withConnection { PQprepare($0, name, sql, 0, nil) }, handle: handle, context: context)
        let description = try checked(
            handle.withConnection { PQdescribePrepared($0, name) }, handle: handle, context: context)
        let types = description.withResult { result in
            (0..<PQnparams(result)).map { PostgresDataType(rawValue: PQparamtype(result, $0)) }
        }
        return PostgresPreparedStatement(name: name, sql: sql, parameterTypes: types, connectionID: id)
    }

    /// Runs a prepared statement (`PQexecPrepared`).
    /// - Parameters:
    ///   - statement: a statement prepared on this connection.
    ///   - parameters: one value per parameter; `nil` is SQL NULL.
    ///   - resultFormat: whether values come back as text or binary.
    @discardableResult
    public func query(
        _ statement: PostgresPreparedStatement,
        _ parameters: [PostgresValue] = [],
        resultFormat: PostgresFormat = .text
    ) throws(PostgresError) -> PostgresRows {
        let handle = try openHandle()
        let context = "executing \"\(statement.name)\": " + PostgresError.statementContext(statement.sql)
        try check(statement, parameters, context: context)
        let encoded = try EncodedParameters(parameters)
        let result = handle.withConnection { connection in
            encoded.withPointers { count, _, values, lengths, formats in
                PQexecPrepared(connection, statement.name, count, values, lengths, formats, resultFormat.rawValue)
            }
        }
        return try PostgresRows(result: checked(result, handle: handle, context: context))
    }

    /// Frees a prepared statement on the server.
    public func deallocate(_ statement: PostgresPreparedStatement) throws(PostgresError) {
        try check(statement, nil, context: "deallocating \"\(statement.name)\"")
        try execute("DEALLOCATE " + PostgresIdentifier.quote(statement.name))
    }

    private func check(
        _ statement: PostgresPreparedStatement,
        _ parameters: [PostgresValue]?,
        context: String
    ) throws(PostgresError) {
        guard statement.connectionID == id else {
            throw PostgresError(
                code: .invalidUsage,
                message: "prepared statement \"\(statement.name)\" belongs to another connection",
                context: context)
        }
        guard let parameters else { return }
        guard parameters.count == statement.parameterTypes.count else {
            throw PostgresError(
                code: .invalidParameter,
                message: "prepared statement \"\(statement.name)\" takes \(statement.parameterTypes.count) "
                    + "parameters but \(parameters.count) were given",
                context: context)
        }
        // Bytes travel in binary, which only bytea's binary input reads as raw bytes.
        for (index, value) in parameters.enumerated() {
            if case .bytes = value, statement.parameterTypes[index] != .bytea {
                throw PostgresError(
                    code: .invalidParameter,
                    message: "parameter $\(index + 1) of \"\(statement.name)\" is \(statement.parameterTypes[index]); "
                        + "bytes can only be bound to bytea",
                    context: context)
            }
        }
    }
}
