internal import CSQLite

/// SQLite copies bound text and blobs when given this destructor (`SQLITE_TRANSIENT`, which the C
/// macro defines as the pointer -1 and Swift cannot import).
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Owns one prepared statement and finalizes it when the last reference goes.
final class SQLiteStatement {
    let pointer: OpaquePointer
    let sql: String
    let database: SQLiteDatabaseHandle
    /// Whether the statement lives in the connection's cache (as opposed to a one-off).
    let isCached: Bool
    /// Set while a caller is stepping it, so a nested use of the same SQL gets its own statement.
    var isInUse = false
    /// For the cache's least-recently-used eviction.
    var lastUse: UInt64 = 0

    init(sql: String, database: SQLiteDatabaseHandle, cached: Bool) throws(SQLiteError) {
        var statement: OpaquePointer?
        let flags = cached ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        // The tail points into the C string, so it is only valid inside withCString.
        let (rc, hasMoreStatements) = sql.withCString { text -> (Int32, Bool) in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(database.pointer, text, -1, flags, &statement, &tail)
            guard rc == SQLITE_OK, let tail, tail.pointee != 0 else { return (rc, false) }
            return (rc, String(cString: tail).contains { !$0.isWhitespace && $0 != ";" })
        }
        guard rc == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw database.lastError(sql: sql, resultCode: rc == SQLITE_OK ? SQLITE_MISUSE : rc)
        }
        if hasMoreStatements {
            sqlite3_finalize(statement)
            throw SQLiteError(
                code: .misuse,
                message: "the SQL holds more than one statement; run scripts with execute(_:)",
                sql: sql,
                context: ["path": database.path]
            )
        }
        self.pointer = statement
        self.sql = sql
        self.database = database
        self.isCached = cached
    }

    deinit {
        sqlite3_finalize(pointer)
    }

    func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        let expected = Int(sqlite3_bind_parameter_count(pointer))
        guard values.count == expected else {
            throw SQLiteError(
                code: .range,
                message: "the statement takes \(expected) parameters but \(values.count) were bound",
                sql: sql,
                context: ["path": database.path]
            )
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    private func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let rc: Int32
        switch value {
        case .null:
            rc = sqlite3_bind_null(pointer, index)
        case .integer(let integer):
            rc = sqlite3_bind_int64(pointer, index, integer)
        case .real(let real):
            rc = sqlite3_bind_double(pointer, index, real)
        case .text(let text):
            var text = text
            rc = text.withUTF8 { utf8 in
                // A nil base address would bind NULL; an empty string must stay text.
                guard let base = utf8.baseAddress, !utf8.isEmpty else {
                    return sqlite3_bind_text(pointer, index, "", 0, transientDestructor)
                }
                return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: utf8.count) { characters in
                    sqlite3_bind_text64(pointer, index, characters, sqlite3_uint64(utf8.count), transientDestructor, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            if bytes.isEmpty {
                // sqlite3_bind_blob with no bytes binds NULL; a zero-length blob is not NULL.
                rc = sqlite3_bind_zeroblob(pointer, index, 0)
            } else {
                rc = bytes.withUnsafeBytes { raw in
                    sqlite3_bind_blob64(pointer, index, raw.baseAddress, sqlite3_uint64(raw.count), transientDestructor)
                }
            }
        }
        guard rc == SQLITE_OK else { throw database.lastError(sql: sql, resultCode: rc) }
    }

    /// Advances to the next row; `false` once the statement is done.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(pointer)
        switch rc & 0xff {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.lastError(sql: sql, resultCode: rc)
        }
    }

    /// Makes the statement ready for its next use and drops the bound values.
    func reset() {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
    }

    var columnCount: Int { Int(sqlite3_column_count(pointer)) }

    func columnName(at column: Int) -> String {
        sqlite3_column_name(pointer, Int32(column)).map { String(cString: $0) } ?? ""
    }

    func isNull(at column: Int) -> Bool {
        sqlite3_column_type(pointer, Int32(column)) == SQLITE_NULL
    }

    func int64(at column: Int) -> Int64? {
        isNull(at: column) ? nil : sqlite3_column_int64(pointer, Int32(column))
    }

    func double(at column: Int) -> Double? {
        isNull(at: column) ? nil : sqlite3_column_double(pointer, Int32(column))
    }

    func string(at column: Int) -> String? {
        guard !isNull(at: column) else { return nil }
        // Ask for the text before its length: the call may convert the value.
        guard let text = sqlite3_column_text(pointer, Int32(column)) else { return "" }
        let count = Int(sqlite3_column_bytes(pointer, Int32(column)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func blob(at column: Int) -> [UInt8]? {
        guard !isNull(at: column) else { return nil }
        guard let bytes = sqlite3_column_blob(pointer, Int32(column)) else { return [] }
        let count = Int(sqlite3_column_bytes(pointer, Int32(column)))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    func value(at column: Int) -> SQLiteValue {
        switch sqlite3_column_type(pointer, Int32(column)) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(pointer, Int32(column)))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(pointer, Int32(column)))
        case SQLITE_TEXT: return .text(string(at: column) ?? "")
        case SQLITE_BLOB: return .blob(blob(at: column) ?? [])
        default: return .null
        }
    }
}
