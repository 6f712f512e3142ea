import ArgumentParser
import FerryCore
import Foundation
import FreeTDS
import Logging
import SchemaConversion
import Validation

/// `ferry validate`: compares source and target row by row, per table, as DMS's row-level
/// validation does, and lists the keys of rows that differ.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Compare the source and target tables row by row and report the rows that differ.",
        discussion: """
            Selects tables with --table-mappings (all user tables without it), names their targets as \
            ferry convert and the sink do, and compares each table on its key: row counts, then every \
            row in a type-normalised form, reading each side once. ValidationSettings from \
            --task-settings apply (ThreadCount, PartitionSize, FailureMaxCount, SkipLobColumns, \
            ValidationQueryCdcDelaySeconds — set it while replication runs, so rows still in flight \
            are checked again before they count as mismatched). Exit status 0 when every table \
            validates, 1 when a table is mismatched or could not be validated.
            """
    )

    @Option(help: "The source: sqlserver://user:password@host:port/database (password also from FERRY_SOURCE_PASSWORD).")
    var source: String

    @Option(help: "The target PostgreSQL database (a libpq URL).")
    var target: String

    @OptionGroup var taskFiles: TaskFileOptions

    @Flag(help: "Print the results as JSON shaped like DMS's describe-table-statistics.")
    var json = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.", transform: LogLevel.parse)
    var logLevel: Logger.Level = .warning

    func run() async throws {
        var logger = Logger(label: "ferry.validate") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        let sourceURL = try SourceURL(parsing: source)
        let settings = try taskFiles.loadSettings()
        let mappings = try taskFiles.loadMappings() ?? .includeEverything

        let catalog = try await CatalogReader.read(source: sourceURL.connection, mappings: mappings, logger: logger)
        let plan: ValidationPlan
        do {
            plan = try ValidationPlan(catalog: catalog, mappings: mappings, targetSchema: settings.targetMetadata.targetSchema)
        } catch {
            throw TaskFiles.configurationError(error, option: "--table-mappings")
        }
        let validation = settings.validation
        let runner = ValidationRunner(
            source: sourceURL.connection, targetURL: target,
            settings: .init(validation, failureMaxCount: validation.failureMaxCount),
            workers: validation.threadCount, logger: logger)
        let results = try await runner.run(plan.tables)

        if json {
            print(ValidationReport.json(results, notValidated: plan.notValidated))
        } else {
            print(ValidationReport.text(results, notValidated: plan.notValidated), terminator: "")
        }
        let failed = results.filter { $0.state != .validated }.count + plan.notValidated.count
        if failed > 0 {
            throw ValidationFailure(tables: failed)
        }
    }
}

/// Some tables did not validate: exit status 1, after the report is printed.
struct ValidationFailure: Error, CustomStringConvertible {
    var tables: Int
    var description: String { "\(tables) table\(tables == 1 ? "" : "s") did not validate" }
}
