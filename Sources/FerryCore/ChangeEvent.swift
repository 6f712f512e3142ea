/// One row change of one source table: the envelope's payload.
public struct ChangeEvent: Hashable, Sendable {
    /// What happened to the row (`op`).
    public enum Operation: String, Hashable, Sendable, CaseIterable {
        /// An insert (`c`).
        case create = "c"
        /// An update (`u`).
        case update = "u"
        /// A delete (`d`).
        case delete = "d"
        /// A snapshot read (`r`).
        case read = "r"
    }

    /// Debezium's `transaction` block: where the event sits in its source transaction.
    public struct TransactionPosition: Hashable, Sendable {
        /// The transaction id (Ferry: the commit LSN's printed form).
        public var id: String
        /// The event's position among all events of the transaction, from 1.
        public var totalOrder: Int64
        /// The event's position among the transaction's events for this table, from 1.
        public var dataCollectionOrder: Int64
        /// Makes a position.
        public init(id: String, totalOrder: Int64, dataCollectionOrder: Int64) {
            self.id = id
            self.totalOrder = totalOrder
            self.dataCollectionOrder = dataCollectionOrder
        }
    }

    /// The operation.
    public var operation: Operation
    /// The row before the change: updates and deletes; `nil` for inserts and reads.
    public var before: Row?
    /// The row after the change: inserts, updates and reads; `nil` for deletes.
    public var after: Row?
    /// Where and when the change happened.
    public var source: SourceInfo
    /// When Ferry processed the event (envelope `ts_ms`), milliseconds since 1970-01-01 UTC.
    public var timestampMilliseconds: Int64
    /// The event's place in its transaction, when transaction metadata is on.
    public var transaction: TransactionPosition?

    /// Makes an event; throws unless the images fit the operation (insert/read: after only;
    /// update: before and after; delete: before only).
    public init(operation: Operation, before: Row?, after: Row?, source: SourceInfo, timestampMilliseconds: Int64,
                transaction: TransactionPosition? = nil) throws(FerryCoreError) {
        let expected: (before: Bool, after: Bool) = switch operation {
        case .create, .read: (false, true)
        case .update: (true, true)
        case .delete: (true, false)
        }
        // Checked without building a list: this runs for every event the sink decodes.
        if (before != nil) != expected.before { throw Self.imageError(operation, "before", wanted: expected.before, source) }
        if (after != nil) != expected.after { throw Self.imageError(operation, "after", wanted: expected.after, source) }
        self.operation = operation
        self.before = before
        self.after = after
        self.source = source
        self.timestampMilliseconds = timestampMilliseconds
        self.transaction = transaction
    }

    private static func imageError(_ operation: Operation, _ field: String, wanted: Bool, _ source: SourceInfo) -> FerryCoreError {
        FerryCoreError(.invalidEvent, "a '\(operation.rawValue)' event must \(wanted ? "have" : "not have") '\(field)'",
                       context: ["field": field, "op": operation.rawValue, "table": source.table.description])
    }

    /// The row that identifies the key: `after`, or `before` for a delete.
    public var keyImage: Row? { after ?? before }
}
