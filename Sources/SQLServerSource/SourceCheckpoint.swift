import Foundation
public import FerryCore

/// The source's position, stored in the compacted `<prefix>.offsets` topic under one key per
/// database: where the snapshot stands (its LSN and the tables already read) and the last LSN
/// whose events are all durable in the log.
public struct SourceCheckpoint: Hashable, Sendable {
    /// Where the source is.
    public enum Phase: String, Hashable, Sendable, Codable {
        /// The snapshot is running; ``snapshotCompleted`` lists the tables already read.
        case snapshot
        /// Streaming from ``position``.
        case streaming
    }

    /// Snapshot or streaming.
    public var phase: Phase
    /// The max LSN recorded before the snapshot read anything. Tables completed without an entry
    /// in ``snapshotBoundaries`` (checkpoints of earlier builds) stream from after it.
    public var snapshotLSN: LSN?
    /// Tables whose snapshot is complete and durable: never read again.
    public var snapshotCompleted: Set<TableIdentity>
    /// Per completed table, the snapshot boundary B: its snapshot rows contain exactly the changes
    /// with commit LSN ≤ B. Streaming starts after the smallest boundary and drops a table's
    /// changes at or below its own. An entry is dropped once ``position`` passed it.
    public var snapshotBoundaries: [TableIdentity: LSN] = [:]
    /// Per completed table whose boundary is not known yet: the server time (`SYSDATETIME()`, as
    /// `yyyy-mm-dd hh:mi:ss.fffffff`) its snapshot was taken at; resolved to a boundary with
    /// `sys.fn_cdc_map_time_to_lsn` once capture has passed it.
    public var snapshotTimes: [TableIdentity: String] = [:]
    /// Tables whose snapshot rows began to be published. One that is in here but not in
    /// ``snapshotCompleted`` after a crash has rows of an abandoned point in the log: read again, it
    /// gets no boundary and streams from after ``snapshotLSN`` (changes since the abandoned point,
    /// deletes among them, are replayed; at-least-once for that table).
    public var snapshotStarted: Set<TableIdentity> = []
    /// The last LSN all of whose changes are durable in the log.
    public var position: LSN?
    /// The capture instance each table was read from at ``position``.
    public var captureInstances: [TableIdentity: String]
    /// When the checkpoint was written, milliseconds since 1970-01-01 UTC.
    public var timestampMilliseconds: Int64

    /// Makes a checkpoint.
    public init(phase: Phase, snapshotLSN: LSN? = nil, snapshotCompleted: Set<TableIdentity> = [], position: LSN? = nil,
                captureInstances: [TableIdentity: String] = [:], timestampMilliseconds: Int64 = 0) {
        self.phase = phase
        self.snapshotLSN = snapshotLSN
        self.snapshotCompleted = snapshotCompleted
        self.position = position
        self.captureInstances = captureInstances
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// The format version written in every checkpoint.
    public static let formatVersion = 1

    private struct Stored: Codable {
        var version: Int
        var phase: Phase
        var snapshot_lsn: String?
        var snapshot_completed: [String]
        var position: String?
        var capture_instances: [String: String]
        var ts_ms: Int64
        // Added after format version 1 shipped: absent in older checkpoints (no boundaries: the old behaviour).
        var snapshot_boundaries: [String: String]?
        var snapshot_times: [String: String]?
        var snapshot_started: [String]?
    }

    /// The record key: `{"db":"<database>","source":"<prefix>"}`.
    public static func key(prefix: String, database: String) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(["source": prefix, "db": database])) ?? Data())
    }

    /// The record value (JSON).
    public func encoded() -> [UInt8] {
        let stored = Stored(version: Self.formatVersion, phase: phase, snapshot_lsn: snapshotLSN?.description,
                            snapshot_completed: snapshotCompleted.sorted().map(Self.name),
                            position: position?.description,
                            capture_instances: Dictionary(uniqueKeysWithValues: captureInstances.map { (Self.name($0.key), $0.value) }),
                            ts_ms: timestampMilliseconds,
                            snapshot_boundaries: snapshotBoundaries.isEmpty ? nil : Dictionary(uniqueKeysWithValues: snapshotBoundaries.map { (Self.name($0.key), $0.value.description) }),
                            snapshot_times: snapshotTimes.isEmpty ? nil : Dictionary(uniqueKeysWithValues: snapshotTimes.map { (Self.name($0.key), $0.value) }),
                            snapshot_started: snapshotStarted.isEmpty ? nil : snapshotStarted.sorted().map(Self.name))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(stored)) ?? Data())
    }

    /// Reads a value written by ``encoded()``; throws naming the field at fault.
    public init(decoding bytes: [UInt8]) throws(SourceError) {
        let stored: Stored
        do { stored = try JSONDecoder().decode(Stored.self, from: Data(bytes)) } catch {
            throw SourceError(.invalidCheckpoint, "the stored checkpoint is not valid JSON of this version: \(error)")
        }
        guard stored.version == Self.formatVersion else {
            throw SourceError(.invalidCheckpoint, "the stored checkpoint has version \(stored.version); this build reads \(Self.formatVersion)", context: ["field": "version"])
        }
        func lsn(_ text: String?, _ field: String) throws(SourceError) -> LSN? {
            guard let text else { return nil }
            guard let value = LSN(text) else { throw SourceError(.invalidCheckpoint, "'\(field)' is not an LSN: \(text)", context: ["field": field]) }
            return value
        }
        var completed = Set<TableIdentity>()
        for name in stored.snapshot_completed { completed.insert(try Self.table(name, field: "snapshot_completed")) }
        var instances: [TableIdentity: String] = [:]
        for (name, instance) in stored.capture_instances { instances[try Self.table(name, field: "capture_instances")] = instance }
        self.init(phase: stored.phase, snapshotLSN: try lsn(stored.snapshot_lsn, "snapshot_lsn"), snapshotCompleted: completed,
                  position: try lsn(stored.position, "position"), captureInstances: instances, timestampMilliseconds: stored.ts_ms)
        for (name, text) in stored.snapshot_boundaries ?? [:] {
            snapshotBoundaries[try Self.table(name, field: "snapshot_boundaries")] = try lsn(text, "snapshot_boundaries")
        }
        for (name, time) in stored.snapshot_times ?? [:] { snapshotTimes[try Self.table(name, field: "snapshot_times")] = time }
        for name in stored.snapshot_started ?? [] { snapshotStarted.insert(try Self.table(name, field: "snapshot_started")) }
    }

    /// Where streaming starts after the snapshot of `tables`: the smallest boundary, where a
    /// completed table without one (an earlier build's checkpoint) counts ``snapshotLSN``.
    public func streamingStart(for tables: [TableIdentity]) -> LSN? {
        var start: LSN?
        for table in tables {
            guard let point = snapshotBoundaries[table] ?? snapshotLSN else { continue }
            start = start.map { min($0, point) } ?? point
        }
        return start ?? snapshotLSN
    }

    /// Whether a change of `table` committed at `commitLSN` is already in the table's snapshot rows.
    public func isInSnapshot(_ table: TableIdentity, commitLSN: LSN) -> Bool {
        guard let boundary = snapshotBoundaries[table] else { return false }
        return commitLSN <= boundary
    }

    /// `database.schema.table` — the parts are checked as topic name parts, so they hold no dots.
    private static func name(_ table: TableIdentity) -> String { table.description }

    private static func table(_ text: String, field: String) throws(SourceError) -> TableIdentity {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw SourceError(.invalidCheckpoint, "'\(field)' holds '\(text)', not database.schema.table", context: ["field": field])
        }
        return TableIdentity(database: String(parts[0]), schema: String(parts[1]), table: String(parts[2]))
    }
}
