/// The `source` block of a change event: where and when the change happened in SQL Server.
public struct SourceInfo: Hashable, Sendable {
    /// Whether an event comes from the initial snapshot; Debezium's `source.snapshot` values.
    public enum Snapshot: String, Hashable, Sendable, CaseIterable {
        /// A snapshot read.
        case `true`
        /// The first record of a snapshot (Debezium 2.x and later).
        case first
        /// A record of the snapshot's first table (Debezium 2.x).
        case firstInDataCollection = "first_in_data_collection"
        /// The last record of a table within the snapshot (Debezium 2.x).
        case lastInDataCollection = "last_in_data_collection"
        /// The last record of the snapshot.
        case last
        /// A record of an incremental snapshot.
        case incremental
        /// A streamed change, not part of a snapshot.
        case `false`
    }

    /// The connector; always `sqlserver`.
    public static let connector = "sqlserver"

    /// The format version: Ferry writes ``ferryVersion``; Debezium writes its release (`2.7.0.Final`).
    public var version: String
    /// The logical server name: the topic prefix.
    public var name: String
    /// The source table.
    public var table: TableIdentity
    /// The LSN of this change (`__$seqval`); `nil` for snapshot reads.
    public var changeLSN: LSN?
    /// The commit LSN of the transaction (`__$start_lsn`); for snapshot reads, the LSN the snapshot was taken at.
    public var commitLSN: LSN?
    /// Tells apart events with the same commit and change LSN (1 for most; 2 for the second of a key-changing update's pair).
    public var eventSerialNumber: Int64?
    /// The commit time (snapshot reads: the snapshot time), milliseconds since 1970-01-01 UTC.
    public var timestampMilliseconds: Int64
    /// Whether the event belongs to a snapshot.
    public var snapshot: Snapshot

    /// The version Ferry writes into `source.version`; decoding accepts it and Debezium's 1.x–3.x releases.
    public static let ferryVersion = "ferry-1"

    /// Makes a source block.
    public init(version: String = SourceInfo.ferryVersion, name: String, table: TableIdentity, changeLSN: LSN?, commitLSN: LSN?,
                eventSerialNumber: Int64?, timestampMilliseconds: Int64, snapshot: Snapshot = .false) {
        self.version = version
        self.name = name
        self.table = table
        self.changeLSN = changeLSN
        self.commitLSN = commitLSN
        self.eventSerialNumber = eventSerialNumber
        self.timestampMilliseconds = timestampMilliseconds
        self.snapshot = snapshot
    }
}
