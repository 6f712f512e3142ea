import EventLog

/// A place where a log lives for one test (a fresh SQLite file, a fresh mock Kafka cluster),
/// from which any number of clients can be opened, in this process or in a child process.
protocol LogEnvironment: Sendable {
    /// The `--log` URL that `ferry` and `EventLogAddress` accept for this log.
    var url: String { get }
    /// Whether lookups by timestamp return real answers. librdkafka 2.0.2's mock cluster answers
    /// every ListOffsets-by-time request with offset -1, so on Kafka those checks can only go as far
    /// as "the call succeeds and does not invent an offset".
    var answersTimestampQueries: Bool { get }
    /// Opens a new client of the log, as a restarted process would.
    func open() async throws -> any EventLog
    /// Releases the environment (deletes files, stops the cluster).
    func tearDown() async
}

extension LogEnvironment {
    /// Creates a topic through a short-lived client.
    func createTopic(_ name: String, partitions: Int32) async throws {
        try await withLog { log in
            try await log.createTopic(TopicConfiguration(name: name, partitions: partitions))
        }
    }

    /// Runs `body` with a freshly opened client, closing it afterwards whatever happens.
    func withLog<T>(_ body: (any EventLog) async throws -> T) async throws -> T {
        let log = try await open()
        do {
            let result = try await body(log)
            try await log.close()
            return result
        } catch {
            try? await log.close()
            throw error
        }
    }
}
