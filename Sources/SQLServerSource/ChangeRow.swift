public import FerryCore

/// One row of a change table: the CDC metadata and the captured values.
public struct ChangeRow: Hashable, Sendable {
    /// `__$operation`.
    public enum Operation: Int, Hashable, Sendable, Comparable {
        /// 1: delete (before image).
        case delete = 1
        /// 2: insert.
        case insert = 2
        /// 3: update, before image.
        case updateBefore = 3
        /// 4: update, after image.
        case updateAfter = 4

        public static func < (lhs: Operation, rhs: Operation) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// `__$start_lsn`: the commit LSN of the transaction.
    public var commitLSN: LSN
    /// `__$command_id`: the statement within the transaction (0 when the source does not give it).
    public var commandID: Int64
    /// `__$seqval`: the change LSN within the transaction.
    public var sequenceValue: LSN
    /// `__$operation`.
    public var operation: Operation
    /// `__$update_mask`.
    public var updateMask: UpdateMask
    /// The captured values, in capture order.
    public var values: [ColumnValue]
    /// The index of the table the row came from, in the reader's table list.
    public var tableIndex: Int

    /// Makes a change row.
    public init(commitLSN: LSN, commandID: Int64, sequenceValue: LSN, operation: Operation, updateMask: UpdateMask, values: [ColumnValue], tableIndex: Int = 0) {
        self.commitLSN = commitLSN
        self.commandID = commandID
        self.sequenceValue = sequenceValue
        self.operation = operation
        self.updateMask = updateMask
        self.values = values
        self.tableIndex = tableIndex
    }

    /// The order Microsoft documents for change rows: commit LSN, then command id, then sequence
    /// value, then operation (so an update's before image precedes its after image).
    public var orderKey: OrderKey { OrderKey(commitLSN: commitLSN, commandID: commandID, sequenceValue: sequenceValue, operation: operation) }

    /// A change row's position in commit order.
    public struct OrderKey: Hashable, Sendable, Comparable {
        /// `__$start_lsn`.
        public var commitLSN: LSN
        /// `__$command_id`.
        public var commandID: Int64
        /// `__$seqval`.
        public var sequenceValue: LSN
        /// `__$operation`.
        public var operation: Operation

        public static func < (lhs: OrderKey, rhs: OrderKey) -> Bool {
            if lhs.commitLSN != rhs.commitLSN { return lhs.commitLSN < rhs.commitLSN }
            if lhs.commandID != rhs.commandID { return lhs.commandID < rhs.commandID }
            if lhs.sequenceValue != rhs.sequenceValue { return lhs.sequenceValue < rhs.sequenceValue }
            return lhs.operation < rhs.operation
        }
    }
}

/// One row change ready to become an event: an insert or delete row, or an update's before and
/// after rows paired.
public struct PairedChange: Hashable, Sendable {
    /// The event operation.
    public var operation: ChangeEvent.Operation
    /// The first (or only) change row: the before image of an update.
    public var first: ChangeRow
    /// The after image of an update.
    public var after: ChangeRow?

    /// Makes a paired change.
    public init(operation: ChangeEvent.Operation, first: ChangeRow, after: ChangeRow?) {
        self.operation = operation
        self.first = first
        self.after = after
    }

    /// The commit LSN.
    public var commitLSN: LSN { first.commitLSN }
    /// The table index.
    public var tableIndex: Int { first.tableIndex }
}
