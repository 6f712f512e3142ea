public import FerryCore

/// An LSN window of change rows: commit LSNs in `(after, through]`.
public struct LSNWindow: Hashable, Sendable, CustomStringConvertible {
    /// The last LSN already published (exclusive).
    public var after: LSN
    /// The last LSN the window covers (inclusive).
    public var through: LSN

    /// Makes a window; `after < through` is the caller's to keep.
    public init(after: LSN, through: LSN) {
        self.after = after
        self.through = through
    }

    public var description: String { "(\(after), \(through)]" }
}

/// Plans LSN windows: pure functions, so the rules are unit-tested apart from SQL Server.
///
/// 1. A window starts after the published position and ends at `sys.fn_cdc_get_max_lsn()`, or
///    earlier at the `maxTransactionsPerWindow`-th transaction's commit LSN in
///    `cdc.lsn_time_mapping`.
/// 2. It ends before a *boundary* — a DDL's LSN or the start of a newer capture instance — so that
///    the schema change, or the switch of instance, happens between two windows, in LSN order.
/// 3. When more change tables have rows in the window than there are reading connections, it ends
///    before the first change of the table that would need one connection too many (see
///    ``narrow(_:firstChanges:connections:)``).
public enum WindowPlanner {
    /// The next window after `position`, or `nil` when there is nothing new.
    /// - Parameters:
    ///   - position: the last published LSN.
    ///   - maxLSN: `sys.fn_cdc_get_max_lsn()` (`nil` before the first capture).
    ///   - transactionLimitLSN: the commit LSN of the last transaction the window may cover, when
    ///     more than the allowed number of transactions follow `position`.
    ///   - boundaries: LSNs that must start a window.
    public static func window(after position: LSN, maxLSN: LSN?, transactionLimitLSN: LSN?, boundaries: [LSN]) -> LSNWindow? {
        guard let maxLSN, maxLSN > position else { return nil }
        var through = maxLSN
        if let limit = transactionLimitLSN, limit > position, limit < through { through = limit }
        for boundary in boundaries where boundary <= through {
            guard let previous = boundary.decremented(), previous > position else { continue }
            through = min(through, previous)
        }
        return LSNWindow(after: position, through: through)
    }

    /// Shrinks `window` so that at most `connections` change tables have rows in it, given each
    /// table's first commit LSN in the window (from the probe query). Returns the window and the
    /// indexes of the tables to read in it.
    ///
    /// With `k = connections`: if the k+1-th table's first change comes after the first table's,
    /// the window ends just before it and only the first k tables have rows in it. If the first
    /// k+1 tables all start in the same transaction, the window becomes that one transaction and
    /// every table in it is read (the caller opens extra connections for it).
    public static func narrow(_ window: LSNWindow, firstChanges: [(table: Int, lsn: LSN)], connections: Int) -> (window: LSNWindow, tables: [Int]) {
        let sorted = firstChanges.filter { $0.lsn > window.after && $0.lsn <= window.through }
            .sorted { $0.lsn != $1.lsn ? $0.lsn < $1.lsn : $0.table < $1.table }
        let k = max(1, connections)
        guard sorted.count > k else { return (window, sorted.map(\.table)) }
        let first = sorted[0].lsn
        let cut = sorted[k].lsn
        if cut > first, let through = cut.decremented() {
            let narrowed = LSNWindow(after: window.after, through: through)
            return (narrowed, sorted.filter { $0.lsn <= through }.map(\.table))
        }
        let single = LSNWindow(after: window.after, through: first)
        return (single, sorted.filter { $0.lsn == first }.map(\.table))
    }

    /// The idle wait after `idlePolls` polls in a row found nothing: the poll interval, doubled per
    /// idle poll, at most `maximum`.
    public static func idleDelay(idlePolls: Int, pollInterval: Duration, maximum: Duration) -> Duration {
        var delay = pollInterval
        var remaining = max(0, idlePolls - 1)
        while remaining > 0, delay < maximum {
            delay = delay * 2
            remaining -= 1
        }
        return min(delay, maximum)
    }
}
