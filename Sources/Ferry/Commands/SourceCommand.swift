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

    @OptionGroup var sourceOptions: SourceOptions

    func validate() throws {
        guard SourceConfiguration.MigrationType(rawValue: migrationType) != nil else {
            throw ValidationError("--migration-type '\(migrationType)' is not one of full-load, cdc, full-load-and-cdc")
        }
    }

    /// The source settings from the options and the DMS task files.
    func makeConfiguration(database: String) throws -> SourceConfiguration {
        try sourceOptions.configuration(
            prefix: prefix ?? database, database: database, migrationType: SourceConfiguration.MigrationType(rawValue: migrationType)!,
            settings: taskFiles.taskSettings == nil ? nil : try taskFiles.loadSettings(), mappings: try taskFiles.loadMappings())
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
