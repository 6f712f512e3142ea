import CFreeTDS

/// What a remote procedure call returned.
public struct TDSProcedureResult: Hashable, Sendable {
    /// An OUTPUT parameter's final value.
    public struct OutputParameter: Hashable, Sendable {
        /// The parameter's name as the server reports it (with `@`).
        public var name: String
        /// The final value.
        public var value: TDSValue
    }

    /// Result sets, row counts, messages and the return status, as for a batch.
    public var results: TDSBatchResult
    /// OUTPUT parameters, in the order the server returned them (the order they were sent).
    public var outputParameters: [OutputParameter]

    /// The procedure's return status, if it returned one.
    public var returnStatus: Int? { results.returnStatus }
    /// The rows of every result set, in order.
    public var rows: [TDSRow] { results.rows }

    /// The final value of the OUTPUT parameter `name` (case-insensitive, with or without `@`).
    public func output(_ name: String) -> TDSValue? {
        let wanted = name.hasPrefix("@") ? name.lowercased() : "@" + name.lowercased()
        return outputParameters.first { $0.name.lowercased() == wanted }?.value
    }
}

extension TDSConnection {
    /// `DBRPCRESET`, which the C macro's cast hides from Swift.
    static let resetOption = DBSMALLINT(0x0002)

    /// Calls a stored procedure with typed parameters as a TDS RPC request (`dbrpcinit`,
    /// `dbrpcparam`, `dbrpcsend`), the way parameterised clients run `sp_executesql`; its results
    /// are read to the end and returned with its OUTPUT parameters.
    ///
    /// ```swift
    /// let result = try await connection.call("sp_executesql", parameters: [
    ///     .init(value: .string("SELECT @a + @b")), .init(value: .string("@a int, @b int")),
    ///     .init(name: "@a", value: .int(2)), .init(name: "@b", value: .int(3)),
    /// ])
    /// ```
    ///
    /// - Parameters:
    ///   - procedure: the procedure's name (`sp_executesql`, `dbo.usp_x`).
    ///   - parameters: positional parameters first (empty names), then named ones.
    /// - Throws: ``TDSError`` with `invalidArgument` for a value db-lib cannot send, `serverError`
    ///   with the server's message when the call fails, `closed` / `connectionLost` as for batches.
    public func call(_ procedure: String, parameters: [TDSParameter]) async throws -> TDSProcedureResult {
        let stream = try sendProcedureCall(procedure, parameters: parameters)
        let results = try await stream.collect()
        return TDSProcedureResult(results: results, outputParameters: try takeOutputParameters())
    }

    /// Sends the RPC and makes it the active stream, as ``stream(_:chunkSize:)`` does for a batch.
    private func sendProcedureCall(_ procedure: String, parameters: [TDSParameter]) throws -> TDSResultStream {
        let encoded = try parameters.map { parameter in (parameter, try parameter.dbLibArguments()) }
        // db-lib keeps the value pointers until dbrpcsend, so the buffers live until then.
        var buffers: [UnsafeMutableBufferPointer<BYTE>] = []
        defer { buffers.forEach { $0.deallocate() } }
        for (_, arguments) in encoded {
            guard let bytes = arguments.bytes else { continue }
            let buffer = UnsafeMutableBufferPointer<BYTE>.allocate(capacity: max(bytes.count, 1))
            _ = buffer.initialize(from: bytes)
            buffers.append(buffer)
        }
        return try startStream(description: "the call of \(procedure)") { pointer in
            guard dbrpcinit(pointer, procedure, 0) == SUCCEED else { return FAIL }
            var next = 0
            for (parameter, arguments) in encoded {
                var value: UnsafeMutablePointer<BYTE>?
                if arguments.bytes != nil {
                    value = buffers[next].baseAddress
                    next += 1
                }
                let status = dbrpcparam(
                    pointer, parameter.name, BYTE(parameter.isOutput ? DBRPCRETURN : 0), arguments.type,
                    arguments.maximumLength, DBINT(arguments.bytes?.count ?? 0), value)
                guard status == SUCCEED else {
                    // Drop the half-built call so the next one starts clean.
                    _ = dbrpcinit(pointer, "", Self.resetOption)
                    return FAIL
                }
            }
            guard dbrpcsend(pointer) == SUCCEED else {
                _ = dbrpcinit(pointer, "", Self.resetOption)
                return FAIL
            }
            return dbsqlok(pointer)
        }
    }
}
