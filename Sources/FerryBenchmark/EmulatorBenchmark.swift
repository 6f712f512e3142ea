import ArgumentParser
import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import TDSServer

/// `ferry-benchmark emulator`: the SQL Server emulator through FreeTDS — a large SELECT streamed
/// to the client, the time a cancel takes to come back, and single-row insert transactions.
struct EmulatorBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Rows/s of a streamed SELECT and single-row insert transactions/s through FreeTDS and the emulator."
    )

    @Option(help: "Rows the SELECT returns (a cross join of digit tables; a power of ten).")
    var rows: Int = 1_000_000

    @Option(help: "Single-row insert transactions to run.")
    var transactions: Int = 5_000

    @Option(help: "A PostgreSQL server URL; the benchmark creates and drops one database on it.")
    var postgres: String = "postgresql://postgres@127.0.0.1:55432/ferry"

    func validate() throws {
        var power = 1
        while power < rows { power *= 10 }
        guard rows >= 10, power == rows, rows <= 100_000_000 else {
            throw ValidationError("--rows must be a power of ten from 10 to 100000000")
        }
        guard transactions > 0 else { throw ValidationError("--transactions must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "ferry.benchmark.emulator") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        try await BenchmarkEmulator.withScratchDatabase(postgres: postgres, prefix: "ferry_bench_emulator", logger: logger) { url in
            try await measure(postgresURL: url, logger: logger)
        }
    }

    private func measure(postgresURL: String, logger: Logger) async throws {
        try await BenchmarkEmulator.withServer(postgresURL: postgresURL, logger: logger) { port in
            let connection = try await TDSConnection.connect(
                configuration: .init(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!"), logger: logger)
            _ = try await connection.execute("""
                CREATE TABLE dbo.digits (d int NOT NULL PRIMARY KEY);
                INSERT INTO dbo.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
                CREATE TABLE dbo.events (id int NOT NULL PRIMARY KEY, payload nvarchar(100) NOT NULL, at datetime2(7) NOT NULL DEFAULT sysdatetime());
                """)
            let select = selectStatement()
            let clock = ContinuousClock()
            print("emulator benchmark: \(rows) rows of (int, nvarchar(40)); \(transactions) insert transactions")

            var count = 0
            var bytes = 0
            let selectTime = try await clock.measure {
                for try await row in try await connection.stream(select, chunkSize: 1000).rows {
                    count += 1
                    bytes += 4 + (row[1].stringValue?.utf16.count ?? 0) * 2
                }
            }
            guard count == rows else { throw ValidationError("the SELECT returned \(count) rows, not \(rows)") }
            let seconds = Self.seconds(selectTime)
            print(String(format: "streamed SELECT:           %9d rows in %7.2f s = %9.0f rows/s (%.1f MB/s of values)",
                         count, seconds, Double(count) / seconds, Double(bytes) / 1_048_576 / seconds))

            // Cancel after the first rows: how long until the connection answers again.
            let stream = try await connection.stream(select, chunkSize: 100)
            var iterator = stream.makeAsyncIterator()
            var seen = 0
            while seen < 1000, let event = try await iterator.next() { if case .row = event { seen += 1 } }
            let cancelTime = try await clock.measure {
                await stream.cancel()
                _ = try await connection.query("SELECT 1")
            }
            print(String(format: "cancel after 1000 rows:    next query answered %.1f ms after the cancel", Self.seconds(cancelTime) * 1000))

            let payload = String(repeating: "x", count: 80)
            let insertTime = try await clock.measure {
                for id in 0..<transactions {
                    _ = try await connection.execute("BEGIN TRAN; INSERT INTO dbo.events (id, payload) VALUES (\(id), N'\(payload)'); COMMIT")
                }
            }
            let inserted = try await connection.query("SELECT COUNT(*) FROM dbo.events").first?[0].int64Value ?? 0
            guard inserted == Int64(transactions) else { throw ValidationError("\(inserted) of \(transactions) rows were inserted") }
            let insertSeconds = Self.seconds(insertTime)
            print(String(format: "single-row insert tx:      %9d tx   in %7.2f s = %9.0f tx/s (BEGIN TRAN; INSERT; COMMIT per batch)",
                         transactions, insertSeconds, Double(transactions) / insertSeconds))
            await connection.close()
        }
    }

    /// `rows` rows from cross joins of the digits, with a 40-character string.
    private func selectStatement() -> String {
        let (number, from) = BenchmarkEmulator.digitCrossJoin(rows: rows)
        return "SELECT \(number) AS n, REPLICATE(N'y', 40) AS label FROM \(from)"
    }

    static func url(_ url: String, database: String) -> String {
        guard let slash = url.lastIndex(of: "/"), url.distance(from: url.startIndex, to: slash) > "postgresql://".count else {
            return url + "/" + database
        }
        return String(url[...slash]) + database
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
