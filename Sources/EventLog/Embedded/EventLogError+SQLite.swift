import SQLite

extension EventLogError {
    /// The event-log error for a failure of the embedded log's SQLite file.
    ///
    /// A busy or locked file (another process held the write lock past the busy timeout) is
    /// retriable; a file SQLite finds malformed, or that is no database, is `corrupt`.
    init(_ error: SQLiteError, path: String, doing operation: String) {
        let code: Code
        switch error.code {
        case .busy, .locked: code = .unavailable
        case .corrupt, .notADatabase: code = .corrupt
        case .tooBig: code = .recordTooLarge
        default: code = .unavailable
        }
        var context = ["path": path, "sqliteCode": "\(error.extendedCode)"]
        context["sql"] = error.sql
        self.init(code, "\(operation) failed on the embedded log '\(path)': \(error.message)", context: context, isRetriable: error.isRetriable)
    }

    /// The event-log error for a failure to open `path` as an embedded log: a file that is not a
    /// SQLite database at all is named as such.
    static func openingEmbeddedLog(_ error: SQLiteError, path: String) -> EventLogError {
        guard error.code == .notADatabase else {
            return EventLogError(error, path: path, doing: "opening")
        }
        return EventLogError(
            .corrupt,
            "'\(path)' is not an embedded Ferry event log: it is not a SQLite database",
            context: ["path": path]
        )
    }
}
