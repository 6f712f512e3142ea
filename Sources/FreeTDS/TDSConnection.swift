import CFreeTDS
import Executors
public import Logging

/// A connection to Microsoft SQL Server through FreeTDS db-lib, speaking TDS 7.4.
///
/// db-lib calls block, so the connection is an actor running on its own ``ThreadExecutor``: every
/// db-lib call for this connection happens on that thread, one at a time. One batch runs at a time;
/// starting a new one cancels a ``TDSResultStream`` that was not read to the end.
///
/// ```swift
/// let connection = try await TDSConnection.connect(configuration: config, logger: logger)
/// for try await row in try await connection.stream("SELECT * FROM dbo.orders").rows { … }
/// ```
public actor TDSConnection {
    /// The configuration this connection was opened with.
    public nonisolated let configuration: Configuration
    private let executor: ThreadExecutor
    private let logger: Logger
    private var process: DBProcess?
    private var activeStream: ActiveStream?
    private var nextStreamID: UInt64 = 0

    /// The actor runs on the connection's own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    private init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.executor = ThreadExecutor(name: "tds-\(configuration.port)")
        var logger = logger
        logger[metadataKey: "tds.server"] = "\(configuration.endpoint)"
        self.logger = logger
    }

    deinit {
        // The thread is stopped only here, once nothing can enqueue work on it any more.
        executor.shutdown()
    }

    /// Connects and logs in.
    ///
    /// - Throws: ``TDSError`` with code `connectionFailed` (retriable; the message names `host:port`),
    ///   `timedOut` (retriable), `loginFailed` (with the server's message, e.g. 18456) or `libraryError`.
    public static func connect(configuration: Configuration, logger: Logger) async throws -> TDSConnection {
        let connection = TDSConnection(configuration: configuration, logger: logger)
        try await connection.open()
        return connection
    }

    /// Whether ``close()`` was called or the connection broke.
    public var isClosed: Bool {
        guard let process else { return true }
        return process.isDead
    }

    /// Closes the connection (`dbclose`). Later calls throw ``TDSError/Code-swift.struct/closed``.
    public func close() {
        activeStream?.control.cancel()
        activeStream = nil
        if process != nil { logger.debug("closing SQL Server connection") }
        process = nil
    }

    /// Sends a batch and returns a stream of its results, fetched from the server in chunks of at
    /// most `chunkSize` rows as the stream is read.
    ///
    /// A server error (severity above 10) anywhere in the batch ends the stream with
    /// ``TDSError/Code-swift.struct/serverError`` after cancelling the rest of the batch.
    public func stream(_ sql: String, chunkSize: Int = 256) throws -> TDSResultStream {
        guard !sql.utf8.contains(0) else {
            _ = try requireOpen()
            throw TDSError(.invalidArgument, "a batch cannot contain a NUL character; use TDSLiteral.string for text values", context: configuration.errorContext)
        }
        return try startStream(description: "the batch", chunkSize: chunkSize) { pointer in
            guard dbcmd(pointer, sql) == SUCCEED else { return FAIL }
            return dbsqlexec(pointer)
        }
    }

    /// Cancels an unfinished stream, sends a request with `send` (db-lib calls on this thread that
    /// return SUCCEED once the server accepted it) and makes its results the active stream.
    func startStream(description: String, chunkSize: Int = 256, _ send: (OpaquePointer) -> RETCODE) throws -> TDSResultStream {
        let process = try requireOpen()
        abandonActiveStream(process)
        _ = process.sink.drain()
        let sent: RETCODE = process.withPointer { pointer in send(pointer) }
        if sent != SUCCEED {
            let error = failure(process, process.sink.drain(), fallback: "SQL Server did not accept \(description)")
            cancelPending(process)
            throw error
        }
        nextStreamID += 1
        let control = StreamControl()
        activeStream = ActiveStream(id: nextStreamID, control: control, phase: .awaitingResults)
        logger.trace("request sent", metadata: ["tds.stream": "\(nextStreamID)"])
        return TDSResultStream(connection: self, id: nextStreamID, chunkSize: max(chunkSize, 1), control: control)
    }

    /// The OUTPUT parameters of the request whose results were just read to the end (`dbnumrets`).
    func takeOutputParameters() throws -> [TDSProcedureResult.OutputParameter] {
        let process = try requireOpen()
        return try process.withPointer { pointer in
            let count = dbnumrets(pointer)
            guard count > 0 else { return [] }
            return try (1...count).map { index in
                let name = dbretname(pointer, index).map { String(cString: $0) } ?? ""
                let type = TDSDataType(rawValue: dbrettype(pointer, index))
                let length = Int(dbretlen(pointer, index))
                guard let data = dbretdata(pointer, index) else { return .init(name: name, value: .null) }
                do throws(TDSError) {
                    return .init(name: name, value: try TDSValue(decoding: UnsafeRawBufferPointer(start: data, count: length), as: type))
                } catch {
                    var error = error
                    error.message = "output parameter \(name): \(error.message)"
                    error.context = configuration.errorContext
                    throw error
                }
            }
        }
    }

    /// Runs a batch and collects all of its results in memory.
    public func execute(_ sql: String) async throws -> TDSBatchResult {
        try await stream(sql).collect()
    }

    /// Runs a batch and returns the rows of all of its result sets, in order.
    public func query(_ sql: String) async throws -> [TDSRow] {
        try await execute(sql).rows
    }

    // MARK: - Opening

    private func open() async throws {
        let process = try login()
        self.process = process
        if let textSize = configuration.textSize {
            do {
                _ = try await stream("SET TEXTSIZE \(textSize)").collect()
            } catch {
                self.process = nil
                throw error
            }
        }
        logger.debug("connected to SQL Server")
    }

    /// Logs in on this thread and returns the open DBPROCESS.
    private func login() throws -> DBProcess {
        let library = DBLibrary.shared
        guard library.isInitialized else {
            throw TDSError(.libraryError, "dbinit() failed; FreeTDS db-lib is unusable in this process", context: configuration.errorContext)
        }
        guard let login = LoginRecord() else {
            throw TDSError(.libraryError, "dblogin() could not allocate a login record", context: configuration.errorContext)
        }
        var fields: [(String, Int32)] = [
            (configuration.username, DBSETUSER),
            (configuration.password, DBSETPWD),
            (configuration.applicationName, DBSETAPP),
            ("UTF-8", DBSETCHARSET),
        ]
        if let database = configuration.database { fields.append((database, DBSETDBNAME)) }
        var fieldsSet = login.setVersion(DBVERSION_74)
        for (value, field) in fields where !login.set(value, for: field) { fieldsSet = false }
        guard fieldsSet else {
            throw TDSError(.libraryError, "db-lib rejected the login settings for \(configuration.endpoint)", context: configuration.errorContext)
        }

        _ = dbsetlogintime(configuration.loginTimeout.wholeSecondsRoundedUp)

        let sink = MessageSink()
        logger.debug("connecting to SQL Server")
        let opened = library.withConnectingSink(sink) {
            login.withPointer { tdsdbopen($0, configuration.serverName, 0) }
        }
        guard let opened else { throw openFailure(sink.drain()) }
        let process = DBProcess(opened, sink: sink)
        // Per connection (dbsetopt), not dbsettime: that one is process-wide and would impose one
        // connection's timeout on every other connection opened after it.
        if let queryTimeout = configuration.queryTimeout {
            _ = process.withPointer { dbsetopt($0, DBSETTIME, String(queryTimeout.wholeSecondsRoundedUp), 0) }
        }
        for message in sink.drain().messages {
            logger.debug("login message", metadata: ["tds.message": "\(message)"])
        }
        return process
    }

    private func openFailure(_ collected: MessageSink.Collected) -> TDSError {
        let context = configuration.errorContext
        let endpoint = configuration.endpoint
        let libraryErrors = collected.significantLibraryErrors.map { error in
            var masked = error
            masked.text = configuration.masking(error.text)
            masked.osText = error.osText.map(configuration.masking)
            return masked
        }
        let serverErrors = collected.serverErrors.map { message in
            var masked = message
            masked.text = configuration.masking(message.text)
            return masked
        }
        if let first = serverErrors.first {
            return TDSError(
                .loginFailed, "SQL Server at \(endpoint) refused the login: \(first.text)",
                serverMessages: serverErrors, libraryErrors: libraryErrors, context: context,
                isRetriable: serverErrors.contains { TDSError.retriableServerNumbers.contains($0.number) }
            )
        }
        let detail = libraryErrors.map(\.description).joined(separator: "; ")
        if libraryErrors.contains(where: { $0.number == TDSLibraryError.timedOut }) {
            return TDSError(.timedOut, "connecting to SQL Server at \(endpoint) timed out: \(detail)", libraryErrors: libraryErrors, context: context)
        }
        return TDSError(
            .connectionFailed,
            "could not connect to SQL Server at \(endpoint)" + (detail.isEmpty ? "" : ": \(detail)"),
            libraryErrors: libraryErrors, context: context
        )
    }

    // MARK: - Streaming (called by TDSResultStream)

    /// Reads the next events of stream `id`, up to `maxRows` rows, on the connection's thread.
    func nextChunk(streamID id: UInt64, maxRows: Int) throws -> (events: [TDSResultEvent], isFinished: Bool) {
        guard var active = activeStream, active.id == id else {
            throw TDSError(.cancelled, "the result stream was cancelled or replaced by a newer batch", context: configuration.errorContext)
        }
        let process = try requireOpen()
        var events: [TDSResultEvent] = []
        do {
            var rowsRead = 0
            reading: while rowsRead < maxRows {
                if active.control.isCancelled {
                    throw TDSError(.cancelled, "the result stream was cancelled", context: configuration.errorContext)
                }
                switch active.phase {
                case .finished:
                    break reading
                case .awaitingResults:
                    let status = process.withPointer { dbresults($0) }
                    try takeMessages(process, into: &events)
                    switch status {
                    case SUCCEED:
                        let columnCount = process.withPointer { dbnumcols($0) }
                        if columnCount > 0 {
                            let columns = readColumns(process, count: Int(columnCount))
                            events.append(.resultSet(columns))
                            active.phase = .readingRows(columns)
                        } else {
                            events.append(.done(rowCount: rowCount(process)))
                        }
                    case NO_MORE_RESULTS:
                        if process.withPointer({ dbhasretstat($0) }) != 0 {
                            events.append(.returnStatus(Int(process.withPointer { dbretstatus($0) })))
                        }
                        try takeMessages(process, into: &events)
                        active.phase = .finished
                    default:
                        throw failure(process, process.sink.drain(), fallback: "reading the next result set failed")
                    }
                case .readingRows(let columns):
                    let status = process.withPointer { dbnextrow($0) }
                    switch status {
                    case REG_ROW:
                        events.append(.row(try readRow(process, columns: columns)))
                        rowsRead += 1
                        try takeMessages(process, into: &events)
                    case NO_MORE_ROWS:
                        try takeMessages(process, into: &events)
                        events.append(.done(rowCount: rowCount(process)))
                        active.phase = .awaitingResults
                    case FAIL:
                        throw failure(process, process.sink.drain(), fallback: "reading a row failed")
                    case BUF_FULL:
                        throw TDSError(.libraryError, "db-lib's row buffer is full", context: configuration.errorContext)
                    default:
                        // A COMPUTE row (status = compute id): SQL Server 2012+ no longer sends them.
                        continue reading
                    }
                }
            }
        } catch {
            activeStream = nil
            cancelPending(process)
            throw error
        }
        let isFinished: Bool
        if case .finished = active.phase { isFinished = true } else { isFinished = false }
        activeStream = isFinished ? nil : active
        return (events, isFinished)
    }

    /// Cancels stream `id` if it is still the active one: `dbcancel` discards the rest of the batch
    /// and leaves the connection ready for the next one.
    func cancelStream(id: UInt64) {
        guard let active = activeStream, active.id == id else { return }
        active.control.cancel()
        activeStream = nil
        if let process { cancelPending(process) }
        logger.debug("result stream cancelled", metadata: ["tds.stream": "\(id)"])
    }

    // MARK: - Helpers

    private func requireOpen() throws -> DBProcess {
        guard let process else {
            throw TDSError(.closed, "the connection to \(configuration.endpoint) is closed", context: configuration.errorContext)
        }
        guard !process.isDead else {
            self.process = nil
            throw TDSError(.connectionLost, "the connection to \(configuration.endpoint) is broken", context: configuration.errorContext)
        }
        return process
    }

    private func abandonActiveStream(_ process: DBProcess) {
        guard let active = activeStream else { return }
        active.control.cancel()
        activeStream = nil
        cancelPending(process)
        logger.debug("unfinished result stream cancelled by a new batch", metadata: ["tds.stream": "\(active.id)"])
    }

    private func cancelPending(_ process: DBProcess) {
        guard !process.isDead else { return }
        _ = process.withPointer { dbcancel($0) }
        _ = process.sink.drain()
    }

    /// Moves informational messages into `events`; throws if a server error or db-lib error came in.
    private func takeMessages(_ process: DBProcess, into events: inout [TDSResultEvent]) throws {
        let collected = process.sink.drain()
        guard !collected.isEmpty else { return }
        for message in collected.infoMessages { events.append(.message(message)) }
        if !collected.serverErrors.isEmpty || !collected.significantLibraryErrors.isEmpty {
            throw failure(process, collected, fallback: "the batch failed")
        }
    }

    /// The error that explains a failed db-lib call, from what the handlers collected.
    private func failure(_ process: DBProcess, _ collected: MessageSink.Collected, fallback: String) -> TDSError {
        let context = configuration.errorContext
        let serverErrors = collected.serverErrors
        let libraryErrors = collected.significantLibraryErrors
        if libraryErrors.contains(where: { $0.number == TDSLibraryError.timedOut }) {
            return TDSError(.timedOut, "SQL Server at \(configuration.endpoint) did not answer within the query timeout", serverMessages: serverErrors, libraryErrors: libraryErrors, context: context)
        }
        if process.isDead {
            let detail = libraryErrors.first.map { ": \($0)" } ?? ""
            return TDSError(.connectionLost, "the connection to \(configuration.endpoint) broke\(detail)", serverMessages: serverErrors, libraryErrors: libraryErrors, context: context)
        }
        if let first = serverErrors.first {
            return TDSError(.serverError, first.text, serverMessages: serverErrors, libraryErrors: libraryErrors, context: context)
        }
        if let conversion = libraryErrors.first(where: { TDSLibraryError.conversionLossy.contains($0.number) }) {
            return TDSError(.decodingFailed, "text could not be converted exactly to UTF-8: \(conversion)", libraryErrors: libraryErrors, context: context)
        }
        if let first = libraryErrors.first {
            return TDSError(.libraryError, "\(fallback): \(first)", libraryErrors: libraryErrors, context: context)
        }
        return TDSError(.libraryError, fallback, context: context)
    }

    private func rowCount(_ process: DBProcess) -> Int? {
        let count = process.withPointer { dbcount($0) }
        return count >= 0 ? Int(count) : nil
    }

    private func readColumns(_ process: DBProcess, count: Int) -> [TDSColumn] {
        process.withPointer { pointer in
            (1...count).map { index in
                let number = Int32(index)
                let name = dbcolname(pointer, number).map { String(cString: $0) } ?? ""
                let type = TDSDataType(rawValue: dbcoltype(pointer, number))
                var info = DBCOL2()
                info.SizeOfStruct = DBINT(MemoryLayout<DBCOL2>.size)
                let described = withUnsafeMutablePointer(to: &info) { infoPointer in
                    infoPointer.withMemoryRebound(to: DBCOL.self, capacity: 1) {
                        dbcolinfo(pointer, CI_REGULAR, DBINT(number), 0, $0) == SUCCEED
                    }
                }
                let typeInfo = dbcoltypeinfo(pointer, number)?.pointee
                guard described else {
                    return TDSColumn(
                        name: name, type: type, maxLength: Int(dbcollen(pointer, number)),
                        precision: Int(typeInfo?.precision ?? 0), scale: Int(typeInfo?.scale ?? 0)
                    )
                }
                let declaration = withUnsafeBytes(of: &info.ServerTypeDeclaration) { bytes in
                    String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                }
                return TDSColumn(
                    name: name,
                    type: type,
                    serverType: info.ServerType > 0 ? TDSDataType(rawValue: Int32(info.ServerType)) : nil,
                    serverTypeDeclaration: declaration.isEmpty ? nil : declaration,
                    maxLength: Int(dbcollen(pointer, number)),
                    precision: Int(typeInfo?.precision ?? Int32(info.Precision)),
                    scale: Int(typeInfo?.scale ?? Int32(info.Scale)),
                    isNullable: info.Null != 0,
                    isIdentity: info.Identity != 0
                )
            }
        }
    }

    private func readRow(_ process: DBProcess, columns: [TDSColumn]) throws -> TDSRow {
        let values: [TDSValue] = try process.withPointer { pointer in
            try columns.indices.map { index in
                let number = Int32(index + 1)
                guard let data = dbdata(pointer, number) else { return TDSValue.null }
                let length = Int(dbdatlen(pointer, number))
                do throws(TDSError) {
                    return try TDSValue(decoding: UnsafeRawBufferPointer(start: data, count: length), as: columns[index].type)
                } catch {
                    var error = error
                    error.message = "column \(index + 1) '\(columns[index].name)': \(error.message)"
                    error.context = configuration.errorContext
                    throw error
                }
            }
        }
        return TDSRow(columns: columns, values: values)
    }
}

extension TDSConnection {
    /// The connection's record of the stream being read.
    struct ActiveStream {
        enum Phase {
            case awaitingResults
            case readingRows([TDSColumn])
            case finished
        }

        let id: UInt64
        let control: StreamControl
        var phase: Phase
    }
}
