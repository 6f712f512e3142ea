public import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import TDSServer

/// An in-process `sqlserver-emulator` over a fresh PostgreSQL database, for tests that talk to
/// "SQL Server" through FreeTDS over TCP.
public struct TestEmulator: Sendable {
    /// The port the emulator listens on (127.0.0.1).
    public let port: Int
    /// The PostgreSQL database behind the emulator.
    public let postgresURL: String

    /// The default login.
    public static let username = "sa"
    /// The default password.
    public static let password = "Passw0rd!"

    /// Starts an emulator on a new PostgreSQL database, runs `body`, then stops it and drops the database.
    public static func with<T: Sendable>(_ body: (TestEmulator) async throws -> T) async throws -> T {
        let logger = Logger(label: "ferry.test.emulator")
        let name = TestPostgres.uniqueName("emulator")
        let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(name))")
        func dropDatabase() async {
            _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
            await admin.close()
        }
        do {
            let url = try TestPostgres.url(database: name)
            let engine = try await SQLServerEngine.open(postgresURL: url, logger: logger)
            let handler = EmulatorRequestHandler(engine: engine, logger: logger)
            let server = try TDSServer(configuration: .init(host: "127.0.0.1", port: 0), handler: handler, logger: logger)
            let result = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                defer { server.shutdown() }
                return try await body(TestEmulator(port: server.port, postgresURL: url))
            }
            await dropDatabase()
            return result
        } catch {
            await dropDatabase()
            throw error
        }
    }

    /// The FreeTDS configuration for a login to this emulator.
    public func configuration(database: String? = nil) -> TDSConnection.Configuration {
        .init(host: "127.0.0.1", port: port, username: Self.username, password: Self.password, database: database)
    }

    /// Connects through FreeTDS.
    public func connect(database: String? = nil) async throws -> TDSConnection {
        try await TDSConnection.connect(configuration: configuration(database: database), logger: Logger(label: "ferry.test.tds"))
    }

    /// `sqlserver://sa:…@127.0.0.1:PORT/DATABASE`, as Ferry's commands take it.
    public func url(database: String) -> String {
        "sqlserver://\(Self.username):\(Self.password)@127.0.0.1:\(port)/\(database)"
    }
}
