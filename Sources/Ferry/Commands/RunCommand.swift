import ArgumentParser
import EventLog
import FerryCore
import Foundation
import FreeTDS
import Logging
import PostgresSink
import SQLServerSource
import ServiceLifecycle

/// `ferry run`: one replication task in one process — a SQL Server source and one sink per
/// `--target` over one event log, as AWS DMS's `create-replication-task` + `start-replication-task`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a replication task: SQL Server source, event log and PostgreSQL sinks in one process.",
        discussion: """
            Hosts the source (snapshot and CDC, as `ferry source`) and one sink per --target (as `ferry sink`) \
            in one service group. The log defaults to the embedded log .ferry/<database>.log. A restart resumes \
            from the source checkpoint and the sinks' offsets. full-load stops once the full load is applied; \
            full-load-and-cdc and cdc run until SIGTERM/SIGINT, which stop after the source transaction in flight \
            and commit the batch in hand. A failing part stops the task with its error (exit 1). With \
            ValidationSettings.EnableValidation each table is compared after its full load and again after changes \
            (every --validation-interval-ms); results in `ferry status`. See docs/run.md.
            """
    )

    @Option(help: ArgumentHelp("The SQL Server database: sqlserver://user:password@host:port/database (password also from FERRY_SOURCE_PASSWORD).", valueName: "url"))
    var source: String

    @Option(help: ArgumentHelp("The event log: kafka://host:port[,host:port…] or an embedded log file. Default: .ferry/<database>.log.", valueName: "url"))
    var log: String?

    @Option(name: .customLong("kafka-property"), help: ArgumentHelp("A librdkafka property for a Kafka log, key=value (repeatable).", valueName: "key=value"))
    var kafkaProperties: [String] = []

    @Option(help: ArgumentHelp("A target PostgreSQL database (libpq URL); repeat for several targets.", valueName: "url"))
    var target: [String] = []

    @Option(help: "The sinks' name: offsets and statistics are kept under it in each target. Default: the prefix.")
    var name: String?

    @Option(help: "The topic prefix (logical server name). Default: the database name.")
    var prefix: String?

    @Option(name: .customLong("migration-type"), help: "full-load, cdc or full-load-and-cdc (DMS's --migration-type).")
    var migrationType: String = SourceConfiguration.MigrationType.fullLoadAndCDC.rawValue

    @Option(name: .customLong("cdc-start-position"), help: ArgumentHelp("For cdc tasks: the first commit LSN (0000002a:00000130:0003) or time (ISO 8601) to read; a stored checkpoint wins.", valueName: "lsn|time"))
    var cdcStartPosition: String?

    @OptionGroup var taskFiles: TaskFileOptions

    @OptionGroup var metrics: MetricsOptions

    @OptionGroup var sourceOptions: SourceOptions

    @Option(help: "The table-statistics view: auto (a live table on a terminal, log lines otherwise), table, lines or none.")
    var progress: RunProgressView.Mode = .auto

    @Option(name: .customLong("progress-interval-ms"), help: "How often the table-statistics view is refreshed.")
    var progressIntervalMilliseconds: Int = 2000

    @Option(name: .customLong("validation-interval-ms"), help: "With ValidationSettings.EnableValidation: how often tables with changes applied since their last comparison are compared again.")
    var validationIntervalMilliseconds: Int = 60_000

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.", transform: LogLevel.parse)
    var logLevel: Logger.Level = .warning

    func validate() throws {
        guard !target.isEmpty else { throw ValidationError("--target is required (repeat it for several targets)") }
        guard let type = SourceConfiguration.MigrationType(rawValue: migrationType) else {
            throw ValidationError("--migration-type '\(migrationType)' is not one of full-load, cdc, full-load-and-cdc")
        }
        if let cdcStartPosition {
            guard type == .cdc else { throw ValidationError("--cdc-start-position needs --migration-type cdc (a full load defines its own start)") }
            if LSN(cdcStartPosition) == nil { _ = try Timestamps.milliseconds(parsing: cdcStartPosition, option: "--cdc-start-position") }
        }
        guard progressIntervalMilliseconds >= 1 else { throw ValidationError("--progress-interval-ms must be at least 1") }
        guard validationIntervalMilliseconds >= 1 else { throw ValidationError("--validation-interval-ms must be at least 1") }
        if let name, name.isEmpty { throw ValidationError("--name must not be empty") }
        if let log {
            do { _ = try EventLogAddress(parsing: log) } catch let error as EventLogError { throw ValidationError("--log: \(error.message)") }
        }
        _ = try kafkaPropertyDictionary()
    }

    func kafkaPropertyDictionary() throws -> [String: String] {
        var properties: [String: String] = [:]
        for pair in kafkaProperties {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { throw ValidationError("--kafka-property '\(pair)' is not key=value") }
            properties[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return properties
    }

    /// The embedded log a task uses without `--log`: one file per source database under `.ferry/`.
    static func defaultLogPath(database: String) -> String {
        ".ferry/\(database.lowercased()).log"
    }

    func run() async throws {
        var logger = Logger(label: "ferry.run") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        let url = try SourceURL(parsing: source, environmentPassword: ProcessInfo.processInfo.environment["FERRY_SOURCE_PASSWORD"])
        let settings = try taskFiles.loadSettings()
        let mappings = try taskFiles.loadMappings()
        if settings.validation.validationOnly && !settings.validation.enableValidation {
            throw ConfigurationError(subject: "--task-settings ValidationSettings.ValidationOnly",
                                     message: "a validation-only task needs EnableValidation: true as well (as DMS requires)")
        }
        let plan = try RunPlan(migrationType: SourceConfiguration.MigrationType(rawValue: migrationType)!, fullLoad: settings.fullLoad)

        let prefix = self.prefix ?? url.database
        var sourceConfiguration = try sourceOptions.configuration(
            prefix: prefix, database: url.database, migrationType: plan.sourceMigrationType,
            settings: taskFiles.taskSettings == nil ? nil : settings, mappings: mappings)
        if let cdcStartPosition {
            sourceConfiguration.cdcStartPosition = try await Self.startLSN(cdcStartPosition, source: url, logger: logger)
        }

        // One naming for convert, validate and the sinks (TableMappings.ferryTarget).
        let targetSchema = settings.targetMetadata.targetSchema.isEmpty ? nil : settings.targetMetadata.targetSchema
        var sinkConfiguration = SinkConfiguration(name: name ?? prefix, prefix: prefix)
        sinkConfiguration.apply(settings)
        // As DMS on a PostgreSQL target: tables loaded in parallel must not trip each other's foreign keys.
        sinkConfiguration.replicaSessionRole = true
        sinkConfiguration.mapping = SinkTableMapping(tableMappings: mappings ?? .includeEverything, targetSchema: targetSchema)

        let logAddress = log ?? Self.defaultLogPath(database: url.database)
        if case .embedded(let path) = try EventLogAddress(parsing: logAddress) {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let eventLog = try await EventLogAddress(parsing: logAddress).open(kafkaProperties: kafkaPropertyDictionary(), logger: logger)

        let output = RunOutput()
        let task = RunTask(plan: plan, source: url, sourceConfiguration: sourceConfiguration, sinkConfiguration: sinkConfiguration,
                           targets: target, log: eventLog, output: output, logger: logger)
        if settings.validation.enableValidation {
            task.enableValidation(RunValidator.Configuration(
                sink: sinkConfiguration.name, source: url, targets: target, mappings: mappings ?? .includeEverything,
                targetSchema: settings.targetMetadata.targetSchema, settings: settings.validation,
                controlSchema: settings.controlTables.effectiveControlSchema,
                interval: .milliseconds(validationIntervalMilliseconds), migrationType: plan.migrationType))
        }
        let view = RunProgressView(mode: progress, interval: .milliseconds(progressIntervalMilliseconds), targets: target,
                                   sinkName: sinkConfiguration.name, source: url, countSourceRows: plan.sourceMigrationType != .cdc,
                                   state: task.state, output: output, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: task, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: view, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore),
        ]
        if let endpoint = try metrics.makeEndpoint(logger: logger) {
            services.append(.init(service: endpoint, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        output.line("task \(sinkConfiguration.name) started: \(plan.description), source \(url), log \(logAddress), \(target.count) target(s)")
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            try? await eventLog.close()
            output.line("task \(sinkConfiguration.name) failed: \(error)")
            throw error
        }
        try await eventLog.close()
        output.line("task \(sinkConfiguration.name) stopped: \(task.state.phase)")
    }

    /// The LSN of `--cdc-start-position`: an LSN as SQL Server prints it, or the first commit at
    /// or after a time (`sys.fn_cdc_map_time_to_lsn`).
    static func startLSN(_ text: String, source: SourceURL, logger: Logger) async throws -> LSN {
        if let lsn = LSN(text) { return lsn }
        let milliseconds = try Timestamps.milliseconds(parsing: text, option: "--cdc-start-position")
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS"
        let connection = try await TDSConnection.connect(configuration: source.connection, logger: logger)
        defer { Task { await connection.close() } }
        // lsn_time_mapping holds server-local times; the emulator and Ferry's tests run it in UTC.
        let rows = try await connection.query("SELECT sys.fn_cdc_map_time_to_lsn('smallest greater than or equal', '\(formatter.string(from: date))') AS lsn")
        guard let bytes = rows.first?[0].bytesValue, let lsn = LSN(bytes: bytes) else {
            throw ConfigurationError(subject: "--cdc-start-position", message: "no change was committed at or after \(text) (cdc.lsn_time_mapping has nothing that late)")
        }
        return lsn
    }
}
