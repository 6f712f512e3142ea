/// A source of change rows in commit order (one change table's rows in a window).
public protocol ChangeRowCursor: AnyObject {
    /// The next row, or `nil` at the end.
    func next() async throws -> ChangeRow?
}

/// A cursor over rows already in memory (tests, small reads).
public final class ArrayChangeRowCursor: ChangeRowCursor {
    private var rows: [ChangeRow]
    private var position = 0
    /// Makes a cursor over `rows`, which must be in ``ChangeRow/orderKey`` order.
    public init(_ rows: [ChangeRow]) { self.rows = rows }
    public func next() async throws -> ChangeRow? {
        guard position < rows.count else { return nil }
        defer { position += 1 }
        return rows[position]
    }
}

/// Turns one table's change rows into row changes: 1 → delete, 2 → insert, and an update's
/// before image (3) with the after image (4) that must immediately follow it with the same
/// `__$seqval` → one update.
public final class UpdatePairing {
    private let cursor: any ChangeRowCursor
    private let table: String

    /// Pairs the rows of `cursor`; `table` names the table in errors.
    public init(_ cursor: any ChangeRowCursor, table: String) {
        self.cursor = cursor
        self.table = table
    }

    /// The next row change, or `nil` at the end.
    public func next() async throws -> PairedChange? {
        guard let row = try await cursor.next() else { return nil }
        switch row.operation {
        case .insert: return PairedChange(operation: .create, first: row, after: nil)
        case .delete: return PairedChange(operation: .delete, first: row, after: nil)
        case .updateAfter:
            throw SourceError(.unexpectedChangeData, "\(table): an update after-image (operation 4) at \(row.commitLSN)/\(row.sequenceValue) has no before-image (operation 3)",
                              context: ["table": table, "lsn": row.commitLSN.description])
        case .updateBefore:
            guard let after = try await cursor.next(), after.operation == .updateAfter,
                  after.sequenceValue == row.sequenceValue, after.commitLSN == row.commitLSN
            else {
                throw SourceError(.unexpectedChangeData, "\(table): the update before-image (operation 3) at \(row.commitLSN)/\(row.sequenceValue) is not followed by its after-image (operation 4)",
                                  context: ["table": table, "lsn": row.commitLSN.description])
            }
            return PairedChange(operation: .update, first: row, after: after)
        }
    }
}

/// Merges the row changes of several tables, each in commit order, into one sequence in commit
/// order: by commit LSN, then command id, sequence value and operation. Holds one pending change
/// per table, so memory does not grow with the window.
public final class ChangeMerger {
    private let inputs: [UpdatePairing]
    private var heads: [PairedChange?]
    private var started = false
    private var lastKey: ChangeRow.OrderKey?

    /// Merges `inputs`.
    public init(_ inputs: [UpdatePairing]) {
        self.inputs = inputs
        self.heads = Array(repeating: nil, count: inputs.count)
    }

    /// The next row change of all tables, or `nil` when every table is exhausted.
    public func next() async throws -> PairedChange? {
        if !started {
            started = true
            for index in inputs.indices { heads[index] = try await inputs[index].next() }
        }
        var best: Int?
        for index in heads.indices {
            guard let head = heads[index] else { continue }
            if let current = best, !(head.first.orderKey < heads[current]!.first.orderKey) { continue }
            best = index
        }
        guard let best, let change = heads[best] else { return nil }
        heads[best] = try await inputs[best].next()
        if let lastKey, change.first.orderKey < lastKey {
            throw SourceError(.unexpectedChangeData, "change rows came out of commit order at \(change.commitLSN)", context: ["lsn": change.commitLSN.description])
        }
        lastKey = change.first.orderKey
        return change
    }
}
