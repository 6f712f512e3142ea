public import Logging
import SQLite

/// Reads an ``EmbeddedEventLog`` file through a connection of its own.
///
/// Having its own connection makes a reader in the writer's process behave exactly like one in
/// another process: it sees what was committed to the file. When nothing new is there, ``poll(maxRecords:timeout:)``
/// sleeps with a growing backoff (up to ``EmbeddedEventLog/Configuration/pollIntervalLimit``)
/// and checks `PRAGMA data_version`, which changes whenever any other connection commits, before
/// reading again.
public actor EmbeddedEventLogReader: EventLogReader {
    private let path: String
    private let connection: SQLiteConnection
    private let pollIntervalLimit: Duration
    private let logger: Logger
    private var positions: [EmbeddedLogStore.ReadPosition] = []
    /// Changes with every assignment, so a poll that spans one does not move the new positions.
    private var assignmentGeneration = 0
    /// Which partition a poll reads first, rotating so that one busy partition cannot starve the others.
    private var firstPartition = 0
    private var isClosed = false

    /// Opens a reader of the log in `path`, which must already exist.
    public init(path: String, configuration: EmbeddedEventLog.Configuration = .init(), logger: Logger) async throws {
        self.path = path
        self.pollIntervalLimit = max(configuration.pollIntervalLimit, .milliseconds(1))
        self.logger = logger
        do {
            connection = try await SQLiteConnection.open(path: path, mode: .readWrite, busyTimeout: configuration.busyTimeout)
        } catch {
            throw EventLogError(error, path: path, doing: "opening a reader")
        }
        do {
            try await EmbeddedLogSchema.verifyExisting(connection)
        } catch let error as SQLiteError {
            await connection.close()
            throw EventLogError.openingEmbeddedLog(error, path: path)
        } catch {
            await connection.close()
            throw error
        }
    }

    public func assign(_ startOffsets: [TopicPartition: Int64]) async throws {
        try checkOpen()
        let partitions = startOffsets.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        let resolved = try await perform("assigning partitions") { db in
            try partitions.map { partition in
                EmbeddedLogStore.ReadPosition(
                    partition: partition,
                    partitionID: try EmbeddedLogStore.partition(partition, db).id,
                    offset: max(startOffsets[partition] ?? 0, 0)
                )
            }
        }
        positions = resolved
        assignmentGeneration += 1
        firstPartition = 0
    }

    public func poll(maxRecords: Int, timeout: Duration) async throws -> [StoredRecord] {
        try checkOpen()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        guard maxRecords > 0, !positions.isEmpty else {
            try await Task.sleep(until: deadline, clock: clock)
            return []
        }
        var backoff = Duration.milliseconds(1)
        while true {
            let generation = assignmentGeneration
            let rotated = Array(positions[firstPartition...] + positions[..<firstPartition])
            let (version, records) = try await perform("reading records") { db in
                // Read the version first: a commit after it, even during the read, changes it.
                (try db.dataVersion(), try EmbeddedLogStore.read(from: rotated, maxRecords: maxRecords, db))
            }
            try checkOpen()
            if generation == assignmentGeneration, !records.isEmpty {
                advance(past: records)
                return records
            }
            // Wait until another connection commits something, or the time is up.
            var changed = generation != assignmentGeneration
            while !changed {
                let remaining = clock.now.duration(to: deadline)
                guard remaining > .zero else { return [] }
                try await Task.sleep(for: min(backoff, remaining))
                backoff = min(backoff * 2, pollIntervalLimit)
                changed = try await perform("waiting for records") { db in try db.dataVersion() } != version
                    || generation != assignmentGeneration
            }
            backoff = .milliseconds(1)
        }
    }

    private func advance(past records: [StoredRecord]) {
        var next: [TopicPartition: Int64] = [:]
        for record in records {
            next[record.partition] = max(next[record.partition] ?? 0, record.offset + 1)
        }
        for index in positions.indices {
            if let offset = next[positions[index].partition] {
                positions[index].offset = offset
            }
        }
        firstPartition = (firstPartition + 1) % positions.count
    }

    public func close() async throws {
        guard !isClosed else { return }
        isClosed = true
        positions = []
        await connection.close()
    }

    private func checkOpen() throws {
        if isClosed {
            throw EventLogError(.closed, "the reader of the embedded event log '\(path)' is closed", context: ["path": path])
        }
    }

    private func perform<T: Sendable>(_ operation: String, _ body: @Sendable (isolated SQLiteConnection) throws -> T) async throws -> T {
        do {
            return try await Self.run(body, on: connection)
        } catch let error as SQLiteError {
            try checkOpen()
            throw EventLogError(error, path: path, doing: operation)
        }
    }

    private static func run<T: Sendable>(_ body: @Sendable (isolated SQLiteConnection) throws -> T, on db: isolated SQLiteConnection) throws -> T {
        try body(db)
    }
}
