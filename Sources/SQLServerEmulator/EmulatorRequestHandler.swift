public import Logging
import Foundation
public import TDSServer

/// Answers TDS clients with the emulator engine: each logged-in client gets its own
/// ``EngineSession`` (kept in the session's state), batches and RPCs run on it, and its results
/// become TDS tokens.
public struct EmulatorRequestHandler: TDSRequestHandler {
    /// The engine sessions are opened on.
    public let engine: SQLServerEngine
    /// The one SQL login accepted.
    public let user: String
    private let password: String
    private let logger: Logger

    /// Makes a handler accepting `user` with `password` (`sa` / `Passw0rd!` by default).
    public init(engine: SQLServerEngine, user: String = "sa", password: String = "Passw0rd!", logger: Logger) {
        self.engine = engine
        self.user = user
        self.password = password
        self.logger = logger
    }

    /// What the handler keeps per client.
    final class SessionState: Sendable {
        let engineSession: EngineSession
        /// Numbers the transactions announced to the client (ENVCHANGE 8).
        let transactionDescriptors = TransactionDescriptors()

        init(engineSession: EngineSession) {
            self.engineSession = engineSession
        }
    }

    /// The descriptor of the client's open transaction.
    actor TransactionDescriptors {
        private var next: UInt64 = 1
        private(set) var current: UInt64 = 0

        func begin() -> UInt64 {
            current = next
            next += 1
            return current
        }

        func end() -> UInt64 {
            defer { current = 0 }
            return current
        }
    }

    // MARK: Login

    /// Checks the user and password, and that the requested database exists.
    public func login(_ request: TDSLoginRequest) async throws -> TDSLoginDecision {
        guard request.userName.caseInsensitiveCompare(user) == .orderedSame, request.password == password else {
            logger.info("login refused: wrong user or password", metadata: ["emulator.user": "\(request.userName)"])
            return .reject(.loginFailed(user: request.userName))
        }
        // The engine session that checks the database is the client's one session: the server keeps
        // it as the session state (and hands it back to sessionEnded to close).
        let session: EngineSession
        do {
            session = try await engine.makeSession(database: request.database.isEmpty ? nil : request.database)
        } catch let error as SQLServerError {
            return .reject(TDSServerMessage(error))
        }
        let database = await session.database.name
        return .accept(database: database, state: SessionState(engineSession: session))
    }

    /// Closes the client's engine session.
    public func sessionEnded(_ session: TDSSessionContext) async {
        guard let state = session.state as? SessionState else { return }
        session.state = nil
        await state.engineSession.close()
    }

    /// The client's engine state, opened at login (or, for a server that did not keep it, on the
    /// first request, in the database the client logged in to).
    private func state(for context: TDSSessionContext) async throws -> SessionState {
        if let state = context.state as? SessionState { return state }
        let database = context.login.database
        let session = try await engine.makeSession(database: database.isEmpty ? nil : database)
        let state = SessionState(engineSession: session)
        context.state = state
        return state
    }

    // MARK: Requests

    /// Runs a batch on the client's engine session, streaming its results.
    public func execute(batch: TDSSQLBatch, session context: TDSSessionContext, response: TDSResponseWriter) async throws {
        let state = try await state(for: context)
        let session = state.engineSession
        let output = await makeOutput(session, state: state, doneKind: .done, response: response)
        try await session.execute(batch: batch.text, output: output)
        try await output.finish(database: await session.database.name)
    }

    /// Runs `sp_executesql` or a stored procedure: results, then RETURNSTATUS and the OUTPUT values.
    public func execute(rpc: TDSRPCRequest, session context: TDSSessionContext, response: TDSResponseWriter) async throws {
        let state = try await state(for: context)
        let session = state.engineSession
        let parameters = rpc.parameters.map { parameter in
            RPCParameter(
                name: parameter.name.isEmpty ? nil : parameter.name,
                value: SQLServerValue(tdsValue: parameter.value),
                type: SQLServerType(tdsType: parameter.type),
                isOutput: parameter.isOutput)
        }
        let output = await makeOutput(session, state: state, doneKind: .doneInProc, response: response)
        let outcome = try await session.execute(procedure: rpc.procedureName, parameters: parameters, output: output)
        try await output.finish(database: await session.database.name)
        if let status = outcome.returnStatus {
            try await response.writeReturnStatus(Int32(clamping: status))
        }
        let outputs = rpc.parameters.filter(\.isOutput)
        for (parameter, output) in zip(outputs, outcome.outputParameters) {
            let value = try output.value.tdsValue(as: output.type)
            // Report the type the client declared, which is what it bound its variable to.
            try await response.writeReturnValue(parameter, value: value)
        }
    }

    private func makeOutput(_ session: EngineSession, state: SessionState, doneKind: TDSDoneKind, response: TDSResponseWriter) async -> TDSEngineOutput {
        TDSEngineOutput(
            response: response, doneKind: doneKind, database: await session.database.name,
            inTransaction: await session.transactionCount > 0, descriptors: state.transactionDescriptors)
    }

    /// "Changed database context to 'x'."
    static let changedDatabaseMessage = 5701

    /// The name between the quotes of message 5701.
    static func databaseName(inChangeMessage text: String) -> String? {
        guard let open = text.firstIndex(of: "'"), let close = text.lastIndex(of: "'"), open < close else { return nil }
        return String(text[text.index(after: open)..<close])
    }
}

extension TDSServerMessage {
    /// An engine error as an ERROR token.
    init(_ error: SQLServerError) {
        self.init(
            number: Int32(clamping: error.number), state: UInt8(clamping: error.state), severity: UInt8(clamping: error.severity),
            text: error.message, procedure: error.procedure ?? "", line: Int32(clamping: error.line))
    }

    /// An engine message as an INFO token.
    init(_ message: InfoMessage) {
        self.init(
            number: Int32(clamping: message.number), state: UInt8(clamping: message.state), severity: UInt8(clamping: message.severity),
            text: message.text, line: Int32(clamping: message.line))
    }
}
