internal import CSQLite
internal import Executors

/// One connection to a SQLite database file.
///
/// SQLite calls block on file I/O, `fsync` and busy waits, so the connection is an actor that runs
/// on its own ``ThreadExecutor`` rather than on Swift's shared pool. Statements are prepared once
/// per SQL text and reused. Work that must not interleave with other callers (several statements
/// in one transaction) goes in a closure given the isolated connection: see
/// ``withTransaction(_:_:)``.
public actor SQLiteConnection {
    /// The database file's path, as given to ``open(path:mode:busyTimeout:statementCacheCapacity:)``.
    public nonisolated let path: String
    private let executor: ThreadExecutor
    private var database: SQLiteDatabaseHandle?
    private var statements: SQLiteStatementCache

    /// This connection runs on its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(path: String, statementCacheCapacity: Int) {
        self.path = path
        self.executor = ThreadExecutor(name: "sqlite")
        self.statements = SQLiteStatementCache(capacity: statementCacheCapacity)
    }

    deinit {
        executor.shutdown()
    }

    /// Opens a database file.
    /// - Parameters:
    ///   - path: the file; `":memory:"` for a private in-memory database.
    ///   - mode: whether the file may be created, and whether writes are allowed.
    ///   - busyTimeout: how long a statement waits for another connection's lock before failing
    ///     with `SQLITE_BUSY`.
    ///   - statementCacheCapacity: how many prepared statements to keep.
    public static func open(
        path: String,
        mode: OpenMode = .readWriteCreate,
        busyTimeout: Duration = .seconds(5),
        statementCacheCapacity: Int = 64
    ) async throws(SQLiteError) -> SQLiteConnection {
        let connection = SQLiteConnection(path: path, statementCacheCapacity: statementCacheCapacity)
        try await connection.openDatabase(mode: mode, busyTimeout: busyTimeout)
        return connection
    }

    private func openDatabase(mode: OpenMode, busyTimeout: Duration) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var pointer: OpaquePointer?
        let rc = sqlite3_open_v2(path, &pointer, flags, nil)
        guard rc == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            let extended = pointer.map { sqlite3_extended_errcode($0) } ?? rc
            sqlite3_close_v2(pointer)
            throw SQLiteError(
                code: SQLiteError.Code(rawValue: extended),
                extendedCode: extended,
                message: "cannot open the database: \(message)",
                context: ["path": path]
            )
        }
        sqlite3_extended_result_codes(pointer, 1)
        database = SQLiteDatabaseHandle(pointer: pointer, path: path)
        try setBusyTimeout(busyTimeout)
    }

    /// Closes the connection: later calls fail with ``SQLiteError/Code/misuse``. Safe to call twice.
    public func close() {
        statements.removeAll()
        database = nil
        // Frees the thread now; a later call starts a short-lived one to report "closed".
        executor.shutdown()
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { database == nil }

    private func openHandle(sql: String? = nil) throws(SQLiteError) -> SQLiteDatabaseHandle {
        guard let database else {
            throw SQLiteError(code: .misuse, message: "the connection is closed", sql: sql, context: ["path": path])
        }
        return database
    }

    // MARK: Statements

    /// Runs a script of any number of statements, without parameters (`sqlite3_exec`).
    public func execute(_ script: String) throws(SQLiteError) {
        let database = try openHandle(sql: script)
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(database.pointer, script, nil, nil, &errorMessage)
        guard rc != SQLITE_OK else { return }
        var error = database.lastError(sql: script, resultCode: rc)
        if let errorMessage {
            error.message = String(cString: errorMessage)
            sqlite3_free(errorMessage)
        }
        throw error
    }

    /// Runs one statement with `bindings` for its `?` parameters, ignoring any rows it returns,
    /// and returns how many rows it inserted, updated or deleted.
    @discardableResult
    public func run(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        let statement = try checkOut(sql, bindings)
        defer { statements.checkIn(statement) }
        while try statement.step() {}
        return Int(sqlite3_changes64(statement.database.pointer))
    }

    /// Runs one query and returns all its rows.
    public func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> [SQLiteRow] {
        let statement = try checkOut(sql, bindings)
        defer { statements.checkIn(statement) }
        var rows: [SQLiteRow] = []
        let cursor = SQLiteRowCursor(statement: statement)
        while try statement.step() {
            rows.append(cursor.row)
        }
        return rows
    }

    /// Runs one query and returns its first row, if any.
    public func firstRow(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> SQLiteRow? {
        let statement = try checkOut(sql, bindings)
        defer { statements.checkIn(statement) }
        return try statement.step() ? SQLiteRowCursor(statement: statement).row : nil
    }

    /// Runs one query and calls `body` with each row, read in place. Errors from SQLite are
    /// ``SQLiteError``s; errors `body` throws end the query and are rethrown.
    public func forEachRow(
        _ sql: String,
        _ bindings: [SQLiteValue] = [],
        _ body: (SQLiteRowCursor) throws -> Void
    ) throws {
        let statement = try checkOut(sql, bindings)
        defer { statements.checkIn(statement) }
        let cursor = SQLiteRowCursor(statement: statement)
        while try statement.step() {
            try body(cursor)
        }
    }

    /// A prepared statement for `sql` with `bindings` bound; the caller checks it back in.
    private func checkOut(_ sql: String, _ bindings: [SQLiteValue]) throws(SQLiteError) -> SQLiteStatement {
        let database = try openHandle(sql: sql)
        let statement = try statements.checkOut(sql, database: database)
        do {
            try statement.bind(bindings)
        } catch {
            statements.checkIn(statement)
            throw error
        }
        return statement
    }

    /// How many prepared statements the cache holds.
    public var cachedStatementCount: Int { statements.count }

    // MARK: Connection state

    /// The rowid of the last row inserted through this connection.
    public var lastInsertRowID: Int64 {
        database.map { sqlite3_last_insert_rowid($0.pointer) } ?? 0
    }

    /// Whether a transaction is open (the connection is not in autocommit mode).
    public var isInTransaction: Bool {
        database.map { sqlite3_get_autocommit($0.pointer) == 0 } ?? false
    }

    /// Sets how long a statement waits for another connection's lock before `SQLITE_BUSY`.
    public func setBusyTimeout(_ timeout: Duration) throws(SQLiteError) {
        let database = try openHandle()
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let rc = sqlite3_busy_timeout(database.pointer, Int32(clamping: max(milliseconds, 0)))
        guard rc == SQLITE_OK else { throw database.lastError(sql: nil, resultCode: rc) }
    }

    /// Sets the journal mode and returns the mode in effect afterwards (SQLite keeps the old one
    /// when it cannot switch, for example to WAL on a file system without shared memory).
    @discardableResult
    public func setJournalMode(_ mode: JournalMode) throws(SQLiteError) -> JournalMode? {
        let row = try firstRow("PRAGMA journal_mode = \(mode.rawValue)")
        return row?.string(at: 0).flatMap { JournalMode(rawValue: $0.lowercased()) }
    }

    /// The journal mode in effect.
    public func journalMode() throws(SQLiteError) -> JournalMode? {
        try firstRow("PRAGMA journal_mode")?.string(at: 0).flatMap { JournalMode(rawValue: $0.lowercased()) }
    }

    /// Sets when SQLite waits for the disk; lasts for this connection.
    public func setSynchronous(_ mode: SynchronousMode) throws(SQLiteError) {
        try run("PRAGMA synchronous = \(mode.rawValue)")
    }

    /// The synchronous mode in effect.
    public func synchronous() throws(SQLiteError) -> SynchronousMode? {
        try firstRow("PRAGMA synchronous")?.int64(at: 0).flatMap(SynchronousMode.init(rawValue:))
    }

    /// A number that changes whenever another connection (in any process) commits to the file:
    /// a cheap way to learn whether there may be something new to read.
    public func dataVersion() throws(SQLiteError) -> Int64 {
        try firstRow("PRAGMA data_version")?.int64(at: 0) ?? 0
    }
}
