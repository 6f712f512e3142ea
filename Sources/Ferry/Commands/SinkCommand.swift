import ArgumentParser
import EventLog
import FerryCore
import Foundation
import Logging
import PostgresSink
import ServiceLifecycle

/// `ferry sink`: applies the event log to one PostgreSQL database, exactly once.
struct SinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink",
        abstract: "Apply change events from the event log to a PostgreSQL target, exactly once.",
        discussion: """
            Offsets are kept in the target (ferry.sink_offsets) in the transaction of the rows, so a \
            crash at any point neither loses nor doubles a change. Several sinks with different \
            --name values read the same log independently. SIGTERM or Ctrl-C commits the batch in hand and stops.
            """
    )

    @OptionGroup var logOptions: LogOptions

    @Option(help: "The target PostgreSQL database (a libpq URL).")
    var target: String

    @Option(help: "The sink's name: its offsets and statistics are kept under it in the target.")
    var name: String

    @Option(help: "The topic prefix (the source's logical server name).")
    var prefix: String = "ferry"

    @OptionGroup var taskFiles: TaskFileOptions

    @OptionGroup var metrics: MetricsOptions

    @Option(help: "Rebuild from the log instead of resuming: earliest, a time (ISO 8601 or ms since 1970), or topic:partition:offset,…")
    var reset: String?

    @Option(help: "Stop after the last source transaction committed at or before this LSN (0000002a:00000130:0003) or time.")
    var until: String?

    @Flag(name: .customLong("stop-at-end"), help: "Stop once everything in the log is applied.")
    var stopAtEnd = false

    func validate() throws {
        guard !name.isEmpty else { throw ValidationError("--name must not be empty") }
        if let reset { _ = try SinkStartPoint.parse(reset) { try Timestamps.milliseconds(parsing: $0, option: "--reset") } }
        if let until, LSN(until) == nil { _ = try Timestamps.milliseconds(parsing: until, option: "--until") }
    }

    func run() async throws {
        let logger = logOptions.makeLogger(label: "ferry.sink")
        var configuration = SinkConfiguration(name: name, prefix: prefix)
        let settings = try taskFiles.loadSettings()
        configuration.apply(settings)
        let targetSchema = settings.targetMetadata.targetSchema.isEmpty ? nil : settings.targetMetadata.targetSchema
        if let mappings = try taskFiles.loadMappings() {
            configuration.mapping = SinkTableMapping(tableMappings: mappings, targetSchema: targetSchema)
        } else {
            configuration.mapping = SinkTableMapping(targetSchema: targetSchema)
        }
        if let reset { configuration.reset = try SinkStartPoint.parse(reset) { try Timestamps.milliseconds(parsing: $0, option: "--reset") } }
        if let until { configuration.until = try LSN(until).map { .lsn($0) } ?? .timestamp(Timestamps.milliseconds(parsing: until, option: "--until")) }
        configuration.stopWhenCaughtUp = stopAtEnd

        let log = try await logOptions.openLog(logger: logger)
        let output = FileHandle.standardOutput
        let sink = PostgresSink(configuration: configuration, log: log, targetURL: target, logger: logger) { summary in
            output.write(Data("committed applied=\(summary.applied) duplicates=\(summary.duplicates) exceptions=\(summary.exceptions) ddl=\(summary.schemaChanges)\n".utf8))
        }
        output.write(Data("sink \(name) started\n".utf8))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: sink, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        // The sink's swift-metrics counters are served by Prometheus when --metrics-listen is given.
        if let endpoint = try metrics.makeEndpoint(logger: logger) {
            services.append(.init(service: endpoint, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        do {
            try await group.run()
        } catch {
            try? await log.close()
            throw error
        }
        try await log.close()
        output.write(Data("sink \(name) stopped\n".utf8))
    }
}
