import EventLog
import FerryCore
import Foundation
import Postgres

/// Keeps `awsdms_status` and `awsdms_history` for one sink. Cheap on the apply path: one upsert of
/// the status row per commit (inside the commit's transaction), history counted in memory and
/// written once per time slot. Confined to the sink's task, like ``SinkEngine``.
final class DMSControlTablesWriter {
    let tables: DMSControlTables
    let taskName: String
    let serverName: String

    /// The newest commit LSN and commit time (ms since 1970) applied.
    private(set) var appliedLSN: LSN?
    private(set) var appliedCommitTime: Int64?

    /// The current history slot: when it started (monotonic and wall clock), and what it counted.
    private var slotStart: ContinuousClock.Instant
    private var slotStartWall: Int64
    private var records: [DMSControlTables.TimeslotType: Int64] = [:]
    private var bytes: [DMSControlTables.TimeslotType: Int64] = [:]
    /// Seconds between the newest applied commit and its target commit, at the last commit of the slot.
    private var latency: Int64?
    private var lastType: DMSControlTables.TimeslotType = .changeProcessing
    private var retryAfter: ContinuousClock.Instant?

    /// Log backlog and memory are measured at most this often (they cost a round trip each).
    private let measureEvery: Duration = .seconds(5)
    private var lastPending: Int64 = 0
    private var measured: (at: ContinuousClock.Instant, ends: [TopicPartition: Int64], memoryMB: Int64?)?

    init(tables: DMSControlTables, taskName: String) {
        self.tables = tables
        self.taskName = taskName
        self.serverName = tables.serverName ?? ProcessInfo.processInfo.hostName
        slotStart = .now
        slotStartWall = wallClockMilliseconds()
    }

    /// Picks up the applied position from `ferry.table_statistics` and writes the status row.
    func start(_ connection: PostgresConnection, log: any EventLog, readPositions: [TopicPartition: Int64]) async throws {
        let rows = try await connection.query("""
            SELECT applied_lsn, (extract(epoch FROM applied_commit_time) * 1000)::int8 FROM ferry.table_statistics
            WHERE sink = $1 AND applied_lsn IS NOT NULL ORDER BY applied_lsn DESC LIMIT 1
            """, [.text(taskName)])
        if let row = rows.first {
            appliedLSN = try row.decode(String?.self, at: 0).flatMap { LSN($0) }
            appliedCommitTime = try row.decode(Int64?.self, at: 1)
        }
        slotStart = .now
        slotStartWall = wallClockMilliseconds()
        measured = nil
        guard tables.status else { return }
        lastPending = try await backlog(log: log, readPositions: readPositions)
        try await writeStatus(connection, status: nil, pending: lastPending)
    }

    /// In the commit's transaction, after `ferry.table_statistics`: the status row.
    func beforeCommit(_ connection: PostgresConnection, statistics: [TableIdentity: TableStatisticsDelta], waiting: Int,
                      log: any EventLog, readPositions: [TopicPartition: Int64]) async throws {
        for delta in statistics.values {
            if let lsn = delta.appliedLSN, lsn >= (appliedLSN ?? .zero) { appliedLSN = lsn }
            if let time = delta.appliedCommitTime { appliedCommitTime = max(appliedCommitTime ?? 0, time) }
        }
        guard tables.status else { return }
        lastPending = Int64(waiting) + (try await backlog(log: log, readPositions: readPositions))
        try await writeStatus(connection, status: nil, pending: lastPending)
    }

    /// After the commit: counts the batch into the current history slot.
    func committed(statistics: [TableIdentity: TableStatisticsDelta], fullLoadBytes: Int64, changeBytes: Int64) {
        guard tables.history else { return }
        var fullLoad: Int64 = 0
        var changes: Int64 = 0
        var newest: Int64?
        for delta in statistics.values {
            fullLoad += delta.fullLoadRows
            // Data records only: a schema change is not a record of the slot.
            changes += delta.inserts + delta.updates + delta.deletes
            if delta.inserts + delta.updates + delta.deletes > 0, let time = delta.appliedCommitTime { newest = max(newest ?? 0, time) }
        }
        if fullLoad > 0 {
            records[.fullLoad, default: 0] += fullLoad
            bytes[.fullLoad, default: 0] += fullLoadBytes
            lastType = .fullLoad
        }
        if changes > 0 {
            records[.changeProcessing, default: 0] += changes
            bytes[.changeProcessing, default: 0] += changeBytes
            lastType = .changeProcessing
        }
        if let newest { latency = max(0, (wallClockMilliseconds() - newest) / 1000) }
    }

    /// Whether a slot has ended (and no failed write asked to wait).
    var isHistoryDue: Bool {
        if let retryAfter, ContinuousClock.now < retryAfter { return false }
        return ContinuousClock.now - slotStart >= tables.historyTimeslot
    }

    /// After a failed write: try again in a few seconds, not at every poll.
    func postponeHistory() { retryAfter = .now + .seconds(5) }

    /// Writes the history rows of every slot that has ended (outside any transaction).
    func flushHistoryIfDue(_ connection: PostgresConnection) async throws {
        guard tables.history else { return }
        while ContinuousClock.now - slotStart >= tables.historyTimeslot {
            let millis = milliseconds(tables.historyTimeslot)
            try await writeHistory(connection, end: slotStartWall + millis, length: tables.historyTimeslot)
            slotStart += tables.historyTimeslot
            slotStartWall += millis
        }
    }

    /// On stop: the partial history slot, and `NOT RUNNING`.
    func stop(_ connection: PostgresConnection) async throws {
        if tables.history {
            try await flushHistoryIfDue(connection)
            let elapsed = ContinuousClock.now - slotStart
            if !records.isEmpty || elapsed >= .seconds(1) {
                try await writeHistory(connection, end: slotStartWall + milliseconds(elapsed), length: elapsed)
            }
            slotStart = .now
            slotStartWall = wallClockMilliseconds()
        }
        if tables.status { try await writeStatus(connection, status: .notRunning, pending: lastPending) }
    }

    // MARK: Writing

    private func writeStatus(_ connection: PostgresConnection, status: DMSControlTables.TaskStatus?, pending: Int64) async throws {
        guard tables.status else { return }
        let position: PostgresValue = appliedLSN.map { .text($0.description) } ?? .null
        let time: PostgresValue = appliedCommitTime.map { .text(String(Double($0) / 1000)) } ?? .null
        // Without an explicit status: FULL LOAD while any table of the sink is in full load.
        try await connection.query("""
            INSERT INTO \(tables.qualified("awsdms_status")) AS t (server_name, task_name, task_status, status_time, pending_changes,
                disk_swap_size, task_memory, source_current_position, source_current_timestamp, source_tail_position,
                source_tail_timestamp, source_timestamp_applied)
            VALUES ($1::text, $2::text, COALESCE($3::text, CASE WHEN EXISTS (SELECT 1 FROM ferry.table_statistics WHERE sink = $2::text AND state = 'Full load')
                                             THEN 'FULL LOAD' ELSE 'CHANGE PROCESSING' END),
                    now() AT TIME ZONE 'UTC', $4::int8, 0, $5::int8, $6::text, to_timestamp($7::float8) AT TIME ZONE 'UTC', $6::text,
                    to_timestamp($7::float8) AT TIME ZONE 'UTC', to_timestamp($7::float8) AT TIME ZONE 'UTC')
            ON CONFLICT (server_name, task_name) DO UPDATE SET
                task_status = EXCLUDED.task_status, status_time = EXCLUDED.status_time, pending_changes = EXCLUDED.pending_changes,
                disk_swap_size = EXCLUDED.disk_swap_size, task_memory = EXCLUDED.task_memory,
                source_current_position = EXCLUDED.source_current_position, source_current_timestamp = EXCLUDED.source_current_timestamp,
                source_tail_position = EXCLUDED.source_tail_position, source_tail_timestamp = EXCLUDED.source_tail_timestamp,
                source_timestamp_applied = EXCLUDED.source_timestamp_applied
            """, [.text(serverName), .text(taskName), status.map { .text($0.rawValue) } ?? .null, .int64(pending),
                  measured?.memoryMB.map { .int64($0) } ?? .null, position, time])
    }

    private func writeHistory(_ connection: PostgresConnection, end: Int64, length: Duration) async throws {
        let types = records.isEmpty ? [lastType] : DMSControlTables.TimeslotType.allCases.filter { records[$0] != nil }
        let minutes = (milliseconds(length) + 59_999) / 60_000
        // One statement for all types of the slot: a failed write leaves nothing to double on retry.
        var rows: [String] = []
        var parameters: [PostgresValue] = [.text(serverName), .text(taskName), .text(String(Double(end) / 1000)), .int64(minutes)]
        for type in types {
            let n = parameters.count
            rows.append("($1::text, $2::text, $\(n + 1)::text, to_timestamp($3::float8) AT TIME ZONE 'UTC', $4::int8, $\(n + 2)::int8, $\(n + 3)::int8, $\(n + 4)::int8)")
            parameters += [.text(type.rawValue), type == .changeProcessing ? .int64(latency ?? 0) : .null, .int64(records[type] ?? 0),
                           .int64((bytes[type] ?? 0) / (1024 * 1024))]
        }
        try await connection.query("""
            INSERT INTO \(tables.qualified("awsdms_history")) AS h (server_name, task_name, timeslot_type, timeslot, timeslot_duration,
                timeslot_latency, timeslot_records, timeslot_volume)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (server_name, task_name, timeslot_type, timeslot) DO UPDATE SET
                timeslot_records = h.timeslot_records + EXCLUDED.timeslot_records, timeslot_volume = h.timeslot_volume + EXCLUDED.timeslot_volume,
                timeslot_latency = COALESCE(EXCLUDED.timeslot_latency, h.timeslot_latency)
            """, parameters)
        records = [:]
        bytes = [:]
        latency = nil
        retryAfter = nil
    }

    // MARK: Measuring

    /// Records in the log the sink has not read yet. The partitions' ends (and the process's
    /// memory) are measured at most every ``measureEvery``; the backlog is counted from them and
    /// the current read positions, so it does not go stale as the sink reads on.
    private func backlog(log: any EventLog, readPositions: [TopicPartition: Int64]) async throws -> Int64 {
        if measured == nil || ContinuousClock.now - measured!.at >= measureEvery {
            var ends: [TopicPartition: Int64] = [:]
            for partition in readPositions.keys { ends[partition] = try await log.offsets(of: partition).next }
            measured = (.now, ends, Self.residentMemoryMB())
        }
        let ends = measured!.ends
        return readPositions.reduce(0) { total, entry in total + max(0, (ends[entry.key] ?? entry.value) - entry.value) }
    }

    /// Resident memory in MB from `/proc/self/statm` (Linux); `nil` elsewhere.
    static func residentMemoryMB() -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return nil }
        return pages * Int64(getpagesize()) / (1024 * 1024)
    }

    private func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
