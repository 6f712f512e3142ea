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

/// Folds keyed changes of one table into one net change per key, keeping first-seen key order.
///
/// Changes to different keys commute, so a set-based merge of the net changes has the effect of
/// applying them one by one in order. What cannot be folded — a key-changing update, an insert
/// with unchanged values, any change to a keyless table — ends the segment and is applied alone.
struct ChangeFolder {
    private(set) var keys: [[String?]] = []
    private(set) var net: [[String?]: NetChange] = [:]
    /// Indices (into the caller's change list) of every change folded, in order.
    private(set) var members: [Int] = []
    private(set) var onlyUpserts = true

    var isEmpty: Bool { members.isEmpty }

    /// Whether `event` must be applied on its own rather than folded.
    static func needsRowLevel(_ event: ChangeEvent, table: AppliedTable) -> Bool {
        guard table.isKeyed else { return true }
        switch event.operation {
        case .create, .read:
            return event.after?.contains { $0.value == .unchanged } ?? false
        case .update:
            guard let before = event.before, let after = event.after else { return true }
            return table.key(of: before) != table.key(of: after)
        case .delete:
            return false
        }
    }

    mutating func add(_ event: ChangeEvent, index: Int, table: AppliedTable) {
        guard let image = event.keyImage else { return }
        let key = table.key(of: image)
        let previous = net[key]
        if previous == nil { keys.append(key) }
        let next: NetChange
        switch (previous, event.operation) {
        case (_, .create), (_, .read):
            next = .upsert(event.after!)
        case (nil, .update):
            next = .update(event.after!)
        case (.upsert(let old)?, .update):
            next = .upsert(Self.merge(old, event.after!))
        case (.update(let old)?, .update):
            next = .update(Self.merge(old, event.after!))
        case (.delete(let old)?, .update):
            next = .delete(old)  // as in SQL: an update of a deleted row changes nothing
        case (_, .delete):
            next = .delete(event.before!)
        }
        if case .upsert = next {} else { onlyUpserts = false }
        net[key] = next
        members.append(index)
    }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        net.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        onlyUpserts = true
    }

    /// `new` with each `.unchanged` value taken from `old`.
    static func merge(_ old: Row, _ new: Row) -> Row {
        var result = new
        for column in new where column.value == .unchanged {
            if let previous = old[column.name], previous != .unchanged { result[column.name] = previous }
        }
        return result
    }
}
