extension SQLiteConnection {
    /// How a database file is opened.
    public enum OpenMode: Sendable {
        /// Read and write; create the file if it does not exist.
        case readWriteCreate
        /// Read and write; the file must already exist.
        case readWrite
        /// Read only; the file must already exist.
        case readOnly
    }

    /// SQLite's journal modes (`PRAGMA journal_mode`).
    public enum JournalMode: String, Sendable {
        /// Rollback journal, deleted after each transaction (SQLite's default).
        case delete
        /// Rollback journal, truncated after each transaction.
        case truncate
        /// Rollback journal, kept and zeroed.
        case persist
        /// Rollback journal in memory.
        case memory
        /// Write-ahead log: readers and one writer proceed concurrently, across processes.
        case wal
        /// No journal: no atomic commit.
        case off
    }

    /// When SQLite waits for the disk (`PRAGMA synchronous`).
    public enum SynchronousMode: Int64, Sendable {
        /// Never fsync: fast, but an OS crash or power loss may corrupt the file.
        case off = 0
        /// In WAL mode, fsync at checkpoints only: a power loss may lose the last commits.
        case normal = 1
        /// fsync on every commit: a committed transaction survives a power loss.
        case full = 2
        /// Like `full`, and also syncs the directory after deleting a rollback journal.
        case extra = 3
    }

    /// How `BEGIN` takes its locks.
    public enum TransactionMode: Sendable {
        /// Take locks when first needed; a read transaction that later writes may fail with `SQLITE_BUSY`.
        case deferred
        /// Take the write lock at once (waiting up to the busy timeout), so the transaction can write.
        case immediate
        /// Like `immediate`; in rollback-journal mode also keeps readers out.
        case exclusive

        var beginSQL: String {
            switch self {
            case .deferred: return "BEGIN DEFERRED"
            case .immediate: return "BEGIN IMMEDIATE"
            case .exclusive: return "BEGIN EXCLUSIVE"
            }
        }
    }
}
