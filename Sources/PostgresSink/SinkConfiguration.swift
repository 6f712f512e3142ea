public import FerryCore
public import EventLog

/// Everything that changes how a ``PostgresSink`` applies the log: its name, the topics it reads,
/// naming of target tables, batching, error handling and DDL policies.
///
/// The fields mirror AWS DMS task settings (`CommitRate`, `BatchApplyTimeoutMin/Max`,
/// `BatchApplyPreserveTransaction`, `ErrorBehavior`, `TargetTablePrepMode`,
/// `ChangeProcessingDdlHandlingPolicy`, `TargetMetadata.TargetSchema`), so a parsed
/// `task_settings.json` fills them one to one.
public struct SinkConfiguration: Sendable {
    /// What to do with a row that cannot be applied (DMS `ErrorBehavior.DataErrorPolicy`).
    public enum ErrorPolicy: String, Hashable, Sendable {
        /// Record it in `ferry.apply_exceptions` and go on (`LOG_ERROR`).
        case logAndSkip
        /// Record it, then stop applying the table and list it in `ferry.suspended_tables` (`SUSPEND_TABLE`).
        case suspendTable
        /// Record it and stop the sink with an error (`STOP_TASK`).
        case stopSink
    }

    /// What the sink does to an existing target table when the full load of its source table starts
    /// (DMS `TargetTablePrepMode`).
    public enum TablePreparation: String, Hashable, Sendable {
        /// Leave the table as it is (`DO_NOTHING`).
        case doNothing
        /// Drop the table and create it from the source schema (`DROP_AND_CREATE`).
        case dropAndCreate
        /// Keep the table, remove its rows (`TRUNCATE_BEFORE_LOAD`).
        case truncateBeforeLoad
    }

    /// Source DDL the sink repeats on the target (DMS `ChangeProcessingDdlHandlingPolicy`).
    public struct DDLPolicy: Hashable, Sendable {
        /// Drop the target table when the source table is dropped (`HandleSourceTableDropped`).
        public var applyDrop: Bool
        /// Truncate the target table when the source table is truncated (`HandleSourceTableTruncated`).
        public var applyTruncate: Bool
        /// Add, drop and widen columns when the source table is altered (`HandleSourceTableAltered`).
        public var applyAlter: Bool
        /// Makes a policy; DMS's defaults are all `true`.
        public init(applyDrop: Bool = true, applyTruncate: Bool = true, applyAlter: Bool = true) {
            self.applyDrop = applyDrop
            self.applyTruncate = applyTruncate
            self.applyAlter = applyAlter
        }
    }

    /// The sink's name: its offsets, statistics and exceptions are kept under it, so several sinks
    /// can share a target database.
    public var name: String
    /// The topic prefix (the source's logical server name).
    public var prefix: String
    /// Source table → target table and column names.
    public var mapping: SinkTableMapping
    /// Data topics to read besides those announced on `<prefix>.schema-changes` — for logs
    /// written by Debezium, which has no such topic in Ferry's format.
    public var additionalTables: [TableIdentity]
    /// Source tables whose schema is known up front (Debezium events without a `schema` part).
    public var knownSchemas: [TableSchema]
    /// Rows per target transaction (DMS `CommitRate`); also the most events held in memory.
    public var commitRate: Int
    /// Wait at least this long for more events before applying a partial batch (DMS `BatchApplyTimeoutMin`).
    public var batchApplyTimeoutMin: Duration
    /// Apply a batch at the latest this long after its first event (DMS `BatchApplyTimeoutMax`).
    public var batchApplyTimeoutMax: Duration
    /// Apply whole source transactions atomically, in commit order (DMS `BatchApplyPreserveTransaction`).
    public var preserveTransactions: Bool
    /// What to do with a row that cannot be applied.
    public var errorPolicy: ErrorPolicy
    /// Per operation, what to do when the target refuses a change for a key or constraint conflict
    /// (SQLSTATE class 23); operations not listed follow ``errorPolicy``.
    public var conflictPolicies: [ChangeEvent.Operation: ErrorPolicy] = [:]
    /// What to do to an existing table when its full load starts.
    public var tablePreparation: TablePreparation
    /// Whether a missing target table is created from the source schema.
    public var createMissingTables: Bool
    /// Which source DDL is repeated on the target.
    public var ddlPolicy: DDLPolicy
    /// Where to start instead of the stored offsets; `nil` resumes.
    public var reset: SinkStartPoint?
    /// Where to stop; `nil` runs until shut down.
    public var until: SinkStopPoint?
    /// Stop once every topic is read to its end (tests, one-shot replays).
    public var stopWhenCaughtUp: Bool
    /// How many times a transient error (lost connection, serialization failure, deadlock) is retried.
    public var maximumRetries: Int
    /// DMS's `awsdms_*` control tables to write on the target (`ControlTablesSettings`); `nil` writes none.
    public var dmsControlTables: DMSControlTables? = nil

    /// Apply with `session_replication_role = replica`, as AWS DMS does on a PostgreSQL target:
    /// foreign keys and user triggers do not fire, so tables loaded in parallel (children before
    /// parents) apply. Off by default; `ferry run` turns it on. Needs a superuser on the target;
    /// without the privilege the sink warns and applies with the checks on.
    public var replicaSessionRole: Bool = false

    /// Makes a configuration with DMS's defaults (`CommitRate` 10000, `BatchApplyTimeoutMin` 1 s,
    /// `BatchApplyTimeoutMax` 30 s, `LOG_ERROR`, `DO_NOTHING`, every DDL applied).
    public init(name: String, prefix: String, mapping: SinkTableMapping = .init(), additionalTables: [TableIdentity] = [],
                knownSchemas: [TableSchema] = [], commitRate: Int = 10_000, batchApplyTimeoutMin: Duration = .seconds(1),
                batchApplyTimeoutMax: Duration = .seconds(30), preserveTransactions: Bool = false, errorPolicy: ErrorPolicy = .logAndSkip,
                tablePreparation: TablePreparation = .doNothing, createMissingTables: Bool = true, ddlPolicy: DDLPolicy = .init(),
                reset: SinkStartPoint? = nil, until: SinkStopPoint? = nil, stopWhenCaughtUp: Bool = false, maximumRetries: Int = 10) {
        self.name = name
        self.prefix = prefix
        self.mapping = mapping
        self.additionalTables = additionalTables
        self.knownSchemas = knownSchemas
        self.commitRate = commitRate
        self.batchApplyTimeoutMin = batchApplyTimeoutMin
        self.batchApplyTimeoutMax = batchApplyTimeoutMax
        self.preserveTransactions = preserveTransactions
        self.errorPolicy = errorPolicy
        self.tablePreparation = tablePreparation
        self.createMissingTables = createMissingTables
        self.ddlPolicy = ddlPolicy
        self.reset = reset
        self.until = until
        self.stopWhenCaughtUp = stopWhenCaughtUp
        self.maximumRetries = maximumRetries
    }
}

/// Where a sink starts reading when told not to resume from its stored offsets (`--reset`).
public enum SinkStartPoint: Hashable, Sendable {
    /// Every partition from its first stored record.
    case earliest
    /// Every partition from its first record at or after this time (milliseconds since 1970).
    case timestamp(Int64)
    /// The listed partitions from the given offsets; the others resume.
    case offsets([TopicPartition: Int64])

    /// Parses `--reset`: `earliest`, `topic:partition:offset,…`, or (via `timestamp`) a time.
    public static func parse(_ text: String, timestamp: (String) throws -> Int64) throws -> SinkStartPoint {
        if text == "earliest" { return .earliest }
        if text.contains(":"), !text.contains("T") {
            var offsets: [TopicPartition: Int64] = [:]
            for item in text.split(separator: ",") {
                let parts = item.split(separator: ":")
                guard parts.count == 3, let partition = Int32(parts[1]), let offset = Int64(parts[2]), offset >= 0 else {
                    throw SinkError(.invalidConfiguration, "--reset '\(item)' is not topic:partition:offset", context: ["option": "--reset"])
                }
                offsets[TopicPartition(topic: String(parts[0]), partition: partition)] = offset
            }
            return .offsets(offsets)
        }
        return .timestamp(try timestamp(text))
    }
}

/// Where a sink stops (`--until`): after the last source transaction committed at or before it.
public enum SinkStopPoint: Hashable, Sendable {
    /// A commit LSN.
    case lsn(LSN)
    /// A commit time, milliseconds since 1970.
    case timestamp(Int64)

    /// Whether an event committed at `commitLSN` / `commitTime` lies beyond the point.
    func isBeyond(commitLSN: LSN?, commitTime: Int64) -> Bool {
        switch self {
        case .lsn(let lsn): return commitLSN.map { $0 > lsn } ?? false
        case .timestamp(let time): return commitTime > time
        }
    }
}

extension SinkConfiguration {
    /// Takes the settings of a DMS task (`task_settings.json`) that concern applying changes.
    ///
    /// - `FullLoadSettings.CommitRate`, `TargetTablePrepMode`;
    /// - `ChangeProcessingTuning.BatchApplyTimeoutMin/Max`; transactions are preserved unless
    ///   `TargetMetadata.BatchApplyEnabled` is on with `BatchApplyPreserveTransaction` off (DMS's
    ///   transactional apply is the default);
    /// - `ErrorBehavior.DataErrorPolicy` for values the target refuses, and
    ///   `ApplyErrorInsertPolicy`/`UpdatePolicy`/`DeletePolicy` for key conflicts. `IGNORE_RECORD`
    ///   still records the row in `ferry.apply_exceptions`: nothing is dropped silently;
    /// - `ChangeProcessingDdlHandlingPolicy`;
    /// - `ControlTablesSettings` (``dmsControlTables``).
    ///
    /// `TargetMetadata.TargetSchema` goes into ``mapping`` through ``SinkTableMapping``.
    public mutating func apply(_ settings: TaskSettings) {
        commitRate = max(1, settings.fullLoad.commitRate)
        tablePreparation = switch settings.fullLoad.targetTablePrepMode {
        case .doNothing: .doNothing
        case .dropAndCreate: .dropAndCreate
        case .truncateBeforeLoad: .truncateBeforeLoad
        }
        batchApplyTimeoutMin = .seconds(settings.changeProcessingTuning.batchApplyTimeoutMin)
        batchApplyTimeoutMax = .seconds(max(settings.changeProcessingTuning.batchApplyTimeoutMax, settings.changeProcessingTuning.batchApplyTimeoutMin))
        preserveTransactions = !settings.targetMetadata.batchApplyEnabled || settings.changeProcessingTuning.batchApplyPreserveTransaction
        errorPolicy = ErrorPolicy(settings.errorBehavior.dataErrorPolicy)
        conflictPolicies = [
            .create: ErrorPolicy(settings.errorBehavior.applyErrorInsertPolicy), .read: ErrorPolicy(settings.errorBehavior.applyErrorInsertPolicy),
            .update: ErrorPolicy(settings.errorBehavior.applyErrorUpdatePolicy), .delete: ErrorPolicy(settings.errorBehavior.applyErrorDeletePolicy),
        ]
        ddlPolicy = DDLPolicy(applyDrop: settings.ddlHandling.handleSourceTableDropped, applyTruncate: settings.ddlHandling.handleSourceTableTruncated,
                              applyAlter: settings.ddlHandling.handleSourceTableAltered)
        dmsControlTables = DMSControlTables(settings.controlTables)
    }

    /// The policy for a change the target refused with `sqlState`: key conflicts (class 23) follow
    /// ``conflictPolicies`` for the operation, everything else ``errorPolicy``.
    func policy(for operation: ChangeEvent.Operation, sqlState: String?) -> ErrorPolicy {
        if let sqlState, sqlState.hasPrefix("23"), let policy = conflictPolicies[operation] { return policy }
        return errorPolicy
    }
}

extension SinkConfiguration.ErrorPolicy {
    /// The sink's reading of a DMS error action: `SUSPEND_TABLE` and `STOP_TASK` as they say; the
    /// others record the row and go on (Ferry cannot turn a failed update into an insert).
    public init(_ action: ErrorAction) {
        switch action {
        case .suspendTable: self = .suspendTable
        case .stopTask: self = .stopSink
        case .logError, .ignoreRecord, .ignore, .insertRecord, .updateRecord: self = .logAndSkip
        }
    }
}
