import Logging
import Postgres

/// The capture and cleanup jobs of every CDC-enabled database, running in the emulator process as
/// SQL Server Agent runs them: every ``Configuration/captureInterval`` a capture scan (up to
/// `maxscans` passes of `maxtrans` transactions, per database, as `sys.sp_cdc_change_job` set
/// them); every ``Configuration/cleanupInterval`` a cleanup that drops change rows older than the
/// database's retention.
///
/// ```swift
/// let job = engine.makeCaptureJob(configuration: .init(captureInterval: .milliseconds(100)))
/// try await job.run()   // until the task is cancelled
/// ```
///
/// Capture latency is about one interval; `EXEC sys.sp_cdc_scan` runs a scan at once.
public final class CaptureJob: Sendable {
    /// How often the jobs run.
    public struct Configuration: Sendable {
        /// The time between capture scans (SQL Server's polling interval, 5 seconds by default).
        public var captureInterval: Duration
        /// The time between cleanups (SQL Server runs the cleanup job daily).
        public var cleanupInterval: Duration

        /// Creates a configuration.
        public init(captureInterval: Duration = .seconds(5), cleanupInterval: Duration = .seconds(86_400)) {
            self.captureInterval = captureInterval
            self.cleanupInterval = cleanupInterval
        }
    }

    private let postgresURL: String
    private let configuration: Configuration
    private let logger: Logger

    init(postgresURL: String, configuration: Configuration, logger: Logger) {
        self.postgresURL = postgresURL
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs the jobs until the task is cancelled. A failed scan is logged and retried at the next
    /// interval (a lost PostgreSQL connection is reopened).
    ///
    /// - Throws: `CancellationError` when cancelled.
    public func run() async throws {
        var connection: PostgresConnection?
        var sinceCleanup = Duration.zero
        defer {
            if let connection { Task { await connection.close() } }
        }
        while !Task.isCancelled {
            do {
                if connection == nil {
                    let opened = try await PostgresConnection.connect(url: postgresURL, logger: logger)
                    connection = opened
                    try await Self.purgeOrphans(opened)
                }
                if let connection {
                    let captured = try await Self.scanAll(connection, scheduledOnly: true)
                    if captured.transactions > 0 {
                        logger.debug(
                            "CDC capture scan", metadata: ["cdc.transactions": "\(captured.transactions)", "cdc.rows": "\(captured.changeRows)"])
                    }
                    if sinceCleanup >= configuration.cleanupInterval {
                        sinceCleanup = .zero
                        try await Self.cleanupAll(connection, logger: logger)
                    }
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.error("CDC capture scan failed", metadata: ["error": "\(error)"])
                if let failed = connection { await failed.close() }
                connection = nil
            }
            try await Task.sleep(for: configuration.captureInterval)
            sinceCleanup += configuration.captureInterval
        }
        throw CancellationError()
    }

    /// One scan of every CDC-enabled database (with `scheduledOnly`, those whose capture job runs).
    static func scanAll(_ connection: PostgresConnection, scheduledOnly: Bool) async throws -> CaptureScanner.PassResult {
        let rows = try await connection.query(
            """
            SELECT d.database_id, coalesce(j.maxtrans, 500), coalesce(j.maxscans, 10) FROM sqlserver_catalog.cdc_databases d
            LEFT JOIN sqlserver_catalog.cdc_jobs j ON j.database_id = d.database_id AND j.job_type = 'capture'
            WHERE NOT $1 OR coalesce(j.is_running, true) ORDER BY d.database_id
            """, [.bool(scheduledOnly)])
        var total = CaptureScanner.PassResult(transactions: 0, changeRows: 0, wroteIdleRow: false)
        for row in rows {
            let outcome = try await scan(
                connection, databaseID: try row.decode(Int.self, at: 0), maxTransactions: try row.decode(Int.self, at: 1),
                maxScans: try row.decode(Int.self, at: 2), ownTransaction: true)
            total.transactions += outcome.transactions
            total.changeRows += outcome.changeRows
        }
        return total
    }

    /// A scan of one database as SQL Server's `sp_cdc_scan` runs it: scan cycles of up to
    /// `maxTransactions` (`maxtrans`) transactions each, until a cycle finds fewer (the log is
    /// drained) or `maxScans` (`maxscans`) cycles ran; the job then waits its polling interval.
    /// With `ownTransaction`, the scan is one READ COMMITTED transaction (every statement sees the
    /// commits finished before it, as the horizon needs; one WAL flush per scan, not per cycle).
    static func scan(
        _ connection: PostgresConnection, databaseID: Int, maxTransactions: Int, maxScans: Int, ownTransaction: Bool
    ) async throws -> CaptureScanner.PassResult {
        var total = CaptureScanner.PassResult(transactions: 0, changeRows: 0, wroteIdleRow: false)
        if ownTransaction { try await connection.execute("BEGIN ISOLATION LEVEL READ COMMITTED") }
        do {
            var after: Int64?
            for _ in 0..<max(1, maxScans) {
                let outcome = try await CaptureScanner.pass(connection, databaseID: databaseID, maxTransactions: maxTransactions, after: after)
                after = outcome.lastCommitLSN ?? after
                total.transactions += outcome.transactions
                total.changeRows += outcome.changeRows
                total.wroteIdleRow = total.wroteIdleRow || outcome.wroteIdleRow
                if outcome.transactions < maxTransactions { break }
            }
            if ownTransaction { try await connection.execute("COMMIT") }
        } catch {
            if ownTransaction { _ = try? await connection.execute("ROLLBACK") }
            throw error
        }
        return total
    }

    /// Drops pending changes of databases dropped (or disabled) since they were made, and commit
    /// records left without changes: they have nowhere to go. Scans never pick them (a cycle takes
    /// only its own database's transactions), so this runs when the job starts and with cleanup.
    static func purgeOrphans(_ connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            DELETE FROM sqlserver_catalog.cdc_pending p
            WHERE NOT EXISTS (SELECT 1 FROM sqlserver_catalog.cdc_databases d WHERE d.database_id = p.database_id);
            DELETE FROM sqlserver_catalog.cdc_commits c
            WHERE NOT EXISTS (SELECT 1 FROM sqlserver_catalog.cdc_pending p WHERE p.xid = c.xid);
            """)
    }

    /// The cleanup job of every CDC-enabled database whose cleanup job runs.
    static func cleanupAll(_ connection: PostgresConnection, logger: Logger) async throws {
        try await purgeOrphans(connection)
        let rows = try await connection.query(
            """
            SELECT d.database_id, coalesce(j.retention, 4320) FROM sqlserver_catalog.cdc_databases d
            LEFT JOIN sqlserver_catalog.cdc_jobs j ON j.database_id = d.database_id AND j.job_type = 'cleanup'
            WHERE coalesce(j.is_running, true)
            """)
        for row in rows {
            let databaseID = try row.decode(Int.self, at: 0)
            let retention = try row.decode(Int.self, at: 1)
            try await connection.execute("BEGIN")
            do {
                try await ChangeCleanup.retentionCleanup(connection, databaseID: databaseID, retentionMinutes: retention)
                try await connection.execute("COMMIT")
            } catch {
                _ = try? await connection.execute("ROLLBACK")
                throw error
            }
        }
    }
}
