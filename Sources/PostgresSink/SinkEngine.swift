import EventLog
import FerryCore
import struct Foundation.Date
import Logging
import Postgres
import ServiceLifecycle

/// The sink's state machine: reads the log, keeps the schema history, and applies batches (or
/// whole source transactions) to the target in one PostgreSQL transaction each, together with
/// the offsets, statistics and exceptions they produce. Confined to the task that runs it.
final class SinkEngine {
    /// One record read from the log and waiting in the batch.
    struct Item {
        enum Content {
            case change(ChangeEvent, TableIdentity)
            /// An event that could not be decoded: recorded as an exception when its batch commits.
            case undecodable(TableIdentity?, String)
            /// A tombstone or a record the sink has no use for; only its offset matters.
            case ignored
            /// A transaction END (transaction-consistent mode).
            case transactionEnd(TransactionEvent)
        }
        var record: StoredRecord
        var content: Content
    }

    /// A schema change read from `<prefix>.schema-changes` and not yet applied to the target.
    struct PendingSchemaChange {
        var record: StoredRecord
        var change: SchemaChangeEvent
    }

    /// The state a committed transaction moves forward; changed on a copy, kept at COMMIT.
    struct State {
        var tables: [TableIdentity: AppliedTable] = [:]
        var positions: [TopicPartition: SourcePosition] = [:]
        var suspended: Set<String> = []
        var pendingSchemaChanges: [PendingSchemaChange] = []
        var appliedDDLOffsets: [TableIdentity: Int64] = [:]
    }

    let configuration: SinkConfiguration
    let log: any EventLog
    let targetURL: String
    let logger: Logger
    let onCommit: (@Sendable (PostgresSink.Summary) -> Void)?
    let store: SinkControlStore
    let topics: TopicNames
    let metrics: SinkMetrics
    /// `awsdms_status` and `awsdms_history`, when the settings enable them.
    let dms: DMSControlTablesWriter?

    var connection: PostgresConnection?
    var state = State()
    /// Every schema seen per table, oldest first: events are decoded with the one they were written with.
    var schemaVersions: [TableIdentity: [TableSchema]] = [:] { didSet { decoderGeneration &+= 1 } }
    var topicTables: [String: TableIdentity] = [:] { didSet { decoderGeneration &+= 1 } }
    /// Changes whenever what ``RecordDecoder`` decodes with changes: records decoded ahead with an
    /// older generation are decoded again.
    var decoderGeneration = 0
    /// Records read and decoded while the previous batch was applied, waiting to be taken.
    var prefetched: Prefetched?
    /// Data and transaction partitions: the next offset to read.
    var readPositions: [TopicPartition: Int64] = [:]
    var schemaReadPositions: [TopicPartition: Int64] = [:]
    var storedOffsets: [TopicPartition: SinkControlStore.StoredOffset] = [:]
    var wantedTopics: Set<String> = []
    var dataReader: (any EventLogReader)?
    var schemaReader: (any EventLogReader)?
    var buffer: [Item] = []
    var batchStarted: ContinuousClock.Instant?
    /// Partitions that reached `--until`: nothing more is read from them.
    var stoppedPartitions: Set<TopicPartition> = []
    /// A transaction applied with the events that arrived: its other events can no longer come.
    var forcedTransaction: String?
    /// The transaction first found stalled, and when.
    var stall: (id: String, at: ContinuousClock.Instant)?
    var summary = PostgresSink.Summary(applied: 0, duplicates: 0, exceptions: 0, schemaChanges: 0, commits: 0)
    let codec = EnvelopeCodec()

    init(configuration: SinkConfiguration, log: any EventLog, targetURL: String, logger: Logger,
         onCommit: (@Sendable (PostgresSink.Summary) -> Void)?) throws {
        guard configuration.commitRate > 0 else {
            throw SinkError(.invalidConfiguration, "CommitRate must be positive, found \(configuration.commitRate)", context: ["setting": "CommitRate"])
        }
        self.configuration = configuration
        self.log = log
        self.targetURL = targetURL
        var logger = logger
        logger[metadataKey: "sink"] = "\(configuration.name)"
        self.logger = logger
        self.onCommit = onCommit
        let dms = configuration.dmsControlTables.map { DMSControlTablesWriter(tables: $0, taskName: configuration.name) }
        self.dms = dms
        self.store = SinkControlStore(sink: configuration.name, dms: configuration.dmsControlTables, serverName: dms?.serverName ?? "")
        do {
            self.topics = try TopicNames(prefix: configuration.prefix)
        } catch {
            throw SinkError(.invalidConfiguration, "--prefix: \(error.message)", context: ["option": "--prefix"])
        }
        self.metrics = SinkMetrics(sink: configuration.name)
    }

    // MARK: Running

    func run() async throws -> PostgresSink.Summary {
        do {
            return try await runLoop()
        } catch {
            await markStopped()
            throw error
        }
    }

    private func runLoop() async throws -> PostgresSink.Summary {
        try await withRetries("starting") { try await self.start() }
        logger.info("sink started", metadata: ["tables": "\(state.tables.count)", "partitions": "\(readPositions.count)"])
        defer {
            let readers = [dataReader, schemaReader].compactMap { $0 }
            Task { for reader in readers { try? await reader.close() } }
        }
        while true {
            if Task.isShuttingDownGracefully || Task.isCancelled {
                // Apply what is in hand (complete transactions only), then stop.
                if !buffer.isEmpty { try await applyWithRetries(idle: false) }
                break
            }
            var records: [StoredRecord] = []
            var decodedAhead: Prefetched?
            if let ready = prefetched {
                prefetched = nil
                records = ready.records
                decodedAhead = ready
            } else if let dataReader, buffer.count < configuration.commitRate || configuration.preserveTransactions {
                // Transaction mode reads on while no transaction is complete: a reader that serves
                // one partition first must not be starved down to one record per poll.
                let room = configuration.preserveTransactions ? 1000 : max(1, min(configuration.commitRate - buffer.count, 5000))
                records = try await dataReader.poll(maxRecords: room, timeout: .milliseconds(100))
            } else if dataReader == nil {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await catchUpSchemaChanges()
            // Decoded ahead with the schemas in force now (a schema change read since means decoding again).
            try await take(records, decoded: decodedAhead.flatMap { $0.generation == decoderGeneration ? $0.contents : nil })
            try await subscribeWantedTopics()
            let idle = records.isEmpty
            if !buffer.isEmpty, batchStarted == nil { batchStarted = .now }
            let elapsed = batchStarted.map { ContinuousClock.now - $0 } ?? .zero
            let due = !buffer.isEmpty && (buffer.count >= configuration.commitRate || elapsed >= configuration.batchApplyTimeoutMax
                                          || (idle && elapsed >= configuration.batchApplyTimeoutMin))
            let ddlDue = idle && hasApplicableSchemaChange()
            if idle, configuration.preserveTransactions, try await isStalledOnTransaction() { try await applyWithRetries(idle: idle) }
            if due || ddlDue {
                try await applyReadingAhead(idle: idle)
            }
            try await dmsFlushHistory()
            if idle, configuration.stopWhenCaughtUp || configuration.until != nil, try await isFinished() {
                break
            }
        }
        logger.info("sink stopped", metadata: ["applied": "\(summary.applied)", "exceptions": "\(summary.exceptions)"])
        await markStopped()
        await connection?.close()
        return summary
    }

    /// Whether the oldest transaction in hand lacks events that can no longer arrive (every
    /// partition is read to its end, e.g. an event of it could not be decoded); then it is applied
    /// with the events that did arrive, and the stream goes on.
    private func isStalledOnTransaction() async throws -> Bool {
        guard let first = buffer.lazy.compactMap({ item -> TransactionEvent? in
            if case .transactionEnd(let end) = item.content { return end } else { return nil }
        }).first, !selectItems().contains(where: { if case .transactionEnd = buffer[$0].content { return true } else { return false } }) else { return false }
        for (partition, next) in readPositions where !stoppedPartitions.contains(partition) {
            if try await log.offsets(of: partition).next > next { return false }
        }
        // Kafka can show a transaction's END before all of its events, while the source's append is
        // still in flight: only a stall that lasts is a real one.
        guard let since = stall, since.id == first.id else {
            stall = (first.id, .now)
            return false
        }
        guard ContinuousClock.now - since.at >= max(.seconds(5), configuration.batchApplyTimeoutMax) else { return false }
        stall = nil
        logger.warning("transaction applied without all its events: the rest cannot arrive", metadata: ["transaction": "\(first.id)"])
        forcedTransaction = first.id
        return true
    }

    /// Whether every partition is read to its end (or reached `--until`) and everything read is applied.
    private func isFinished() async throws -> Bool {
        // A log written without transaction metadata never gets its transaction topic.
        guard wantedTopics.subtracting([topics.transaction]).isEmpty || configuration.until != nil else { return false }
        if buffer.contains(where: { if case .transactionEnd = $0.content { return false } else { return true } }) { return false }
        if hasApplicableSchemaChange() { return false }
        for (partition, next) in readPositions where !stoppedPartitions.contains(partition) {
            if try await log.offsets(of: partition).next > next { return false }
        }
        for (partition, next) in schemaReadPositions where try await log.offsets(of: partition).next > next { return false }
        return true
    }

    // MARK: Start

    /// A target connection; with ``SinkConfiguration/replicaSessionRole`` in
    /// `session_replication_role = replica` (foreign keys and user triggers off, as DMS applies).
    private func connectTarget() async throws -> PostgresConnection {
        let connection = try await PostgresConnection.connect(url: targetURL, logger: logger)
        guard configuration.replicaSessionRole else { return connection }
        do {
            try await connection.execute("SET session_replication_role = replica")
        } catch {
            logger.warning("cannot set session_replication_role = replica; foreign keys and triggers on the target stay active", metadata: ["error": "\(error)"])
        }
        return connection
    }

    private func start() async throws {
        await connection?.close()
        let connection = try await connectTarget()
        self.connection = connection
        try await store.prepare(connection)
        try await connection.execute("""
            CREATE TABLE IF NOT EXISTS ferry.applied_ddl (
                sink text NOT NULL, source_table text NOT NULL, "offset" bigint NOT NULL, lsn text NOT NULL,
                PRIMARY KEY (sink, source_table))
            """)
        if configuration.reset == .earliest {
            try await store.reset(connection, partitions: nil)
            try await connection.query("DELETE FROM ferry.applied_ddl WHERE sink = $1", [.text(configuration.name)])
        }
        storedOffsets = try await store.offsets(connection)
        state = State()
        state.suspended = try await store.suspendedTables(connection)
        for row in try await connection.query("SELECT source_table, \"offset\" FROM ferry.applied_ddl WHERE sink = $1", [.text(configuration.name)]) {
            let name = try row.decode(String.self, at: 0).split(separator: ".", omittingEmptySubsequences: false)
            guard name.count == 3 else { continue }
            state.appliedDDLOffsets[TableIdentity(database: String(name[0]), schema: String(name[1]), table: String(name[2]))] = try row.decode(Int64.self, at: 1)
        }
        for (partition, stored) in storedOffsets { if let position = stored.position { state.positions[partition] = position } }
        schemaVersions = [:]
        prefetched = nil
        readPositions = [:]
        schemaReadPositions = [:]
        buffer = []
        for schema in configuration.knownSchemas {
            schemaVersions[schema.identity, default: []].append(schema)
            if let target = configuration.mapping.table(schema.identity) {
                state.tables[schema.identity] = AppliedTable(schema: schema, target: target, mapping: configuration.mapping)
            }
        }
        try await readSchemaHistory()
        for table in state.tables.keys { try want(table) }
        for table in configuration.additionalTables { try want(table) }
        if configuration.preserveTransactions { wantedTopics.insert(topics.transaction) }
        try await subscribeWantedTopics()
        try await dms?.start(connection, log: log, readPositions: readPositions)
    }

    /// Reads `<prefix>.schema-changes` from its first record: the history decodes every event;
    /// changes below the stored offset (or recorded in `ferry.applied_ddl`) are already in the target.
    private func readSchemaHistory() async throws {
        let topic = topics.schemaChanges
        guard let count = try await log.partitionCount(of: topic) else { return }
        if let old = schemaReader { try? await old.close() }
        let reader = try await log.makeReader()
        schemaReader = reader
        var starts: [TopicPartition: Int64] = [:]
        for index in 0..<count {
            let partition = TopicPartition(topic: topic, partition: index)
            starts[partition] = 0
            schemaReadPositions[partition] = 0
            try await applyReset(to: partition)
        }
        try await reader.assign(starts)
        try await catchUpSchemaChanges(initial: true)
    }

    /// Moves a partition's stored offset as `--reset` says, the first time the partition is seen.
    private func applyReset(to partition: TopicPartition) async throws {
        guard let reset = configuration.reset, let connection else { return }
        let start: Int64?
        switch reset {
        case .earliest: start = nil
        case .timestamp(let time):
            if let offset = try await log.offset(of: partition, atOrAfter: time) {
                start = offset
            } else {
                start = try await log.offsets(of: partition).next
            }
        case .offsets(let offsets): start = offsets[partition]
        }
        guard let start else { return }
        try await store.reset(connection, partitions: [partition])
        try await store.save(connection, offsets: [partition: start], positions: [:])
        storedOffsets[partition] = .init(next: start, position: nil)
        state.positions[partition] = nil
    }

    private func want(_ table: TableIdentity) throws {
        let topic = try topics.table(table)
        topicTables[topic] = table
        if !readPositions.keys.contains(where: { $0.topic == topic }) { wantedTopics.insert(topic) }
    }

    /// Assigns the partitions of topics that now exist, keeping every read position.
    private func subscribeWantedTopics() async throws {
        guard !wantedTopics.isEmpty else { return }
        var added = false
        for topic in wantedTopics.sorted() {
            guard let count = try await log.partitionCount(of: topic) else { continue }
            wantedTopics.remove(topic)
            for index in 0..<count {
                let partition = TopicPartition(topic: topic, partition: index)
                try await applyReset(to: partition)
                readPositions[partition] = storedOffsets[partition]?.next ?? 0
            }
            added = true
        }
        guard added else { return }
        if dataReader == nil { dataReader = try await log.makeReader() }
        // Records already buffered stay; reading resumes after them.
        var starts = readPositions
        for item in buffer { starts[item.record.partition] = max(starts[item.record.partition] ?? 0, item.record.offset + 1) }
        for partition in stoppedPartitions { starts[partition] = nil }
        try await dataReader!.assign(starts)
    }

    // MARK: Schema changes

    /// Reads new records of `<prefix>.schema-changes`. Data is polled first, so every change a
    /// polled event depends on is read before the event is decoded.
    private func catchUpSchemaChanges(initial: Bool = false) async throws {
        if schemaReader == nil {
            if try await log.partitionCount(of: topics.schemaChanges) != nil { try await readSchemaHistory() }
            return
        }
        guard let reader = schemaReader else { return }
        while true {
            var behind = false
            for (partition, next) in schemaReadPositions where try await log.offsets(of: partition).next > next { behind = true }
            guard behind else { return }
            let records = try await reader.poll(maxRecords: 1000, timeout: .milliseconds(200))
            for record in records {
                schemaReadPositions[record.partition] = record.offset + 1
                guard let value = record.value else { continue }
                let change: SchemaChangeEvent
                do {
                    change = try codec.decodeSchemaChange(value)
                } catch {
                    // A schema change the sink cannot read would make every later event of its table
                    // wrong: stop rather than guess.
                    throw SinkError(.invalidEvent, "schema change at \(record.partition) offset \(record.offset) cannot be read: \(error)",
                                    context: ["topic": record.partition.topic, "offset": "\(record.offset)"])
                }
                if let schema = try change.newSchema() { schemaVersions[change.table, default: []].append(schema) }
                let storedNext = storedOffsets[record.partition]?.next ?? 0
                let applied = record.offset < storedNext || record.offset <= (state.appliedDDLOffsets[change.table] ?? -1)
                if applied && initial {
                    adopt(change)
                } else if !applied {
                    state.pendingSchemaChanges.append(PendingSchemaChange(record: record, change: change))
                }
                if change.newColumns != nil, configuration.mapping.table(change.table) != nil { try want(change.table) }
            }
            if records.isEmpty { return }
        }
    }

    /// Takes an already applied schema change into the state without touching the target.
    private func adopt(_ change: SchemaChangeEvent) {
        guard let schema = try? change.newSchema(), let target = configuration.mapping.table(change.table) else {
            state.tables[change.table] = nil
            return
        }
        if let current = state.tables[change.table], !configuration.ddlPolicy.applyAlter, change.oldColumns != nil {
            state.tables[change.table] = current.withSchema(schema, mapping: configuration.mapping, keepingShapeOf: current)
        } else {
            state.tables[change.table] = AppliedTable(schema: schema, target: target, mapping: configuration.mapping)
        }
    }

    private func hasApplicableSchemaChange() -> Bool {
        state.pendingSchemaChanges.contains { pending in
            if case .lsn(let lsn)? = configuration.until { return pending.change.lsn <= lsn }
            if case .timestamp(let time)? = configuration.until { return pending.change.timestampMilliseconds <= time }
            return true
        }
    }

    // MARK: Reading

    /// Decodes records into the batch (or takes them as `decoded` ahead), in log order.
    private func take(_ records: consuming [StoredRecord], decoded: consuming [[Item.Content]]?) async throws {
        var contents: [[Item.Content]]
        if let decoded, decoded.reduce(0, { $0 + $1.count }) == records.count {
            contents = decoded
        } else if records.count >= 512 {
            contents = await makeDecoder().decodeAll(records)
        } else {
            for record in records { take(record, decoded: nil) }
            return
        }
        // Moved out of the arrays (popped from reversed copies) rather than copied: a record and its
        // event hold a dozen references, and a copy retains and later releases every one.
        var records = records
        records.reverse()
        contents.reverse()
        while var chunk = contents.popLast() {
            chunk.reverse()
            while let content = chunk.popLast(), let record = records.popLast() { take(record, decoded: content) }
        }
    }

    private func makeDecoder() -> RecordDecoder {
        RecordDecoder(codec: codec, topicTables: topicTables, schemaVersions: schemaVersions, transactionTopic: topics.transaction)
    }

    /// Records read and decoded ahead, with the ``decoderGeneration`` they were decoded with.
    struct Prefetched {
        var records: [StoredRecord]
        var contents: [[Item.Content]]
        var generation: Int
    }

    /// Applies the batch while the next records are read from the log and decoded, so the sink's
    /// own work (reading, JSON) overlaps PostgreSQL's. At most about one batch is read ahead: the
    /// buffer stays bounded, and the log is not read faster than the target takes it.
    private func applyReadingAhead(idle: Bool) async throws {
        guard let reader = dataReader, prefetched == nil, !idle else {
            try await applyWithRetries(idle: idle)
            return
        }
        let decoder = makeDecoder()
        let generation = decoderGeneration
        let room = max(1, min(configuration.commitRate, Self.readAheadLimit))
        async let ahead = Self.readAhead(reader, room: room, decoder: decoder)
        try await applyWithRetries(idle: idle)
        let (records, contents) = try await ahead
        if !records.isEmpty { prefetched = Prefetched(records: records, contents: contents, generation: generation) }
    }

    /// The most records read ahead of the batch being applied.
    static let readAheadLimit = 10_000

    /// Reads up to `room` records that are already in the log (a short wait at its end) and decodes them.
    private static func readAhead(_ reader: any EventLogReader, room: Int, decoder: RecordDecoder) async throws -> ([StoredRecord], [[Item.Content]]) {
        var records: [StoredRecord] = []
        while records.count < room {
            let polled = try await reader.poll(maxRecords: min(5000, room - records.count), timeout: .milliseconds(10))
            if polled.isEmpty { break }
            records += polled
        }
        return (records, await decoder.decodeAll(records))
    }

    /// Decodes a record into the batch, or drops it if its partition reached `--until`.
    private func take(_ record: consuming StoredRecord, decoded: consuming Item.Content?) {
        let partition = record.partition
        let next = record.offset + 1
        guard !stoppedPartitions.contains(partition), next > (readPositions[partition] ?? 0) else { return }
        let item: Item
        if partition.topic == topics.transaction {
            guard let value = record.value, let event = try? codec.decodeTransaction(value), event.status == .end else {
                readPositions[partition] = next
                return
            }
            if let until = configuration.until, until.isBeyond(commitLSN: LSN(event.id), commitTime: event.timestampMilliseconds) {
                stoppedPartitions.insert(partition)
                return
            }
            item = Item(record: record, content: .transactionEnd(event))
        } else {
            item = Item(record: record, content: decoded ?? RecordDecoder(codec: codec, topicTables: topicTables, schemaVersions: schemaVersions,
                                                                         transactionTopic: topics.transaction).decode(record))
        }
        if case .change(let event, _) = item.content, let until = configuration.until,
           until.isBeyond(commitLSN: event.source.commitLSN, commitTime: event.source.timestampMilliseconds) {
            stoppedPartitions.insert(partition)
            return
        }
        readPositions[partition] = next
        buffer.append(item)
    }

    // MARK: Applying

    private func withRetries<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch {
                guard Self.isTransient(error), attempt < configuration.maximumRetries else { throw error }
                attempt += 1
                let delay = Duration.milliseconds(min(100 * (1 << min(attempt, 8)), 10_000))
                logger.warning("transient error, retrying", metadata: ["while": "\(what)", "attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: delay)
                if !(await connection?.isConnected ?? false) || (error as? PostgresError)?.code == .connectionLost {
                    await connection?.close()
                    connection = try? await connectTarget()
                }
            }
        }
    }

    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? PostgresError { return error.isRetriable }
        if let error = error as? SinkError { return error.isRetriable }
        return false
    }

    private func applyWithRetries(idle: Bool) async throws {
        try await withRetries("applying a batch") {
            guard let connection = self.connection, await connection.isConnected else {
                throw PostgresError(code: .connectionLost, message: "the target connection is closed")
            }
            try await self.applyBatch(connection, idle: idle)
        }
    }

    /// The items of the buffer to apply now: all of them, or in transaction-consistent mode the
    /// events of complete source transactions, in commit order, up to about `CommitRate` events.
    private func selectItems() -> [Int] {
        guard configuration.preserveTransactions else { return Array(buffer.indices) }
        var counts: [String: [TableIdentity: Int64]] = [:]
        for item in buffer {
            if case .change(let event, let table) = item.content, let id = event.transaction?.id { counts[id, default: [:]][table, default: 0] += 1 }
        }
        // An event that cannot be decoded has no transaction id; it stands in for a missing event of
        // its table in the earliest transaction that lacks one, so one bad record cannot stall the stream.
        var spare: [TableIdentity: Int64] = [:]
        for item in buffer {
            if case .undecodable(let table?, _) = item.content { spare[table, default: 0] += 1 }
        }
        var ready: Set<String> = []
        var rows: Int64 = 0
        for item in buffer {
            guard case .transactionEnd(let end) = item.content else { continue }
            let seen = counts[end.id] ?? [:]
            var borrowed = spare
            let complete = end.eventCounts.allSatisfy { entry in
                let missing = entry.count - seen[entry.table, default: 0]
                guard missing > 0 else { return true }
                guard borrowed[entry.table, default: 0] >= missing else { return false }
                borrowed[entry.table, default: 0] -= missing
                return true
            }
            guard complete || end.id == forcedTransaction else { break }
            if complete { spare = borrowed }
            ready.insert(end.id)
            rows += end.totalEventCount
            if rows >= Int64(configuration.commitRate) { break }
        }
        return buffer.indices.filter { index in
            switch buffer[index].content {
            case .change(let event, _): return event.transaction.map { ready.contains($0.id) } ?? true
            case .transactionEnd(let end): return ready.contains(end.id)
            case .undecodable, .ignored: return true
            }
        }
    }

    private func applyBatch(_ connection: PostgresConnection, idle: Bool) async throws {
        let started = ContinuousClock.now
        let selected = selectItems()
        var draft = state
        var statistics: [TableIdentity: TableStatisticsDelta] = [:]
        var totals = (applied: 0, duplicates: 0, exceptions: 0, ddls: 0)
        let recorder = FailureRecorder()
        try await connection.execute("BEGIN")
        do {
            // Group by table, keeping log order within each table.
            var order: [TableIdentity] = []
            var groups: [[PendingChange]] = []
            var groupOfTable: [TableIdentity: Int] = [:]
            // Runs of events of one table are the rule: the last table's group is checked before hashing.
            var lastGroup: (table: TableIdentity, index: Int)?
            for index in selected {
                let item = buffer[index]
                switch item.content {
                case .change(let event, let table):
                    if let position = SourcePosition(event.source) {
                        if let last = draft.positions[item.record.partition], position <= last {
                            totals.duplicates += 1
                            continue
                        }
                        draft.positions[item.record.partition] = position
                    }
                    let group: Int
                    if let lastGroup, lastGroup.table == table {
                        group = lastGroup.index
                    } else if let known = groupOfTable[table] {
                        group = known
                    } else {
                        group = groups.count
                        groupOfTable[table] = group
                        order.append(table)
                        groups.append([])
                    }
                    lastGroup = (table, group)
                    groups[group].append(PendingChange(record: item.record, event: event))
                case .undecodable(let table, let message):
                    let target = table.flatMap { draft.tables[$0]?.target.description ?? configuration.mapping.table($0)?.description }
                    try await store.recordException(connection, record: item.record, table: target, error: message, sqlState: nil)
                    totals.exceptions += 1
                    switch configuration.errorPolicy {
                    case .logAndSkip: break
                    case .suspendTable:
                        if let target {
                            try await store.suspend(connection, table: target, reason: "event at \(item.record.partition) offset \(item.record.offset) cannot be decoded: \(message)",
                                                    code: .decodeError)
                            draft.suspended.insert(target)
                        }
                    case .stopSink:
                        throw SinkError(.invalidEvent, "event at \(item.record.partition) offset \(item.record.offset) cannot be decoded: \(message)",
                                        context: ["topic": item.record.partition.topic, "offset": "\(item.record.offset)"])
                    }
                case .ignored, .transactionEnd:
                    break
                }
            }
            var changeCount = 0
            for (group, table) in order.enumerated() {
                // Taken out of the list so the segments below move the array instead of copying it.
                var changes = groups[group]
                groups[group] = []
                changeCount += changes.count
                // Schema changes of this table that come before some of its changes apply first.
                while !changes.isEmpty {
                    let firstLSN = changes[0].event.source.changeLSN ?? changes[0].event.source.commitLSN
                    if let ddlIndex = draft.pendingSchemaChanges.firstIndex(where: { $0.change.table == table }),
                       firstLSN.map({ $0 >= draft.pendingSchemaChanges[ddlIndex].change.lsn }) ?? true {
                        try await applySchemaChange(at: ddlIndex, &draft, &statistics, connection)
                        totals.ddls += 1
                        continue
                    }
                    // The changes before the next schema change of the table.
                    var end = changes.count
                    if let next = draft.pendingSchemaChanges.first(where: { $0.change.table == table }) {
                        end = changes.firstIndex { ($0.event.source.changeLSN ?? $0.event.source.commitLSN).map { $0 >= next.change.lsn } ?? true } ?? changes.count
                    }
                    let segment: [PendingChange]
                    if end == changes.count {
                        segment = changes
                        changes = []
                    } else {
                        segment = Array(changes[..<end])
                        changes.removeFirst(end)
                    }
                    try await applyChanges(segment, table: table, &draft, &statistics, recorder, connection)
                }
            }
            if idle {
                // Quiet log: schema changes with no data after them yet apply now.
                while let index = draft.pendingSchemaChanges.indices.first(where: { isApplicable(draft.pendingSchemaChanges[$0].change) }) {
                    try await applySchemaChange(at: index, &draft, &statistics, connection)
                    totals.ddls += 1
                }
            }
            totals.exceptions += recorder.failures
            totals.applied = changeCount - recorder.failures

            // Offsets: after the applied records, before the first record still waiting.
            var waiting: [TopicPartition: Int64] = [:]
            if selected.count < buffer.count {
                let selectedSet = Set(selected)
                for index in buffer.indices where !selectedSet.contains(index) {
                    let record = buffer[index].record
                    waiting[record.partition] = min(waiting[record.partition] ?? .max, record.offset)
                }
            }
            var offsets: [TopicPartition: Int64] = [:]
            for (partition, next) in readPositions { offsets[partition] = waiting[partition] ?? next }
            for (partition, next) in schemaReadPositions {
                offsets[partition] = draft.pendingSchemaChanges.filter { $0.record.partition == partition }.map(\.record.offset).min() ?? next
            }
            offsets = offsets.filter { storedOffsets[$0.key]?.next != $0.value || draft.positions[$0.key] != storedOffsets[$0.key]?.position }
            try await store.save(connection, offsets: offsets, positions: draft.positions)
            try await store.addStatistics(connection, statistics)
            try await dms?.beforeCommit(connection, statistics: statistics, waiting: buffer.count - selected.count, log: log, readPositions: readPositions)
            try await connection.execute("COMMIT")
            for (partition, next) in offsets { storedOffsets[partition] = .init(next: next, position: draft.positions[partition]) }
        } catch {
            if await connection.isConnected, await connection.transactionStatus != .idle { _ = try? await connection.execute("ROLLBACK") }
            throw error
        }
        dmsCommitted(selected: selected, statistics: statistics)
        state = draft
        if selected.count == buffer.count {
            buffer.removeAll(keepingCapacity: true)  // batch mode: everything was applied
        } else {
            let selectedSet = Set(selected)
            buffer = buffer.enumerated().filter { !selectedSet.contains($0.offset) }.map(\.element)
        }
        batchStarted = buffer.isEmpty ? nil : .now
        summary.applied += totals.applied
        summary.duplicates += totals.duplicates
        summary.exceptions += totals.exceptions
        summary.schemaChanges += totals.ddls
        summary.commits += 1
        metrics.duplicates.increment(by: Int64(totals.duplicates))
        metrics.exceptions.increment(by: Int64(totals.exceptions))
        metrics.ddls.increment(by: Int64(totals.ddls))
        metrics.batches.increment()
        let took = ContinuousClock.now - started
        metrics.batchDuration.recordNanoseconds(took.components.seconds * 1_000_000_000 + took.components.attoseconds / 1_000_000_000)
        for delta in statistics.values {
            metrics.inserts.increment(by: delta.inserts)
            metrics.updates.increment(by: delta.updates)
            metrics.deletes.increment(by: delta.deletes)
            metrics.fullLoadRows.increment(by: delta.fullLoadRows)
        }
        if let newest = statistics.values.compactMap(\.appliedCommitTime).max() {
            metrics.lag.record(max(0, Double(wallClockMilliseconds() - newest) / 1000))
        }
        onCommit?(summary)
        logger.debug("batch committed", metadata: ["applied": "\(totals.applied)", "duplicates": "\(totals.duplicates)", "exceptions": "\(totals.exceptions)"])
    }

    private func isApplicable(_ change: SchemaChangeEvent) -> Bool {
        switch configuration.until {
        case .lsn(let lsn)?: return change.lsn <= lsn
        case .timestamp(let time)?: return change.timestampMilliseconds <= time
        case nil: return true
        }
    }

    private func applySchemaChange(at index: Int, _ draft: inout State, _ statistics: inout [TableIdentity: TableStatisticsDelta],
                                   _ connection: PostgresConnection) async throws {
        let pending = draft.pendingSchemaChanges.remove(at: index)
        let change = pending.change
        let evolution = SchemaEvolution(connection: connection, configuration: configuration)
        try await connection.execute("SAVEPOINT ferry_ddl")
        do {
            switch try await evolution.apply(change, current: draft.tables[change.table]) {
            case .table(let table): draft.tables[change.table] = table
            case .none: draft.tables[change.table] = nil
            }
            try await connection.execute("RELEASE SAVEPOINT ferry_ddl")
        } catch {
            guard let error = TableApplier.rowError(error) else { throw error }
            try await connection.execute("ROLLBACK TO SAVEPOINT ferry_ddl; RELEASE SAVEPOINT ferry_ddl")
            let target = configuration.mapping.table(change.table)?.description
            try await store.recordException(connection, record: pending.record, table: target, error: error.description, sqlState: error.sqlState)
            if configuration.errorPolicy == .stopSink {
                throw SinkError(.applyFailed, "schema change of \(change.table) failed on the target: \(error)", context: ["table": change.table.description])
            }
            if configuration.errorPolicy == .suspendTable, let target {
                try await store.suspend(connection, table: target, reason: "schema change failed: \(error)", code: .ddlError)
                draft.suspended.insert(target)
            }
        }
        draft.appliedDDLOffsets[change.table] = pending.record.offset
        try await connection.query("""
            INSERT INTO ferry.applied_ddl (sink, source_table, "offset", lsn) VALUES ($1, $2, $3, $4)
            ON CONFLICT (sink, source_table) DO UPDATE SET "offset" = EXCLUDED."offset", lsn = EXCLUDED.lsn
            """, [.text(configuration.name), .text(change.table.description), .int64(pending.record.offset), .text(change.lsn.description)])
        let target = draft.tables[change.table]?.target.description ?? configuration.mapping.table(change.table)?.description ?? change.table.description
        // A first capture (no old columns: the table's initial schema) is not a DDL the source ran.
        statistics[change.table, default: TableStatisticsDelta(target: target)].ddls += change.oldColumns == nil ? 0 : 1
        if change.newColumns == nil { statistics[change.table]!.state = "Table dropped" }
        logger.info("schema change applied", metadata: ["table": "\(change.table)", "lsn": "\(change.lsn)"])
    }

    private func applyChanges(_ changes: [PendingChange], table identity: TableIdentity, _ draft: inout State,
                              _ statistics: inout [TableIdentity: TableStatisticsDelta], _ recorder: FailureRecorder,
                              _ connection: PostgresConnection) async throws {
        guard !changes.isEmpty else { return }
        if draft.tables[identity] == nil, configuration.mapping.table(identity) != nil, let schema = schemaVersions[identity]?.last {
            // A table known only from its events' schema (Debezium): applied to an existing target table.
            draft.tables[identity] = AppliedTable(schema: schema, target: configuration.mapping.table(identity)!, mapping: configuration.mapping)
        }
        guard let table = draft.tables[identity] else {
            if configuration.mapping.table(identity) == nil { return }  // excluded by the mapping
            for change in changes {
                try await store.recordException(connection, record: change.record, table: nil,
                                                error: "no schema is known for \(identity): the event cannot be mapped to a target table", sqlState: nil)
                recorder.failures += 1
            }
            return
        }
        let target = table.target.description
        guard !draft.suspended.contains(target) else {
            recorder.suspendedSkips += changes.count
            return
        }
        var delta = statistics[identity] ?? TableStatisticsDelta(target: target)
        for change in changes {
            switch change.event.operation {
            case .create: delta.inserts += 1
            case .update: delta.updates += 1
            case .delete: delta.deletes += 1
            case .read:
                delta.fullLoadRows += 1
            }
            let source = change.event.source
            if let lsn = source.commitLSN, lsn >= (delta.appliedLSN ?? .zero) { delta.appliedLSN = lsn }
            delta.appliedCommitTime = max(delta.appliedCommitTime ?? 0, source.timestampMilliseconds)
            switch source.snapshot {
            case .false: delta.state = "Table completed"
            case .last, .lastInDataCollection: delta.state = "Table completed"
            default: delta.state = "Full load"
            }
        }
        let store = self.store
        let configuration = self.configuration
        var applier = TableApplier(connection: connection, table: table) { change, error in
            try await store.recordException(connection, record: change.record, table: target, error: error.description, sqlState: error.sqlState)
            recorder.failures += 1
            recorder.operations.append(change.event.operation)
            switch configuration.policy(for: change.event.operation, sqlState: error.sqlState) {
            case .logAndSkip: return true
            case .suspendTable:
                try await store.suspend(connection, table: target, reason: "\(change.record.partition) offset \(change.record.offset): \(error)")
                recorder.suspended.insert(target)
                return false
            case .stopSink:
                throw SinkError(.applyFailed, "\(target): the change at \(change.record.partition) offset \(change.record.offset) failed: \(error)",
                                context: ["table": target, "topic": change.record.partition.topic, "offset": "\(change.record.offset)"])
            }
        }
        _ = try await applier.apply(changes)
        for operation in recorder.operations {
            switch operation {
            case .create: delta.inserts -= 1
            case .update: delta.updates -= 1
            case .delete: delta.deletes -= 1
            case .read: delta.fullLoadRows -= 1
            }
        }
        recorder.operations.removeAll()
        draft.tables[identity]?.hasUniqueKey = applier.table.hasUniqueKey
        draft.suspended.formUnion(recorder.suspended)
        if draft.suspended.contains(target) { delta.state = "Suspended" }
        statistics[identity] = delta
    }
}

/// Decodes data records with the schema history; a value type, so chunks decode in parallel.
struct RecordDecoder: Sendable {
    let codec: EnvelopeCodec
    let topicTables: [String: TableIdentity]
    let schemaVersions: [TableIdentity: [TableSchema]]
    let transactionTopic: String

    /// Decodes `records` in log order, in consecutive chunks (their concatenation is in the order of
    /// `records`, kept apart to save a copy); large sets in parallel, since decoding (JSON) is most of
    /// the sink's own CPU time.
    func decodeAll(_ records: [StoredRecord]) async -> [[SinkEngine.Item.Content]] {
        guard records.count >= 512 else { return [records.map(decode)] }
        let chunks = 4
        let size = (records.count + chunks - 1) / chunks
        var decoded = [[SinkEngine.Item.Content]](repeating: [], count: chunks)
        await withTaskGroup(of: (Int, [SinkEngine.Item.Content]).self) { group in
            for chunk in 0..<chunks {
                let slice = records[min(records.count, chunk * size)..<min(records.count, (chunk + 1) * size)]
                group.addTask { (chunk, slice.map(decode)) }
            }
            for await (chunk, contents) in group { decoded[chunk] = contents }
        }
        return decoded
    }

    func decode(_ record: StoredRecord) -> SinkEngine.Item.Content {
        guard record.partition.topic != transactionTopic else { return .ignored }
        let table = topicTables[record.partition.topic]
        guard record.value != nil else { return .ignored }
        let versions = table.flatMap { schemaVersions[$0] } ?? []
        var firstError: (any Error)?
        guard !versions.isEmpty else { return decode(record, schema: nil, table: table, &firstError) ?? .undecodable(table, String(describing: firstError!)) }
        // The newest schema first; an event written before a change decodes with an older one.
        // (Indexed, not a concatenated list: this runs for every record.)
        for index in versions.indices.reversed() {
            if let content = decode(record, schema: versions[index], table: table, &firstError) { return content }
        }
        return .undecodable(table, String(describing: firstError!))
    }

    /// The record decoded with `schema`, or `nil` (the first error kept) if it does not decode with it.
    private func decode(_ record: StoredRecord, schema: TableSchema?, table: TableIdentity?, _ firstError: inout (any Error)?) -> SinkEngine.Item.Content? {
        do {
            if case .change(let event) = try codec.decode(key: record.key, value: record.value, schema: schema) {
                return .change(event, event.source.table)
            }
            return .ignored
        } catch {
            if firstError == nil { firstError = error }
            return nil
        }
    }
}

/// Collects what the failure handler did during one batch.
final class FailureRecorder {
    var failures = 0
    var suspendedSkips = 0
    var operations: [ChangeEvent.Operation] = []
    var suspended: Set<String> = []
}

/// Milliseconds since 1970 by the wall clock, for lag.
func wallClockMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
