import FerryTestSupport
import Logging
import Postgres
import SQLServerEmulator
import Testing

/// Gives each test its own PostgreSQL database so tests run in parallel.
enum EmulatorTestDatabase {
    static let logger = Logger(label: "sqlserver-emulator-tests")

    /// Creates a fresh PostgreSQL database, runs `body` with its URL, and drops it.
    static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let name = TestPostgres.uniqueName("emulator")
        let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(name))")
        do {
            let value = try await body(try TestPostgres.url(database: name))
            try await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
            await admin.close()
            return value
        } catch {
            _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
            await admin.close()
            throw error
        }
    }

    /// A fresh database, an engine on it and one session.
    static func withSession<T>(_ body: (EngineSession, SQLServerEngine, String) async throws -> T) async throws -> T {
        try await withDatabase { url in
            let engine = try await SQLServerEngine.open(postgresURL: url, logger: logger)
            let session = try await engine.makeSession()
            do {
                let value = try await body(session, engine, url)
                await session.close()
                return value
            } catch {
                await session.close()
                throw error
            }
        }
    }
}

extension EngineSession {
    /// Runs a batch that must not fail; returns its results.
    @discardableResult
    func run(_ batch: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [EngineResult] {
        let results = try await execute(batch: batch)
        for result in results {
            if case .error(let error) = result {
                Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
            }
        }
        return results
    }

    /// The result sets of a batch that must not fail.
    func resultSets(_ batch: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [ResultSet] {
        try await run(batch, sourceLocation: sourceLocation).compactMap {
            if case .resultSet(let set) = $0 { $0 == $0 ? set : nil } else { nil }
        }
    }

    /// The errors a batch reports.
    func errors(_ batch: String) async throws -> [SQLServerError] {
        try await execute(batch: batch).compactMap { if case .error(let error) = $0 { error } else { nil } }
    }
}
