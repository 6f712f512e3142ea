import PostgresSink
import Validation

extension StatusCommand {
    /// The statistics with the validation outcomes of `ferry.table_validation` joined on (sink,
    /// source table): the state and pending count are those of now (a validated table with records
    /// applied since its comparison is `Pending records`). Tables only a validator recorded (a
    /// `ValidationOnly` task) are added in state `Before load`.
    static func merge(_ statuses: [SinkTableStatus], _ entries: [ValidationStatusStore.Entry]) -> [SinkTableStatus] {
        var merged = statuses
        var index: [String: Int] = [:]
        for (position, status) in merged.enumerated() { index[status.sink + "\u{0}" + status.sourceTable] = position }
        for entry in entries {
            let key = entry.sink + "\u{0}" + entry.sourceTable
            var status = index[key].map { merged[$0] }
                ?? SinkTableStatus(sink: entry.sink, sourceTable: entry.sourceTable, targetTable: entry.targetTable,
                                   lastUpdateTime: UTCTimestamp(microsecondsSince1970: entry.updatedMicroseconds))
            let applied = status.fullLoadRows + status.inserts + status.updates + status.deletes
            status.validationState = entry.state(applied: applied)
            status.validationPendingRecords = entry.pending(applied: applied)
            status.validationFailedRecords = entry.failed
            status.validationSuspendedRecords = entry.suspended
            status.validationStateDetails = entry.details
            if let position = index[key] {
                merged[position] = status
            } else {
                index[key] = merged.count
                merged.append(status)
            }
        }
        return merged.sorted { ($0.sink, $0.sourceTable) < ($1.sink, $1.sourceTable) }
    }
}
