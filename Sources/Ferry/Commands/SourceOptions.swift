import ArgumentParser
import FerryCore
import SQLServerSource

/// The options that tune the source, shared by `ferry source` and `ferry run` so that both take
/// the same flags and build the same ``SourceConfiguration`` from them and the DMS task files.
struct SourceOptions: ParsableArguments {
    @Flag(name: .customLong("enable-cdc"), help: "Enable CDC (sys.sp_cdc_enable_table) for selected tables that have no capture instance.")
    var enableCDC = false

    @Option(name: .customLong("on-gap"), help: "When cleanup removed changes Ferry never read: fail or resnapshot.")
    var onGap: String = SourceConfiguration.GapPolicy.fail.rawValue

    @Option(name: .customLong("capture-instance-rotation"), help: "After a column change: auto (create the new capture instance, switch, drop the old) or report.")
    var rotation: String = SourceConfiguration.RotationPolicy.auto.rawValue

    @Option(name: .customLong("poll-interval-ms"), help: "Wait between polls; idle polls double it up to --max-idle-ms.")
    var pollIntervalMilliseconds: Int = 500

    @Option(name: .customLong("max-idle-ms"), help: "The longest wait between idle polls.")
    var maxIdleMilliseconds: Int = 5000

    @Option(name: .customLong("max-window-transactions"), help: "The most source transactions one LSN window reads.")
    var maxWindowTransactions: Int = 10_000

    @Option(name: .customLong("streaming-connections"), help: "Connections reading change tables in parallel.")
    var streamingConnections: Int = 4

    @Option(name: .customLong("heartbeat-interval-ms"), help: "Heartbeat interval while idle; 0 disables heartbeats.")
    var heartbeatMilliseconds: Int = 10_000

    @Option(name: .customLong("topic-partitions"), help: "Partitions of the data topics Ferry creates.")
    var topicPartitions: Int32 = 1

    @Flag(name: .customLong("no-tombstones"), help: "Do not follow deletes with a tombstone.")
    var noTombstones = false

    @Flag(name: .customLong("include-schema"), help: "Embed the Kafka Connect schema in keys and values.")
    var includeSchema = false

    func validate() throws {
        guard SourceConfiguration.GapPolicy(rawValue: onGap) != nil else { throw ValidationError("--on-gap '\(onGap)' is not fail or resnapshot") }
        guard SourceConfiguration.RotationPolicy(rawValue: rotation) != nil else {
            throw ValidationError("--capture-instance-rotation '\(rotation)' is not auto or report")
        }
        for (value, name) in [(pollIntervalMilliseconds, "--poll-interval-ms"), (maxIdleMilliseconds, "--max-idle-ms"),
                              (maxWindowTransactions, "--max-window-transactions"), (streamingConnections, "--streaming-connections")] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        guard heartbeatMilliseconds >= 0 else { throw ValidationError("--heartbeat-interval-ms must not be negative") }
        guard topicPartitions >= 1 else { throw ValidationError("--topic-partitions must be at least 1") }
    }

    /// The source settings from these options and the DMS task files (`settings` is `nil`
    /// without `--task-settings`).
    func configuration(
        prefix: String, database: String, migrationType: SourceConfiguration.MigrationType,
        settings: TaskSettings?, mappings: TableMappings?
    ) throws -> SourceConfiguration {
        let effective = settings ?? TaskSettings()
        var configuration = SourceConfiguration(
            prefix: prefix, database: database, migrationType: migrationType,
            selection: mappings.map(TableSelection.init(mappings:)) ?? .all, enableMissingCapture: enableCDC,
            maxFullLoadSubTasks: effective.fullLoad.maxFullLoadSubTasks, streamingConnections: streamingConnections,
            maxTransactionsPerWindow: maxWindowTransactions, pollInterval: .milliseconds(pollIntervalMilliseconds),
            maxIdleInterval: .milliseconds(max(maxIdleMilliseconds, pollIntervalMilliseconds)),
            heartbeatInterval: heartbeatMilliseconds == 0 ? nil : .milliseconds(heartbeatMilliseconds),
            envelope: .init(includeSchema: includeSchema, tombstonesOnDelete: !noTombstones),
            onGap: SourceConfiguration.GapPolicy(rawValue: onGap)!, rotation: SourceConfiguration.RotationPolicy(rawValue: rotation)!,
            topicPartitions: topicPartitions)
        // ChangeProcessingDdlHandlingPolicy.HandleSourceTableAltered = false: Ferry does not touch capture instances.
        if !effective.ddlHandling.handleSourceTableAltered { configuration.rotation = .report }
        // TargetMetadata LOB settings, from a task settings file only: without one, values travel whole.
        if let settings { configuration.lobs = LobPolicy(settings.targetMetadata.lobHandling) }
        do { try configuration.validate() } catch {
            throw ConfigurationError(subject: error.context["setting"] ?? "--prefix", message: error.message)
        }
        return configuration
    }
}
