internal import CSQLite

/// Owns one `sqlite3*` and closes it when the last reference goes.
///
/// `sqlite3_close_v2` defers the real close until every statement of the handle is finalized, so
/// the order in which the owner drops its statements and this handle does not matter.
final class SQLiteDatabaseHandle {
    let pointer: OpaquePointer
    let path: String

    init(pointer: OpaquePointer, path: String) {
        self.pointer = pointer
        self.path = path
    }

    deinit {
        sqlite3_close_v2(pointer)
    }

    /// The error the last failed call on this handle left, with `sql` and the file's path.
    func lastError(sql: String?, resultCode: Int32? = nil) -> SQLiteError {
        let extended = resultCode ?? sqlite3_extended_errcode(pointer)
        return SQLiteError(
            code: SQLiteError.Code(rawValue: extended),
            extendedCode: extended,
            message: String(cString: sqlite3_errmsg(pointer)),
            sql: sql,
            context: ["path": path]
        )
    }
}
