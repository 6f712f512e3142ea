public import FerryCore

/// Everything the SQL Server source needs besides its connections: what to read, how, and how fast.
public struct SourceConfiguration: Sendable {
    /// AWS DMS's migration types.
    public enum MigrationType: String, Sendable, CaseIterable {
        /// Snapshot only, then stop.
        case fullLoad = "full-load"
        /// Changes only, from the current end of the change tables (or the stored checkpoint).
        case cdc
        /// Snapshot, then changes from exactly after the snapshot LSN.
        case fullLoadAndCDC = "full-load-and-cdc"
    }

    /// What to do when the stored position is older than what the change tables still hold.
    public enum GapPolicy: String, Sendable {
        /// Stop with an error naming the table and the lost LSN range.
        case fail
        /// Snapshot the affected tables again, then stream from the new snapshot LSN.
        case resnapshot
    }

    /// What to do when a captured table's columns change (a capture instance captures its
    /// original column list until a new instance exists).
    public enum RotationPolicy: String, Sendable {
        /// Create the second capture instance, switch to it at its start LSN, drop the old one.
        case auto
        /// Keep reading the old instance and log the statements the DBA must run.
        case report
    }

    /// The logical server name: topic prefix and `source.name`.
    public var prefix: String
    /// The database to capture.
    public var database: String
    /// Snapshot, changes, or both.
    public var migrationType: MigrationType
    /// Which tables to capture.
    public var selection: TableSelection
    /// Whether a selected table without a capture instance is enabled by Ferry (`--enable-cdc`).
    public var enableMissingCapture: Bool
    /// Tables snapshotted at once, each on its own connection (DMS `MaxFullLoadSubTasks`).
    public var maxFullLoadSubTasks: Int
    /// A table with more rows than this, keyed by one integer column, is read in key ranges of
    /// about this many rows in parallel.
    public var snapshotPartitionRows: Int
    /// Records per append to the log (bounds memory).
    public var batchSize: Int
    /// Connections reading change tables in parallel during streaming.
    public var streamingConnections: Int
    /// The most source transactions one LSN window covers (bounded with `cdc.lsn_time_mapping`).
    public var maxTransactionsPerWindow: Int
    /// The wait between polls when the last poll found changes… and the first idle wait.
    public var pollInterval: Duration
    /// The longest idle wait: idle polls double the wait up to this.
    public var maxIdleInterval: Duration
    /// How often a heartbeat is written while the source is idle; `nil` disables heartbeats.
    public var heartbeatInterval: Duration?
    /// Envelope options (embedded schema, tombstones after deletes).
    public var envelope: EnvelopeCodec.Configuration
    /// Whether transaction BEGIN/END records are written to `<prefix>.transaction`.
    public var transactionMetadata: Bool
    /// What to do on a cleanup gap.
    public var onGap: GapPolicy
    /// Capture-instance rotation after DDL.
    public var rotation: RotationPolicy
    /// Partitions of the data topics Ferry creates.
    public var topicPartitions: Int32
    /// Stop streaming once the position reaches this LSN (tests and `ferry run --until`); `nil` runs on.
    public var stopAtLSN: LSN?
    /// For a `cdc` task without a stored checkpoint: the first commit LSN to read (DMS's
    /// `--cdc-start-position`); `nil` starts at the current end of the change tables. A stored
    /// checkpoint always wins, so a restarted task resumes where it stopped.
    public var cdcStartPosition: LSN? = nil

    /// Large-object columns: whole, left out, or truncated (DMS `TargetMetadata` LOB settings).
    public var lobs: LobPolicy

    /// How long the snapshot waits for one shared table lock (`SET LOCK_TIMEOUT`) before it
    /// retries: a writer's open transaction on the table holds it off.
    public var snapshotLockTimeout: Duration = .seconds(10)
    /// Attempts at taking the snapshot's table locks (with a doubling back-off from one second)
    /// before the snapshot fails naming the table.
    public var snapshotLockAttempts: Int = 4
    /// The pause on each side of reading the snapshot time while the table locks are held: at
    /// least twice `datetime`'s 3.33 ms resolution, so that `cdc.lsn_time_mapping.tran_end_time`
    /// of every transaction separates clearly into before and after the snapshot.
    public var snapshotGuardInterval: Duration = .milliseconds(20)
    /// How long the source waits for the capture job to pass the snapshot time before it fails
    /// (the job is not running: `sys.sp_cdc_start_job`).
    public var captureWaitTimeout: Duration = .seconds(300)

    /// Makes a configuration with Ferry's defaults.
    public init(prefix: String, database: String, migrationType: MigrationType = .fullLoadAndCDC,
                selection: TableSelection = .all, enableMissingCapture: Bool = false,
                maxFullLoadSubTasks: Int = 8, snapshotPartitionRows: Int = 250_000, batchSize: Int = 1000,
                streamingConnections: Int = 4, maxTransactionsPerWindow: Int = 10_000,
                pollInterval: Duration = .milliseconds(500), maxIdleInterval: Duration = .seconds(5),
                heartbeatInterval: Duration? = .seconds(10),
                envelope: EnvelopeCodec.Configuration = .init(), transactionMetadata: Bool = true,
                onGap: GapPolicy = .fail, rotation: RotationPolicy = .auto, topicPartitions: Int32 = 1,
                stopAtLSN: LSN? = nil, lobs: LobPolicy = .full) {
        self.prefix = prefix
        self.database = database
        self.migrationType = migrationType
        self.selection = selection
        self.enableMissingCapture = enableMissingCapture
        self.maxFullLoadSubTasks = maxFullLoadSubTasks
        self.snapshotPartitionRows = snapshotPartitionRows
        self.batchSize = batchSize
        self.streamingConnections = streamingConnections
        self.maxTransactionsPerWindow = maxTransactionsPerWindow
        self.pollInterval = pollInterval
        self.maxIdleInterval = maxIdleInterval
        self.heartbeatInterval = heartbeatInterval
        self.envelope = envelope
        self.transactionMetadata = transactionMetadata
        self.onGap = onGap
        self.rotation = rotation
        self.topicPartitions = topicPartitions
        self.stopAtLSN = stopAtLSN
        self.lobs = lobs
    }

    /// Checks the numbers; throws naming the setting.
    public func validate() throws(SourceError) {
        func positive(_ value: Int, _ name: String) throws(SourceError) {
            guard value >= 1 else { throw SourceError(.invalidConfiguration, "\(name) must be at least 1, not \(value)", context: ["setting": name]) }
        }
        try positive(maxFullLoadSubTasks, "MaxFullLoadSubTasks")
        try positive(snapshotPartitionRows, "snapshotPartitionRows")
        try positive(batchSize, "batchSize")
        try positive(streamingConnections, "streamingConnections")
        try positive(maxTransactionsPerWindow, "maxTransactionsPerWindow")
        if case .truncate(let maxBytes) = lobs.mode { try positive(maxBytes, "LobMaxSize") }
        try positive(snapshotLockAttempts, "snapshotLockAttempts")
        guard snapshotLockTimeout >= .milliseconds(1) else {
            throw SourceError(.invalidConfiguration, "snapshotLockTimeout must be at least 1 ms", context: ["setting": "snapshotLockTimeout"])
        }
        guard snapshotGuardInterval >= .milliseconds(7) else {
            throw SourceError(.invalidConfiguration, "snapshotGuardInterval must be at least 7 ms (twice datetime's 3.33 ms resolution)",
                              context: ["setting": "snapshotGuardInterval"])
        }
        guard topicPartitions >= 1 else { throw SourceError(.invalidConfiguration, "topicPartitions must be at least 1", context: ["setting": "topicPartitions"]) }
        do { _ = try TopicNames(prefix: prefix) } catch {
            throw SourceError(.invalidConfiguration, "prefix: \(error.message)", context: ["setting": "prefix"])
        }
    }
}
