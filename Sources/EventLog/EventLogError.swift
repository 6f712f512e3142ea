/// An error from an event log, with a stable code, the place it concerns, and whether retrying
/// the same call may succeed.
public struct EventLogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The topic does not exist.
        public static let unknownTopic = Code("unknownTopic")
        /// The partition does not exist in the topic.
        public static let unknownPartition = Code("unknownPartition")
        /// A topic exists with another configuration than the one asked for.
        public static let topicMismatch = Code("topicMismatch")
        /// The log's address or settings are invalid.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// The log's storage (file, broker) could not be reached or refused the operation.
        public static let unavailable = Code("unavailable")
        /// A record is larger than the log accepts.
        public static let recordTooLarge = Code("recordTooLarge")
        /// The stored data is not what this version of Ferry wrote.
        public static let corrupt = Code("corrupt")
        /// The log or reader was closed.
        public static let closed = Code("closed")
        /// An operation did not complete in time.
        public static let timedOut = Code("timedOut")
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people, naming the thing at fault.
    public var message: String
    /// Where it happened: topic, partition, file, broker (never a password).
    public var context: [String: String]
    /// Whether the same call may succeed later (a broker briefly down, a busy database file).
    public var isRetriable: Bool

    /// Makes an error.
    public init(_ code: Code, _ message: String, context: [String: String] = [:], isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.context = context
        self.isRetriable = isRetriable
    }

    public var description: String {
        guard !context.isEmpty else { return "\(code): \(message)" }
        let details = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(code): \(message) (\(details))"
    }
}
