public import FerryCore

/// Builds events from change rows and snapshot rows: pure, so every rule is unit-tested.
public enum EventBuilder {
    /// The row image of a change row, with large values CDC left out marked ``ColumnValue/unchanged``:
    /// - `text`/`ntext`/`image` are always NULL in delete and update-before rows;
    /// - `(max)` and `xml` values come back NULL in update rows when the update did not touch
    ///   them (their bit in `__$update_mask` is clear).
    /// A genuine NULL is kept when the mask says the column changed.
    public static func image(of row: ChangeRow, columns: [CapturedColumn]) -> Row {
        var result: [Row.Column] = []
        result.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() {
            var value = index < row.values.count ? row.values[index] : .null
            let type = column.definition.type
            if value == .null, type.isLargeObject {
                switch row.operation {
                case .delete:
                    if type.isLegacyLargeObject { value = .unchanged }
                case .updateBefore:
                    if type.isLegacyLargeObject || !row.updateMask.isSet(ordinal: column.ordinal) { value = .unchanged }
                case .updateAfter:
                    if !row.updateMask.isSet(ordinal: column.ordinal) { value = .unchanged }
                case .insert:
                    break
                }
            }
            result.append(Row.Column(name: column.definition.name, value: value))
        }
        return Row(result)
    }

    /// The event of one row change.
    public static func event(for change: PairedChange, columns: [CapturedColumn], table: TableIdentity, prefix: String,
                             commitMilliseconds: Int64, serial: Int64, nowMilliseconds: Int64) throws(SourceError) -> ChangeEvent {
        let source = SourceInfo(name: prefix, table: table, changeLSN: change.first.sequenceValue, commitLSN: change.commitLSN,
                                eventSerialNumber: serial, timestampMilliseconds: commitMilliseconds, snapshot: .false)
        let first = image(of: change.first, columns: columns)
        do {
            switch change.operation {
            case .create, .read:
                return try ChangeEvent(operation: .create, before: nil, after: first, source: source, timestampMilliseconds: nowMilliseconds)
            case .delete:
                return try ChangeEvent(operation: .delete, before: first, after: nil, source: source, timestampMilliseconds: nowMilliseconds)
            case .update:
                let after = image(of: change.after!, columns: columns)
                return try ChangeEvent(operation: .update, before: first, after: after, source: source, timestampMilliseconds: nowMilliseconds)
            }
        } catch {
            throw SourceError(.unexpectedChangeData, "\(table): \(error.message)", context: ["table": table.description])
        }
    }

    /// A snapshot read event.
    public static func readEvent(values: [ColumnValue], columns: [ColumnDefinition], table: TableIdentity, prefix: String,
                                 snapshotLSN: LSN?, snapshot: SourceInfo.Snapshot, nowMilliseconds: Int64) throws(SourceError) -> ChangeEvent {
        let row = Row(zip(columns, values).map { Row.Column(name: $0.name, value: $1) })
        let source = SourceInfo(name: prefix, table: table, changeLSN: nil, commitLSN: snapshotLSN, eventSerialNumber: nil,
                                timestampMilliseconds: nowMilliseconds, snapshot: snapshot)
        do {
            return try ChangeEvent(operation: .read, before: nil, after: row, source: source, timestampMilliseconds: nowMilliseconds)
        } catch {
            throw SourceError(.unexpectedChangeData, "\(table): \(error.message)", context: ["table": table.description])
        }
    }

    /// Counts events per (commit LSN, change LSN) so that each event's position
    /// (`commit_lsn`, `change_lsn`, `event_serial_no`) is unique.
    public struct SerialCounter: Sendable {
        private var last: (LSN, LSN)?
        private var serial: Int64 = 0
        /// Makes a counter.
        public init() {}
        /// The serial number of the next event at (`commit`, `change`).
        public mutating func next(commit: LSN, change: LSN) -> Int64 {
            if let last, last.0 == commit, last.1 == change { serial += 1 } else { serial = 1 }
            last = (commit, change)
            return serial
        }
    }
}
