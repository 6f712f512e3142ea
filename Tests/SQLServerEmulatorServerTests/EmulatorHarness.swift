import FerryTestSupport
import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import Synchronization
import TDSServer
import Testing

/// Runs the emulator in-process on a fresh PostgreSQL database for end-to-end tests.
enum EmulatorHarness {
    static let logger = Logger(label: "sqlserver-emulator-harness")
    static let password = "Passw0rd!"

    /// Starts a server over a fresh PostgreSQL database (its handler wrapped in a
    /// ``RecordingHandler``), runs `body` with the port and the recorder, then stops and drops all.
    static func withServer<T: Sendable>(_ body: (Int, RecordingHandler) async throws -> T) async throws -> T {
        let name = TestPostgres.uniqueName("emulator_e2e")
        let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(name))")
        do {
            let engine = try await SQLServerEngine.open(postgresURL: try TestPostgres.url(database: name), logger: logger)
            let handler = RecordingHandler(EmulatorRequestHandler(engine: engine, password: password, logger: logger))
            handler.postgresDatabase = name
            let server = try TDSServer(configuration: .init(host: "127.0.0.1", port: 0), handler: handler, logger: logger)
            let value = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                do {
                    let value = try await body(server.port, handler)
                    server.shutdown()
                    try await group.waitForAll()
                    return value
                } catch {
                    server.shutdown()
                    try? await group.waitForAll()
                    throw error
                }
            }
            try await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
            await admin.close()
            return value
        } catch {
            _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
            await admin.close()
            throw error
        }
    }

    /// A FreeTDS connection to the server as `sa`.
    static func connect(port: Int, database: String? = nil) async throws -> TDSConnection {
        try await TDSConnection.connect(
            configuration: .init(host: "127.0.0.1", port: port, username: "sa", password: password, database: database),
            logger: logger)
    }
}

/// Passes every request to the emulator's handler and records, per request, how many rows the
/// server wrote — what a test needs to show a cancelled result stopped early.
final class RecordingHandler: TDSRequestHandler {
    let inner: EmulatorRequestHandler
    private let written = Mutex<[UInt64]>([])
    private let database = Mutex<String?>(nil)

    /// The PostgreSQL database the server keeps its state in.
    var postgresDatabase: String? {
        get { database.withLock { $0 } }
        set { database.withLock { $0 = newValue } }
    }

    init(_ inner: EmulatorRequestHandler) {
        self.inner = inner
    }

    /// Rows written by each finished request, in order.
    var rowsWrittenPerRequest: [UInt64] { written.withLock { $0 } }

    func login(_ request: TDSLoginRequest) async throws -> TDSLoginDecision {
        try await inner.login(request)
    }

    func execute(batch: TDSSQLBatch, session: TDSSessionContext, response: TDSResponseWriter) async throws {
        defer { written.withLock { $0.append(response.rowsWritten) } }
        try await inner.execute(batch: batch, session: session, response: response)
    }

    func execute(rpc: TDSRPCRequest, session: TDSSessionContext, response: TDSResponseWriter) async throws {
        defer { written.withLock { $0.append(response.rowsWritten) } }
        try await inner.execute(rpc: rpc, session: session, response: response)
    }

    func sessionEnded(_ session: TDSSessionContext) async {
        await inner.sessionEnded(session)
    }
}
