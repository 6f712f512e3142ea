import Synchronization
import TDSServer

/// What the scripted handler saw, for assertions.
final class Recorder: Sendable {
    struct Snapshot {
        var logins: [TDSLoginRequest] = []
        var batches: [TDSSQLBatch] = []
        var rpcs: [TDSRPCRequest] = []
        /// Rows written by each `MANY` batch when it stopped, with the error code that stopped it.
        var stoppedStreams: [(rows: UInt64, code: TDSServerError.Code)] = []
        var completedStreams: [UInt64] = []
        var endedSessions: [Int] = []
    }

    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) {
        state.withLock { body(&$0) }
    }

    /// Waits (polling) until `condition` holds or about 20 s passed; returns whether it holds.
    func wait(until condition: (Snapshot) -> Bool) async -> Bool {
        for _ in 0..<2000 {
            if condition(snapshot) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(snapshot)
    }
}

/// A handler that accepts `ferry`/`secret`, answers batches from a script keyed by their text,
/// and answers RPCs with `rpcScript`.
struct ScriptedHandler: TDSRequestHandler {
    typealias Script = @Sendable (TDSSQLBatch, TDSSessionContext, TDSResponseWriter) async throws -> Void
    let recorder: Recorder
    var scripts: [String: Script] = [:]
    var rpcScript: (@Sendable (TDSRPCRequest, TDSResponseWriter) async throws -> Void)?

    func login(_ request: TDSLoginRequest) async throws -> TDSLoginDecision {
        recorder.update { $0.logins.append(request) }
        guard request.userName == "ferry", request.password == "secret" else {
            return .reject(.loginFailed(user: request.userName))
        }
        return .accept(database: request.database.isEmpty ? "master" : request.database)
    }

    func execute(batch: TDSSQLBatch, session: TDSSessionContext, response: TDSResponseWriter) async throws {
        recorder.update { $0.batches.append(batch) }
        if batch.text.hasPrefix("SET TEXTSIZE") {
            try await response.writeDone(command: .set)
            return
        }
        if batch.text.hasPrefix("MANY ") {
            try await streamMany(Int(batch.text.dropFirst(5)) ?? 0, response)
            return
        }
        guard let script = scripts[batch.text] else {
            try await response.writeError(TDSServerMessage(number: 2812, state: 62, severity: 16, text: "Could not find stored procedure '\(batch.text)'."))
            return
        }
        try await script(batch, session, response)
    }

    /// `MANY n`: one int column with n rows, recording how far it got if it is stopped.
    private func streamMany(_ count: Int, _ response: TDSResponseWriter) async throws {
        do {
            try await response.writeColumns([TDSColumnDescription(name: "n", type: .int, isNullable: false)])
            for index in 0..<count { try await response.writeRow([.int(Int32(index))]) }
            try await response.writeDone(rowCount: UInt64(count))
            recorder.update { $0.completedStreams.append(response.rowsWritten) }
        } catch let error as TDSServerError {
            recorder.update { $0.stoppedStreams.append((response.rowsWritten, error.code)) }
            throw error
        }
    }

    func execute(rpc: TDSRPCRequest, session: TDSSessionContext, response: TDSResponseWriter) async throws {
        recorder.update { $0.rpcs.append(rpc) }
        try await rpcScript?(rpc, response)
    }

    func sessionEnded(_ session: TDSSessionContext) async {
        recorder.update { $0.endedSessions.append(session.id) }
    }
}
