import EventLog
import FerryCore
import FreeTDS
import Logging
import ServiceLifecycle

/// Streaming: polls LSN windows, reads the change tables that have rows in each window in
/// parallel, merges them into commit order and publishes events, transaction boundaries and
/// schema changes; stores the checkpoint after each window (and at a transaction boundary on shutdown).
final class ChangeStreamer {
    private let configuration: SourceConfiguration
    private let publisher: EventPublisher
    private let statistics: SourceStatistics
    private let connect: @Sendable () async throws -> TDSConnection
    private let logger: Logger
    private let catalog: SourceCatalog
    private let control: TDSConnection
    private var readers: [TDSConnection] = []
    private(set) var tables: [CapturedTable]
    private(set) var checkpoint: SourceCheckpoint
    private var instanceSignature: [String: LSN?] = [:]
    private var handledDDL: Set<String> = []
    private var droppedColumns: [TableIdentity: Set<String>] = [:]
    private var serverOffsetMinutes = 0
    private var lastHeartbeat = ContinuousClock.now
    /// Re-snapshots tables after a cleanup gap (set by the source when `on-gap: resnapshot`);
    /// returns their snapshot boundaries.
    var resnapshot: (([CapturedTable]) async throws -> [TableIdentity: LSN])?

    init(configuration: SourceConfiguration, publisher: EventPublisher, statistics: SourceStatistics, control: TDSConnection,
         tables: [CapturedTable], checkpoint: SourceCheckpoint, connect: @escaping @Sendable () async throws -> TDSConnection, logger: Logger) {
        self.configuration = configuration
        self.publisher = publisher
        self.statistics = statistics
        self.control = control
        self.tables = tables
        self.checkpoint = checkpoint
        self.connect = connect
        self.logger = logger
        self.catalog = SourceCatalog(database: configuration.database)
        self.instanceSignature = Self.signature(tables)
    }

    /// Streams until graceful shutdown, or until ``SourceConfiguration/stopAtLSN`` is reached.
    func run() async throws {
        if let rows = try? await control.query("SELECT DATEDIFF(minute, GETUTCDATE(), GETDATE())"), let minutes = rows.first?[0].int64Value {
            serverOffsetMinutes = Int(minutes)
        }
        defer { let readers = self.readers; Task { for reader in readers { await reader.close() } } }
        try await publishDropsMissedWhileStopped()
        var idlePolls = 0
        var vanishedRetries = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if let stop = configuration.stopAtLSN, let position = checkpoint.position, position >= stop { return }
            let progressed: Bool
            do {
                progressed = try await pollOnce()
            } catch let error as TDSError where error.number == 208 && vanishedRetries < 3 {
                // A change table vanished between the catalog refresh and the read (a table or a
                // capture instance was dropped meanwhile): refresh and read the window again.
                logger.notice("a change table disappeared during a poll; refreshing the capture instances", metadata: ["error": "\(error)"])
                instanceSignature = [:]
                vanishedRetries += 1
                continue
            }
            vanishedRetries = 0
            if progressed {
                idlePolls = 0
                continue
            }
            idlePolls += 1
            await statistics.recordIdle()
            try await heartbeatIfDue()
            if let stop = configuration.stopAtLSN, let position = checkpoint.position, position >= stop { return }
            let delay = WindowPlanner.idleDelay(idlePolls: idlePolls, pollInterval: configuration.pollInterval, maximum: configuration.maxIdleInterval)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
        }
    }

    /// One poll: returns whether a window was published.
    func pollOnce() async throws -> Bool {
        guard let position = checkpoint.position else {
            throw SourceError(.invalidCheckpoint, "streaming needs a start position")
        }
        try await refreshInstances()
        try await checkGaps(position)
        guard let maxLSN = try await catalog.maxLSN(control), maxLSN > position else { return false }
        let upper = configuration.stopAtLSN.map { min($0, maxLSN) } ?? maxLSN
        guard upper > position else { return false }

        let ddl = try await pendingDDL(after: position, through: upper)
        // A DDL right after the position is applied now: its event precedes every later change.
        for entry in ddl where entry.lsn <= (position.incremented() ?? position) {
            try await apply(entry)
        }
        let boundaries = ddl.filter { !handledDDL.contains($0.id) }.map(\.lsn) + tables.compactMap(\.switchLSN)

        let mapping = try await control.query("""
            SELECT TOP (\(configuration.maxTransactionsPerWindow)) start_lsn, tran_end_time FROM cdc.lsn_time_mapping
            WHERE start_lsn > \(position.hexLiteral) AND start_lsn <= \(upper.hexLiteral) AND tran_id <> 0x00 ORDER BY start_lsn
            """)
        var commitTimes: [LSN: Int64] = [:]
        var lastMapped: LSN?
        for row in mapping {
            guard let lsn = row[0].bytesValue.flatMap({ LSN(bytes: $0) }) else { continue }
            lastMapped = lsn
            if case .dateTime(let time) = row[1] { commitTimes[lsn] = milliseconds(time) }
        }
        let limit = mapping.count >= configuration.maxTransactionsPerWindow ? lastMapped : nil
        guard var window = WindowPlanner.window(after: position, maxLSN: upper, transactionLimitLSN: limit, boundaries: boundaries) else { return false }

        // Which change tables have rows in the window: one query over all of them.
        let start = window.after.incremented() ?? window.after
        var active: [(table: CapturedTable, instance: CaptureInstance)] = []
        for table in tables {
            guard let instance = table.instance(at: start) else { continue }
            active.append((table, instance))
        }
        var firstChanges: [(table: Int, lsn: LSN)] = []
        if !active.isEmpty {
            let probe = try active.enumerated().map { index, entry in
                "SELECT \(index) AS table_index, MIN(__$start_lsn) AS first_lsn FROM \(try TDSLiteral.qualifiedIdentifier("cdc", entry.instance.name + "_CT")) WHERE __$start_lsn > \(window.after.hexLiteral) AND __$start_lsn <= \(window.through.hexLiteral)"
            }.joined(separator: "\nUNION ALL ")
            for row in try await control.query(probe) {
                guard let index = row[0].int64Value, let lsn = row[1].bytesValue.flatMap({ LSN(bytes: $0) }) else { continue }
                firstChanges.append((Int(index), lsn))
            }
        }
        let plan = WindowPlanner.narrow(window, firstChanges: firstChanges, connections: configuration.streamingConnections)
        window = plan.window
        let selected = plan.tables.map { active[$0] }
        logger.debug("window", metadata: ["window": "\(window)", "tables": "\(selected.count)"])

        let completed = try await publish(window: window, selected: selected, commitTimes: commitTimes)
        let newPosition = completed ?? window.through
        checkpoint.position = newPosition
        checkpoint.phase = .streaming
        checkpoint.snapshotBoundaries = checkpoint.snapshotBoundaries.filter { $0.value > newPosition }
        checkpoint.timestampMilliseconds = EventPublisher.nowMilliseconds()
        for entry in active { checkpoint.captureInstances[entry.table.identity] = entry.instance.name }
        try await publisher.store(checkpoint)
        await statistics.recordPosition(newPosition, commitMilliseconds: commitTimes[newPosition] ?? commitTimes.values.max(), nowMilliseconds: EventPublisher.nowMilliseconds())
        try await dropReplacedInstances()
        return true
    }

    /// Reads and publishes one window; returns the last complete commit LSN when it stopped early
    /// for a graceful shutdown, `nil` when the whole window was published.
    private func publish(window: LSNWindow, selected: [(table: CapturedTable, instance: CaptureInstance)], commitTimes: [LSN: Int64]) async throws -> LSN? {
        guard !selected.isEmpty else { return nil }
        while readers.count < selected.count { readers.append(try await connect()) }
        var cursors: [ChangeTableReader] = []
        var schemas: [TableSchema] = []
        var columnLists: [[CapturedColumn]] = []
        var keptIndices: [[Int]?] = []
        var filters: [RowFilter] = []
        for (index, entry) in selected.enumerated() {
            let dropped = droppedColumns[entry.table.identity] ?? []
            let columns = entry.instance.columns
            let projection = try ColumnProjection(columns: columns.map(\.definition), alias: "ct")
            let sql = try ChangeTableReader.query(instance: entry.instance, columns: projection, window: window)
            cursors.append(ChangeTableReader(connection: readers[index], sql: sql, projection: projection, tableIndex: index, table: entry.table.identity.description))
            // Dropped columns and (SupportLobs: false) LOB columns leave the events; the change
            // table still has them, so rows are projected onto the kept positions.
            let indices = columns.indices.filter { !dropped.contains(columns[$0].definition.name) && configuration.lobs.keeps(columns[$0].definition) }
            let kept = indices.map { columns[$0] }
            keptIndices.append(indices.count == columns.count ? nil : indices)
            columnLists.append(kept)
            let instance = CaptureInstance(name: entry.instance.name, changeTableObjectID: entry.instance.changeTableObjectID, startLSN: entry.instance.startLSN,
                                           columns: kept, indexColumns: entry.instance.indexColumns)
            let schema = try entry.table.schema(for: instance)
            schemas.append(schema)
            filters.append(try configuration.selection.rowFilter(for: schema))
        }
        let merger = ChangeMerger(zip(cursors, selected).map { UpdatePairing($0, table: $1.table.identity.description) })
        var batch: [OutgoingRecord] = []
        var serials = EventBuilder.SerialCounter()
        var transaction: (lsn: LSN, counts: [(table: TableIdentity, count: Int64)], total: Int64)?
        var lastCompleted: LSN?
        do {
            while true {
                let change = try await merger.next()
                if let open = transaction, change?.commitLSN != open.lsn {
                    // The transaction `open` is complete.
                    if configuration.transactionMetadata {
                        batch.append(publisher.record(for: TransactionEvent(status: .end, id: open.lsn.description,
                                                                            timestampMilliseconds: commitTimes[open.lsn] ?? 0, eventCounts: open.counts)))
                    }
                    transaction = nil
                    lastCompleted = open.lsn
                    if batch.count >= configuration.batchSize {
                        try await publisher.append(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                    if change != nil, Task.isShuttingDownGracefully {
                        try await publisher.append(batch)
                        for cursor in cursors { await cursor.stop() }
                        logger.info("stopping at a transaction boundary", metadata: ["lsn": "\(open.lsn)"])
                        return lastCompleted
                    }
                }
                guard var change else { break }
                let index = change.tableIndex
                let identity = selected[index].table.identity
                // Already in the table's snapshot rows (committed at or before its boundary).
                if checkpoint.isInSnapshot(identity, commitLSN: change.commitLSN) { continue }
                if let indices = keptIndices[index] {
                    change.first.values = indices.map { $0 < change.first.values.count ? change.first.values[$0] : .null }
                    if let after = change.after { change.after!.values = indices.map { $0 < after.values.count ? after.values[$0] : .null } }
                }
                if case .truncate = configuration.lobs.mode {
                    let definitions = columnLists[index].map(\.definition)
                    var cut = configuration.lobs.limit(&change.first.values, columns: definitions)
                    if change.after != nil { cut += configuration.lobs.limit(&change.after!.values, columns: definitions) }
                    for column in cut {
                        await LobTruncationReport.record(table: identity, column: definitions[column].name, key: (change.after ?? change.first).values,
                                                         schema: schemas[index], policy: configuration.lobs, statistics: statistics, logger: logger)
                    }
                }
                let commitTime = commitTimes[change.commitLSN] ?? EventPublisher.nowMilliseconds()
                var event = try EventBuilder.event(for: change, columns: columnLists[index], table: identity, prefix: configuration.prefix,
                                                   commitMilliseconds: commitTime,
                                                   serial: serials.next(commit: change.commitLSN, change: change.first.sequenceValue),
                                                   nowMilliseconds: EventPublisher.nowMilliseconds())
                // DMS source filters: a change is kept when its row (either image of an update) passes.
                if !filters[index].isEmpty, !([event.after, event.before].contains { $0.map(filters[index].matches) ?? false }) { continue }
                if transaction == nil {
                    transaction = (change.commitLSN, [], 0)
                    if configuration.transactionMetadata {
                        batch.append(publisher.record(for: TransactionEvent(status: .begin, id: change.commitLSN.description, timestampMilliseconds: commitTime)))
                    }
                }
                if configuration.transactionMetadata {
                    transaction!.total += 1
                    var tableOrder: Int64 = 1
                    if let slot = transaction!.counts.firstIndex(where: { $0.table == identity }) {
                        transaction!.counts[slot].count += 1
                        tableOrder = transaction!.counts[slot].count
                    } else {
                        transaction!.counts.append((identity, 1))
                    }
                    event.transaction = ChangeEvent.TransactionPosition(id: change.commitLSN.description, totalOrder: transaction!.total, dataCollectionOrder: tableOrder)
                }
                batch.append(contentsOf: try publisher.records(for: event, schema: schemas[index]))
                await statistics.record(event.operation, identity)
                if batch.count >= configuration.batchSize {
                    try await publisher.append(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            try await publisher.append(batch)
        } catch {
            for cursor in cursors { await cursor.stop() }
            throw error
        }
        for cursor in cursors { await cursor.stop() }
        return nil
    }

    // MARK: Capture instances, gaps and DDL

    private static func signature(_ tables: [CapturedTable]) -> [String: LSN?] {
        var result: [String: LSN?] = [:]
        for table in tables { for instance in table.instances { result[instance.name] = instance.startLSN } }
        return result
    }

    /// Re-reads the capture instances when `cdc.change_tables` changed (a new or dropped
    /// instance, an instance established, cleanup moving a start LSN).
    private func refreshInstances() async throws {
        let ids = tables.map { String($0.objectID) }.joined(separator: ", ")
        guard !ids.isEmpty else { return }
        var current: [String: LSN?] = [:]
        for row in try await control.query("SELECT capture_instance, start_lsn FROM cdc.change_tables WHERE source_object_id IN (\(ids))") {
            guard let name = row[0].stringValue else { continue }
            current[name] = row[1].bytesValue.flatMap { LSN(bytes: $0) }
        }
        guard current != instanceSignature else { return }
        let discovered = try await catalog.discover(control, selection: configuration.selection)
        var refreshed: [CapturedTable] = []
        var vanished: [CapturedTable] = []
        for table in tables {
            // The same object: a table dropped and created again under its name is another table.
            if let now = discovered.captured.first(where: { $0.identity == table.identity && $0.objectID == table.objectID }) {
                refreshed.append(now)
            } else {
                vanished.append(table)
            }
        }
        if !vanished.isEmpty {
            let ids = vanished.map { String($0.objectID) }.joined(separator: ", ")
            let existing = Set(try await control.query("SELECT object_id FROM sys.tables WHERE object_id IN (\(ids))").compactMap { $0[0].int64Value })
            for table in vanished {
                if existing.contains(table.objectID) {
                    // sys.sp_cdc_disable_table removed every capture instance; the table is still there.
                    logger.warning("change data capture was disabled for a captured table; Ferry stops reading it",
                                   metadata: ["table": "\(table.identity)", "enable": "\(SourceCatalog.enableStatement(for: table.identity))"])
                    checkpoint.captureInstances[table.identity] = nil
                    droppedColumns[table.identity] = nil
                } else {
                    try await publishDrop(of: table)
                }
            }
        }
        tables = refreshed
        instanceSignature = Self.signature(tables)
        logger.info("capture instances changed", metadata: ["instances": "\(current.keys.sorted())"])
    }

    /// A captured table was dropped (SQL Server drops its capture instances, change tables and
    /// `cdc.ddl_history` rows with it): publishes a schema change without new columns, so sinks
    /// apply `HandleSourceTableDropped`, and stops reading the table. The drop has no LSN of its
    /// own any more; the event carries the first LSN Ferry had not read when it noticed.
    func publishDrop(of table: CapturedTable) async throws {
        let identity = table.identity
        let position = checkpoint.position ?? .zero
        let dropped = droppedColumns[identity] ?? []
        let oldColumns = (table.instance(at: position.incremented() ?? position)?.columns.map(\.definition) ?? table.currentColumns)
            .filter { !dropped.contains($0.name) }
        let ddl = "DROP TABLE " + ((try? TDSLiteral.qualifiedIdentifier(identity.schema, identity.table)) ?? identity.description)
        let event = SchemaChangeEvent(table: identity, oldColumns: oldColumns, newColumns: nil, keyColumns: [], ddl: ddl,
                                      lsn: position.incremented() ?? position, timestampMilliseconds: EventPublisher.nowMilliseconds())
        try await publisher.append([publisher.record(for: event)])
        await statistics.recordDrop(identity)
        checkpoint.captureInstances[identity] = nil
        droppedColumns[identity] = nil
        logger.warning("captured table dropped on the source; changes it had not yet published went with its change table",
                       metadata: ["table": "\(identity)", "lsn": "\(event.lsn)"])
    }

    /// On start: tables the checkpoint was reading that no longer exist were dropped while Ferry
    /// was not running; their drop events are published now.
    func publishDropsMissedWhileStopped() async throws {
        let known = Set(tables.map(\.identity))
        for identity in checkpoint.captureInstances.keys.sorted() where !known.contains(identity) {
            guard configuration.selection.includes(schema: identity.schema, table: identity.table) else { continue }
            let rows = try await control.query("""
                SELECT t.object_id FROM sys.tables AS t JOIN sys.schemas AS s ON s.schema_id = t.schema_id
                WHERE s.name = \(TDSLiteral.string(identity.schema)) AND t.name = \(TDSLiteral.string(identity.table))
                """)
            guard rows.isEmpty else { continue }
            try await publishDrop(of: CapturedTable(identity: identity, objectID: 0, instances: [], currentColumns: [], primaryKey: []))
        }
    }

    /// Stops (or re-snapshots) when cleanup removed changes after `position` that Ferry never read.
    private func checkGaps(_ position: LSN) async throws {
        let next = position.incremented() ?? position
        var gapped: [(CapturedTable, CaptureInstance)] = []
        for table in tables {
            guard let instance = table.instance(at: next), let start = instance.startLSN, start > next else { continue }
            // Only an instance Ferry was already reading can have lost changes; a table captured
            // after the position simply starts at its instance's start.
            guard checkpoint.captureInstances[table.identity] == instance.name else { continue }
            gapped.append((table, instance))
        }
        guard !gapped.isEmpty else { return }
        if configuration.onGap == .resnapshot, let resnapshot {
            logger.warning("change data gap: re-snapshotting", metadata: ["tables": "\(gapped.map { $0.0.identity.description })"])
            let boundaries = try await resnapshot(gapped.map(\.0))
            // Changes up to each table's new boundary are in its snapshot rows and are dropped;
            // later ones are streamed from the instance's start onward.
            for (table, _) in gapped {
                checkpoint.captureInstances[table.identity] = nil
                if let boundary = boundaries[table.identity] { checkpoint.snapshotBoundaries[table.identity] = boundary }
            }
            return
        }
        let (table, instance) = gapped[0]
        throw SourceError(.changeDataGap,
                          "\(table.identity): changes after LSN \(position) up to \(instance.startLSN!.decremented()!) were removed from capture instance '\(instance.name)' by cleanup before Ferry read them (its minimum LSN is \(instance.startLSN!)); re-snapshot the table (on-gap: resnapshot) or restore the changes",
                          context: ["table": table.identity.description, "capture_instance": instance.name, "lsn": position.description,
                                    "min_lsn": instance.startLSN!.description])
    }

    struct DDLEntry {
        var table: CapturedTable
        var command: String
        var lsn: LSN
        var milliseconds: Int64
        var id: String { "\(table.objectID)@\(lsn)" }
    }

    private func pendingDDL(after position: LSN, through upper: LSN) async throws -> [DDLEntry] {
        let ids = tables.map { String($0.objectID) }.joined(separator: ", ")
        guard !ids.isEmpty else { return [] }
        let rows = try await control.query("""
            SELECT source_object_id, ddl_command, ddl_lsn, ddl_time FROM cdc.ddl_history
            WHERE source_object_id IN (\(ids)) AND ddl_lsn > \(position.hexLiteral) AND ddl_lsn <= \(upper.hexLiteral) ORDER BY ddl_lsn
            """)
        var result: [DDLEntry] = []
        var seen: Set<String> = []
        for row in rows {
            guard let id = row[0].int64Value, let table = tables.first(where: { $0.objectID == id }),
                  let lsn = row[2].bytesValue.flatMap({ LSN(bytes: $0) }) else { continue }
            var time = EventPublisher.nowMilliseconds()
            if case .dateTime(let value) = row[3] { time = milliseconds(value) }
            let entry = DDLEntry(table: table, command: row[1].stringValue ?? "", lsn: lsn, milliseconds: time)
            // One row per capture instance: the same DDL appears twice while two instances exist.
            guard seen.insert(entry.id).inserted, !handledDDL.contains(entry.id) else { continue }
            result.append(entry)
        }
        return result
    }

    /// Publishes the schema change and handles the capture instance.
    private func apply(_ entry: DDLEntry) async throws {
        handledDDL.insert(entry.id)
        let identity = entry.table.identity
        let columns = try await catalog.columnsByObject(control, objectIDs: [String(entry.table.objectID)])[entry.table.objectID] ?? []
        let keys = try await catalog.primaryKeys(control, objectIDs: [String(entry.table.objectID)])[entry.table.objectID] ?? []
        guard let index = tables.firstIndex(where: { $0.identity == identity }) else { return }
        let start = (checkpoint.position?.incremented()) ?? entry.lsn
        let instance = tables[index].instance(at: start)
        let dropped = droppedColumns[identity] ?? []
        let oldColumns = (instance?.columns.map(\.definition) ?? tables[index].currentColumns).filter { !dropped.contains($0.name) }
        let event = SchemaChangeEvent(table: identity, oldColumns: oldColumns, newColumns: columns, keyColumns: keys.filter { key in columns.contains { $0.name == key } },
                                      ddl: entry.command, lsn: entry.lsn, timestampMilliseconds: entry.milliseconds)
        try await publisher.append([publisher.record(for: event)])
        await statistics.recordDDL(identity)
        tables[index].currentColumns = columns
        tables[index].primaryKey = keys
        let currentNames = Set(columns.map(\.name))
        if let instance {
            droppedColumns[identity] = Set(instance.columns.map(\.definition.name).filter { !currentNames.contains($0) })
        }
        logger.notice("schema change", metadata: ["table": "\(identity)", "lsn": "\(entry.lsn)", "ddl": "\(entry.command)"])
        guard let instance else { return }
        let captured = instance.columns.map(\.definition)
        let needsRotation = captured.map(\.name) != columns.filter { !$0.isComputed }.map(\.name) || zip(captured, columns).contains { $0.type != $1.type }
        guard needsRotation, tables[index].instances.count < 2 else { return }
        let newName = Self.nextInstanceName(instance.name)
        let enable = SourceCatalog.enableStatement(for: identity, captureInstance: newName)
        let disable = "EXEC sys.sp_cdc_disable_table @source_schema = \(TDSLiteral.string(identity.schema)), @source_name = \(TDSLiteral.string(identity.table)), @capture_instance = \(TDSLiteral.string(instance.name))"
        switch configuration.rotation {
        case .auto:
            _ = try await control.execute(enable)
            logger.notice("capture instance created for the new column list", metadata: ["table": "\(identity)", "capture_instance": "\(newName)", "replaces": "\(instance.name)"])
        case .report:
            logger.warning("capture instance no longer matches the table; the DBA should run the statements in order, the second once Ferry passed the new instance's start LSN",
                           metadata: ["table": "\(identity)", "create": "\(enable)", "drop": "\(disable)"])
        }
    }

    /// With `rotation: auto`, drops an old capture instance once the position passed the newer one's start.
    private func dropReplacedInstances() async throws {
        guard configuration.rotation == .auto, let position = checkpoint.position else { return }
        for table in tables {
            guard let switchLSN = table.switchLSN, position >= switchLSN, let old = table.instances.first, old.startLSN != nil else { continue }
            _ = try await control.execute("EXEC sys.sp_cdc_disable_table @source_schema = \(TDSLiteral.string(table.identity.schema)), @source_name = \(TDSLiteral.string(table.identity.table)), @capture_instance = \(TDSLiteral.string(old.name))")
            droppedColumns[table.identity] = nil
            logger.notice("old capture instance dropped", metadata: ["table": "\(table.identity)", "capture_instance": "\(old.name)"])
        }
    }

    /// `dbo_t` → `dbo_t_v2`, `dbo_t_v2` → `dbo_t_v3`.
    static func nextInstanceName(_ name: String) -> String {
        if let range = name.range(of: "_v", options: .backwards), let n = Int(name[range.upperBound...]) {
            return String(name[..<range.lowerBound]) + "_v\(n + 1)"
        }
        return name + "_v2"
    }

    private func heartbeatIfDue() async throws {
        guard let interval = configuration.heartbeatInterval, ContinuousClock.now - lastHeartbeat >= interval else { return }
        lastHeartbeat = .now
        try await publisher.append([publisher.heartbeat(position: checkpoint.position, nowMilliseconds: EventPublisher.nowMilliseconds())])
    }

    /// A server-local `datetime` as milliseconds since 1970 UTC.
    private func milliseconds(_ value: TDSDateTime) -> Int64 {
        let days = Int64(value.date.daysSinceJanuaryFirst0001 - 719_162)
        return days * 86_400_000 + value.time.nanosecondsSinceMidnight / 1_000_000 - Int64(serverOffsetMinutes) * 60_000
    }
}
