import ArgumentParser
import FerryCore
import Foundation
import FreeTDS
import Logging
import Postgres
import SchemaConversion

/// `ferry convert`: the SQL Server schema as PostgreSQL DDL, applied or written, with an
/// assessment report.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a SQL Server schema to PostgreSQL and write the assessment report.",
        discussion: """
            Reads the source catalog (tables selected by --table-mappings, all user tables without it), \
            converts it, and prints the DDL (--dry-run, the default), writes it (--output FILE.sql) or runs \
            it on the target in one transaction (--apply). On a target that already holds the converted \
            schema, --apply prints the differences instead of failing. --report writes the assessment as \
            HTML or JSON (by the file's extension).
            """
    )

    @Option(help: "The source: sqlserver://user:password@host:port/database (password also from FERRY_SOURCE_PASSWORD).")
    var source: String

    @Option(help: "The target PostgreSQL database (a libpq URL); needed by --apply, used to check the version.")
    var target: String?

    @Option(name: .customLong("table-mappings"), help: "AWS DMS table mappings (JSON; file:// accepted) for selection and naming.")
    var tableMappings: String?

    @Option(name: .customLong("task-settings"), help: "AWS DMS task settings: TargetMetadata.TargetSchema and FullLoadSettings.CreatePkAfterFullLoad.")
    var taskSettings: String?

    @Flag(help: "Run the DDL on the target in one transaction.")
    var apply = false

    @Flag(name: .customLong("dry-run"), help: "Print the DDL to standard output (the default without --apply or --output).")
    var dryRun = false

    @Option(help: "Write the DDL to this file.")
    var output: String?

    @Option(help: "Write the assessment report; .html for a page, .json for data.")
    var report: String?

    @Flag(name: .customLong("constraints-after-load"), help: "Keys, checks, indexes and foreign keys in the after-load phase (CreatePkAfterFullLoad).")
    var constraintsAfterLoad = false

    @Option(name: .customLong("after-load-output"), help: "With --apply and constraints after load: write the after-load phase here instead of applying it.")
    var afterLoadOutput: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.", transform: LogLevel.parse)
    var logLevel: Logger.Level = .warning

    func validate() throws {
        if apply, output != nil { throw ValidationError("--apply and --output exclude each other") }
        if apply, dryRun { throw ValidationError("--apply and --dry-run exclude each other") }
        if apply, target == nil { throw ValidationError("--apply needs --target") }
        if let report, !(report.hasSuffix(".html") || report.hasSuffix(".htm") || report.hasSuffix(".json")) {
            throw ValidationError("--report '\(report)' must end in .html or .json")
        }
        if afterLoadOutput != nil, !apply { throw ValidationError("--after-load-output goes with --apply") }
    }

    func run() async throws {
        var logger = Logger(label: "ferry.convert") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        let sourceURL = try SourceURL(parsing: source)
        let mappings: TableMappings?
        var targetSchema = ""
        var afterLoad = constraintsAfterLoad
        do {
            mappings = try tableMappings.map { argument throws(TaskConfigurationError) in try TaskConfigurationFile.tableMappings(argument) }
            if let taskSettings {
                let settings = try TaskConfigurationFile.taskSettings(taskSettings)
                targetSchema = settings.targetMetadata.targetSchema
                afterLoad = afterLoad || settings.fullLoad.createPkAfterFullLoad
            }
        } catch {
            throw ConfigurationError(subject: tableMappings != nil && taskSettings == nil ? "--table-mappings" : "--task-settings/--table-mappings", message: error.description)
        }

        var targetConnection: PostgresConnection?
        if let target {
            targetConnection = try await PostgresConnection.connect(url: target, logger: logger)
        }
        defer { if let targetConnection { Task { await targetConnection.close() } } }
        let version = await targetConnection?.serverVersion ?? 150000

        let started = ContinuousClock.now
        let connection = try await TDSConnection.connect(configuration: sourceURL.connection, logger: logger)
        let converted: (catalog: SourceCatalog, result: ConversionResult)
        do {
            converted = try await SchemaConversion.convert(
                source: connection, mappings: mappings, targetSchema: targetSchema, createConstraintsAfterLoad: afterLoad,
                postgreSQLVersion: version, logger: logger)
        } catch let error as TaskConfigurationError {
            await connection.close()
            throw ConfigurationError(subject: "--table-mappings", message: error.description)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        let result = converted.result
        let elapsed = ContinuousClock.now - started

        if let report {
            let assessment = AssessmentReport(result)
            try write(report.hasSuffix(".json") ? assessment.json : assessment.html, to: report)
        }
        if let output {
            try write(result.script(), to: output)
        }
        let stderr = FileHandle.standardError
        if apply, let targetConnection {
            let diff = try await TargetSchemaDiff.compare(result, target: targetConnection)
            if diff.targetHasObjects {
                print("The target already holds objects in \(result.targetSchemas.joined(separator: ", ")); nothing was applied.")
                print(diff.isEmpty ? "The target matches the converted schema." : "Differences (+ missing in the target, - only in the target, ~ different):\n\(diff)")
            } else {
                let phases: [LoadPhase] = afterLoad && afterLoadOutput != nil ? [.beforeLoad] : LoadPhase.allCases
                try await SchemaApplier(logger: logger).apply(result, phases: phases, to: targetConnection)
                if let afterLoadOutput, afterLoad { try write(result.script(phases: [.afterLoad]), to: afterLoadOutput) }
                print("Applied \(result.statements.filter { phases.contains($0.phase) }.count) statements to \(result.targetSchemas.joined(separator: ", ")).")
            }
        } else if output == nil || dryRun {
            print(result.script(), terminator: "")
        }
        let manual = result.actionItems.count { $0.severity == .manual }
        let warnings = result.actionItems.count { $0.severity == .warning }
        stderr.write(Data((
            "ferry convert: \(converted.catalog.tables.count) tables, \(converted.catalog.views.count) views, \(converted.catalog.routines.count) routines read and converted in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds]))); "
                + "\(manual) need manual work, \(warnings) warnings\(report.map { " (report: \($0))" } ?? "")\n").utf8))
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ConfigurationError(subject: path, message: "cannot write the file: \(error.localizedDescription)")
        }
    }
}
