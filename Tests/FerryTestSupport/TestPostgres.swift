import Foundation

/// The PostgreSQL server the tests use, from `FERRY_TEST_POSTGRES_URL` (set by `make test`).
public enum TestPostgres {
    /// The variable is missing: the tests that need PostgreSQL fail rather than skip.
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "FERRY_TEST_POSTGRES_URL is not set: set it to a PostgreSQL URL "
                + "(e.g. postgresql://postgres@127.0.0.1:55432/ferry after scripts/postgres.sh start) or run `make test`"
        }
    }

    /// The server's URL.
    public static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw NotConfigured()
        }
        return url
    }

    /// The same server's URL with another database name.
    public static func url(database: String) throws -> String {
        guard var components = URLComponents(string: try url()) else {
            throw NotConfigured()
        }
        components.path = "/" + database
        return components.string!
    }

    /// A fresh name for a test database or schema: `prefix_` and random hex.
    public static func uniqueName(_ prefix: String) -> String {
        prefix + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }
}
