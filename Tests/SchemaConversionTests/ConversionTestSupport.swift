import FerryTestSupport
import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import TDSServer

/// An in-process SQL Server emulator over its own PostgreSQL database, and a fresh target database.
enum ConversionTestSupport {
    static let logger = Logger(label: "schema-conversion-tests")

    /// Runs `body` with a FreeTDS connection to the emulator (logged in to `master`) and a
    /// connection to an empty target database; drops both databases afterwards.
    static func withSourceAndTarget(_ body: (TDSConnection, PostgresConnection, Int) async throws -> Void) async throws {
        let emulatorDatabase = TestPostgres.uniqueName("convert_source")
        let targetDatabase = TestPostgres.uniqueName("convert_target")
        let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(emulatorDatabase))")
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(targetDatabase))")
        func dropAll() async {
            _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(emulatorDatabase)) WITH (FORCE)")
            _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(targetDatabase)) WITH (FORCE)")
            await admin.close()
        }
        do {
            let engine = try await SQLServerEngine.open(postgresURL: try TestPostgres.url(database: emulatorDatabase), logger: logger)
            let handler = EmulatorRequestHandler(engine: engine, logger: logger)
            let server = try TDSServer(configuration: .init(host: "127.0.0.1", port: 0), handler: handler, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                do {
                    let source = try await TDSConnection.connect(
                        configuration: .init(host: "127.0.0.1", port: server.port, username: "sa", password: "Passw0rd!"), logger: logger)
                    let target = try await PostgresConnection.connect(url: try TestPostgres.url(database: targetDatabase), logger: logger)
                    do {
                        try await body(source, target, server.port)
                    } catch {
                        await source.close()
                        await target.close()
                        throw error
                    }
                    await source.close()
                    await target.close()
                } catch {
                    server.shutdown()
                    try await group.waitForAll()
                    throw error
                }
                server.shutdown()
                try await group.waitForAll()
            }
        } catch {
            await dropAll()
            throw error
        }
        await dropAll()
    }

    /// Runs each batch on the source.
    static func run(_ batches: [String], on connection: TDSConnection) async throws {
        for batch in batches { _ = try await connection.execute(batch) }
    }
}
