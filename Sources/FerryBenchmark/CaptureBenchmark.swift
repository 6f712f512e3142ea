import ArgumentParser
import Foundation
import Logging
import Postgres
import SQLServerEmulator

/// `ferry-benchmark capture`: how fast the SQL Server emulator commits single-row transactions on
/// a CDC-tracked table and how fast its capture job moves them into the change table.
///
/// Runs the engine in-process (no TDS) on a fresh PostgreSQL database, which it drops afterwards.
/// Phases:
/// - `commit untracked`: the same INSERTs on a table without CDC (the engine's own cost).
/// - `commit`: `--sessions` sessions commit `--transactions` autocommit INSERTs while the capture
///   job is stopped (`sys.sp_cdc_stop_job`): the cost of capture at commit (triggers, LSNs).
/// - `capture`: `sys.sp_cdc_start_job`, then the time until every transaction is in
///   `cdc.lsn_time_mapping` and the change table (job defaults: maxtrans 500, maxscans 10).
/// - `commit+capture`: both at once; the capture lag is the time from the last commit until all is captured.
struct CaptureBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "SQL Server emulator: committed single-row transactions/s and CDC change rows/s captured.")

    @Option(help: "PostgreSQL URL to create the benchmark database on (default: $FERRY_TEST_POSTGRES_URL).")
    var postgres: String?

    @Option(help: "Transactions per phase.")
    var transactions: Int = 10_000

    @Option(help: "Rows inserted by each transaction.")
    var rowsPerTransaction: Int = 1

    @Option(help: "Concurrent sessions committing.")
    var sessions: Int = 4

    @Option(help: "Milliseconds between capture scans.")
    var captureIntervalMs: Int = 100

    func validate() throws {
        guard transactions > 0, rowsPerTransaction > 0, sessions > 0, captureIntervalMs > 0 else {
            throw ValidationError("--transactions, --rows-per-transaction, --sessions and --capture-interval-ms must be positive")
        }
        guard postgres ?? ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"] != nil else {
            throw ValidationError("--postgres is required (or set FERRY_TEST_POSTGRES_URL)")
        }
    }

    func run() async throws {
        var logger = Logger(label: "ferry.benchmark.capture") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let base = postgres ?? ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"]!
        guard var components = URLComponents(string: base) else { throw ValidationError("--postgres must be a postgresql:// URL") }
        let name = "ferry_capture_bench_\(UInt32.random(in: 0...UInt32.max))"
        components.path = "/" + name
        guard let url = components.string else { throw ValidationError("--postgres must be a postgresql:// URL") }
        let admin = try await PostgresConnection.connect(url: base, logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(name))")
        defer {
            Task {
                _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
                await admin.close()
            }
        }
        let engine = try await SQLServerEngine.open(postgresURL: url, logger: logger)
        let setup = try await engine.makeSession()
        try await check(setup.execute(batch: "CREATE DATABASE HR;"))
        await setup.close()
        let control = try await engine.makeSession(database: "HR")
        try await check(control.execute(batch: """
            CREATE SCHEMA HumanResources;
            CREATE TABLE HumanResources.Department (
                DepartmentID int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Department PRIMARY KEY,
                Name nvarchar(50) NOT NULL, GroupName nvarchar(50) NOT NULL, ModifiedDate datetime NOT NULL DEFAULT (getdate()));
            CREATE TABLE HumanResources.Untracked (
                DepartmentID int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Untracked PRIMARY KEY,
                Name nvarchar(50) NOT NULL, GroupName nvarchar(50) NOT NULL, ModifiedDate datetime NOT NULL DEFAULT (getdate()));
            EXEC sys.sp_cdc_enable_db;
            EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Department', @role_name = NULL;
            """))
        var workers: [EngineSession] = []
        for _ in 0..<sessions { workers.append(try await engine.makeSession(database: "HR")) }
        let job = engine.makeCaptureJob(configuration: .init(captureInterval: .milliseconds(captureIntervalMs)))
        let running = Task { try await job.run() }

        print("transactions=\(transactions) rows/transaction=\(rowsPerTransaction) sessions=\(sessions) capture-interval=\(captureIntervalMs)ms")
        print("phase               transactions  change rows   seconds      tx/s    rows/s")
        let clock = ContinuousClock()
        var captured = 0

        // the same INSERTs on a table without CDC: what capture at commit adds
        var elapsed = try await commit(workers, table: "HumanResources.Untracked", clock: clock)
        report("commit untracked", transactions, elapsed)

        // commit, with the capture job stopped
        try await check(control.execute(batch: "EXEC sys.sp_cdc_stop_job;"))
        elapsed = try await commit(workers, clock: clock)
        report("commit", transactions, elapsed)
        try await check(control.execute(batch: "EXEC sys.sp_cdc_start_job;"))
        let start = clock.now
        captured += transactions
        try await waitForCapture(control, transactions: captured)
        report("capture", transactions, clock.now - start)

        // both at once
        let both = clock.now
        elapsed = try await commit(workers, clock: clock)
        let committedAt = clock.now
        captured += transactions
        try await waitForCapture(control, transactions: captured)
        report("commit+capture", transactions, elapsed)
        print("capture lag after the last commit: \(String(format: "%.3f", seconds(clock.now - committedAt))) s (total \(String(format: "%.3f", seconds(clock.now - both))) s)")

        running.cancel()
        _ = await running.result
        for worker in workers { await worker.close() }
        await control.close()
    }

    /// Commits `transactions` transactions spread over the sessions; returns the elapsed time.
    private func commit(_ workers: [EngineSession], table: String = "HumanResources.Department", clock: ContinuousClock) async throws -> Duration {
        let per = transactions / workers.count
        let rows = rowsPerTransaction
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, worker) in workers.enumerated() {
                let count = index == workers.count - 1 ? transactions - per * (workers.count - 1) : per
                group.addTask {
                    for n in 0..<count {
                        let values = (0..<rows).map { "(N'dept \(index)-\(n)-\($0)', N'bench')" }.joined(separator: ", ")
                        try await Self.check(worker.execute(batch: "INSERT INTO \(table) (Name, GroupName) VALUES \(values)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        return clock.now - start
    }

    private func waitForCapture(_ session: EngineSession, transactions: Int) async throws {
        while true {
            let results = try await session.execute(batch: "SELECT COUNT(*) FROM cdc.lsn_time_mapping WHERE tran_id <> 0x00")
            if case .resultSet(let set)? = results.first, case .integer(let count)? = set.rows.first?.first, count >= transactions {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func report(_ phase: String, _ count: Int, _ elapsed: Duration) {
        let time = seconds(elapsed)
        let rows = count * rowsPerTransaction
        print(
            phase.padding(toLength: 17, withPad: " ", startingAt: 0)
                + String(format: "%14d %12d %9.3f %9.0f %9.0f", count, rows, time, Double(count) / time, Double(rows) / time))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func check(_ results: [EngineResult]) throws { try Self.check(results) }

    private static func check(_ results: [EngineResult]) throws {
        for case .error(let error) in results { throw error }
    }
}
