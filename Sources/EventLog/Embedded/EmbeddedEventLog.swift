public import Logging
import SQLite
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An ``EventLog`` in one SQLite file, for running Ferry on a single machine without a broker.
///
/// SQLite provides the durability and crash recovery: every ``append(_:)`` is one `BEGIN IMMEDIATE`
/// transaction that returns after `COMMIT`, which with the default ``Configuration/Durability/full``
/// waits for `fsync`. The file is in WAL mode, so one process may write while others read, and
/// every piece of state (offsets, log start, topics) lives in the file, never only in memory:
/// any number of processes can open the same file, and a writer killed at any point leaves the
/// file as of its last acknowledged append.
///
/// Retention (``TopicConfiguration/retentionMilliseconds``, ``TopicConfiguration/retentionBytes``)
/// and compaction run every ``Configuration/maintenanceInterval`` from a task the log owns, or on
/// demand through ``runMaintenance(nowMilliseconds:)``.
public final class EmbeddedEventLog: EventLog {
    /// What a record counts for ``TopicConfiguration/retentionBytes`` on top of the bytes of its
    /// key, value and headers: the offset, timestamps and lengths stored with it.
    public static let recordOverheadBytes: Int64 = 32

    /// The log's file.
    public let path: String
    /// How the log uses its file.
    public let configuration: Configuration
    let connection: SQLiteConnection
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var isClosed = false
        var maintenance: Task<Void, Never>?
    }

    /// Opens the log in `path`, creating the file if it does not exist.
    ///
    /// Throws `corrupt` if the file exists but is not an embedded Ferry log (another SQLite
    /// database, or not a database at all), and `unavailable` if it cannot be opened.
    public init(path: String, configuration: Configuration = .init(), logger: Logger) async throws {
        self.path = path
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "eventlog.path"] = "\(path)"
        self.logger = logger
        do {
            let connection = try await SQLiteConnection.open(path: path, busyTimeout: configuration.busyTimeout)
            do {
                try await EmbeddedLogSchema.prepare(connection, durability: configuration.durability)
            } catch {
                await connection.close()
                throw error
            }
            self.connection = connection
        } catch let error as SQLiteError {
            throw EventLogError.openingEmbeddedLog(error, path: path)
        }
        logger.debug("Opened embedded event log")
        startMaintenance()
    }

    deinit {
        state.withLock { $0.maintenance?.cancel() }
    }

    // MARK: EventLog

    public func createTopic(_ topic: TopicConfiguration) async throws {
        let context = ["topic": topic.name, "path": path]
        guard !topic.name.isEmpty else {
            throw EventLogError(.invalidConfiguration, "a topic needs a name", context: context)
        }
        guard topic.partitions > 0 else {
            throw EventLogError(.invalidConfiguration, "topic '\(topic.name)' needs at least one partition, not \(topic.partitions)", context: context)
        }
        guard (topic.retentionMilliseconds ?? 0) >= 0, (topic.retentionBytes ?? 0) >= 0 else {
            throw EventLogError(.invalidConfiguration, "the retention of topic '\(topic.name)' cannot be negative", context: context)
        }
        try await perform("creating a topic", transaction: .immediate) { db in
            try EmbeddedLogStore.createTopic(topic, db)
        }
    }

    public func partitionCount(of topic: String) async throws -> Int32? {
        try await perform("reading a topic") { db in try EmbeddedLogStore.partitionCount(of: topic, db) }
    }

    public func append(_ records: [OutgoingRecord]) async throws -> [RecordPosition] {
        guard !records.isEmpty else {
            try checkOpen()
            return []
        }
        let now = Self.nowMilliseconds()
        return try await perform("appending", transaction: .immediate) { db in
            try EmbeddedLogStore.append(records, nowMilliseconds: now, db)
        }
    }

    public func offsets(of partition: TopicPartition) async throws -> PartitionOffsets {
        try await perform("reading offsets") { db in try EmbeddedLogStore.offsets(of: partition, db) }
    }

    public func offset(of partition: TopicPartition, atOrAfter timestampMilliseconds: Int64) async throws -> Int64? {
        try await perform("looking up a timestamp", transaction: .deferred) { db in
            try EmbeddedLogStore.offset(of: partition, atOrAfter: timestampMilliseconds, db)
        }
    }

    public func makeReader() async throws -> any EventLogReader {
        try checkOpen()
        return try await EmbeddedEventLogReader(path: path, configuration: configuration, logger: logger)
    }

    public func close() async throws {
        let maintenance: Task<Void, Never>?? = state.withLock { state in
            guard !state.isClosed else { return .none }
            state.isClosed = true
            defer { state.maintenance = nil }
            return .some(state.maintenance)
        }
        guard let maintenance else { return }
        maintenance?.cancel()
        await maintenance?.value
        await connection.close()
        logger.debug("Closed embedded event log")
    }

    // MARK: Plumbing

    /// Runs `body` on the connection (in a transaction if asked), turning SQLite's errors into
    /// ``EventLogError``s.
    func perform<T: Sendable>(
        _ operation: String,
        transaction: SQLiteConnection.TransactionMode? = nil,
        _ body: @Sendable (isolated SQLiteConnection) throws -> T
    ) async throws -> T {
        try checkOpen()
        do {
            if let transaction {
                return try await connection.withTransaction(transaction, body)
            }
            return try await Self.run(body, on: connection)
        } catch let error as SQLiteError {
            // A close that raced with this call closed the connection under it.
            try checkOpen()
            throw EventLogError(error, path: path, doing: operation)
        }
    }

    private static func run<T: Sendable>(
        _ body: @Sendable (isolated SQLiteConnection) throws -> T,
        on db: isolated SQLiteConnection
    ) throws -> T {
        try body(db)
    }

    func checkOpen() throws {
        if state.withLock({ $0.isClosed }) {
            throw EventLogError(.closed, "the embedded event log '\(path)' is closed", context: ["path": path])
        }
    }

    /// Milliseconds since 1970, the unit of record timestamps.
    static func nowMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    private func startMaintenance() {
        guard let interval = configuration.maintenanceInterval else { return }
        let task = Task { [weak self] in
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                guard let self else { return }
                do {
                    try await self.runMaintenance()
                } catch is CancellationError {
                    return
                } catch let error as EventLogError where error.code == .closed {
                    return
                } catch {
                    self.logger.warning("Embedded event log maintenance failed", metadata: ["error": "\(error)"])
                }
            }
        }
        state.withLock { $0.maintenance = task }
    }
}
