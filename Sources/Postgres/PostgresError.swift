/// An error raised by the Postgres module: a failed connection, a statement the server rejected,
/// a failed COPY, or a value that cannot be decoded as the requested Swift type.
///
/// Server errors carry the fields PostgreSQL reports (SQLSTATE, detail, hint, position, the
/// object names involved). Nothing in an error ever contains a password: connection strings are
/// redacted before they reach a message or the context.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, independent of the server's SQLSTATE.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The connection could not be established (refused, unreachable, authentication failed, …).
        public static let connectionFailed = Code("connectionFailed")
        /// The connection broke while a statement was running.
        public static let connectionLost = Code("connectionLost")
        /// The connection string could not be parsed.
        public static let invalidConnectionString = Code("invalidConnectionString")
        /// The server rejected a statement.
        public static let queryFailed = Code("queryFailed")
        /// A `COPY … FROM STDIN` failed, on the server or while sending data.
        public static let copyFailed = Code("copyFailed")
        /// A value could not be decoded as the requested Swift type, or was NULL.
        public static let decodingFailed = Code("decodingFailed")
        /// A result has no column with the requested name or index.
        public static let columnNotFound = Code("columnNotFound")
        /// A parameter cannot be sent (for example a string containing a NUL character).
        public static let invalidParameter = Code("invalidParameter")
        /// The API was used in a way the connection's state does not allow (for example a nested
        /// transaction, or a prepared statement of another connection).
        public static let invalidUsage = Code("invalidUsage")
        /// The server answered with a result the call did not expect (for example `COPY TO STDOUT`
        /// sent through `query`).
        public static let unexpectedResult = Code("unexpectedResult")
        /// The connection was closed with ``PostgresConnection/close()``.
        public static let closed = Code("closed")

        /// The code's name, such as `queryFailed`.
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, in one line: the server's primary message for server errors.
    public var message: String
    /// What Ferry was doing: the target of a connection attempt (without password) or the statement.
    public var context: String?
    /// The five-character SQLSTATE reported by the server (`PG_DIAG_SQLSTATE`), such as `23505`.
    public var sqlState: String?
    /// The server's severity (`ERROR`, `FATAL`, `PANIC`).
    public var severity: String?
    /// The server's secondary message (`PG_DIAG_MESSAGE_DETAIL`).
    public var detail: String?
    /// The server's suggestion (`PG_DIAG_MESSAGE_HINT`).
    public var hint: String?
    /// The 1-based character position of the error in the statement (`PG_DIAG_STATEMENT_POSITION`).
    public var position: Int?
    /// Where on the server the error arose, such as `COPY t, line 3, column n: "x"` (`PG_DIAG_CONTEXT`).
    public var serverContext: String?
    /// The schema of the object involved, when the server reports it.
    public var schemaName: String?
    /// The table involved, when the server reports it.
    public var tableName: String?
    /// The column involved, when the server reports it.
    public var columnName: String?
    /// The data type involved, when the server reports it.
    public var dataTypeName: String?
    /// The constraint involved, when the server reports it.
    public var constraintName: String?

    /// Creates an error; the server fields can be set afterwards.
    public init(code: Code, message: String, context: String? = nil, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.context = context
        self.sqlState = sqlState
    }

    /// Whether trying again (possibly on a new connection) may succeed: connection failures and
    /// losses, SQLSTATE class 08 (connection exception), serialization failures (40001),
    /// deadlocks (40P01), server shutdown (57P01, 57P02, 57P03) and too many connections (53300).
    public var isRetriable: Bool {
        if code == .connectionFailed || code == .connectionLost {
            return true
        }
        guard let sqlState else { return false }
        if sqlState.hasPrefix("08") {
            return true
        }
        return Self.retriableSQLStates.contains(sqlState)
    }

    private static let retriableSQLStates: Set<String> = [
        "40001",  // serialization_failure
        "40P01",  // deadlock_detected
        "57P01",  // admin_shutdown
        "57P02",  // crash_shutdown
        "57P03",  // cannot_connect_now
        "53300",  // too_many_connections
    ]

    /// `PostgresError.<code>: SQLSTATE <state>: <message> (detail: …; hint: …; …)`.
    public var description: String {
        var text = "PostgresError.\(code)"
        if let sqlState {
            text += ": SQLSTATE \(sqlState)"
        }
        text += ": \(message)"
        var extras: [String] = []
        if let detail { extras.append("detail: \(detail)") }
        if let hint { extras.append("hint: \(hint)") }
        if let position { extras.append("position: \(position)") }
        if let serverContext { extras.append("where: \(serverContext)") }
        if let constraintName { extras.append("constraint: \(constraintName)") }
        if let context { extras.append("context: \(context)") }
        if !extras.isEmpty {
            text += " (" + extras.joined(separator: "; ") + ")"
        }
        return text
    }
}
