import Synchronization

/// Writes the token stream that answers one request: result sets, messages, environment changes,
/// return values and DONE tokens, typed so the handler never builds bytes.
///
/// Output is streamed: tokens are encoded into packets of the session's negotiated size, and each
/// full packet goes to the session's thread, which writes it to the socket. Only a few packets are
/// ever held per session; when the client reads slowly, writes suspend until it catches up.
///
/// DONE_MORE is managed here: the writer holds back the latest DONE-type token until it knows
/// whether anything follows, so every DONE-type token but the last of the response carries
/// status 0x01 and the last does not.
///
/// When the client sends an ATTENTION (or disconnects) every write throws a ``TDSServerError``
/// with code `cancelled` (or `connectionClosed`); the handler should stop. The server then
/// acknowledges the attention with DONE status 0x20.
///
/// Calls are expected one at a time from the handler's task; they are nevertheless thread-safe.
public final class TDSResponseWriter: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var columns: [TDSColumnDescription]?
        /// The latest DONE-type token, not yet in `buffer`: its MORE bit depends on what follows.
        var pendingDone: [UInt8]?
        /// The kind of the last token written, if it was a DONE-type token.
        var lastDoneKind: TDSDoneKind?
        /// Whether an ERROR token was written since the last DONE-type token.
        var errorSinceDone = false
        var isFinished = false
        var rowsWritten: UInt64 = 0

        mutating func append(_ token: [UInt8]) {
            flushPendingDone(more: true)
            buffer += token
            lastDoneKind = nil
        }

        mutating func flushPendingDone(more: Bool) {
            guard var done = pendingDone else { return }
            if more { done[1] |= 0x01 } else { done[1] &= ~0x01 }
            buffer += done
            pendingDone = nil
        }

        /// Cuts full packets off the front of the buffer, keeping at least one byte back so the last
        /// packet of the message (which carries end-of-message) is never empty.
        mutating func takeFullPackets(payloadSize: Int) -> [[UInt8]] {
            guard buffer.count > payloadSize else { return [] }
            var packets: [[UInt8]] = []
            var offset = 0
            while buffer.count - offset > payloadSize {
                packets.append(Array(buffer[offset..<(offset + payloadSize)]))
                offset += payloadSize
            }
            buffer.removeFirst(offset)
            return packets
        }
    }

    private let state = Mutex(State())
    private let channel: ResponseChannel
    private let payloadSize: Int
    private let serverName: String

    init(channel: ResponseChannel, packetSize: Int, serverName: String) {
        self.channel = channel
        self.payloadSize = packetSize - 8
        self.serverName = serverName
    }

    /// Whether the client cancelled the request (or went away): further writes will throw.
    public var isCancelled: Bool { channel.interruption != .none }

    /// How many rows were written so far in this response.
    public var rowsWritten: UInt64 { state.withLock { $0.rowsWritten } }

    // MARK: Result sets

    /// Starts a result set (COLMETADATA). Rows written next must have one value per column.
    public func writeColumns(_ columns: [TDSColumnDescription]) async throws {
        guard !columns.isEmpty else { throw TDSServerError(.invalidResponse, "a result set needs at least one column") }
        for column in columns {
            do throws(TDSServerError) {
                try column.type.validate()
            } catch {
                throw TDSServerError(.invalidValue, "column '\(column.name)': \(error.message)")
            }
        }
        try await write { state in
            state.append(TokenEncoder.columnMetadata(columns))
            state.columns = columns
        }
    }

    /// Writes one row of the current result set, as ROW or NBCROW (whichever is shorter).
    /// - Throws: `invalidValue` when a value does not fit its column (nothing of the row is sent),
    ///   `invalidResponse` without a result set, `cancelled`/`connectionClosed` as described above.
    public func writeRow(_ values: [TDSWireValue]) async throws {
        try await write { state in
            guard let columns = state.columns else {
                throw TDSServerError(.invalidResponse, "a row was written before the result set's columns")
            }
            state.append(try Self.encodeRow(values, columns: columns))
            state.rowsWritten += 1
        }
    }

    /// Writes several rows of the current result set.
    public func writeRows(_ rows: some Sequence<[TDSWireValue]>) async throws {
        for row in rows { try await writeRow(row) }
    }

    private static func encodeRow(_ values: [TDSWireValue], columns: [TDSColumnDescription]) throws(TDSServerError) -> [UInt8] {
        do {
            return try TokenEncoder.row(values, columns: columns)
        } catch where error.code == .invalidValue {
            // Name the column at fault.
            for (index, (value, column)) in zip(values, columns).enumerated() {
                var probe = ByteWriter()
                do throws(TDSServerError) {
                    try column.type.writeValue(value, into: &probe)
                } catch {
                    throw TDSServerError(.invalidValue, "column \(index + 1) '\(column.name)': \(error.message)")
                }
            }
            throw error
        }
    }

    // MARK: DONE tokens

    /// Ends a statement with DONE, DONEPROC or DONEINPROC.
    /// - Parameters:
    ///   - kind: `.done` for a statement of a batch, `.doneInProc` for a statement inside a procedure,
    ///     `.doneProc` at the end of a procedure (an RPC).
    ///   - status: `.error`, `.inTransaction`, `.serverError`; `.more` and `.count` are set by the writer.
    ///   - command: the statement kind (CurCmd).
    ///   - rowCount: the rows returned or affected, or nil when there is no count (`SET NOCOUNT ON`).
    public func writeDone(_ kind: TDSDoneKind = .done, status: TDSDoneStatus = [], command: TDSCurrentCommand = .select, rowCount: UInt64? = nil) async throws {
        var status = status.subtracting([.more, .attention, .count])
        if rowCount != nil { status.insert(.count) }
        let token = TokenEncoder.done(kind, status: status, command: command, rowCount: rowCount ?? 0)
        try await write { state in
            state.flushPendingDone(more: true)
            state.pendingDone = token
            state.lastDoneKind = kind
            state.errorSinceDone = false
            state.columns = nil
        }
    }

    // MARK: Messages and state

    /// Writes an ERROR token (class above 10) or an INFO token (class 10 or less).
    public func writeMessage(_ message: TDSServerMessage) async throws {
        let token = TokenEncoder.message(message, defaultServerName: serverName)
        try await write { state in
            state.append(token)
            if message.isError { state.errorSinceDone = true }
        }
    }

    /// Writes an ERROR token; `message.severity` should be above 10 (11…16 for user errors,
    /// 20+ for fatal ones).
    public func writeError(_ message: TDSServerMessage) async throws {
        try await writeMessage(message)
    }

    /// Writes an INFO token (`PRINT` output, "Changed database context…"); `message.severity` should be 0…10.
    public func writeInfo(_ message: TDSServerMessage) async throws {
        try await writeMessage(message)
    }

    /// Writes an ENVCHANGE token.
    public func writeEnvironmentChange(_ change: TDSEnvironmentChange) async throws {
        let token = change.encoded()
        try await write { $0.append(token) }
    }

    /// Writes RETURNSTATUS: the `RETURN` value of the procedure just run (before its DONEPROC).
    public func writeReturnStatus(_ status: Int32) async throws {
        try await write { $0.append(TokenEncoder.returnStatus(status)) }
    }

    /// Writes RETURNVALUE for an OUTPUT parameter of the RPC (after RETURNSTATUS, before DONEPROC).
    /// - Parameters:
    ///   - parameter: the RPC's parameter (its name and ordinal are echoed).
    ///   - type: the type to report; defaults to the type the client sent.
    ///   - value: the parameter's final value.
    public func writeReturnValue(_ parameter: TDSRPCParameter, type: TDSType? = nil, value: TDSWireValue) async throws {
        try await writeReturnValue(name: parameter.name, ordinal: parameter.ordinal, type: type ?? parameter.type, value: value)
    }

    /// Writes RETURNVALUE for a named parameter, or with `isUserDefinedFunction` for a UDF's result.
    public func writeReturnValue(name: String, ordinal: Int, type: TDSType, value: TDSWireValue, isUserDefinedFunction: Bool = false) async throws {
        try type.validate()
        let token = try TokenEncoder.returnValue(name: name, ordinal: ordinal, isUserDefinedFunction: isUserDefinedFunction, type: type, value: value)
        try await write { $0.append(token) }
    }

    // MARK: Server side

    /// Appends a token; ships full packets to the session thread.
    private func write(_ body: (inout State) throws -> Void) async throws {
        if channel.interruption != .none { throw channel.interruptionError() }
        let payloadSize = self.payloadSize
        let packets = try state.withLock { state in
            guard !state.isFinished else {
                throw TDSServerError(.invalidResponse, "the response was already sent; a handler must not write after returning")
            }
            try body(&state)
            return state.takeFullPackets(payloadSize: payloadSize)
        }
        if !packets.isEmpty { try await channel.enqueue(packets) }
    }

    /// Ends one part of the request (a batch or one RPC): adds a DONE (or DONEPROC for an RPC)
    /// unless the handler's last token was one of that kind.
    func endRequestPart(isRPC: Bool) async throws {
        let (isDone, hadError) = state.withLock { state in
            let isDone = isRPC ? state.lastDoneKind == .doneProc : state.lastDoneKind != nil
            return (isDone, state.errorSinceDone)
        }
        guard !isDone else { return }
        try await writeDone(isRPC ? .doneProc : .done, status: hadError ? .error : [], command: .none)
    }

    /// Closes the response and returns the rest of it as packet payloads, the last one to be sent
    /// with end-of-message. With `acknowledgingAttention` the last token is DONE with status 0x20.
    func finish(acknowledgingAttention: Bool) -> [[UInt8]] {
        let payloadSize = self.payloadSize
        return state.withLock { state in
            state.isFinished = true
            if acknowledgingAttention {
                state.flushPendingDone(more: true)
                state.buffer += TokenEncoder.done(.done, status: .attention, command: .none, rowCount: 0)
            } else if state.pendingDone != nil {
                state.flushPendingDone(more: false)
            } else {
                // Every response ends with a DONE-type token.
                state.buffer += TokenEncoder.done(.done, status: state.errorSinceDone ? .error : [], command: .none, rowCount: 0)
            }
            var packets = state.takeFullPackets(payloadSize: payloadSize)
            packets.append(state.buffer)
            state.buffer = []
            return packets
        }
    }
}
