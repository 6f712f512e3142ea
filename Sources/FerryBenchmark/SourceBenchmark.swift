import ArgumentParser
import EventLog
import FerryCore
import Foundation
import FreeTDS
import Kafka
import Logging
import Postgres
import SQLServerEmulator
import SQLServerSource
import TDSServer

/// `ferry-benchmark source`: `ferry source` (``SQLServerSource``) against the emulator, into the
/// embedded log and into librdkafka's mock cluster.
///
/// - `snapshot`: a full load of one table of `--rows` rows (each size given), `op: "r"` rows/s.
/// - `streaming`: `--transactions` single-row insert transactions, committed and captured
///   (`sys.sp_cdc_scan` until all are in the change table) *before* the source starts, then
///   streamed from a checkpoint placed just before them: events/s of the source alone.
///
/// The parent loads the data once per workload (emulator in-process, T-SQL through FreeTDS,
/// PostgreSQL `synchronous_commit = off` on the benchmark database so loading does not wait for
/// fsync) and then runs every measurement in a child process of its own, because a process's
/// peak RSS (`VmHWM`) cannot be reset. A child opens the emulator over the loaded database, starts
/// its TDS server and the log, records `VmHWM` (the baseline: emulator + log + runtime), runs the
/// source to the end and reports the peak again.
struct SourceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "ferry source: snapshot rows/s and streaming events/s (emulator → embedded log / mock Kafka) with peak RSS.")

    @Option(help: "Row counts of the snapshot table, comma-separated; each a power of ten.")
    var rows: String = "100000,1000000"

    @Option(help: "Single-row transactions for the streaming measurement (0 skips it).")
    var transactions: Int = 200_000

    @Option(help: "Rows per snapshot key range (the source's snapshotPartitionRows); a table above it is read in parallel ranges.")
    var partitionRows: Int = 250_000

    @Option(help: "Which log: embedded, kafka or all.")
    var target: FerryBenchmark.Target = .all

    @Option(help: "A PostgreSQL server URL; the benchmark creates and drops one database per workload on it.")
    var postgres: String = ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:55432/ferry"

    // Child-process options (set by the parent).
    @Option(help: .hidden) var childDatabase: String?
    @Option(help: .hidden) var childWorkload: String?
    @Option(help: .hidden) var childLog: String?
    @Option(help: .hidden) var childStart: String?
    @Option(help: .hidden) var childStop: String?
    @Option(help: .hidden) var childCount: Int = 0

    static let sqlDatabase = "bench"

    func validate() throws {
        for count in try rowCounts() {
            var power = 1
            while power < count { power *= 10 }
            guard count >= 10, power == count else { throw ValidationError("--rows: \(count) is not a power of ten ≥ 10") }
        }
        guard partitionRows > 0 else { throw ValidationError("--partition-rows must be positive") }
        guard transactions >= 0 else { throw ValidationError("--transactions must not be negative") }
    }

    private func rowCounts() throws -> [Int] {
        try rows.split(separator: ",").map {
            guard let n = Int($0.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--rows: '\($0)' is not a number") }
            return n
        }
    }

    func run() async throws {
        var logger = Logger(label: "ferry.benchmark.source") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        if let childDatabase, let childWorkload, let childLog {
            try await measure(database: childDatabase, workload: childWorkload, log: childLog, logger: logger)
            return
        }
        let logs = target == .all ? ["embedded", "kafka"] : [target.rawValue]
        print("ferry source benchmark: load average \(Self.loadAverage()); snapshot key ranges of \(partitionRows) rows")
        print("workload                         log        events   seconds     events/s   VmHWM base MB   VmHWM peak MB   +MB")
        for count in try rowCounts() {
            try await withDatabase(logger: logger) { url, name in
                let loadTime = try await load(url: url, logger: logger) { connection in
                    _ = try await connection.execute(Self.tableDDL)
                    _ = try await connection.execute("CREATE TABLE dbo.digits (d int NOT NULL PRIMARY KEY); INSERT INTO dbo.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)")
                    _ = try await connection.execute(Self.insertSelect(rows: count))
                    _ = try await connection.execute("DROP TABLE dbo.digits")
                    _ = try await connection.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders', @role_name = NULL")
                    let loaded = try await connection.query("SELECT COUNT_BIG(*) FROM dbo.orders").first?[0].int64Value ?? 0
                    guard loaded == Int64(count) else { throw ValidationError("loaded \(loaded) rows, not \(count)") }
                    return (nil, nil)
                }
                FileHandle.standardError.write(Data("loaded \(count) rows by INSERT … SELECT in \(String(format: "%.1f", Self.seconds(loadTime.time))) s\n".utf8))
                for log in logs {
                    try runChild(["--child-database", name, "--child-workload", "snapshot", "--child-log", log, "--child-count", String(count)])
                }
            }
        }
        guard transactions > 0 else { return }
        try await withDatabase(logger: logger) { url, name in
            let loaded = try await load(url: url, logger: logger) { connection in
                _ = try await connection.execute(Self.tableDDL)
                _ = try await connection.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders', @role_name = NULL")
                _ = try await connection.execute("EXEC sys.sp_cdc_scan")
                let start = try await connection.query("SELECT sys.fn_cdc_get_max_lsn()").first?[0].bytesValue.flatMap { LSN(bytes: $0) } ?? .zero
                try await commitTransactions(connection)
                var stop: LSN?
                while true {
                    _ = try await connection.execute("EXEC sys.sp_cdc_scan")
                    let captured = try await connection.query("SELECT COUNT_BIG(*) FROM cdc.dbo_orders_CT").first?[0].int64Value ?? 0
                    if captured >= Int64(transactions) {
                        stop = try await connection.query("SELECT sys.fn_cdc_get_max_lsn()").first?[0].bytesValue.flatMap { LSN(bytes: $0) }
                        break
                    }
                }
                return (start, stop)
            }
            FileHandle.standardError.write(Data("committed and captured \(transactions) transactions in \(String(format: "%.1f", Self.seconds(loaded.time))) s\n".utf8))
            guard let start = loaded.start, let stop = loaded.stop else { throw ValidationError("no LSNs after loading") }
            for log in logs {
                try runChild(["--child-database", name, "--child-workload", "streaming", "--child-log", log, "--child-count", String(transactions),
                              "--child-start", start.description, "--child-stop", stop.description])
            }
        }
    }

    // MARK: Loading (parent)

    static let tableDDL = """
        CREATE TABLE dbo.orders (id int NOT NULL PRIMARY KEY, customer nvarchar(40) NOT NULL, amount decimal(12, 2) NOT NULL,
                                 status varchar(10) NOT NULL, placed datetime NOT NULL)
        """

    /// `INSERT … SELECT` over a cross join of digit tables: the whole table in one statement inside the emulator.
    static func insertSelect(rows: Int) -> String {
        let (number, from) = BenchmarkEmulator.digitCrossJoin(rows: rows)
        return """
            INSERT INTO dbo.orders (id, customer, amount, status, placed)
            SELECT \(number), REPLICATE(N'c', 40), 1234.56, 'shipped', '2026-11-27T10:00:00.123' FROM \(from)
            """
    }

    /// Commits `transactions` single-row transactions, 100 per batch (each its own `BEGIN TRAN … COMMIT`), on four sessions.
    private func commitTransactions(_ first: TDSConnection) async throws {
        let total = transactions
        let sessions = 4
        let port = first.configuration.port
        try await withThrowingTaskGroup(of: Void.self) { group in
            for session in 0..<sessions {
                group.addTask {
                    let connection = try await TDSConnection.connect(
                        configuration: .init(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!", database: Self.sqlDatabase),
                        logger: Logger(label: "bench"))
                    var id = session
                    while id < total {
                        var batch = ""
                        var n = 0
                        while n < 100, id < total {
                            batch += "BEGIN TRAN; INSERT INTO dbo.orders (id, customer, amount, status, placed) VALUES (\(id), N'customer \(id)', \(id % 10_000).25, 'new', '2026-11-27T10:00:00.123'); COMMIT;\n"
                            id += sessions
                            n += 1
                        }
                        _ = try await connection.execute(batch)
                    }
                    await connection.close()
                }
            }
            try await group.waitForAll()
        }
    }

    /// Creates a PostgreSQL database for the emulator, runs `body`, drops it.
    private func withDatabase(logger: Logger, _ body: (String, String) async throws -> Void) async throws {
        let name = "ferry_bench_source_\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        let admin = try await PostgresConnection.connect(url: postgres, logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(name))")
        // Loading only: commits need not wait for fsync. The source reads, it does not commit.
        try await admin.execute("ALTER DATABASE \(PostgresIdentifier.quote(name)) SET synchronous_commit = off")
        do {
            try await body(EmulatorBenchmark.url(postgres, database: name), name)
        } catch {
            _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
            await admin.close()
            throw error
        }
        try await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
        await admin.close()
    }

    /// Starts the emulator over `url`, creates the CDC-enabled database and runs `body` in it.
    private func load(url: String, logger: Logger,
                      _ body: (TDSConnection) async throws -> (start: LSN?, stop: LSN?)) async throws -> (time: Duration, start: LSN?, stop: LSN?) {
        try await withEmulator(url: url, logger: logger) { port in
            let master = try await TDSConnection.connect(configuration: .init(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!"), logger: logger)
            _ = try await master.execute("CREATE DATABASE \(Self.sqlDatabase)")
            await master.close()
            let connection = try await TDSConnection.connect(
                configuration: .init(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!", database: Self.sqlDatabase), logger: logger)
            _ = try await connection.execute("EXEC sys.sp_cdc_enable_db")
            let clock = ContinuousClock()
            let begin = clock.now
            let lsns = try await body(connection)
            let time = clock.now - begin
            await connection.close()
            return (time, lsns.start, lsns.stop)
        }
    }

    private func withEmulator<T>(url: String, logger: Logger, _ body: (Int) async throws -> T) async throws -> T {
        let engine = try await SQLServerEngine.open(postgresURL: url, logger: logger)
        let server = try TDSServer(configuration: .init(host: "127.0.0.1", port: 0), handler: EmulatorRequestHandler(engine: engine, logger: logger), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            do {
                let result = try await body(server.port)
                server.shutdown()
                try await group.waitForAll()
                return result
            } catch {
                server.shutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    /// Runs this executable again with `arguments` and waits; its output goes straight to ours.
    private func runChild(_ arguments: [String]) throws {
        fflush(nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["source", "--postgres", postgres, "--partition-rows", String(partitionRows)] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("measurement \(arguments) failed with status \(process.terminationStatus)") }
    }

    // MARK: Measuring (child)

    private func measure(database: String, workload: String, log kind: String, logger: Logger) async throws {
        let url = EmulatorBenchmark.url(postgres, database: database)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-bench-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withEmulator(url: url, logger: logger) { port in
            var cluster: KafkaMockCluster?
            let log: any EventLog
            switch kind {
            case "kafka":
                let mock = try KafkaMockCluster(brokerCount: 1, logger: logger)
                cluster = mock
                log = try await KafkaEventLog(configuration: .init(bootstrapServers: mock.bootstrapServers, properties: [:]), logger: logger)
            default:
                log = try await EmbeddedEventLog(path: folder.appendingPathComponent("events.log").path, logger: logger)
            }
            var configuration = SourceConfiguration(prefix: "bench", database: Self.sqlDatabase, migrationType: workload == "snapshot" ? .fullLoad : .fullLoadAndCDC,
                                                    snapshotPartitionRows: partitionRows, heartbeatInterval: nil)
            if workload == "streaming" {
                guard let start = childStart.flatMap({ LSN($0) }), let stop = childStop.flatMap({ LSN($0) }) else {
                    throw ValidationError("streaming needs --child-start and --child-stop LSNs")
                }
                configuration.stopAtLSN = stop
                // Start just before the committed transactions, as a restart from a checkpoint would.
                let publisher = try EventPublisher(log: log, prefix: configuration.prefix, database: configuration.database,
                                                   envelope: configuration.envelope, dataPartitions: configuration.topicPartitions)
                let table = TableIdentity(database: Self.sqlDatabase, schema: "dbo", table: "orders")
                try await publisher.createTopics(for: [table])
                try await publisher.store(SourceCheckpoint(phase: .streaming, position: start, captureInstances: [table: "dbo_orders"],
                                                           timestampMilliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
            }
            let source = try SQLServerSource(
                connection: .init(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!", database: Self.sqlDatabase),
                log: log, configuration: configuration, logger: logger, reconnectDelays: [])
            let base = Self.peakResidentMegabytes()
            let clock = ContinuousClock()
            let time = try await clock.measure { try await source.run() }
            let peak = Self.peakResidentMegabytes()
            let counts = await source.statistics.tables.values.reduce(into: (0 as Int64)) { $0 += $1.snapshotRows + $1.inserts + $1.updates + $1.deletes }
            guard counts == Int64(childCount) else { throw ValidationError("the source published \(counts) events, expected \(childCount)") }
            try await log.close()
            cluster?.close()
            let seconds = Self.seconds(time)
            let name = workload == "snapshot" ? "snapshot \(childCount) rows" : "streaming \(childCount) tx"
            print(name.padding(toLength: 33, withPad: " ", startingAt: 0) + kind.padding(toLength: 9, withPad: " ", startingAt: 0)
                  + String(format: "%8d %9.2f %12.0f %15.0f %15.0f %5.0f", counts, seconds, Double(counts) / seconds, base, peak, peak - base))
        }
    }

    /// `VmHWM` of /proc/self/status in MB: the process's peak resident set so far.
    static func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return .nan }
        return kilobytes / 1024
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
