import ArgumentParser
import Foundation
import Logging
import SQLServerEmulator

/// `ferry-benchmark capture`: how fast the SQL Server emulator commits single-row transactions on
/// a CDC-tracked table and how fast its capture job moves them into the change table, against the
/// rate at which the source connector reads them (the emulator must sustain 3× that rate, so that
/// it is never what a pipeline benchmark measures).
///
/// Runs the engine in-process (no TDS) on a fresh PostgreSQL database, which it drops afterwards.
/// Phases (the capture job is stopped while commits are timed, so each figure is one thing):
/// - `commit untracked`: INSERTs on a table without CDC, one connection (the engine's own cost).
/// - `commit durable ×N`: N connections commit autocommit INSERTs on the tracked table (group
///   commit shows as N grows: commits no longer serialise on the LSN lock through the WAL flush).
/// - `commit delayed ×N`: the same with `ALTER DATABASE … SET DELAYED_DURABILITY = FORCED`.
/// - `load backlog`: more delayed commits until `--transactions` tracked transactions are waiting.
/// - `capture job`: `sys.sp_cdc_start_job`, timed until every transaction is in
///   `cdc.lsn_time_mapping` (job: `--capture-interval-ms` between scans of up to `--maxscans`
///   cycles of `--maxtrans` transactions, as set through `sys.sp_cdc_change_job`; like SQL
///   Server's job it waits its polling interval after each scan, so the settings cap its rate).
/// - `sp_cdc_scan`: a second backlog of the same size drained by one `sys.sp_cdc_scan` (cycles of
///   `--maxtrans` until drained): the capture work itself, without polling waits.
/// - `commit+capture`: durable commits on the most connections with the job running; the lag is
///   the time from the last commit until all is captured.
struct CaptureBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "SQL Server emulator: committed single-row transactions/s and CDC change rows/s captured, against the source's read rate.")

    @Option(help: "PostgreSQL URL to create the benchmark database on (default: $FERRY_TEST_POSTGRES_URL).")
    var postgres: String?

    @Option(help: "Tracked transactions waiting when the capture phase starts.")
    var transactions: Int = 20_000

    @Option(help: "Transactions per commit phase.")
    var commitTransactions: Int = 2_000

    @Option(help: "Rows inserted by each transaction.")
    var rowsPerTransaction: Int = 1

    @Option(help: "Connection counts of the commit phases, comma-separated.")
    var connections: String = "1,4,8"

    @Option(help: "Milliseconds between capture scans (the job's polling interval).")
    var captureIntervalMs: Int = 100

    @Option(help: "The capture job's maxtrans (transactions per scan cycle).")
    var maxtrans: Int = 500

    @Option(help: "The capture job's maxscans (scan cycles per scan).")
    var maxscans: Int = 10

    @Option(help: "Change events/s the source connector reads, to compare with.")
    var sourceEventsPerSecond: Double = 6_725

    @Option(help: "Where --source-events-per-second comes from (printed with it).")
    var sourceOrigin: String = "docs/benchmarks.md, source streaming 200,000 single-row transactions, embedded log"

    private var connectionCounts: [Int] { connections.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard transactions > 0, commitTransactions > 0, rowsPerTransaction > 0, captureIntervalMs > 0, maxtrans > 0, maxscans > 0,
            sourceEventsPerSecond > 0
        else {
            throw ValidationError("counts, intervals and rates must be positive")
        }
        guard !connectionCounts.isEmpty, connectionCounts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--connections must list positive numbers, e.g. 1,4,8")
        }
        guard postgres ?? ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"] != nil else {
            throw ValidationError("--postgres is required (or set FERRY_TEST_POSTGRES_URL)")
        }
    }

    func run() async throws {
        var logger = Logger(label: "ferry.benchmark.capture") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let base = postgres ?? ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"]!
        try await BenchmarkEmulator.withScratchDatabase(postgres: base, prefix: "ferry_capture_bench", logger: logger) { url in
            try await measure(url: url, logger: logger)
        }
    }

    private func measure(url: String, logger: Logger) async throws {
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
            EXEC sys.sp_cdc_change_job @job_type = N'capture', @maxtrans = \(maxtrans), @maxscans = \(maxscans);
            EXEC sys.sp_cdc_stop_job;
            """))
        let most = connectionCounts.max() ?? 1
        var workers: [EngineSession] = []
        for _ in 0..<most { workers.append(try await engine.makeSession(database: "HR")) }
        let job = engine.makeCaptureJob(configuration: .init(captureInterval: .milliseconds(captureIntervalMs)))
        let running = Task { try await job.run() }

        print(
            "rows/transaction=\(rowsPerTransaction) commit phases: \(commitTransactions) transactions; capture backlog: \(transactions) transactions; "
                + "job: \(captureIntervalMs) ms interval, maxtrans \(maxtrans), maxscans \(maxscans)")
        print("phase                    transactions  change rows   seconds      tx/s    rows/s")
        let clock = ContinuousClock()
        var tracked = 0

        var elapsed = try await commit(Array(workers.prefix(1)), count: commitTransactions, table: "HumanResources.Untracked", clock: clock)
        report("commit untracked ×1", commitTransactions, elapsed)
        var durable: [Int: Double] = [:]
        for count in connectionCounts {
            elapsed = try await commit(Array(workers.prefix(count)), count: commitTransactions, clock: clock)
            tracked += commitTransactions
            durable[count] = report("commit durable ×\(count)", commitTransactions, elapsed)
        }
        try await check(control.execute(batch: "ALTER DATABASE HR SET DELAYED_DURABILITY = FORCED;"))
        var delayed: [Int: Double] = [:]
        for count in Set([1, most]).sorted() {
            elapsed = try await commit(Array(workers.prefix(count)), count: commitTransactions, clock: clock)
            tracked += commitTransactions
            delayed[count] = report("commit delayed ×\(count)", commitTransactions, elapsed)
        }
        if tracked < transactions {
            elapsed = try await commit(workers, count: transactions - tracked, clock: clock)
            report("load backlog ×\(most)", transactions - tracked, elapsed)
            tracked = transactions
        }
        try await check(control.execute(batch: "ALTER DATABASE HR SET DELAYED_DURABILITY = DISABLED; EXEC sys.sp_flush_log;"))

        try await check(control.execute(batch: "EXEC sys.sp_cdc_start_job;"))
        var start = clock.now
        try await waitForCapture(control, transactions: tracked)
        let captureRate = report("capture job", tracked, clock.now - start)

        // The same backlog again, drained by one sp_cdc_scan (cycles of maxtrans until drained): the
        // capture work without the job's polling waits.
        try await check(control.execute(batch: "EXEC sys.sp_cdc_stop_job; ALTER DATABASE HR SET DELAYED_DURABILITY = FORCED;"))
        elapsed = try await commit(workers, count: transactions, clock: clock)
        report("load backlog ×\(most)", transactions, elapsed)
        try await check(control.execute(batch: "ALTER DATABASE HR SET DELAYED_DURABILITY = DISABLED; EXEC sys.sp_flush_log;"))
        start = clock.now
        try await check(control.execute(batch: "EXEC sys.sp_cdc_scan @maxtrans = \(maxtrans), @maxscans = 2147483647;"))
        tracked += transactions
        let scanRate = report("sp_cdc_scan", transactions, clock.now - start)
        try await waitForCapture(control, transactions: tracked)
        try await check(control.execute(batch: "EXEC sys.sp_cdc_start_job;"))

        let both = clock.now
        elapsed = try await commit(workers, count: commitTransactions, clock: clock)
        let committedAt = clock.now
        tracked += commitTransactions
        try await waitForCapture(control, transactions: tracked)
        report("commit+capture ×\(most)", commitTransactions, elapsed)
        print(
            "capture lag after the last commit: \(String(format: "%.3f", seconds(clock.now - committedAt))) s "
                + "(total \(String(format: "%.3f", seconds(clock.now - both))) s)")

        let source = sourceEventsPerSecond
        print("")
        print("source connector reads \(String(format: "%.0f", source)) events/s (\(sourceOrigin)); goal: 3× = \(String(format: "%.0f", 3 * source))")
        func ratio(_ label: String, _ rate: Double) {
            let factor = rate / source
            print(label.padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(format: "%9.0f rows/s  %5.2f× ", rate, factor) + (factor >= 3 ? " meets 3×" : " below 3×"))
        }
        ratio("capture job (change rows)", captureRate * Double(rowsPerTransaction))
        ratio("sp_cdc_scan (change rows)", scanRate * Double(rowsPerTransaction))
        for count in connectionCounts { ratio("commit durable ×\(count)", (durable[count] ?? 0) * Double(rowsPerTransaction)) }
        for count in delayed.keys.sorted() { ratio("commit delayed ×\(count)", (delayed[count] ?? 0) * Double(rowsPerTransaction)) }

        running.cancel()
        _ = await running.result
        for worker in workers { await worker.close() }
        await control.close()
    }

    /// Commits `count` transactions spread over the sessions; returns the elapsed time.
    private func commit(_ workers: [EngineSession], count: Int, table: String = "HumanResources.Department", clock: ContinuousClock) async throws -> Duration {
        let per = count / workers.count
        let rows = rowsPerTransaction
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, worker) in workers.enumerated() {
                let share = index == workers.count - 1 ? count - per * (workers.count - 1) : per
                group.addTask {
                    for n in 0..<share {
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

    /// Prints one phase; returns its transactions/s.
    @discardableResult
    private func report(_ phase: String, _ count: Int, _ elapsed: Duration) -> Double {
        let time = seconds(elapsed)
        let rows = count * rowsPerTransaction
        print(
            phase.padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(format: "%14d %12d %9.3f %9.0f %9.0f", count, rows, time, Double(count) / time, Double(rows) / time))
        return Double(count) / time
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func check(_ results: [EngineResult]) throws { try Self.check(results) }

    private static func check(_ results: [EngineResult]) throws {
        for case .error(let error) in results { throw error }
    }
}
