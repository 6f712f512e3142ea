import EventLog
import FerryCore

/// One decoded data event waiting to be applied, with the record it came from (for
/// `ferry.apply_exceptions`).
struct PendingChange: Sendable {
    var record: StoredRecord
    var event: ChangeEvent
}

/// The net effect of a run of changes to one key.
enum NetChange: Sendable {
    /// Insert, or replace the row if the key exists: a complete row image.
    case upsert(Row)
    /// Update the existing row; `.unchanged` columns keep the target's value.
    case update(Row)
    /// Delete the row with this key.
    case delete(Row)
}

/// A key as the fold compares it: integers and strings as they are (their target text is the value
/// itself, so equality is the same), every other value as its target text — two values that reach
/// the target as the same key always fold. Hashing the values saves a `String` per key column and
/// an array per event (the first column is held inline).
struct FoldKey: Hashable {
    var first: ColumnValue
    var rest: [ColumnValue]

    init(_ row: Row, columns: [AppliedTable.Column]) {
        first = .null
        rest = []
        if columns.count > 1 { rest.reserveCapacity(columns.count - 1) }
        let stored = row.columns
        for (index, column) in columns.enumerated() {
            // Rows come in the table's column order: look at the same position before searching by name.
            let value = index < stored.count && stored[index].name == column.source ? stored[index].value : row[column.source] ?? .null
            let part = Self.part(value, column.type)
            if index == 0 { first = part } else { rest.append(part) }
        }
    }

    private static func part(_ value: ColumnValue, _ type: SQLServerDataType) -> ColumnValue {
        switch value {
        case .int, .string, .null: value
        case .unchanged: .null
        default: value.postgreSQLText(as: type).map { .string($0) } ?? .null
        }
    }
}

/// Folds keyed changes of one table into one net change per key, keeping first-seen key order.
///
/// Changes to different keys commute, so a set-based merge of the net changes has the effect of
/// applying them one by one in order. What cannot be folded — a key-changing update, an insert
/// with unchanged values, any change to a keyless table — ends the segment and is applied alone.
struct ChangeFolder {
    /// The net change of each key, in first-seen key order.
    private(set) var changes: [NetChange] = []
    /// Where each key's net change is in ``changes``.
    private var slots: [FoldKey: Int] = [:]
    /// Indices (into the caller's change list) of every change folded, in order.
    private(set) var members: [Int] = []
    private(set) var onlyUpserts = true

    var isEmpty: Bool { members.isEmpty }

    /// Room for `count` changes without growing.
    mutating func reserveCapacity(_ count: Int) {
        changes.reserveCapacity(count)
        slots.reserveCapacity(count)
        members.reserveCapacity(count)
    }

    /// Whether `event` must be applied on its own rather than folded.
    static func needsRowLevel(_ event: ChangeEvent, table: AppliedTable) -> Bool {
        guard table.isKeyed else { return true }
        switch event.operation {
        case .create, .read:
            return event.after?.contains { $0.value.isUnchanged } ?? false
        case .update:
            guard let before = event.before, let after = event.after else { return true }
            return FoldKey(before, columns: table.keyColumns) != FoldKey(after, columns: table.keyColumns)
        case .delete:
            return false
        }
    }

    mutating func add(_ event: ChangeEvent, index: Int, table: AppliedTable) {
        guard let image = event.keyImage else { return }
        let key = FoldKey(image, columns: table.keyColumns)
        // One hash lookup: the slot is created at the end of `changes` when the key is new.
        let end = changes.count
        let slot = Self.slot(&slots[key, default: end])
        let next: NetChange
        if slot == end {
            switch event.operation {
            case .create, .read: next = .upsert(event.after!)
            case .update: next = .update(event.after!)
            case .delete: next = .delete(event.before!)
            }
            changes.append(next)
        } else {
            switch (changes[slot], event.operation) {
            case (_, .create), (_, .read):
                next = .upsert(event.after!)
            case (.upsert(let old), .update):
                next = .upsert(Self.merge(old, event.after!))
            case (.update(let old), .update):
                next = .update(Self.merge(old, event.after!))
            case (.delete(let old), .update):
                next = .delete(old)  // as in SQL: an update of a deleted row changes nothing
            case (_, .delete):
                next = .delete(event.before!)
            }
            changes[slot] = next
        }
        if case .upsert = next {} else { onlyUpserts = false }
        members.append(index)
    }

    private static func slot(_ value: inout Int) -> Int { value }

    mutating func removeAll() {
        changes.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        onlyUpserts = true
    }

    /// `new` with each `.unchanged` value taken from `old`.
    static func merge(_ old: Row, _ new: Row) -> Row {
        var result = new
        for column in new where column.value.isUnchanged {
            if let previous = old[column.name], !previous.isUnchanged { result[column.name] = previous }
        }
        return result
    }
}
