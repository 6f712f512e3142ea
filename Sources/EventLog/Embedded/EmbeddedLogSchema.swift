import SQLite

/// The tables of an embedded log file, and the checks that a file is one.
///
/// - `topics`: name, partition count, cleanup policy and retention of each topic.
/// - `partitions`: per partition, the log start offset and the next offset (so that offsets are
///   never reused after retention or compaction removed records) and the largest timestamp
///   appended so far.
/// - `records`: one row per record, keyed by (partition, offset). `max_timestamp` is the largest
///   timestamp of the partition up to and including the record, like Kafka's time index: it never
///   decreases along the offsets, so "first offset whose timestamp is at or after T" and
///   "records older than the retention" are both a range of one index.
///
/// The file is marked with `PRAGMA application_id` and versioned with `PRAGMA user_version`, so
/// any other SQLite file, or a later incompatible layout, is refused instead of being modified.
enum EmbeddedLogSchema {
    /// "FERY" in ASCII.
    static let applicationID: Int64 = 0x4645_5259
    static let version: Int64 = 1

    private static let createScript = """
        CREATE TABLE topics (
            name TEXT PRIMARY KEY NOT NULL,
            partition_count INTEGER NOT NULL CHECK (partition_count > 0),
            cleanup_policy TEXT NOT NULL CHECK (cleanup_policy IN ('delete', 'compact')),
            retention_ms INTEGER CHECK (retention_ms IS NULL OR retention_ms >= 0),
            retention_bytes INTEGER CHECK (retention_bytes IS NULL OR retention_bytes >= 0)
        );
        CREATE TABLE partitions (
            id INTEGER PRIMARY KEY,
            topic TEXT NOT NULL REFERENCES topics (name),
            partition_index INTEGER NOT NULL,
            log_start_offset INTEGER NOT NULL DEFAULT 0,
            next_offset INTEGER NOT NULL DEFAULT 0,
            max_timestamp INTEGER,
            UNIQUE (topic, partition_index)
        );
        CREATE TABLE records (
            partition_id INTEGER NOT NULL REFERENCES partitions (id),
            record_offset INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            max_timestamp INTEGER NOT NULL,
            size INTEGER NOT NULL,
            key BLOB,
            value BLOB,
            headers BLOB,
            PRIMARY KEY (partition_id, record_offset)
        );
        CREATE INDEX records_by_time ON records (partition_id, max_timestamp, record_offset);
        PRAGMA application_id = \(applicationID);
        PRAGMA user_version = \(version);
        """

    /// Checks that `path` is an embedded log (or an empty file, which becomes one), switches it to
    /// WAL and sets the durability of this connection.
    static func prepare(
        _ db: isolated SQLiteConnection,
        durability: EmbeddedEventLog.Configuration.Durability
    ) throws {
        let identity = try readIdentity(db)
        if identity.isEmptyDatabase {
            // auto_vacuum can only be chosen before the first table exists; it lets maintenance
            // give the space of deleted records back to the file system.
            try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            try switchToWAL(db)
            try db.withTransaction(.immediate) { db in
                // Another process may have created the schema since the check above.
                let current = try readIdentity(db)
                if current.isEmptyDatabase {
                    try db.execute(createScript)
                } else {
                    try verify(current, path: db.path)
                }
            }
        } else {
            try verify(identity, path: db.path)
            try switchToWAL(db)
        }
        try db.setSynchronous(durability == .full ? .full : .normal)
    }

    /// Checks, without writing, that an existing file is an embedded log of this layout.
    static func verifyExisting(_ db: isolated SQLiteConnection) throws {
        let identity = try readIdentity(db)
        guard !identity.isEmptyDatabase else {
            throw EventLogError(.corrupt, "'\(db.path)' holds no embedded Ferry event log yet", context: ["path": db.path])
        }
        try verify(identity, path: db.path)
    }

    private struct Identity {
        var applicationID: Int64
        var version: Int64
        var objectCount: Int64

        var isEmptyDatabase: Bool { applicationID == 0 && version == 0 && objectCount == 0 }
    }

    private static func readIdentity(_ db: isolated SQLiteConnection) throws -> Identity {
        Identity(
            applicationID: try db.firstRow("PRAGMA application_id")?.int64(at: 0) ?? 0,
            version: try db.firstRow("PRAGMA user_version")?.int64(at: 0) ?? 0,
            objectCount: try db.firstRow("SELECT count(*) FROM sqlite_schema")?.int64(at: 0) ?? 0
        )
    }

    private static func verify(_ identity: Identity, path: String) throws {
        guard identity.applicationID == applicationID else {
            throw EventLogError(
                .corrupt,
                "'\(path)' is a SQLite database but not an embedded Ferry event log; refusing to use it",
                context: ["path": path, "applicationID": "\(identity.applicationID)"]
            )
        }
        guard identity.version == version else {
            throw EventLogError(
                .corrupt,
                "the embedded event log '\(path)' has layout version \(identity.version); this Ferry reads version \(version)",
                context: ["path": path, "version": "\(identity.version)"]
            )
        }
    }

    private static func switchToWAL(_ db: isolated SQLiteConnection) throws {
        guard try db.setJournalMode(.wal) == .wal else {
            throw EventLogError(
                .unavailable,
                "the embedded event log '\(db.path)' cannot use write-ahead logging (is it on a network file system?)",
                context: ["path": db.path]
            )
        }
    }
}
