import ArgumentParser
import EventLog
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// `ferry demo`: a round trip through the event log into PostgreSQL, on one machine.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Round trip: synthetic change events → event log → PostgreSQL, offsets kept with the data.",
        discussion: """
            Appends --events new change events (inserts, updates, deletes of an 'orders' table) to the \
            topic demo.sales.orders, applies them to ferry_demo.orders in the target, and checks the \
            target against the expected state. Each run continues where the last one stopped; Ctrl-C \
            stops cleanly after the current batch.
            """
    )

    @Option(help: "The event log: a file path (embedded) or kafka://host:port.")
    var log: String = ".ferry/demo.log"

    @Option(help: "The target PostgreSQL database (a libpq URL).")
    var target: String

    @Option(help: "How many new change events to produce.")
    var events: Int = 10_000

    @Option(help: "Events per append and per applied batch.")
    var batch: Int = 1000

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.", transform: LogLevel.parse)
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard events >= 0 else { throw ValidationError("--events must not be negative") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
    }

    func run() async throws {
        var logger = Logger(label: "ferry.demo") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        let address = try EventLogAddress(parsing: log)
        if case .embedded(let path) = address {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let eventLog = try await address.open(logger: logger)
        let connection = try await PostgresConnection.connect(url: target, logger: logger)
        let progress = DemoProgress()
        let started = ContinuousClock.now

        let source = DemoSource(log: eventLog, count: events, batchSize: batch, progress: progress, logger: logger)
        let applier = DemoApplier(log: eventLog, connection: connection, progress: progress, batchSize: batch, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: source, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: applier, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        do {
            try await group.run()
        } catch {
            await connection.close()
            try? await eventLog.close()
            throw error
        }

        let rows = try await connection.query("SELECT count(*) AS n FROM ferry_demo.orders")[0].decode(Int64.self, column: "n")
        await connection.close()
        try await eventLog.close()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        let appended = await progress.appended
        let applied = await progress.appliedEvents
        let inLog = await progress.endOffsets.map { $0.values.reduce(0, +) }
        let inTarget = await progress.appliedPositions.values.reduce(0, +)
        guard await progress.isCaughtUp, let total = inLog else {
            print("stopped early: \(applied) events applied now, \(inTarget) of \(inLog.map(String.init) ?? "?") in all; run again to continue")
            return
        }
        let expected = DemoWorkload.expectedRowCount(afterEvents: Int(total))
        print("""
            log:      \(address) (topic \(DemoSource.topic), \(total) events in all, \(appended) appended now)
            target:   ferry_demo.orders, \(applied) events applied in \(String(format: "%.2f", seconds)) s
            rows:     \(rows) in the target, \(expected) expected
            """)
        guard rows == expected else {
            throw DemoMismatch(rows: Int(rows), expected: expected)
        }
        print("round trip OK")
    }
}

/// The target does not hold what the events say it should.
struct DemoMismatch: Error, CustomStringConvertible {
    var rows: Int
    var expected: Int
    var description: String {
        "ferry_demo.orders has \(rows) rows but the events in the log say \(expected); "
            + "if the log file was replaced, drop schema ferry_demo and the 'demo' rows of ferry.sink_offsets"
    }
}
