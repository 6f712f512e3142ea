/// A source transaction's boundary on `<prefix>.transaction`, as Debezium writes it.
public struct TransactionEvent: Hashable, Sendable {
    /// Which boundary.
    public enum Status: String, Hashable, Sendable {
        /// The transaction's first event follows.
        case begin = "BEGIN"
        /// All the transaction's events precede.
        case end = "END"
    }

    /// BEGIN or END.
    public var status: Status
    /// The transaction id (Ferry: the commit LSN's printed form).
    public var id: String
    /// The commit time, milliseconds since 1970-01-01 UTC.
    public var timestampMilliseconds: Int64
    /// Events per table in the transaction, in first-seen order; END only (empty for BEGIN).
    public var eventCounts: [(table: TableIdentity, count: Int64)]

    /// All events of the transaction; END only.
    public var totalEventCount: Int64 { eventCounts.reduce(0) { $0 + $1.count } }

    /// Makes a BEGIN or END event.
    public init(status: Status, id: String, timestampMilliseconds: Int64, eventCounts: [(table: TableIdentity, count: Int64)] = []) {
        self.status = status
        self.id = id
        self.timestampMilliseconds = timestampMilliseconds
        self.eventCounts = eventCounts
    }

    public static func == (lhs: TransactionEvent, rhs: TransactionEvent) -> Bool {
        lhs.status == rhs.status && lhs.id == rhs.id && lhs.timestampMilliseconds == rhs.timestampMilliseconds
            && lhs.eventCounts.map(\.table) == rhs.eventCounts.map(\.table) && lhs.eventCounts.map(\.count) == rhs.eventCounts.map(\.count)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(id)
        hasher.combine(timestampMilliseconds)
        for entry in eventCounts { hasher.combine(entry.table); hasher.combine(entry.count) }
    }
}
