/// An error of the sink: configuration, event, target or log trouble, naming the table, topic or
/// option at fault.
public struct SinkError: Error, Sendable, CustomStringConvertible {
    /// A stable error kind.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A setting or option is unusable.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// A row could not be applied and the error policy is to stop.
        public static let applyFailed = Code("applyFailed")
        /// An event could not be decoded and the error policy is to stop.
        public static let invalidEvent = Code("invalidEvent")
        /// A target table is missing and may not be created, or does not fit the source.
        public static let targetMismatch = Code("targetMismatch")
        /// A transient error persisted after every retry.
        public static let retriesExhausted = Code("retriesExhausted")
    }

    /// The kind.
    public var code: Code
    /// What went wrong, naming the thing at fault.
    public var message: String
    /// The table, topic, offset, option involved.
    public var context: [String: String]
    /// Whether trying again may succeed.
    public var isRetriable: Bool

    /// Makes an error.
    public init(_ code: Code, _ message: String, context: [String: String] = [:], isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.context = context
        self.isRetriable = isRetriable
    }

    /// `SinkError.<code>: <message> (key: value, …)`.
    public var description: String {
        var text = "SinkError.\(code): \(message)"
        if !context.isEmpty {
            text += " (" + context.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
        return text
    }
}
