import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import TDSServer

/// What the emulator-backed benchmarks share: a scratch PostgreSQL database for the run and an
/// in-process emulator listening on a free port.
enum BenchmarkEmulator {
    /// The numbers `0..<rows` (`rows` a power of ten) from a cross join of `dbo.digits` (one row per
    /// digit 0–9): the number expression, first alias the most significant digit, and the FROM list.
    static func digitCrossJoin(rows: Int) -> (number: String, from: String) {
        var digits = 0
        var power = 1
        while power < rows { power *= 10; digits += 1 }
        let aliases = (0..<digits).map { "d\($0)" }
        let number = aliases.enumerated().map { index, alias in
            "\(alias).d * \((0..<(digits - 1 - index)).reduce(1) { value, _ in value * 10 })"
        }.joined(separator: " + ")
        return (number, aliases.map { "dbo.digits \($0)" }.joined(separator: " CROSS JOIN "))
    }

    /// Creates a database named `prefix_<random>` on `postgres`, runs `body` with its URL, and drops
    /// it afterwards whatever happens.
    static func withScratchDatabase(postgres: String, prefix: String, logger: Logger, _ body: (String) async throws -> Void) async throws {
        let database = "\(prefix)_\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        let admin = try await PostgresConnection.connect(url: postgres, logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(database))")
        do {
            try await body(EmulatorBenchmark.url(postgres, database: database))
        } catch {
            _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(database)) WITH (FORCE)")
            await admin.close()
            throw error
        }
        try await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(database)) WITH (FORCE)")
        await admin.close()
    }

    /// Serves an emulator over `postgresURL` on 127.0.0.1 and runs `body` with its port.
    static func withServer(postgresURL: String, logger: Logger, _ body: (Int) async throws -> Void) async throws {
        let engine = try await SQLServerEngine.open(postgresURL: postgresURL, logger: logger)
        let server = try TDSServer(
            configuration: .init(host: "127.0.0.1", port: 0), handler: EmulatorRequestHandler(engine: engine, logger: logger), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { server.shutdown() }
            try await body(server.port)
        }
    }
}
