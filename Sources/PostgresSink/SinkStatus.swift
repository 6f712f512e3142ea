public import Postgres

/// One row of `ferry status`: a table's statistics as `ferry.table_statistics` keeps them, with
/// its lag and open exceptions — the view of the DMS console's table statistics.
public struct SinkTableStatus: Sendable, Hashable {
    /// The sink.
    public var sink: String
    /// `database.schema.table` on the source.
    public var sourceTable: String
    /// `schema.table` on the target.
    public var targetTable: String
    /// The state as `ferry.table_statistics` keeps it: `Full load`, `Table completed`, `Suspended`,
    /// `Table dropped`. ``tableState`` is DMS's word for it.
    public var state: String
    /// Rows loaded by the full load (snapshot reads).
    public var fullLoadRows: Int64
    /// Inserts applied.
    public var inserts: Int64
    /// Updates applied.
    public var updates: Int64
    /// Deletes applied.
    public var deletes: Int64
    /// Schema changes applied.
    public var ddls: Int64
    /// The newest commit LSN applied.
    public var appliedLSN: String?
    /// The newest source commit time applied (ISO 8601, UTC).
    public var appliedCommitTime: String?
    /// Seconds between the newest applied commit and now (how far the target trails when the
    /// source is busy).
    public var lagSeconds: Double?
    /// When the sink last wrote the row.
    public var lastUpdate: String
    /// Rows of this table in `ferry.apply_exceptions`.
    public var exceptions: Int64
    /// When the sink last wrote the row (DMS's `LastUpdateTime`).
    public var lastUpdateTime: UTCTimestamp
    /// When the first full-load row of the table was applied (DMS's `FullLoadStartTime`).
    public var fullLoadStartTime: UTCTimestamp?
    /// When the table left the full load: its last snapshot row, or its first change (DMS's `FullLoadEndTime`).
    public var fullLoadEndTime: UTCTimestamp?
    /// DMS's `ValidationState` as a validator recorded it; `Not enabled` when none did.
    public var validationState: String
    /// Records not yet validated (DMS's `ValidationPendingRecords`).
    public var validationPendingRecords: Int64
    /// Records that failed validation (DMS's `ValidationFailedRecords`).
    public var validationFailedRecords: Int64
    /// Records whose validation is suspended (DMS's `ValidationSuspendedRecords`).
    public var validationSuspendedRecords: Int64
    /// Why the table is in its validation state (DMS's `ValidationStateDetails`); empty when none.
    public var validationStateDetails: String = ""

    /// Reads the statistics of every sink, or of `sink`.
    public static func load(from connection: PostgresConnection, sink: String?) async throws -> [SinkTableStatus] {
        let exists = try await connection.query("SELECT to_regclass('ferry.table_statistics') IS NOT NULL")
        guard try exists.first?.decode(Bool.self, at: 0) == true else { return [] }
        let rows = try await connection.query("""
            SELECT s.sink, s.source_table, s.target_table, s.state, s.full_load_rows, s.inserts, s.updates, s.deletes, s.ddls, s.applied_lsn,
                   to_char(s.applied_commit_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS commit_time,
                   extract(epoch FROM now() - s.applied_commit_time)::float8 AS lag,
                   to_char(s.last_update AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_update,
                   (SELECT count(*) FROM ferry.apply_exceptions e WHERE e.sink = s.sink AND e.target_table = s.target_table) AS exceptions,
                   (extract(epoch FROM s.last_update) * 1000000)::int8 AS last_update_us,
                   -- columns added by later versions are read through to_jsonb, so an older target still shows
                   (extract(epoch FROM (to_jsonb(s) ->> 'full_load_start')::timestamptz) * 1000000)::int8 AS full_load_start_us,
                   (extract(epoch FROM (to_jsonb(s) ->> 'full_load_end')::timestamptz) * 1000000)::int8 AS full_load_end_us,
                   COALESCE(to_jsonb(s) ->> 'validation_state', 'Not enabled') AS validation_state,
                   COALESCE((to_jsonb(s) ->> 'validation_pending')::int8, 0) AS validation_pending,
                   COALESCE((to_jsonb(s) ->> 'validation_failed')::int8, 0) AS validation_failed,
                   COALESCE((to_jsonb(s) ->> 'validation_suspended')::int8, 0) AS validation_suspended
            FROM ferry.table_statistics s
            WHERE $1::text IS NULL OR s.sink = $1
            ORDER BY s.sink, s.source_table
            """, [sink.map { .text($0) } ?? .null])
        return try rows.map { row in
            SinkTableStatus(sink: try row.decode(String.self, column: "sink"), sourceTable: try row.decode(String.self, column: "source_table"),
                            targetTable: try row.decode(String.self, column: "target_table"), state: try row.decode(String.self, column: "state"),
                            fullLoadRows: try row.decode(Int64.self, column: "full_load_rows"), inserts: try row.decode(Int64.self, column: "inserts"),
                            updates: try row.decode(Int64.self, column: "updates"), deletes: try row.decode(Int64.self, column: "deletes"),
                            ddls: try row.decode(Int64.self, column: "ddls"), appliedLSN: try row.decode(String?.self, column: "applied_lsn"),
                            appliedCommitTime: try row.decode(String?.self, column: "commit_time"), lagSeconds: try row.decode(Double?.self, column: "lag"),
                            lastUpdate: try row.decode(String.self, column: "last_update"), exceptions: try row.decode(Int64.self, column: "exceptions"),
                            lastUpdateTime: UTCTimestamp(microsecondsSince1970: try row.decode(Int64.self, column: "last_update_us")),
                            fullLoadStartTime: try row.decode(Int64?.self, column: "full_load_start_us").map(UTCTimestamp.init),
                            fullLoadEndTime: try row.decode(Int64?.self, column: "full_load_end_us").map(UTCTimestamp.init),
                            validationState: try row.decode(String.self, column: "validation_state"),
                            validationPendingRecords: try row.decode(Int64.self, column: "validation_pending"),
                            validationFailedRecords: try row.decode(Int64.self, column: "validation_failed"),
                            validationSuspendedRecords: try row.decode(Int64.self, column: "validation_suspended"))
        }
    }
}

extension SinkTableStatus {
    /// A table a validator recorded but no sink has written statistics for (a `ValidationOnly`
    /// task): no counts, DMS's `Before load` state.
    public init(sink: String, sourceTable: String, targetTable: String, lastUpdateTime: UTCTimestamp) {
        self.init(sink: sink, sourceTable: sourceTable, targetTable: targetTable, state: "Before load", fullLoadRows: 0, inserts: 0,
                  updates: 0, deletes: 0, ddls: 0, appliedLSN: nil, appliedCommitTime: nil, lagSeconds: nil, lastUpdate: "",
                  exceptions: 0, lastUpdateTime: lastUpdateTime, fullLoadStartTime: nil, fullLoadEndTime: nil,
                  validationState: "Not enabled", validationPendingRecords: 0, validationFailedRecords: 0, validationSuspendedRecords: 0)
    }
}
