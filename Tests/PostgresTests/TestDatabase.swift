import Logging
import Postgres
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The test server comes from `FERRY_TEST_POSTGRES_URL`; without it every database test fails
/// loudly instead of being skipped.
enum TestDatabase {
    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "FERRY_TEST_POSTGRES_URL is not set: set it to a PostgreSQL URL "
                + "(e.g. postgresql://postgres@127.0.0.1:55432/ferry after scripts/postgres.sh start) or run `make test`"
        }
    }

    static func url() throws -> String {
        guard let value = getenv("FERRY_TEST_POSTGRES_URL"), !String(cString: value).isEmpty else {
            throw NotConfigured()
        }
        return String(cString: value)
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
