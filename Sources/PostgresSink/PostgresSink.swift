public import EventLog
public import Logging
public import ServiceLifecycle

/// `ferry sink`: applies the change events of one event log to one PostgreSQL database, with
/// exactly-once effect, as a swift-service-lifecycle `Service`.
///
/// Offsets live in the target (`ferry.sink_offsets`) and are written in the transaction of the
/// rows they produced; on start the sink seeks there. A graceful shutdown applies and commits the
/// batch in hand. See docs/sink.md.
public struct PostgresSink: Service {
    /// What one run did, for the command line and tests.
    public struct Summary: Sendable, Hashable {
        /// Change events applied (inserts, updates, deletes, full-load rows).
        public var applied: Int
        /// Events skipped as duplicates of already applied source positions.
        public var duplicates: Int
        /// Events recorded in `ferry.apply_exceptions`.
        public var exceptions: Int
        /// Schema changes applied.
        public var schemaChanges: Int
        /// Target transactions committed.
        public var commits: Int
    }

    private let configuration: SinkConfiguration
    private let log: any EventLog
    private let targetURL: String
    private let logger: Logger
    private let onCommit: (@Sendable (Summary) -> Void)?

    /// Makes a sink.
    /// - Parameters:
    ///   - configuration: name, prefix, mapping and settings.
    ///   - log: the event log to read (the sink does not close it).
    ///   - targetURL: the target database, a libpq URL.
    ///   - logger: where the sink reports.
    ///   - onCommit: called after each committed target transaction with the running totals.
    public init(configuration: SinkConfiguration, log: any EventLog, targetURL: String, logger: Logger,
                onCommit: (@Sendable (Summary) -> Void)? = nil) {
        self.configuration = configuration
        self.log = log
        self.targetURL = targetURL
        self.logger = logger
        self.onCommit = onCommit
    }

    /// Runs until shut down, until `--until` is reached, or (with `stopWhenCaughtUp`) until every
    /// topic is applied to its end.
    public func run() async throws {
        _ = try await runToCompletion()
    }

    /// ``run()``, returning what was done.
    public func runToCompletion() async throws -> Summary {
        let engine = try SinkEngine(configuration: configuration, log: log, targetURL: targetURL, logger: logger, onCommit: onCommit)
        return try await engine.run()
    }
}
