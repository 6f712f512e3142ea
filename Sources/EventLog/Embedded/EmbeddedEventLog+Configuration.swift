extension EmbeddedEventLog {
    /// How an embedded log uses its file.
    public struct Configuration: Sendable, Hashable {
        /// What an acknowledged append survives.
        public enum Durability: Sendable, Hashable {
            /// Every append waits for `fsync` (`synchronous=FULL`): it survives a crash of the
            /// process, of the operating system, and a power loss.
            case full
            /// Appends reach the OS before they are acknowledged but are synced only at checkpoints
            /// (`synchronous=NORMAL`): they survive a crash of the process (SIGKILL included), while
            /// an OS crash or power loss may lose the last ones. The file stays consistent.
            case normal
        }

        /// What an acknowledged append survives; `.full` by default.
        public var durability: Durability
        /// How long an append waits for another process's write lock before failing with a
        /// retriable `unavailable` error.
        public var busyTimeout: Duration
        /// How often the log applies retention and compaction by itself; `nil` leaves it to
        /// explicit calls of ``EmbeddedEventLog/runMaintenance(nowMilliseconds:)``.
        public var maintenanceInterval: Duration?
        /// How long a tombstone stays in a compacted topic (Kafka's `delete.retention.ms`),
        /// measured from its timestamp, so that readers behind have time to see the deletion.
        public var tombstoneRetentionMilliseconds: Int64
        /// The longest a waiting reader sleeps between two checks for new records.
        public var pollIntervalLimit: Duration

        /// Describes how a log uses its file.
        public init(
            durability: Durability = .full,
            busyTimeout: Duration = .seconds(10),
            maintenanceInterval: Duration? = .seconds(60),
            tombstoneRetentionMilliseconds: Int64 = 86_400_000,
            pollIntervalLimit: Duration = .milliseconds(50)
        ) {
            self.durability = durability
            self.busyTimeout = busyTimeout
            self.maintenanceInterval = maintenanceInterval
            self.tombstoneRetentionMilliseconds = tombstoneRetentionMilliseconds
            self.pollIntervalLimit = pollIntervalLimit
        }
    }
}
