public import FerryCore

/// Where a change sits in the source's history: commit LSN, change LSN, event serial number —
/// the same triple in Ferry's and Debezium's SQL Server events. A source that re-sends after a
/// crash re-sends the same positions, which is how the sink recognises duplicates.
public struct SourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The transaction's commit LSN.
    public var commitLSN: LSN
    /// The change's own LSN.
    public var changeLSN: LSN
    /// Tells apart events with the same LSNs.
    public var serial: Int64

    /// Makes a position.
    public init(commitLSN: LSN, changeLSN: LSN, serial: Int64) {
        self.commitLSN = commitLSN
        self.changeLSN = changeLSN
        self.serial = serial
    }

    /// The position of a streamed change; `nil` for snapshot reads, which have no change LSN and
    /// are applied idempotently instead.
    public init?(_ source: SourceInfo) {
        guard source.snapshot == .false || source.snapshot == .incremental, let commit = source.commitLSN, let change = source.changeLSN else { return nil }
        self.init(commitLSN: commit, changeLSN: change, serial: source.eventSerialNumber ?? 0)
    }

    /// `commit/change/serial`, the form kept in `ferry.sink_offsets.source_position`.
    public var description: String { "\(commitLSN)/\(changeLSN)/\(serial)" }

    /// Reads ``description``'s form.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 3, let commit = LSN(parts[0]), let change = LSN(parts[1]), let serial = Int64(parts[2]) else { return nil }
        self.init(commitLSN: commit, changeLSN: change, serial: serial)
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.commitLSN, lhs.changeLSN, lhs.serial) < (rhs.commitLSN, rhs.changeLSN, rhs.serial)
    }
}
