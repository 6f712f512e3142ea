import CLibPQ
import Executors
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
import Synchronization

/// One connection to a PostgreSQL server, through libpq.
///
/// libpq calls block, so the connection is an actor running on its own ``ThreadExecutor``: every
/// method runs on the connection's dedicated thread, never on Swift's shared pool. Methods are
/// synchronous inside the actor, so a ``withTransaction(isolation:_:)`` body (which is isolated to
/// the connection) calls them without `await`; from outside they are awaited as usual.
///
/// ```swift
/// let connection = try await PostgresConnection.connect(url: url, logger: logger)
/// let rows = try await connection.query("SELECT id, name FROM t WHERE id = $1", [42])
/// for row in rows { print(try row.decode(String.self, column: "name")) }
/// await connection.close()
/// ```
///
/// A connection runs one statement at a time; use several connections for parallelism.
public actor PostgresConnection {
    private static let nextID = Atomic<Int>(0)

    private let executor: ThreadExecutor
    let logger: Logger
    private var handle: PostgresConnectionHandle?
    private var statementCounter = 0
    /// Where the connection goes (host, port, database, user; never the password), for messages.
    private var target = ""
    /// Distinguishes connections so a prepared statement cannot be run on the wrong one.
    let id: Int

    /// The connection's thread: all its work runs there.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    private init(logger: Logger) {
        let id = Self.nextID.wrappingAdd(1, ordering: .relaxed).newValue
        self.id = id
        self.executor = ThreadExecutor(name: "ferry-pg-\(id)")
        self.logger = logger
    }

    deinit {
        // `handle` is released after this body, which closes the connection with PQfinish.
        executor.shutdown()
    }

    /// Opens a connection.
    ///
    /// - Parameters:
    ///   - url: a libpq connection URI (`postgresql://user@host:5432/db?sslmode=disable`) or
    ///     key/value string (`host=… dbname=…`). `application_name` defaults to `ferry` and
    ///     `connect_timeout` to 10 seconds; the client encoding is always UTF-8.
    ///   - logger: receives connection events and server notices.
    /// - Throws: ``PostgresError`` with code `invalidConnectionString`, or `connectionFailed`
    ///   (retriable) naming host, port, database and user but never the password.
    public static func connect(url: String, logger: Logger) async throws(PostgresError) -> PostgresConnection {
        let connection = PostgresConnection(logger: logger)
        try await connection.open(url: url)
        return connection
    }

    private func open(url: String) throws(PostgresError) {
        let secrets = PostgresConnectionString.secrets(in: url)
        var parseError: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &parseError) else {
            let message = parseError.map { String(cString: $0).trimmingNewlines() } ?? "out of memory"
            if let parseError { PQfreemem(parseError) }
            throw PostgresError(
                code: .invalidConnectionString,
                message: "invalid PostgreSQL connection string: " + PostgresConnectionString.redact(message, secrets: secrets))
        }
        PQconninfoFree(options)

        // Keywords are applied in order: the expanded URL overrides connect_timeout, the
        // fallback name applies only when the URL sets no application_name, and the encoding is
        // forced because decoding assumes UTF-8.
        let settings: [(String, String)] = [
            ("connect_timeout", "10"),
            ("dbname", url),
            ("fallback_application_name", "ferry"),
            ("client_encoding", "UTF8"),
        ]
        let pointer = withCStringArrays(settings) { keywords, values in
            PQconnectdbParams(keywords, values, 1)
        }
        guard let pointer else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        let handle = PostgresConnectionHandle(taking: pointer)
        target = handle.withConnection { connection in
            func text(_ value: UnsafeMutablePointer<CChar>?) -> String { value.map { String(cString: $0) } ?? "" }
            return "host \(text(PQhost(connection))) port \(text(PQport(connection))) "
                + "database \"\(text(PQdb(connection)))\" user \"\(text(PQuser(connection)))\""
        }
        guard !handle.isBad else {
            let reason = PostgresConnectionString.redact(handle.errorMessage, secrets: secrets)
            logger.debug("PostgreSQL connection failed", metadata: ["postgres.target": "\(target)"])
            throw PostgresError(
                code: .connectionFailed,
                message: "cannot connect to PostgreSQL at \(target): \(reason)",
                context: "connecting to \(target)")
        }
        handle.routeNotices(to: logger)
        self.handle = handle
        logger.info(
            "connected to PostgreSQL",
            metadata: ["postgres.target": "\(target)", "postgres.server_version": "\(serverVersion)"])
    }

    /// Closes the connection. Later calls throw ``PostgresError/Code/closed``; closing twice is harmless.
    public func close() {
        guard handle != nil else { return }
        handle = nil
        logger.debug("closed PostgreSQL connection", metadata: ["postgres.target": "\(target)"])
        // Frees the thread now; a later call starts a short-lived one to report "closed".
        executor.shutdown()
    }

    /// Whether the connection is open and healthy (false after ``close()`` or a lost connection).
    public var isConnected: Bool {
        guard let handle else { return false }
        return handle.withConnection { PQstatus($0) == CONNECTION_OK }
    }

    /// The server version as an integer, such as `150018` for 15.18; 0 when closed.
    public var serverVersion: Int {
        guard let handle else { return 0 }
        return Int(handle.withConnection { PQserverVersion($0) })
    }

    /// A parameter the server reports (`server_version`, `TimeZone`, `application_name`, …).
    public func parameterStatus(_ name: String) -> String? {
        handle?.withConnection { PQparameterStatus($0, name) }.map { String(cString: $0) }
    }

    /// Where the connection is in a transaction.
    public var transactionStatus: PostgresTransactionStatus {
        guard let handle else { return .unknown }
        return PostgresTransactionStatus(handle.withConnection { PQtransactionStatus($0) })
    }

    // MARK: Statements

    /// Runs one or more `;`-separated statements with the simple query protocol (`PQexec`) and
    /// returns the result of the last one. No parameters; use ``query(_:_:resultFormat:)`` for values.
    @discardableResult
    public func execute(_ sql: String) throws(PostgresError) -> PostgresRows {
        let handle = try openHandle()
        let result = handle.withConnection { PQexec($0, sql) }
        return try PostgresRows(result: checked(result, handle: handle, context: PostgresError.statementContext(sql)))
    }

    /// Runs one statement with `$1`, `$2`, … parameters (`PQexecParams`).
    /// - Parameters:
    ///   - sql: a single statement.
    ///   - parameters: its values; `nil` is SQL NULL.
    ///   - resultFormat: whether values come back as text or binary.
    @discardableResult
    public func query(
        _ sql: String,
        _ parameters: [PostgresValue] = [],
        resultFormat: PostgresFormat = .text
    ) throws(PostgresError) -> PostgresRows {
        let handle = try openHandle()
        let encoded = try EncodedParameters(parameters)
        let result = handle.withConnection { connection in
            encoded.withPointers { count, types, values, lengths, formats in
                PQexecParams(connection, sql, count, types, values, lengths, formats, resultFormat.rawValue)
            }
        }
        return try PostgresRows(result: checked(result, handle: handle, context: PostgresError.statementContext(sql)))
    }

    // MARK: Internals shared by the extensions

    /// The open connection, or a `closed` error.
    func openHandle() throws(PostgresError) -> PostgresConnectionHandle {
        guard let handle else {
            throw PostgresError(code: .closed, message: "the PostgreSQL connection to \(target) is closed")
        }
        return handle
    }

    /// A name for a prepared statement that is unique on this connection.
    func nextStatementName() -> String {
        statementCounter += 1
        return "ferry_statement_\(statementCounter)"
    }

    /// Takes ownership of a result and turns failures into errors; COPY states the caller did not
    /// ask for are ended so the connection stays usable.
    func checked(
        _ pointer: OpaquePointer?,
        handle: PostgresConnectionHandle,
        context: String,
        failureCode: PostgresError.Code = .queryFailed
    ) throws(PostgresError) -> PostgresResultHandle {
        guard let pointer else {
            throw connectionError(handle: handle, context: context, failureCode: failureCode)
        }
        return try check(PostgresResultHandle(taking: pointer), handle: handle, context: context, failureCode: failureCode)
    }

    /// Turns a failed result into an error, passing successful ones through.
    func check(
        _ result: PostgresResultHandle,
        handle: PostgresConnectionHandle,
        context: String,
        failureCode: PostgresError.Code = .queryFailed
    ) throws(PostgresError) -> PostgresResultHandle {
        switch result.status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopy(handle: handle)
            throw PostgresError(
                code: .unexpectedResult,
                message: "the statement started a COPY; use copyIn for COPY FROM STDIN (COPY TO STDOUT is not supported)",
                context: context)
        default:
            var error = PostgresError(
                code: handle.isBad ? .connectionLost : failureCode,
                result: result,
                fallbackMessage: handle.errorMessage,
                context: context)
            if handle.isBad {
                error.message = "lost the connection to PostgreSQL at \(target): \(error.message)"
            }
            throw error
        }
    }

    /// An error for a call that got no result at all: the connection broke or libpq ran out of memory.
    func connectionError(
        handle: PostgresConnectionHandle,
        context: String,
        failureCode: PostgresError.Code
    ) -> PostgresError {
        if handle.isBad {
            return PostgresError(
                code: .connectionLost,
                message: "lost the connection to PostgreSQL at \(target): \(handle.errorMessage)",
                context: context)
        }
        return PostgresError(code: failureCode, message: handle.errorMessage, context: context)
    }

    /// Ends a COPY the caller did not expect, discarding data and results.
    func abandonCopy(handle: PostgresConnectionHandle) {
        handle.withConnection { connection in
            while let pointer = PQgetResult(connection) {
                let result = PostgresResultHandle(taking: pointer)
                switch result.status {
                case PGRES_COPY_IN:
                    _ = PQputCopyEnd(connection, "COPY FROM STDIN is only supported through copyIn")
                case PGRES_COPY_OUT, PGRES_COPY_BOTH:
                    var buffer: UnsafeMutablePointer<CChar>?
                    while PQgetCopyData(connection, &buffer, 0) > 0 {
                        PQfreemem(buffer)
                        buffer = nil
                    }
                default:
                    break
                }
                if handle.isBad { return }
            }
        }
    }
}

/// Runs `body` with NULL-terminated C arrays of the keywords and values.
private func withCStringArrays<T>(
    _ pairs: [(String, String)],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> T
) -> T {
    let keywords = pairs.map { UnsafePointer(strdup($0.0)) } + [nil]
    let values = pairs.map { UnsafePointer(strdup($0.1)) } + [nil]
    defer {
        for pointer in keywords + values {
            free(UnsafeMutablePointer(mutating: pointer))
        }
    }
    return body(keywords, values)
}
