import FerryCore
/// A point in time in UTC with microsecond precision, printed as the AWS CLI prints DMS's
/// timestamps (`2026-11-27T08:15:02.512000+00:00`).
public struct UTCTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microsecondsSince1970: Int64

    /// Makes a timestamp.
    public init(microsecondsSince1970: Int64) {
        self.microsecondsSince1970 = microsecondsSince1970
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.
    public var description: String {
        let micros = ((microsecondsSince1970 % 1_000_000) + 1_000_000) % 1_000_000
        let seconds = (microsecondsSince1970 - micros) / 1_000_000
        let secondsOfDay = ((seconds % 86_400) + 86_400) % 86_400
        let (year, month, day) = Self.civil(days: (seconds - secondsOfDay) / 86_400)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):"
            + "\(pad(secondsOfDay % 60, 2)).\(pad(micros, 6))+00:00"
    }

    /// Year, month and day of a day number since 1970-01-01 (proleptic Gregorian calendar).
    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func < (a: UTCTimestamp, b: UTCTimestamp) -> Bool { a.microsecondsSince1970 < b.microsecondsSince1970 }
}

extension SinkTableStatus {
    /// DMS's `TableState` for ``state``: `Full load` and `Table completed` as they are, a suspended
    /// table is `Table error`, a dropped one `Table does not exist`.
    public var tableState: String {
        switch state {
        case "Suspended": "Table error"
        case "Table dropped": "Table does not exist"
        default: state
        }
    }

    /// The source schema (DMS's `SchemaName`).
    public var schemaName: String { sourceNameParts.schema }

    /// The source table (DMS's `TableName`).
    public var tableName: String { sourceNameParts.table }

    /// `database.schema.table` split; names are SQL Server identifiers, so the database and schema
    /// are taken from the left and the table keeps any further dots.
    private var sourceNameParts: (schema: String, table: String) {
        let parts = sourceTable.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        switch parts.count {
        case 3: return (String(parts[1]), String(parts[2]))
        case 2: return (String(parts[0]), String(parts[1]))
        default: return ("", sourceTable)
        }
    }

    /// The ARN-shaped identifier `ferry status --json` gives a sink as `ReplicationTaskArn`:
    /// `arn:ferry:dms:::task:NAME` — the sink's name where DMS has the task's resource id, which is
    /// also `task_name` in the `awsdms_*` tables.
    public static func taskArn(sink: String) -> String { "arn:ferry:dms:::task:\(sink)" }

    /// The statistics as `aws dms describe-table-statistics` prints them: `ReplicationTaskArn`
    /// (omitted when `sink` is `nil`) and `TableStatistics`, with DMS's field names, in the AWS
    /// CLI's order and timestamp format. Ferry counts only applied changes, so `Inserts` and
    /// `AppliedInserts` (and the others) are equal.
    public static func describeTableStatisticsJSON(sink: String?, _ statuses: [SinkTableStatus]) -> String {
        var out = "{\n"
        if let sink { out += "    \"ReplicationTaskArn\": \(jsonStringLiteral(taskArn(sink: sink))),\n" }
        out += "    \"TableStatistics\": ["
        for (index, s) in statuses.enumerated() {
            let fields: [(String, String)] = [
                ("SchemaName", jsonStringLiteral(s.schemaName)), ("TableName", jsonStringLiteral(s.tableName)),
                ("Inserts", "\(s.inserts)"), ("Deletes", "\(s.deletes)"), ("Updates", "\(s.updates)"), ("Ddls", "\(s.ddls)"),
                ("AppliedInserts", "\(s.inserts)"), ("AppliedDeletes", "\(s.deletes)"), ("AppliedUpdates", "\(s.updates)"),
                ("AppliedDdls", "\(s.ddls)"), ("FullLoadRows", "\(s.fullLoadRows)"), ("FullLoadCondtnlChkFailedRows", "0"),
                ("FullLoadErrorRows", "0"),
            ] + (s.fullLoadStartTime.map { [("FullLoadStartTime", jsonStringLiteral($0.description))] } ?? [])
              + (s.fullLoadEndTime.map { [("FullLoadEndTime", jsonStringLiteral($0.description))] } ?? [])
              + [
                ("FullLoadReloaded", "false"), ("LastUpdateTime", jsonStringLiteral(s.lastUpdateTime.description)),
                ("TableState", jsonStringLiteral(s.tableState)), ("ValidationPendingRecords", "\(s.validationPendingRecords)"),
                ("ValidationFailedRecords", "\(s.validationFailedRecords)"),
                ("ValidationSuspendedRecords", "\(s.validationSuspendedRecords)"), ("ValidationState", jsonStringLiteral(s.validationState)),
              ] + (s.validationStateDetails.isEmpty ? [] : [("ValidationStateDetails", jsonStringLiteral(s.validationStateDetails))])
            out += index == 0 ? "\n" : ",\n"
            out += "        {\n" + fields.map { "            \(jsonStringLiteral($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n        }"
        }
        out += statuses.isEmpty ? "]\n}" : "\n    ]\n}"
        return out
    }

}
