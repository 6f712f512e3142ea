import ArgumentParser
import FerryCore
import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import TDSServer
import Validation

/// `ferry-benchmark validate`: how long `ferry validate`'s comparison of two equal tables takes
/// (server-side partition checksums, or every row with `--row-by-row`),
/// next to what PostgreSQL needs to count and scan both sides once (issue 8's yardstick: within 2×).
///
/// The source table lives in the emulator (read through FreeTDS, as from SQL Server); the target
/// is a plain PostgreSQL table with the same rows. The baseline is measured on the same PostgreSQL
/// server: `SELECT count(*)` plus one full scan that touches every value (`sum(length(row::text))`),
/// on the emulator's storage table and on the target table.
///
/// The source rows are inserted in key order, because SQL Server keeps a table with a clustered
/// primary key in key order on disk and the emulator's PostgreSQL table keeps insert order
/// (`--scattered-source` measures the other case). The target is loaded in key order and analyzed.
struct ValidateBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Row-by-row validation of two equal tables next to count(*) plus a full scan of each side."
    )

    @Option(help: "Rows per table (a power of ten, at least 10).")
    var rows: Int = 1_000_000

    @Option(help: "Rows read from each side per step (ValidationSettings.PartitionSize).")
    var partitionSize: Int = 10_000

    @Option(help: "Validation workers (ValidationSettings.ThreadCount; DMS's default is 5). With one table, the spare ones scan key ranges of it at once.")
    var workers: Int = 5

    @Flag(help: "Read every row from both sides instead of comparing server-side partition checksums.")
    var rowByRow = false

    @Flag(help: """
        Insert the source rows in the order a cross join makes them, not in key order. SQL Server \
        stores a table with a clustered primary key in key order whatever the insert order; the \
        emulator's PostgreSQL heap keeps insert order, so this measures a source scattered on disk.
        """)
    var scatteredSource = false

    @Option(help: "A PostgreSQL server URL; the benchmark creates and drops one database on it.")
    var postgres: String = "postgresql://postgres@127.0.0.1:55432/ferry"

    func validate() throws {
        var power = 10
        while power < rows { power *= 10 }
        guard power == rows else { throw ValidationError("--rows must be a power of ten, at least 10") }
    }

    func run() async throws {
        var logger = Logger(label: "ferry.benchmark.validate") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        try await BenchmarkEmulator.withScratchDatabase(postgres: postgres, prefix: "ferry_bench_validate", logger: logger) { url in
            try await measure(postgresURL: url, logger: logger)
        }
    }

    private func measure(postgresURL: String, logger: Logger) async throws {
        try await BenchmarkEmulator.withServer(postgresURL: postgresURL, logger: logger) { port in
            let sourceConfiguration = TDSConnection.Configuration(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!", database: "Bench")
            let setup = try await TDSConnection.connect(
                configuration: .init(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!"), logger: logger)
            var digits = 1
            var power = 10
            while power < rows { power *= 10; digits += 1 }
            let joins = (0..<digits).map { "dbo.digits d\($0)" }.joined(separator: " CROSS JOIN ")
            let number = (0..<digits).map { "d\($0).d * \(Self.power(10, $0))" }.joined(separator: " + ")
            print("validate benchmark: 2 × \(rows) rows of (int key, nvarchar(40), decimal(12,2), bit); partition \(partitionSize)")
            let clock = ContinuousClock()
            let load = try await clock.measure {
                _ = try await setup.execute("CREATE DATABASE Bench")
                _ = try await setup.execute("""
                    USE Bench;
                    CREATE TABLE dbo.digits (d int NOT NULL PRIMARY KEY);
                    INSERT INTO dbo.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
                    CREATE TABLE dbo.Orders (OrderID int NOT NULL PRIMARY KEY, Customer nvarchar(40) NOT NULL, Amount decimal(12,2) NOT NULL, Paid bit NOT NULL);
                    INSERT INTO dbo.Orders (OrderID, Customer, Amount, Paid)
                    SELECT n, N'customer ' + CAST(n % 1000 AS nvarchar(10)), CAST(n AS decimal(12,2)), CASE WHEN n % 2 = 0 THEN 1 ELSE 0 END
                    FROM (SELECT \(number) AS n FROM \(joins)) AS numbers\(scatteredSource ? "" : " ORDER BY n");
                    """)
            }
            await setup.close()
            let target = try await PostgresConnection.connect(url: postgresURL, logger: logger)
            try await target.execute("""
                CREATE SCHEMA bench_dbo;
                CREATE TABLE bench_dbo.orders (orderid integer PRIMARY KEY, customer varchar(40) NOT NULL, amount numeric(12,2) NOT NULL, paid boolean NOT NULL);
                INSERT INTO bench_dbo.orders SELECT g, 'customer ' || (g % 1000), g, g % 2 = 0 FROM generate_series(0, \(rows - 1)) g;
                """)
            try await target.execute("VACUUM ANALYZE bench_dbo.orders")
            try await target.execute(#"VACUUM ANALYZE "bench.dbo".orders"#)
            // The load's WAL is flushed now, not by a checkpoint in the middle of a measurement.
            try await target.execute("CHECKPOINT")
            print(String(format: "loaded both sides in %.1f s", EmulatorBenchmark.seconds(load)))

            // Baseline: count(*) plus one full scan of each side, on the same server, warm.
            var baseline = Duration.zero
            for table in [#""bench.dbo".orders"#, "bench_dbo.orders"] {
                _ = try await target.query("SELECT sum(length(t::text)) FROM \(table) t")
                baseline += try await clock.measure {
                    _ = try await target.query("SELECT count(*) FROM \(table)")
                    _ = try await target.query("SELECT sum(length(t::text)) FROM \(table) t")
                }
            }
            await target.close()

            let type = { (declaration: String) throws -> SQLServerDataType in try SQLServerDataType(declaration: declaration) }
            let table = try ValidationTable(
                source: TableIdentity(database: "Bench", schema: "dbo", table: "Orders"), targetSchema: "bench_dbo", targetTable: "orders",
                keyColumns: [.init(sourceName: "OrderID", targetName: "orderid", type: try type("int"))],
                valueColumns: [
                    .init(sourceName: "Customer", targetName: "customer", type: try type("nvarchar(40)")),
                    .init(sourceName: "Amount", targetName: "amount", type: try type("decimal(12,2)")),
                    .init(sourceName: "Paid", targetName: "paid", type: try type("bit")),
                ])
            let runner = ValidationRunner(
                source: sourceConfiguration, targetURL: postgresURL, settings: .init(partitionSize: partitionSize, serverChecksums: !rowByRow), workers: workers, logger: logger)
            var results: [TableValidationResult] = []
            let validation = try await clock.measure { results = try await runner.run([table]) }
            guard let result = results.first, result.state == .validated, result.matchedRows == rows else {
                throw ValidationError("the tables did not validate: \(results.first.map { "\($0.state), \($0.mismatchCount) mismatches, e.g. \($0.mismatches.prefix(5))" } ?? "no result")")
            }
            let baselineSeconds = EmulatorBenchmark.seconds(baseline)
            let validationSeconds = EmulatorBenchmark.seconds(validation)
            print(String(format: "PostgreSQL count(*) + full scan, both sides: %7.2f s", baselineSeconds))
            print(String(format: "ferry validate (%d workers):                  %7.2f s = %9.0f rows/s per side, %.2f× the baseline",
                         workers, validationSeconds, Double(rows) / validationSeconds, validationSeconds / baselineSeconds))
            print("compared by \(result.method), \(result.partitions) partitions, \(result.mismatchedPartitions) re-read row by row")
        }
    }

    static func power(_ base: Int, _ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * base } }
}
