import FerryCore
import FreeTDS
import Logging
import EventLog

/// The full load: reads the selected tables (in parallel, large ones in key ranges) and
/// publishes `op: "r"` events; records each finished table in the checkpoint.
struct Snapshotter: Sendable {
    let configuration: SourceConfiguration
    let publisher: EventPublisher
    let statistics: SourceStatistics
    let connect: @Sendable () async throws -> TDSConnection
    let logger: Logger

    /// One piece of work: a table, or a key range of one.
    struct Unit: Sendable {
        var table: CapturedTable
        var schema: TableSchema
        var range: ClosedRange<Int64>?
        var keyColumn: String?
        /// The first and last ranges are open-ended: keys inserted below the minimum or above the
        /// maximum after planning, but before the snapshot point, are read too.
        var isFirstRange = false
        var isLastRange = false
    }

    /// Tracks units and writes the checkpoint when a table's last unit is durable.
    actor Progress {
        private var remainingPerTable: [TableIdentity: Int]
        private var remainingUnits: Int
        private(set) var checkpoint: SourceCheckpoint
        private let publisher: EventPublisher
        private let storing: Bool

        /// Tables an interrupted earlier attempt had begun to publish.
        private let abandoned: Set<TableIdentity>

        init(units: [Unit], checkpoint: SourceCheckpoint, publisher: EventPublisher, storing: Bool) {
            self.storing = storing
            abandoned = checkpoint.snapshotStarted.subtracting(checkpoint.snapshotCompleted)
            var counts: [TableIdentity: Int] = [:]
            for unit in units { counts[unit.table.identity, default: 0] += 1 }
            remainingPerTable = counts
            remainingUnits = units.count
            unitsReading = units.count
            self.checkpoint = checkpoint
            self.publisher = publisher
        }

        private var unitsReading: Int = 0

        /// Called once per unit when it has read its rows: whether it is the last unit to do so
        /// (its last row is the snapshot's last). Counting down here, in one actor call, means two
        /// units finishing together cannot both miss (or both claim) the mark.
        func finishReading() -> Bool {
            unitsReading -= 1
            return unitsReading == 0
        }

        /// Records, durably and before its first row is published, that `table`'s rows are being published.
        func starting(_ table: TableIdentity) async throws {
            guard !checkpoint.snapshotStarted.contains(table) else { return }
            checkpoint.snapshotStarted.insert(table)
            if storing { try await publisher.store(checkpoint) }
        }

        /// Returns whether `table` is now complete; a complete table is stored with its boundary
        /// (snapshot isolation) or its snapshot time (lock mode, resolved later).
        func finish(_ table: TableIdentity, point: SnapshotPoint) async throws -> Bool {
            remainingUnits -= 1
            remainingPerTable[table, default: 1] -= 1
            guard remainingPerTable[table] == 0 else { return false }
            checkpoint.snapshotCompleted.insert(table)
            // A table with rows of an abandoned point in the log gets no boundary: its changes since
            // the snapshot LSN are replayed (the deletes among them remove the abandoned rows).
            if !abandoned.contains(table) {
                switch point {
                case .boundary(let lsn): checkpoint.snapshotBoundaries[table] = lsn
                case .time(let time): checkpoint.snapshotTimes[table] = time
                }
            }
            checkpoint.timestampMilliseconds = EventPublisher.nowMilliseconds()
            // Completion sets only grow, so a later write never loses an earlier table.
            if storing { try await publisher.store(checkpoint) }
            return true
        }
    }

    /// Where a table's snapshot stands relative to the change stream.
    enum SnapshotPoint: Sendable {
        /// Changes with commit LSN ≤ this are in the snapshot rows, later ones are not.
        case boundary(LSN)
        /// The server time the table was read at; the boundary follows once capture passed it.
        case time(String)
    }

    /// Reads every table not yet completed in `checkpoint` and returns the checkpoint with all of
    /// them completed, each with its boundary (``SourceCheckpoint/snapshotBoundaries``; for
    /// `full-load` tasks, lock-mode tables may keep only their time). See docs/source.md, "Snapshot
    /// handoff".
    /// With `storing` false (a re-snapshot while streaming) nothing is written to the offsets topic.
    func run(tables: [CapturedTable], checkpoint: SourceCheckpoint, storing: Bool = true) async throws -> SourceCheckpoint {
        let control = try await connect()
        defer { Task { await control.close() } }
        let snapshotIsolation = try await SourceCatalog(database: configuration.database).allowsSnapshotIsolation(control)
        var units: [Unit] = []
        var estimates: [TableIdentity: Int64?] = [:]
        for table in configuration.selection.loadOrder(tables) where !checkpoint.snapshotCompleted.contains(table.identity) {
            // Lock mode reads a table in one transaction (one lock, one point in time).
            let (planned, estimate) = try await plan(table, control, splitting: snapshotIsolation)
            units.append(contentsOf: planned)
            estimates[table.identity] = estimate
        }
        var state = checkpoint
        if !units.isEmpty {
            state = try await load(units, estimates: estimates, checkpoint: checkpoint, snapshotIsolation: snapshotIsolation, control: control, storing: storing)
        }
        if configuration.migrationType != .fullLoad {
            state = try await resolveBoundaries(state, control: control, storing: storing)
        }
        return state
    }

    private func load(_ units: [Unit], estimates: [TableIdentity: Int64?], checkpoint: SourceCheckpoint, snapshotIsolation: Bool,
                      control: TDSConnection, storing: Bool) async throws -> SourceCheckpoint {
        let workerCount = min(configuration.maxFullLoadSubTasks, max(1, units.count))
        // Snapshot isolation: every worker's transaction is established at one point, inside a
        // brief shared lock on every table still to read; the boundary is known before any row.
        var established: (workers: [TDSConnection], boundary: LSN)?
        if snapshotIsolation {
            var names: [TableIdentity] = []
            for unit in units where !names.contains(unit.table.identity) { names.append(unit.table.identity) }
            let opened = try await establishSnapshot(tables: names, workers: workerCount)
            do {
                let boundary = try await boundary(at: opened.time, control: control)
                established = (opened.workers, boundary)
            } catch {
                for worker in opened.workers { await worker.close() }
                throw error
            }
        }
        let handoff = established
        await statistics.snapshotStarted(estimates: estimates, nowMilliseconds: EventPublisher.nowMilliseconds())
        defer { Task { await statistics.snapshotEnded() } }
        logger.info("snapshot starting", metadata: ["tables": "\(Set(units.map(\.table.identity)).count)", "units": "\(units.count)",
                                                    "isolation": "\(snapshotIsolation ? "SNAPSHOT" : "table lock")",
                                                    "boundary": "\(handoff?.boundary.description ?? "per table")"])
        let progress = Progress(units: units, checkpoint: checkpoint, publisher: publisher, storing: storing)
        let queue = UnitQueue(units)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<workerCount {
                let opened = handoff?.workers[index]
                group.addTask {
                    let connection: TDSConnection
                    if let opened { connection = opened } else { connection = try await connect() }
                    defer { Task { await connection.close() } }
                    while let unit = await queue.next() {
                        try Task.checkCancellation()
                        if let handoff {
                            try await read(unit, connection: connection, snapshotLSN: handoff.boundary, point: .boundary(handoff.boundary), progress: progress)
                        } else {
                            try await readLocked(unit, connection: connection, snapshotLSN: checkpoint.snapshotLSN, progress: progress)
                        }
                    }
                    if handoff != nil { _ = try await connection.execute("COMMIT") }
                }
            }
            do {
                try await group.waitForAll()
            } catch {
                // Workers that were never started still hold an open snapshot transaction.
                if let handoff { for worker in handoff.workers { await worker.close() } }
                throw error
            }
        }
        return await progress.checkpoint
    }

    /// The units of one table (key ranges when it is large and keyed by one integer column) and
    /// its row estimate for progress.
    private func plan(_ table: CapturedTable, _ connection: TDSConnection, splitting: Bool) async throws -> (units: [Unit], estimate: Int64?) {
        let schema = try table.currentSchema(lobs: configuration.lobs)
        let whole = [Unit(table: table, schema: schema, range: nil, keyColumn: nil)]
        let name = try qualifiedName(table.identity)
        guard splitting, table.primaryKey.count == 1, let key = schema.column(named: table.primaryKey[0]), key.type.category == .integer else {
            return (whole, try await estimateRows(table, connection))
        }
        let column = try TDSLiteral.identifier(key.name)
        let rows = try await connection.query("SELECT COUNT_BIG(*), MIN(\(column)), MAX(\(column)) FROM \(name)")
        let count = rows.first?[0].int64Value
        guard let row = rows.first, let count, count > Int64(configuration.snapshotPartitionRows),
              let low = row[1].int64Value, let high = row[2].int64Value else { return (whole, count) }
        let ranges = SnapshotPlanner.ranges(minimum: low, maximum: high, rowCount: count, rowsPerRange: configuration.snapshotPartitionRows)
        return (ranges.enumerated().map { index, range in
            Unit(table: table, schema: schema, range: range, keyColumn: key.name, isFirstRange: index == 0, isLastRange: index == ranges.count - 1)
        }, count)
    }

    /// A table's row count for the progress display: the catalog's count (`sys.dm_db_partition_stats`,
    /// else `sys.partitions`: no scan), else `COUNT_BIG(*)`.
    private func estimateRows(_ table: CapturedTable, _ connection: TDSConnection) async throws -> Int64? {
        for sql in ["SELECT SUM(row_count) FROM sys.dm_db_partition_stats WHERE object_id = \(table.objectID) AND index_id IN (0, 1)",
                    "SELECT SUM(rows) FROM sys.partitions WHERE object_id = \(table.objectID) AND index_id IN (0, 1)"] {
            if let rows = try? await connection.query(sql), let count = rows.first?[0].int64Value { return count }
        }
        return try await connection.query("SELECT COUNT_BIG(*) FROM \(try qualifiedName(table.identity))").first?[0].int64Value
    }

    /// Reads one unit on `connection` in whatever transaction it has open, publishes its rows and
    /// records the unit done.
    func read(_ unit: Unit, connection: TDSConnection, snapshotLSN: LSN?, point: SnapshotPoint, progress: Progress) async throws {
        let identity = unit.table.identity
        let projection = try ColumnProjection(columns: unit.schema.columns)
        var sql = "SELECT \(projection.selectList.joined(separator: ", ")) FROM \(try qualifiedName(identity))"
        var conditions: [String] = []
        if let range = unit.range, let key = unit.keyColumn {
            let column = try TDSLiteral.identifier(key)
            var bounds: [String] = []
            if !unit.isFirstRange { bounds.append("\(column) >= \(range.lowerBound)") }
            if !unit.isLastRange { bounds.append("\(column) <= \(range.upperBound)") }
            conditions.append(contentsOf: bounds)
        }
        // DMS source filters are pushed down to SQL Server.
        if let filter = try configuration.selection.rowFilter(for: unit.schema).whereClause { conditions.append("(\(filter))") }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        try await progress.starting(identity)
        var batch = OutgoingRecordBatch()
        var held: [ColumnValue]?
        var count: Int64 = 0
        func flushIfFull() async throws {
            guard batch.records.count >= configuration.batchSize else { return }
            try await publisher.append(batch.records)
            await statistics.recordSnapshotRows(identity, batch.rows)
            batch = OutgoingRecordBatch()
        }
        do {
            for try await row in try await connection.stream(sql, chunkSize: 512).rows {
                var values = try projection.decode(row.values, from: 0)
                for column in configuration.lobs.limit(&values, columns: unit.schema.columns) {
                    await LobTruncationReport.record(table: identity, column: unit.schema.columns[column].name, key: values, schema: unit.schema,
                                                     policy: configuration.lobs, statistics: statistics, logger: logger)
                }
                if let previous = held {
                    let event = try EventBuilder.readEvent(values: previous, columns: unit.schema.columns, table: identity, prefix: configuration.prefix,
                                                           snapshotLSN: snapshotLSN, snapshot: .true, nowMilliseconds: EventPublisher.nowMilliseconds())
                    batch.add(try publisher.records(for: event, schema: unit.schema))
                    try await flushIfFull()
                }
                held = values
                count += 1
            }
        }
        if held == nil { _ = await progress.finishReading() }
        if let last = held {
            let marker: SourceInfo.Snapshot = await progress.finishReading() ? .last : .true
            let event = try EventBuilder.readEvent(values: last, columns: unit.schema.columns, table: identity, prefix: configuration.prefix,
                                                   snapshotLSN: snapshotLSN, snapshot: marker, nowMilliseconds: EventPublisher.nowMilliseconds())
            batch.add(try publisher.records(for: event, schema: unit.schema))
        }
        if !batch.records.isEmpty {
            try await publisher.append(batch.records)
            await statistics.recordSnapshotRows(identity, batch.rows)
        }
        logger.debug("snapshot unit read", metadata: ["table": "\(identity)", "rows": "\(count)",
                                                      "range": "\(unit.range.map { "\($0.lowerBound)...\($0.upperBound)" } ?? "all")"])
        if try await progress.finish(identity, point: point) {
            await statistics.snapshotTableFinished(identity, nowMilliseconds: EventPublisher.nowMilliseconds())
        }
    }

    private func qualifiedName(_ table: TableIdentity) throws -> String {
        try TDSLiteral.qualifiedIdentifier(table.schema, table.table)
    }
}

/// Records of one append with the number of rows they carry.
struct OutgoingRecordBatch {
    var records: [OutgoingRecord] = []
    var rows: Int64 = 0
    mutating func add(_ eventRecords: [OutgoingRecord]) {
        records.append(contentsOf: eventRecords)
        rows += 1
    }
}

/// Hands out snapshot units to the workers.
actor UnitQueue {
    private var units: [Snapshotter.Unit]
    private var position = 0
    init(_ units: [Snapshotter.Unit]) { self.units = units }
    func next() -> Snapshotter.Unit? {
        guard position < units.count else { return nil }
        defer { position += 1 }
        return units[position]
    }
}
