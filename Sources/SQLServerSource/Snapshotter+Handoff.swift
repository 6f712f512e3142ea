import FerryCore
import FreeTDS
import Logging

/// The snapshot/stream handoff (docs/source.md, "Snapshot handoff").
///
/// SQL Server gives no LSN for "now", and `sys.fn_cdc_get_max_lsn()` lags behind commits by the
/// capture latency, so the point a snapshot is taken at is fixed by time instead: while a shared
/// lock on every table to read is held (no transaction writing them is in flight, none can start),
/// the server time T is read; every transaction that changed those tables committed either before
/// the lock (its `cdc.lsn_time_mapping.tran_end_time` < T) or after it was released (> T), and a
/// guard interval on each side of T keeps both apart by more than `datetime`'s rounding. Once
/// capture has passed T, B = `sys.fn_cdc_map_time_to_lsn('largest less than or equal', T)`:
/// changes with commit LSN ≤ B are in the snapshot rows, later ones are not.
extension Snapshotter {
    /// Snapshot isolation: opens `workers` connections, each in a SNAPSHOT transaction
    /// established (its first data read, when SQL Server assigns the transaction sequence number)
    /// while `tables` are locked, and returns them with T.
    func establishSnapshot(tables: [TableIdentity], workers: Int) async throws -> (workers: [TDSConnection], time: String) {
        let lock = try await connect()
        defer { Task { await lock.close() } }
        var opened: [TDSConnection] = []
        do {
            for _ in 0..<workers { opened.append(try await connect()) }
            _ = try await lock.execute(lockSettings)
            let time = try await withTableLocks(tables, on: lock) {
                try await Task.sleep(for: configuration.snapshotGuardInterval)
                let time = try await serverTime(lock)
                // SQL Server assigns a snapshot transaction its point at its first data access,
                // not at BEGIN TRANSACTION: read a row of a table being locked.
                let probe = "SELECT TOP (1) 1 FROM \(try TDSLiteral.qualifiedIdentifier(tables[0].schema, tables[0].table))"
                for worker in opened {
                    _ = try await worker.execute("SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION; \(probe)")
                }
                try await Task.sleep(for: configuration.snapshotGuardInterval)
                return time
            }
            logger.info("snapshot established", metadata: ["time": "\(time)", "tables": "\(tables.count)", "workers": "\(opened.count)"])
            return (opened, time)
        } catch {
            for worker in opened { await worker.close() }
            throw error
        }
    }

    /// Lock mode (no snapshot isolation): reads `unit` (a whole table) inside a transaction that
    /// holds a shared table lock for the read, so writers to the table wait until it ends; T is read
    /// under the lock and recorded for the boundary.
    func readLocked(_ unit: Unit, connection: TDSConnection, snapshotLSN: LSN?, progress: Progress) async throws {
        _ = try await connection.execute(lockSettings)
        try await withTableLocks([unit.table.identity], on: connection) {
            try await Task.sleep(for: configuration.snapshotGuardInterval)
            let time = try await serverTime(connection)
            try await read(unit, connection: connection, snapshotLSN: snapshotLSN, point: .time(time), progress: progress)
            try await Task.sleep(for: configuration.snapshotGuardInterval)
        }
    }

    /// Runs `body` inside a transaction on `connection` that holds a shared lock on each of
    /// `tables` (`WITH (TABLOCK, HOLDLOCK)`: an S table lock kept to the end of the transaction),
    /// then commits. A lock not granted within `SET LOCK_TIMEOUT` (Msg 1222) or a deadlock
    /// (Msg 1205) rolls back and retries with a doubling back-off; the last failure names the table.
    func withTableLocks<T: Sendable>(_ tables: [TableIdentity], on connection: TDSConnection, _ body: () async throws -> T) async throws -> T {
        var delay = Duration.seconds(1)
        for attempt in 1...configuration.snapshotLockAttempts {
            var current = tables[0]
            do {
                _ = try await connection.execute("BEGIN TRANSACTION")
                for table in tables {
                    current = table
                    _ = try await connection.query("SELECT TOP (1) 1 FROM \(try TDSLiteral.qualifiedIdentifier(table.schema, table.table)) WITH (TABLOCK, HOLDLOCK)")
                }
            } catch let error as TDSError where error.number == 1222 || error.number == 1205 {
                _ = try? await connection.execute("IF @@TRANCOUNT > 0 ROLLBACK")
                guard attempt < configuration.snapshotLockAttempts else {
                    throw SourceError(.snapshotLockTimeout,
                                      "\(current): the snapshot could not take its brief shared table lock within \(configuration.snapshotLockTimeout) in \(attempt) attempts; a long-running writer holds the table (find it in sys.dm_tran_locks / sys.dm_exec_requests), or raise snapshotLockTimeout",
                                      context: ["table": current.description, "error": "Msg \(error.number ?? 0)"])
                }
                logger.notice("snapshot table lock not granted; retrying", metadata: ["table": "\(current)", "attempt": "\(attempt)", "delay": "\(delay)"])
                try await Task.sleep(for: delay)
                delay *= 2
                continue
            } catch {
                _ = try? await connection.execute("IF @@TRANCOUNT > 0 ROLLBACK")
                throw error
            }
            do {
                let value = try await body()
                _ = try await connection.execute("COMMIT")
                return value
            } catch {
                _ = try? await connection.execute("IF @@TRANCOUNT > 0 ROLLBACK")
                throw error
            }
        }
        preconditionFailure("snapshotLockAttempts is validated to be at least 1")
    }

    /// `SYSDATETIME()` on the server, as text that converts back exactly (style 121).
    func serverTime(_ connection: TDSConnection) async throws -> String {
        guard let time = try await connection.query("SELECT CONVERT(varchar(27), SYSDATETIME(), 121)").first?[0].stringValue else {
            throw SourceError(.unexpectedChangeData, "SYSDATETIME() returned no value")
        }
        return time
    }

    /// B for snapshot time `time`: waits until capture has passed it, then maps it to the last
    /// commit LSN at or before it (`nil` from the mapping: nothing was captured before T, so B is
    /// just below the first LSN after it).
    func boundary(at time: String, control: TDSConnection) async throws -> LSN {
        try await waitForCapture(past: time, control: control)
        let literal = "CAST(\(TDSLiteral.string(time)) AS datetime2(7))"
        let rows = try await control.query("""
            SELECT sys.fn_cdc_map_time_to_lsn('largest less than or equal', \(literal)), sys.fn_cdc_map_time_to_lsn('smallest greater than', \(literal))
            """)
        if let lsn = rows.first?[0].bytesValue.flatMap({ LSN(bytes: $0) }) { return lsn }
        if let after = rows.first?[1].bytesValue.flatMap({ LSN(bytes: $0) }), let before = after.decremented() { return before }
        return .zero
    }

    /// Waits until `sys.fn_cdc_map_lsn_to_time(sys.fn_cdc_get_max_lsn())` is later than `time`:
    /// capture works through the log in order, so every transaction committed by then is in the
    /// change tables.
    func waitForCapture(past time: String, control: TDSConnection) async throws {
        let sql = """
            SELECT CASE WHEN sys.fn_cdc_map_lsn_to_time(sys.fn_cdc_get_max_lsn()) > CAST(\(TDSLiteral.string(time)) AS datetime2(7)) THEN 1 ELSE 0 END
            """
        let deadline = ContinuousClock.now + configuration.captureWaitTimeout
        var delay = Duration.milliseconds(20)
        while true {
            if try await control.query(sql).first?[0].int64Value == 1 { return }
            guard ContinuousClock.now < deadline else {
                throw SourceError(.captureNotRunning,
                                  "the capture job of database '\(configuration.database)' did not pass the snapshot time \(time) within \(configuration.captureWaitTimeout): it is not running or far behind; start it with EXEC sys.sp_cdc_start_job @job_type = N'capture' (SQL Server Agent must run) and check sys.dm_cdc_errors",
                                  context: ["database": configuration.database, "time": time], isRetriable: false)
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(500))
        }
    }

    /// Turns every snapshot time still in `checkpoint` into a boundary and stores the checkpoint.
    func resolveBoundaries(_ checkpoint: SourceCheckpoint, control: TDSConnection, storing: Bool) async throws -> SourceCheckpoint {
        guard !checkpoint.snapshotTimes.isEmpty else { return checkpoint }
        var state = checkpoint
        var resolved: [String: LSN] = [:]
        // The latest time first: once capture passed it, it passed the others too.
        for time in Set(state.snapshotTimes.values).sorted(by: >) {
            resolved[time] = try await boundary(at: time, control: control)
        }
        for (table, time) in state.snapshotTimes { state.snapshotBoundaries[table] = resolved[time] }
        state.snapshotTimes = [:]
        state.timestampMilliseconds = EventPublisher.nowMilliseconds()
        if storing { try await publisher.store(state) }
        logger.info("snapshot boundaries resolved", metadata: ["tables": "\(resolved.count)"])
        return state
    }

    /// The lock connection's settings: a bounded wait, and deadlock victim rather than an
    /// application's writer when a writer takes two selected tables in the other order.
    var lockSettings: String {
        "SET LOCK_TIMEOUT \(Self.milliseconds(configuration.snapshotLockTimeout)); SET DEADLOCK_PRIORITY LOW"
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
