import ArgumentParser
import EventLog
import FerryCore
import Foundation
import Logging
import SQLServerSource
import ServiceLifecycle

/// `ferry source`: snapshot and change data capture from SQL Server into the event log.
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Snapshot and stream a SQL Server database's changes (CDC) into the event log.",
        discussion: """
            Reads the selected tables' capture instances, snapshots them (full-load, full-load-and-cdc), \
            then streams every committed change in commit order to <prefix>.<database>.<schema>.<table>, \
            with <prefix>.transaction, <prefix>.schema-changes, <prefix>.heartbeat and the checkpoint in \
            <prefix>.offsets. A restart resumes from the checkpoint. SIGTERM/SIGINT stop after the \
            transaction in flight. See docs/source.md.
            """
    )

    @Option(help: ArgumentHelp("The SQL Server database: sqlserver://user:password@host:port/database (password also from FERRY_SOURCE_PASSWORD).", valueName: "url"))
    var source: String

    @OptionGroup var logOptions: LogOptions

    @Option(help: "The topic prefix (logical server name). Default: the database name.")
    var prefix: String?

    @Option(name: .customLong("migration-type"), help: "full-load, cdc or full-load-and-cdc.")
    var migrationType: String = SourceConfiguration.MigrationType.fullLoadAndCDC.rawValue

    @OptionGroup var taskFiles: TaskFileOptions

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
        guard SourceConfiguration.MigrationType(rawValue: migrationType) != nil else {
            throw ValidationError("--migration-type '\(migrationType)' is not one of full-load, cdc, full-load-and-cdc")
        }
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

    /// The source settings from the options and the DMS task files.
    func makeConfiguration(database: String) throws -> SourceConfiguration {
        let settings = try taskFiles.loadSettings()
        let selection = try taskFiles.loadMappings().map(TableSelection.init(mappings:)) ?? .all
        var configuration = SourceConfiguration(
            prefix: prefix ?? database, database: database,
            migrationType: SourceConfiguration.MigrationType(rawValue: migrationType)!, selection: selection, enableMissingCapture: enableCDC,
            maxFullLoadSubTasks: settings.fullLoad.maxFullLoadSubTasks, streamingConnections: streamingConnections,
            maxTransactionsPerWindow: maxWindowTransactions, pollInterval: .milliseconds(pollIntervalMilliseconds),
            maxIdleInterval: .milliseconds(max(maxIdleMilliseconds, pollIntervalMilliseconds)),
            heartbeatInterval: heartbeatMilliseconds == 0 ? nil : .milliseconds(heartbeatMilliseconds),
            envelope: .init(includeSchema: includeSchema, tombstonesOnDelete: !noTombstones),
            onGap: SourceConfiguration.GapPolicy(rawValue: onGap)!, rotation: SourceConfiguration.RotationPolicy(rawValue: rotation)!,
            topicPartitions: topicPartitions)
        // ChangeProcessingDdlHandlingPolicy.HandleSourceTableAltered = false: Ferry does not touch capture instances.
        if !settings.ddlHandling.handleSourceTableAltered { configuration.rotation = .report }
        // TargetMetadata LOB settings, from a task settings file only: without one, values travel whole.
        if taskFiles.taskSettings != nil { configuration.lobs = LobPolicy(settings.targetMetadata.lobHandling) }
        do { try configuration.validate() } catch {
            throw ConfigurationError(subject: error.context["setting"] ?? "--prefix", message: error.message)
        }
        return configuration
    }

    func run() async throws {
        let url = try SourceURL(parsing: source, environmentPassword: ProcessInfo.processInfo.environment["FERRY_SOURCE_PASSWORD"])
        let configuration = try makeConfiguration(database: url.database)
        let logger = logOptions.makeLogger(label: "ferry.source")
        let address = try EventLogAddress(parsing: logOptions.log)
        if case .embedded(let path) = address {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let log = try await logOptions.openLog(logger: logger)
        do {
            let service = try SQLServerSource(connection: url.connection, log: log, configuration: configuration, logger: logger)
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
            let progress = Task { await SourceProgress(statistics: service.statistics).run() }
            defer { progress.cancel() }
            try await group.run()
            try await log.close()
        } catch let error as SourceError where error.code == .invalidConfiguration {
            try? await log.close()
            throw ConfigurationError(subject: error.context["setting"] ?? error.context["table"] ?? "--source", message: error.message)
        } catch {
            try? await log.close()
            throw error
        }
    }
}
