/// An error from the FreeTDS module: a stable code, a sentence naming what failed, the SQL Server
/// message when the server sent one, where it happened, and whether trying again may work.
///
/// The description never contains the password: context holds host, port, database and user only,
/// and texts built while connecting have the password masked.
public struct TDSError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The TCP connection to the server could not be made (refused, unreachable, unknown host).
        public static let connectionFailed = Code("connectionFailed")
        /// The server refused the login (wrong user or password, unknown database…).
        public static let loginFailed = Code("loginFailed")
        /// The server answered a batch with an error (severity above 10).
        public static let serverError = Code("serverError")
        /// The login or a query took longer than its timeout.
        public static let timedOut = Code("timedOut")
        /// The operation was cancelled by the caller.
        public static let cancelled = Code("cancelled")
        /// A value could not be decoded exactly.
        public static let decodingFailed = Code("decodingFailed")
        /// The connection was closed by ``TDSConnection/close()``.
        public static let closed = Code("closed")
        /// The connection broke while in use (read/write failure, server went away).
        public static let connectionLost = Code("connectionLost")
        /// An argument cannot be sent (a NUL character in a batch, an invalid identifier…).
        public static let invalidArgument = Code("invalidArgument")
        /// db-lib failed in a way not covered by another code.
        public static let libraryError = Code("libraryError")
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people, naming the thing at fault.
    public var message: String
    /// The first SQL Server error message behind this error, if the server sent one.
    public var serverMessage: TDSMessage?
    /// Every SQL Server error message (severity above 10) collected for the failed operation.
    public var serverMessages: [TDSMessage]
    /// The db-lib errors collected for the failed operation.
    public var libraryErrors: [TDSLibraryError]
    /// Where it happened: host, port, database, user (never the password).
    public var context: [String: String]
    /// Whether the same operation may succeed if tried again (connection trouble, timeouts,
    /// deadlock victim 1205, lock timeout 1222, Azure transient errors…).
    public var isRetriable: Bool

    /// Makes an error.
    public init(
        _ code: Code,
        _ message: String,
        serverMessages: [TDSMessage] = [],
        libraryErrors: [TDSLibraryError] = [],
        context: [String: String] = [:],
        isRetriable: Bool? = nil
    ) {
        self.code = code
        self.message = message
        self.serverMessages = serverMessages
        self.serverMessage = serverMessages.first
        self.libraryErrors = libraryErrors
        self.context = context
        self.isRetriable = isRetriable ?? Self.defaultRetriability(code: code, serverMessages: serverMessages)
    }

    /// The SQL Server message number, when the error comes from the server.
    public var number: Int? { serverMessage?.number }
    /// The SQL Server message state, when the error comes from the server.
    public var state: Int? { serverMessage?.state }
    /// The SQL Server severity, when the error comes from the server.
    public var severity: Int? { serverMessage?.severity }
    /// The line in the batch or procedure, when the error comes from the server.
    public var line: Int? { serverMessage?.line }
    /// The procedure that raised the error, when the error comes from the server and names one.
    public var procedure: String? { serverMessage?.procedure }

    /// SQL Server error numbers after which the same work may succeed: deadlock victim, lock request
    /// timeout, and the transient errors Azure SQL documents.
    public static let retriableServerNumbers: Set<Int> = [
        1205, 1222, 233, 4060, 4221, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40540,
        40613, 49918, 49919, 49920,
    ]

    private static func defaultRetriability(code: Code, serverMessages: [TDSMessage]) -> Bool {
        switch code {
        case .connectionFailed, .connectionLost, .timedOut: return true
        case .serverError: return serverMessages.contains { retriableServerNumbers.contains($0.number) }
        default: return false
        }
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let serverMessage { text += " [\(serverMessage)]" }
        if !context.isEmpty {
            text += " (" + context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
        }
        return text
    }
}
