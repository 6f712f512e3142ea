import Synchronization
import TDSServer

/// Turns an engine session's results into TDS tokens as they are produced (an ``EngineOutput``
/// over a ``TDSResponseWriter``), so a streamed result set flows through the writer's bounded
/// packet queue to the client and an ATTENTION stops it at the next chunk.
///
/// Token order follows MS-TDS: COLMETADATA, ROWs, then the statement's DONE (with its row count
/// unless NOCOUNT); ENVCHANGE for a database or a transaction change at the statement that made
/// it, before that statement's DONE; ERROR before the DONE that carries the error bit. Every DONE
/// carries the in-transaction bit as the transaction stands at that point.
final class TDSEngineOutput: EngineOutput {
    private struct State {
        var database: String
        var inTransaction: Bool
        /// The columns of the result set whose DONE is not written yet.
        var openResultSet: [ResultColumn]?
    }

    private let response: TDSResponseWriter
    private let doneKind: TDSDoneKind
    private let descriptors: EmulatorRequestHandler.TransactionDescriptors
    private let state: Mutex<State>

    init(
        response: TDSResponseWriter, doneKind: TDSDoneKind, database: String, inTransaction: Bool,
        descriptors: EmulatorRequestHandler.TransactionDescriptors
    ) {
        self.response = response
        self.doneKind = doneKind
        self.descriptors = descriptors
        self.state = Mutex(State(database: database, inTransaction: inTransaction))
    }

    var isCancelled: Bool { response.isCancelled }

    private var doneStatus: TDSDoneStatus {
        state.withLock { $0.inTransaction } ? .inTransaction : []
    }

    func beginResultSet(_ columns: [ResultColumn]) async throws {
        try await closeResultSet()
        let descriptions = columns.map { column in
            TDSColumnDescription(name: column.name, type: column.type.tdsType, isNullable: column.isNullable, isIdentity: column.isIdentity)
        }
        try await response.writeColumns(descriptions)
        state.withLock { $0.openResultSet = columns }
    }

    func writeRows(_ rows: [[SQLServerValue]]) async throws {
        guard let columns = state.withLock({ $0.openResultSet }) else {
            preconditionFailure("rows written outside a result set")
        }
        for row in rows {
            let values = try zip(row, columns).map { value, column in try value.tdsValue(as: column.type) }
            try await response.writeRow(values)
        }
    }

    func write(_ result: EngineResult) async throws {
        switch result {
        case .resultSet(let set):
            try await beginResultSet(set.columns)
            try await writeRows(set.rows)
        case .rowCount(let count):
            let isSelect = state.withLock { state in
                defer { state.openResultSet = nil }
                return state.openResultSet != nil
            }
            try await response.writeDone(doneKind, status: doneStatus, command: isSelect ? .select : .none, rowCount: UInt64(max(count, 0)))
        case .message(let message):
            try await closeResultSet()
            if message.number == EmulatorRequestHandler.changedDatabaseMessage,
                let name = EmulatorRequestHandler.databaseName(inChangeMessage: message.text)
            {
                try await changeDatabase(to: name)
            }
            try await response.writeInfo(TDSServerMessage(message))
        case .error(let error):
            let isSelect = state.withLock { state in
                defer { state.openResultSet = nil }
                return state.openResultSet != nil
            }
            try await response.writeError(TDSServerMessage(error))
            try await response.writeDone(doneKind, status: doneStatus.union(.error), command: isSelect ? .select : .none)
        case .transaction(let change):
            try await closeResultSet()
            switch change {
            case .began:
                let descriptor = await descriptors.begin()
                state.withLock { $0.inTransaction = true }
                try await response.writeEnvironmentChange(.beginTransaction(descriptor: descriptor))
            case .committed, .rolledBack:
                let descriptor = await descriptors.end()
                state.withLock { $0.inTransaction = false }
                try await response.writeEnvironmentChange(
                    change == .committed ? .commitTransaction(descriptor: descriptor) : .rollbackTransaction(descriptor: descriptor))
            }
        }
    }

    /// Ends the request's results: closes an open result set and reports a database change no
    /// message announced.
    func finish(database: String) async throws {
        try await closeResultSet()
        try await changeDatabase(to: database)
    }

    private func changeDatabase(to name: String) async throws {
        let old = state.withLock { state in
            defer { state.database = name }
            return state.database
        }
        if old != name { try await response.writeEnvironmentChange(.database(new: name, old: old)) }
    }

    /// A result set not followed by a row count (SET NOCOUNT ON) ends with a DONE without count.
    private func closeResultSet() async throws {
        let wasOpen = state.withLock { state in
            defer { state.openResultSet = nil }
            return state.openResultSet != nil
        }
        if wasOpen { try await response.writeDone(doneKind, status: doneStatus, command: .select) }
    }
}
