import EventLog
import FerryCore
import FreeTDS
import Logging
import PostgresSink
import SQLServerSource
import ServiceLifecycle
import Synchronization

/// The work of `ferry run` as one service: the source and the sinks in an inner service group per
/// stage. The process's group (signals, metrics, the view) holds it; its graceful shutdown reaches
/// the inner groups, so SIGTERM stops the source after its transaction in flight and lets each
/// sink commit its batch in hand.
///
/// Stages: (1) source and sinks together; for a task that stops on its own, the source returns
/// when its part is done, then (2, `StopTaskCachedChangesApplied` only) the source streams up to
/// the LSN current when the full load ended, then (3) the sinks apply what is left in the log
/// (`stopWhenCaughtUp`) and the task ends.
final class RunTask: Service, Sendable {
    /// What the view shows about the task.
    final class State: Sendable {
        private let current = Mutex<(phase: String, statistics: SourceStatistics?)>(("starting", nil))
        /// The stage the task is in.
        var phase: String { current.withLock { $0.phase } }
        /// The running source's counters.
        var statistics: SourceStatistics? { current.withLock { $0.statistics } }
        func set(phase: String, statistics: SourceStatistics? = nil) {
            current.withLock { $0 = (phase, statistics ?? $0.statistics) }
        }
    }

    let state = State()
    private let plan: RunPlan
    private let source: SourceURL
    private let sourceConfiguration: SourceConfiguration
    private let sinkConfiguration: SinkConfiguration
    private let targets: [String]
    private let log: any EventLog
    private let output: RunOutput
    private let logger: Logger
    /// Validation during the task (`EnableValidation`), set once before the task runs.
    private let validator = Mutex<RunValidator?>(nil)

    init(plan: RunPlan, source: SourceURL, sourceConfiguration: SourceConfiguration, sinkConfiguration: SinkConfiguration,
         targets: [String], log: any EventLog, output: RunOutput, logger: Logger) {
        self.plan = plan
        self.source = source
        self.sourceConfiguration = sourceConfiguration
        self.sinkConfiguration = sinkConfiguration
        self.targets = targets
        self.log = log
        self.output = output
        self.logger = logger
    }

    /// Validates the task's tables while it runs (and after, for a task that stops on its own).
    func enableValidation(_ configuration: RunValidator.Configuration) {
        validator.withLock { $0 = RunValidator(configuration: configuration, state: state, output: output, logger: logger) }
    }

    func run() async throws {
        guard let validator = validator.withLock({ $0 }) else {
            _ = try await replicate()
            return
        }
        if validator.validationOnly {
            // ValidationOnly: compare, replicate nothing; once for a task that stops, else every interval.
            state.set(phase: "validation only")
            if plan.stop == .never {
                await cancelWhenGracefulShutdown { await validator.runPeriodically() }
            } else {
                await validator.finalPasses()
                output.line("validation-only pass finished")
            }
            state.set(phase: "stopped")
            return
        }
        let endedOnItsOwn = try await withThrowingTaskGroup(of: Void.self, returning: Bool.self) { group in
            group.addTask { await validator.runPeriodically() }
            defer { group.cancelAll() }
            return try await replicate()
        }
        if endedOnItsOwn {
            state.set(phase: "validating")
            await validator.finalPasses()
            state.set(phase: "stopped")
        }
    }

    /// Runs the stages; true when the task ended on its own (not stopped by a signal).
    private func replicate() async throws -> Bool {
        let first = try SQLServerSource(connection: source.connection, log: log, configuration: sourceConfiguration, logger: logger)
        let phase = switch plan.sourceMigrationType {
        case .cdc: "change processing"
        case .fullLoad: "full load"
        case .fullLoadAndCDC: "full load and change processing"
        }
        state.set(phase: phase, statistics: first.statistics)
        guard try await runStage(source: first, drain: false) else { return false }
        if plan.stop == .never {
            // The source ended on its own (its stop LSN): apply what it wrote, then end.
            return try await drain()
        }
        output.line("full load read from the source")
        if plan.stop == .afterCachedChanges {
            let connection = try await TDSConnection.connect(configuration: source.connection, logger: logger)
            let rows = try await connection.query("SELECT sys.fn_cdc_get_max_lsn() AS lsn")
            await connection.close()
            if let bytes = rows.first?[0].bytesValue, let stop = LSN(bytes: bytes) {
                var configuration = sourceConfiguration
                configuration.migrationType = .fullLoadAndCDC
                configuration.stopAtLSN = stop
                let cached = try SQLServerSource(connection: source.connection, log: log, configuration: configuration, logger: logger)
                state.set(phase: "applying cached changes through \(stop)", statistics: cached.statistics)
                output.line("reading the changes cached during the full load, through \(stop)")
                guard try await runStage(source: cached, drain: false) else { return false }
            }
        }
        guard try await drain() else { return false }
        output.line(plan.stop == .afterCachedChanges ? "full load and cached changes applied" : "full load applied")
        return true
    }

    /// Applies the rest of the log; false when a shutdown came first.
    private func drain() async throws -> Bool {
        state.set(phase: "applying the rest of the log")
        let done = try await runStage(source: nil, drain: true)
        state.set(phase: "stopped")
        return done
    }

    /// Runs `source` (if any) and one sink per target until the source finishes on its own (returns
    /// true), a shutdown (false), or, with `drain`, until every sink has applied the whole log.
    private func runStage(source: SQLServerSource?, drain: Bool) async throws -> Bool {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var sourcePart: RunPart?
        if let source {
            let part = RunPart(name: "source \(self.source)") { try await source.run() }
            sourcePart = part
            services.append(.init(service: part, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        for (index, target) in targets.enumerated() {
            var configuration = sinkConfiguration
            configuration.stopWhenCaughtUp = drain
            var sinkLogger = logger
            sinkLogger[metadataKey: "target"] = "\(index + 1)"
            let sink = PostgresSink(configuration: configuration, log: log, targetURL: target, logger: sinkLogger) { [logger] summary in
                logger.debug("sink committed", metadata: ["target": "\(index + 1)", "applied": "\(summary.applied)", "ddl": "\(summary.schemaChanges)"])
            }
            let part = RunPart(name: "sink \(sinkConfiguration.name) on target \(index + 1) (\(Self.redacted(target)))") { try await sink.run() }
            services.append(.init(service: part, successTerminationBehavior: drain ? .ignore : .gracefullyShutdownGroup,
                                  failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
        try await group.run()
        return drain ? !Task.isShuttingDownGracefully : (sourcePart?.finishedOnItsOwn ?? false)
    }

    /// A libpq URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        SourceURL.redacted(url)
    }
}
