/// An error of the TDS server: a stable code, a sentence naming what is at fault, where it happened
/// (session id, peer address), and whether trying again may work.
///
/// Protocol violations by a client (`malformedRequest`, `unsupportedRequest`) end only that client's
/// session; they never stop the server. The description never contains a password.
public struct TDSServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The code's name.
        public var description: String { name }

        /// The listening socket could not be created, bound or put to listen.
        public static let bindFailed = Code("bindFailed")
        /// A client sent bytes that do not follow MS-TDS (bad packet header, truncated token…).
        public static let malformedRequest = Code("malformedRequest")
        /// A client asked for something this server does not implement (TDS 5.0 login, SSPI,
        /// an unsupported data type, a bulk load…).
        public static let unsupportedRequest = Code("unsupportedRequest")
        /// The client cancelled the request (ATTENTION) or the server is shutting down: the handler
        /// must stop producing output.
        public static let cancelled = Code("cancelled")
        /// The client's connection is gone (reset, closed, or a write failed).
        public static let connectionClosed = Code("connectionClosed")
        /// A value does not fit the column or parameter type it is written as.
        public static let invalidValue = Code("invalidValue")
        /// The handler used the response writer out of order (a row without column metadata,
        /// a write after the response ended).
        public static let invalidResponse = Code("invalidResponse")
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people, naming the thing at fault.
    public var message: String
    /// Where it happened: session id, peer address, request type… (never a password).
    public var context: [String: String]
    /// Whether the same operation may succeed if tried again.
    public var isRetriable: Bool

    /// Makes an error; `isRetriable` defaults to true only for `connectionClosed` and `bindFailed`.
    public init(_ code: Code, _ message: String, context: [String: String] = [:], isRetriable: Bool? = nil) {
        self.code = code
        self.message = message
        self.context = context
        self.isRetriable = isRetriable ?? (code == .connectionClosed || code == .bindFailed)
    }

    /// `code: message (key=value, …)`.
    public var description: String {
        var text = "\(code): \(message)"
        if !context.isEmpty {
            text += " (" + context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
        }
        return text
    }
}
