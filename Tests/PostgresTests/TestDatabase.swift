import FerryTestSupport
import Logging
import Postgres
import Testing

/// Connections to the test server (`FERRY_TEST_POSTGRES_URL`, read by `TestPostgres`: without it
/// every database test fails loudly instead of being skipped).
enum TestDatabase {
    static func url() throws -> String {
        try TestPostgres.url()
    }

    static var logger: Logger {
        var logger = Logger(label: "ferry.postgres.tests")
        logger.logLevel = .warning
        return logger
    }

    static func connect(url: String? = nil, logger: Logger = TestDatabase.logger) async throws -> PostgresConnection {
        try await PostgresConnection.connect(url: url ?? self.url(), logger: logger)
    }

    /// A schema name unique to one test, so tests can run in parallel.
    static func uniqueSchemaName() -> String {
        "ferry_test_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    /// Runs `body` on a fresh connection whose `search_path` is a new, empty schema; the schema
    /// is dropped and the connection closed afterwards, whether `body` succeeds or throws.
    static func withSchema<T>(
        _ body: (PostgresConnection, String) async throws -> T
    ) async throws -> T {
        let connection = try await connect()
        let schema = uniqueSchemaName()
        let quoted = PostgresIdentifier.quote(schema)
        try await connection.execute("CREATE SCHEMA \(quoted); SET search_path TO \(quoted)")
        do {
            let value = try await body(connection, schema)
            try await dropSchema(schema, using: connection)
            return value
        } catch {
            try? await dropSchema(schema, using: connection)
            throw error
        }
    }

    private static func dropSchema(_ schema: String, using connection: PostgresConnection) async throws {
        // A test may have broken or closed its connection; clean up on a new one then.
        let cleaner = await connection.isConnected ? connection : try await connect()
        try await cleaner.execute("DROP SCHEMA IF EXISTS \(PostgresIdentifier.quote(schema)) CASCADE")
        await cleaner.close()
        await connection.close()
    }
}
