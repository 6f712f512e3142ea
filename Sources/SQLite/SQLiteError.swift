internal import CSQLite

/// An error reported by SQLite, with its result codes, the statement that failed and the file.
public struct SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A primary SQLite result code (the low byte of the extended code), as a matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The numeric result code (`SQLITE_BUSY` is 5, and so on).
        public let rawValue: Int32

        /// Wraps a primary result code.
        public init(rawValue: Int32) { self.rawValue = rawValue & 0xff }

        /// SQLite's own short English name for the code.
        public var description: String { String(cString: sqlite3_errstr(rawValue)) }

        /// Generic error (`SQLITE_ERROR`), e.g. a syntax error or a missing table.
        public static let error = Code(rawValue: SQLITE_ERROR)
        /// Internal logic error in SQLite.
        public static let `internal` = Code(rawValue: SQLITE_INTERNAL)
        /// Access permission denied.
        public static let permission = Code(rawValue: SQLITE_PERM)
        /// The operation was aborted.
        public static let abort = Code(rawValue: SQLITE_ABORT)
        /// Another connection holds a lock the operation needs, past the busy timeout.
        public static let busy = Code(rawValue: SQLITE_BUSY)
        /// A conflicting lock inside this connection's shared cache or own statements.
        public static let locked = Code(rawValue: SQLITE_LOCKED)
        /// Out of memory.
        public static let noMemory = Code(rawValue: SQLITE_NOMEM)
        /// The database is read-only (or was opened read-only).
        public static let readOnly = Code(rawValue: SQLITE_READONLY)
        /// The operation was interrupted.
        public static let interrupt = Code(rawValue: SQLITE_INTERRUPT)
        /// A disk I/O error.
        public static let ioError = Code(rawValue: SQLITE_IOERR)
        /// The database file is malformed.
        public static let corrupt = Code(rawValue: SQLITE_CORRUPT)
        /// The disk is full.
        public static let full = Code(rawValue: SQLITE_FULL)
        /// The file could not be opened.
        public static let cantOpen = Code(rawValue: SQLITE_CANTOPEN)
        /// The schema changed under a statement.
        public static let schema = Code(rawValue: SQLITE_SCHEMA)
        /// A string or blob exceeds SQLite's size limit.
        public static let tooBig = Code(rawValue: SQLITE_TOOBIG)
        /// A constraint (unique, not null, check) was violated.
        public static let constraint = Code(rawValue: SQLITE_CONSTRAINT)
        /// A datatype mismatch.
        public static let mismatch = Code(rawValue: SQLITE_MISMATCH)
        /// The library was used incorrectly (for example, after the connection was closed).
        public static let misuse = Code(rawValue: SQLITE_MISUSE)
        /// A bind or column index out of range.
        public static let range = Code(rawValue: SQLITE_RANGE)
        /// The file is not a SQLite database.
        public static let notADatabase = Code(rawValue: SQLITE_NOTADB)
    }

    /// The primary result code.
    public var code: Code
    /// The extended result code (for example `SQLITE_BUSY_SNAPSHOT`), or the primary code when
    /// SQLite gave no detail.
    public var extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`), or a sentence of this wrapper's own.
    public var message: String
    /// The SQL text that failed, without any bound value.
    public var sql: String?
    /// Where it happened: at least the database file's path.
    public var context: [String: String]

    /// Makes an error.
    public init(code: Code, extendedCode: Int32? = nil, message: String, sql: String? = nil, context: [String: String] = [:]) {
        self.code = code
        self.extendedCode = extendedCode ?? code.rawValue
        self.message = message
        self.sql = sql
        self.context = context
    }

    /// Whether the same call may succeed later: another connection held a lock (`SQLITE_BUSY`,
    /// `SQLITE_LOCKED`) for longer than the busy timeout.
    public var isRetriable: Bool { code == .busy || code == .locked }

    public var description: String {
        var text = "SQLite error \(extendedCode) (\(code)): \(message)"
        if let sql { text += " in '\(sql)'" }
        if !context.isEmpty {
            text += " (" + context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
        }
        return text
    }
}
