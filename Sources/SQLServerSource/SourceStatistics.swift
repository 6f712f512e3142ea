public import FerryCore
import Metrics

/// Per-table counts and the source's position, for logs, `ferry status` and metrics.
public actor SourceStatistics {
    /// One table's counts.
    public struct TableCounts: Hashable, Sendable {
        /// Rows read by the snapshot.
        public var snapshotRows: Int64 = 0
        /// Inserts streamed.
        public var inserts: Int64 = 0
        /// Updates streamed.
        public var updates: Int64 = 0
        /// Deletes streamed.
        public var deletes: Int64 = 0
        /// Schema changes (a table drop counts as one).
        public var ddls: Int64 = 0
        /// Whether the table was dropped on the source (Ferry stopped reading it).
        public var isDropped = false
        /// The snapshot's row estimate (`sys.dm_db_partition_stats`, `sys.partitions` or `COUNT_BIG`), once planned.
        public var snapshotEstimatedRows: Int64?
        /// When the table's snapshot was planned, ms since 1970; `nil` if it has none.
        public var snapshotStartMilliseconds: Int64?
        /// When the table's snapshot was complete (durable), ms since 1970.
        public var snapshotEndMilliseconds: Int64?
        /// LOB values cut to `LobMaxSize` (limited LOB mode), per column.
        public var lobTruncations: [String: Int64] = [:]
        /// LOB values cut to `LobMaxSize`, all columns.
        public var totalLobTruncations: Int64 { lobTruncations.values.reduce(0, +) }
    }

    /// Counts per table.
    public private(set) var tables: [TableIdentity: TableCounts] = [:]
    /// The last LSN whose events are durable.
    public private(set) var position: LSN?
    /// The commit time of the last published transaction, ms since 1970.
    public private(set) var lastCommitMilliseconds: Int64?

    /// Whether a snapshot is being read now.
    public private(set) var snapshotRunning = false

    private let prefix: String

    /// Makes empty statistics for the source `prefix`.
    public init(prefix: String) { self.prefix = prefix }

    func recordSnapshotRows(_ table: TableIdentity, _ count: Int64) {
        tables[table, default: TableCounts()].snapshotRows += count
        Counter(label: "ferry_source_snapshot_rows_total", dimensions: [("source", prefix), ("table", table.description)]).increment(by: count)
    }

    func record(_ operation: ChangeEvent.Operation, _ table: TableIdentity) {
        switch operation {
        case .create: tables[table, default: TableCounts()].inserts += 1
        case .update: tables[table, default: TableCounts()].updates += 1
        case .delete: tables[table, default: TableCounts()].deletes += 1
        case .read: tables[table, default: TableCounts()].snapshotRows += 1
        }
        Counter(label: "ferry_source_events_total", dimensions: [("source", prefix), ("table", table.description), ("op", operation.rawValue)]).increment()
    }

    func recordDDL(_ table: TableIdentity) {
        tables[table, default: TableCounts()].ddls += 1
        Counter(label: "ferry_source_ddl_total", dimensions: [("source", prefix), ("table", table.description)]).increment()
    }

    /// Counts one truncated LOB value; returns how many values of the column were cut so far.
    func recordLobTruncation(_ table: TableIdentity, column: String) -> Int64 {
        tables[table, default: TableCounts()].lobTruncations[column, default: 0] += 1
        Counter(label: "ferry_source_lob_truncations_total", dimensions: [("source", prefix), ("table", table.description), ("column", column)]).increment()
        return tables[table]!.lobTruncations[column]!
    }

    func snapshotStarted(estimates: [TableIdentity: Int64?], nowMilliseconds: Int64) {
        snapshotRunning = true
        for (table, estimate) in estimates {
            tables[table, default: TableCounts()].snapshotEstimatedRows = estimate
            tables[table]!.snapshotStartMilliseconds = nowMilliseconds
            tables[table]!.snapshotEndMilliseconds = nil
        }
    }

    func snapshotTableFinished(_ table: TableIdentity, nowMilliseconds: Int64) {
        tables[table, default: TableCounts()].snapshotEndMilliseconds = nowMilliseconds
    }

    func snapshotEnded() { snapshotRunning = false }

    func recordDrop(_ table: TableIdentity) {
        tables[table, default: TableCounts()].isDropped = true
        recordDDL(table)
    }

    func recordPosition(_ lsn: LSN, commitMilliseconds: Int64?, nowMilliseconds: Int64) {
        position = lsn
        if let commitMilliseconds { lastCommitMilliseconds = commitMilliseconds }
        let lag = lastCommitMilliseconds.map { max(0, Double(nowMilliseconds - $0) / 1000) } ?? 0
        Gauge(label: "ferry_source_lag_seconds", dimensions: [("source", prefix)]).record(lag)
    }

    /// Marks the source caught up (idle): lag zero.
    func recordIdle() {
        Gauge(label: "ferry_source_lag_seconds", dimensions: [("source", prefix)]).record(0)
    }
}
