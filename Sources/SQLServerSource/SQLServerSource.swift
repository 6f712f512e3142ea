public import EventLog
import FerryCore
public import FreeTDS
public import Logging
public import ServiceLifecycle

/// `ferry source`: SQL Server change data capture into the event log, as a swift-service-lifecycle
/// `Service`. Discovery, then the snapshot (for `full-load` and `full-load-and-cdc`), then
/// streaming from exactly after the snapshot LSN, resuming from the checkpoint in
/// `<prefix>.offsets`. On graceful shutdown it finishes the transaction in flight, stores the
/// checkpoint and returns. See `docs/source.md`.
public final class SQLServerSource: Service, Sendable {
    /// The source's settings.
    public let configuration: SourceConfiguration
    /// Counts per table and the position.
    public let statistics: SourceStatistics
    private let connection: TDSConnection.Configuration
    private let log: any EventLog
    private let logger: Logger
    private let reconnectDelays: [Duration]

    /// Makes a source reading the database in `configuration` through `connection` into `log`.
    public init(connection: TDSConnection.Configuration, log: any EventLog, configuration: SourceConfiguration, logger: Logger,
                reconnectDelays: [Duration] = [.milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30)]) throws(SourceError) {
        try configuration.validate()
        var connection = connection
        connection.database = configuration.database
        self.connection = connection
        self.log = log
        self.configuration = configuration
        self.logger = logger
        self.statistics = SourceStatistics(prefix: configuration.prefix)
        self.reconnectDelays = reconnectDelays
    }

    /// Runs until done (`full-load`), until the stop LSN, or until graceful shutdown. Retriable
    /// failures (SQL Server or the log unreachable) restart the work from the stored checkpoint
    /// after a back-off; others end the run.
    public func run() async throws {
        var attempt = 0
        while true {
            do {
                try await runOnce()
                return
            } catch {
                guard Self.isRetriable(error), !Task.isShuttingDownGracefully, !Task.isCancelled else { throw error }
                let delay = reconnectDelays.isEmpty ? .seconds(1) : reconnectDelays[min(attempt, reconnectDelays.count - 1)]
                attempt += 1
                logger.warning("source failed; retrying from the checkpoint", metadata: ["error": "\(error)", "attempt": "\(attempt)", "delay": "\(delay)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                if Task.isShuttingDownGracefully { return }
            }
        }
    }

    static func isRetriable(_ error: any Error) -> Bool {
        switch error {
        case let error as TDSError: return error.isRetriable
        case let error as EventLogError: return error.isRetriable
        case let error as SourceError: return error.isRetriable
        default: return false
        }
    }

    private func makeConnection() async throws -> TDSConnection {
        try await TDSConnection.connect(configuration: connection, logger: logger)
    }

    private func runOnce() async throws {
        let connection = self.connection
        let logger = self.logger
        let connect: @Sendable () async throws -> TDSConnection = { try await TDSConnection.connect(configuration: connection, logger: logger) }
        let control = try await makeConnection()
        defer { Task { await control.close() } }
        let catalog = SourceCatalog(database: configuration.database)
        try await catalog.checkCDCEnabled(control)

        var discovered = try await catalog.discover(control, selection: configuration.selection)
        if !discovered.uncaptured.isEmpty {
            guard configuration.enableMissingCapture else { throw SourceCatalog.notCapturedError(discovered.uncaptured) }
            for table in discovered.uncaptured {
                logger.notice("enabling change data capture", metadata: ["table": "\(table)"])
                _ = try await control.execute(SourceCatalog.enableStatement(for: table))
            }
            discovered = try await catalog.discover(control, selection: configuration.selection)
            if !discovered.uncaptured.isEmpty { throw SourceCatalog.notCapturedError(discovered.uncaptured) }
        }
        let tables = discovered.captured
        guard !tables.isEmpty else {
            throw SourceError(.noTablesSelected, "no table of database '\(configuration.database)' matches the selection rules", context: ["database": configuration.database])
        }
        let publisher = try EventPublisher(log: log, prefix: configuration.prefix, database: configuration.database,
                                           envelope: configuration.envelope, dataPartitions: configuration.topicPartitions)
        try await publisher.createTopics(for: tables.map(\.identity))
        var checkpoint = try await publisher.loadCheckpoint()
        if checkpoint == nil {
            // A fresh task: every table's columns go to <prefix>.schema-changes before any of its rows,
            // so a sink learns which tables exist and how to decode them (first capture: no old columns).
            let start = try await catalog.maxLSN(control) ?? .zero
            let lsn = configuration.migrationType == .cdc ? min(start, configuration.cdcStartPosition ?? start) : start
            let now = EventPublisher.nowMilliseconds()
            try await publisher.append(tables.map { table in
                publisher.record(for: SchemaChangeEvent(table: table.identity, oldColumns: nil, newColumns: table.currentColumns,
                                                        keyColumns: table.primaryKey, ddl: "", lsn: lsn, timestampMilliseconds: now))
            })
        }
        logger.info("source starting", metadata: ["tables": "\(tables.count)", "checkpoint": "\(checkpoint.map { "\($0.phase.rawValue) \($0.position?.description ?? $0.snapshotLSN?.description ?? "-")" } ?? "none")"])

        let snapshotter = Snapshotter(configuration: configuration, publisher: publisher, statistics: statistics, connect: connect, logger: logger)
        let wantsSnapshot = configuration.migrationType != .cdc
        if checkpoint == nil || checkpoint?.phase == .snapshot {
            if wantsSnapshot {
                var state = checkpoint ?? SourceCheckpoint(phase: .snapshot)
                if state.snapshotLSN == nil {
                    state.snapshotLSN = try await catalog.maxLSN(control) ?? .zero
                    state.timestampMilliseconds = EventPublisher.nowMilliseconds()
                    try await publisher.store(state)
                }
                state = try await snapshotter.run(tables: tables, checkpoint: state)
                state.phase = .streaming
                // After the smallest per-table boundary; a table's changes at or below its own
                // boundary are in its snapshot rows and are dropped while streaming.
                state.position = state.streamingStart(for: tables.map(\.identity))
                let next = (state.position ?? .zero).incremented() ?? .zero
                for table in tables {
                    // An instance that starts after the position cannot have lost changes before it.
                    if let instance = table.instance(at: next), (instance.startLSN ?? next) <= next { state.captureInstances[table.identity] = instance.name }
                }
                state.snapshotBoundaries = state.snapshotBoundaries.filter { $0.value > (state.position ?? .zero) }
                state.snapshotStarted = []
                state.timestampMilliseconds = EventPublisher.nowMilliseconds()
                try await publisher.store(state)
                logger.info("snapshot complete", metadata: ["snapshot_lsn": "\(state.snapshotLSN?.description ?? "-")", "position": "\(state.position?.description ?? "-")",
                                                            "boundaries": "\(state.snapshotBoundaries.count)"])
                checkpoint = state
            } else {
                // The checkpoint position is the last LSN read: start just before the requested one.
                let start: LSN
                if let requested = configuration.cdcStartPosition { start = requested.decremented() ?? .zero } else { start = try await catalog.maxLSN(control) ?? .zero }
                var state = SourceCheckpoint(phase: .streaming, position: start, timestampMilliseconds: EventPublisher.nowMilliseconds())
                let next = start.incremented() ?? start
                for table in tables {
                    guard let instance = table.instance(at: next) else { continue }
                    // Starting at "now", an instance whose changes begin after the position cannot
                    // have lost any (e.g. nothing captured yet: the max LSN is NULL); a position the
                    // user asked for is checked against every instance.
                    if configuration.cdcStartPosition == nil, let instanceStart = instance.startLSN, instanceStart > next { continue }
                    state.captureInstances[table.identity] = instance.name
                }
                try await publisher.store(state)
                checkpoint = state
            }
        }
        guard configuration.migrationType != .fullLoad, var checkpoint else { return }
        if !checkpoint.snapshotTimes.isEmpty {
            // A full-load run recorded its snapshot points without waiting for capture (e.g. the
            // first stage of StopTaskCachedChanges*): turn them into boundaries before streaming,
            // or the changes its snapshot already holds would be streamed again.
            checkpoint = try await snapshotter.resolveBoundaries(checkpoint, control: control, storing: true)
        }

        let streamer = ChangeStreamer(configuration: configuration, publisher: publisher, statistics: statistics, control: control,
                                      tables: tables, checkpoint: checkpoint, connect: connect, logger: logger)
        streamer.resnapshot = { gapped in
            var state = SourceCheckpoint(phase: .snapshot, snapshotLSN: checkpoint.position)
            state.snapshotCompleted = []
            // Progress is stored only by the streamer (its checkpoint), not the scratch one here.
            return try await snapshotter.run(tables: gapped, checkpoint: state, storing: false).snapshotBoundaries
        }
        try await streamer.run()
    }
}
