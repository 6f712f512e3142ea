public import Postgres
import FerryCore

/// Where validation inside a running task (`ValidationSettings.EnableValidation`) keeps its
/// per-table outcome on a target: `ferry.table_validation`, keyed like `ferry.table_statistics`
/// (sink, source table), which `ferry status` reads beside the statistics; and DMS's
/// `awsdms_validation_failures_v1`, one row per differing key, in the control schema.
///
/// The validator writes its own table rather than columns of `ferry.table_statistics`: the sink
/// updates those rows at every commit, and a validation pass must not hold their locks.
public struct ValidationStatusStore: Sendable {
    /// One table's validation outcome, as `ferry.table_validation` holds it.
    public struct Entry: Hashable, Sendable {
        /// DMS's `ValidationState` strings.
        public static let pendingRecords = "Pending records"
        /// Every row compared equal.
        public static let validated = "Validated"
        /// Some rows differ; ``failed`` counts them.
        public static let mismatchedRecords = "Mismatched records"
        /// The table is suspended by the sink (an apply error), so it is not validated.
        public static let tableError = "Table error"
        /// No primary key or unique index to match rows on.
        public static let noPrimaryKey = "No primary key"
        /// The comparison failed (a query error); ``details`` says why.
        public static let error = "Error"

        /// The sink (task) name.
        public var sink: String
        /// `database.schema.table` on the source, as in `ferry.table_statistics`.
        public var sourceTable: String
        /// `schema.table` on the target.
        public var targetTable: String
        /// DMS's `ValidationState`.
        public var state: String
        /// Records waiting for validation when the entry was written (DMS's `ValidationPendingRecords`).
        public var pending: Int64
        /// Records that differ (DMS's `ValidationFailedRecords`).
        public var failed: Int64
        /// Records that could not be compared (DMS's `ValidationSuspendedRecords`).
        public var suspended: Int64
        /// Why the table is in its state (DMS's `ValidationStateDetails`).
        public var details: String
        /// The table's applied record count (full-load rows + inserts + updates + deletes in
        /// `ferry.table_statistics`) when the comparison started: records applied since then
        /// are pending.
        public var validatedApplied: Int64
        /// When the entry was written, microseconds since 1970 (set by the store).
        public var updatedMicroseconds: Int64

        /// Makes an entry.
        public init(sink: String, sourceTable: String, targetTable: String, state: String, pending: Int64 = 0, failed: Int64 = 0,
                    suspended: Int64 = 0, details: String = "", validatedApplied: Int64 = 0, updatedMicroseconds: Int64 = 0) {
            self.sink = sink
            self.sourceTable = sourceTable
            self.targetTable = targetTable
            self.state = state
            self.pending = pending
            self.failed = failed
            self.suspended = suspended
            self.details = details
            self.validatedApplied = validatedApplied
            self.updatedMicroseconds = updatedMicroseconds
        }

        /// The state given the table's applied record count now: a validated table with records
        /// applied since its comparison is `Pending records` again, as in DMS.
        public func state(applied: Int64) -> String {
            state == Self.validated && applied > validatedApplied ? Self.pendingRecords : state
        }

        /// Pending records given the applied count now: those applied since the comparison started.
        public func pending(applied: Int64) -> Int64 {
            max(pending, applied - validatedApplied, 0)
        }
    }

    /// The sink (task) whose rows this store writes (`TASK_NAME` in DMS's table).
    public let sink: String
    /// The schema of `awsdms_validation_failures_v1` (`ControlSchema`, or `public`); `nil`: not written.
    public let failuresSchema: String?

    /// Makes a store for `sink`.
    public init(sink: String, failuresSchema: String?) {
        self.sink = sink
        self.failuresSchema = failuresSchema
    }

    /// `ferry.table_validation`, and DMS's failures table in its PostgreSQL layout (quoted
    /// upper-case columns, as DMS creates `awsdms_apply_exceptions` and this table there).
    var ddl: String {
        var ddl = """
            CREATE SCHEMA IF NOT EXISTS ferry;
            CREATE TABLE IF NOT EXISTS ferry.table_validation (
                sink text NOT NULL, source_table text NOT NULL, target_table text NOT NULL, state text NOT NULL,
                pending bigint NOT NULL DEFAULT 0, failed bigint NOT NULL DEFAULT 0, suspended bigint NOT NULL DEFAULT 0,
                details text NOT NULL DEFAULT '', validated_applied bigint NOT NULL DEFAULT 0,
                updated timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (sink, source_table));
            """
        if let failuresSchema {
            let schema = PostgresIdentifier.quote(failuresSchema)
            ddl += """
                CREATE SCHEMA IF NOT EXISTS \(schema);
                CREATE TABLE IF NOT EXISTS \(schema).awsdms_validation_failures_v1 (
                    "TASK_NAME" varchar(128) NOT NULL, "TABLE_OWNER" varchar(128) NOT NULL, "TABLE_NAME" varchar(128) NOT NULL,
                    "FAILURE_TIME" timestamp(3) NOT NULL, "KEY_TYPE" varchar(128) NOT NULL, "KEY" text NOT NULL,
                    "FAILURE_TYPE" varchar(128) NOT NULL, "DETAILS" varchar(8000) NOT NULL);
                """
        }
        return ddl
    }

    /// Creates the tables if needed; a race with another process creating them is retried once.
    public func prepare(_ connection: PostgresConnection) async throws {
        for attempt in 1...2 {
            do {
                try await connection.execute(ddl)
                return
            } catch {
                let lostRace = (error as (any Error) as? PostgresError).map { $0.sqlState == "23505" || $0.sqlState == "42P07" } ?? false
                if !lostRace || attempt == 2 { throw error }
            }
        }
    }

    /// This sink's entries, by source table.
    public func entries(_ connection: PostgresConnection) async throws -> [String: Entry] {
        var result: [String: Entry] = [:]
        for entry in try await Self.load(from: connection, sink: sink) { result[entry.sourceTable] = entry }
        return result
    }

    /// Every sink's entries (or `sink`'s); none when no task validated on this target.
    public static func load(from connection: PostgresConnection, sink: String?) async throws -> [Entry] {
        let exists = try await connection.query("SELECT to_regclass('ferry.table_validation') IS NOT NULL")
        guard try exists.first?.decode(Bool.self, at: 0) == true else { return [] }
        let rows = try await connection.query("""
            SELECT sink, source_table, target_table, state, pending, failed, suspended, details, validated_applied,
                   (extract(epoch FROM updated) * 1000000)::int8 AS updated_us
            FROM ferry.table_validation WHERE $1::text IS NULL OR sink = $1 ORDER BY sink, source_table
            """, [sink.map { .text($0) } ?? .null])
        return try rows.map { row in
            Entry(sink: try row.decode(String.self, column: "sink"), sourceTable: try row.decode(String.self, column: "source_table"),
                  targetTable: try row.decode(String.self, column: "target_table"), state: try row.decode(String.self, column: "state"),
                  pending: try row.decode(Int64.self, column: "pending"), failed: try row.decode(Int64.self, column: "failed"),
                  suspended: try row.decode(Int64.self, column: "suspended"), details: try row.decode(String.self, column: "details"),
                  validatedApplied: try row.decode(Int64.self, column: "validated_applied"),
                  updatedMicroseconds: try row.decode(Int64.self, column: "updated_us"))
        }
    }

    /// Writes `entry`. With `failures` (the outcome of a comparison), the table's rows in
    /// `awsdms_validation_failures_v1` are replaced by them in the same transaction, so the
    /// table lists the keys that differ now, not every difference ever seen.
    public func save(_ entry: Entry, failures: [RowMismatch]? = nil, table: ValidationTable? = nil, connection: PostgresConnection) async throws {
        let rows = failures.map { mismatches in
            mismatches.map { Self.failureRow($0, keyOrder: table?.keyColumns.map(\.sourceName) ?? $0.key.keys.sorted()) }
        }
        let sourceParts = Self.schemaAndTable(entry.sourceTable)
        let failuresTable = failuresSchema.map { PostgresIdentifier.quote($0) + ".awsdms_validation_failures_v1" }
        let parameters: [PostgresValue] = [
            .text(entry.sink), .text(entry.sourceTable), .text(entry.targetTable), .text(entry.state), .int64(entry.pending),
            .int64(entry.failed), .int64(entry.suspended), .text(entry.details), .int64(entry.validatedApplied),
        ]
        try await connection.withTransaction { connection in
            try connection.query("""
                INSERT INTO ferry.table_validation AS v (sink, source_table, target_table, state, pending, failed, suspended, details, validated_applied, updated)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
                ON CONFLICT (sink, source_table) DO UPDATE SET target_table = EXCLUDED.target_table, state = EXCLUDED.state,
                    pending = EXCLUDED.pending, failed = EXCLUDED.failed, suspended = EXCLUDED.suspended, details = EXCLUDED.details,
                    validated_applied = EXCLUDED.validated_applied, updated = now()
                """, parameters)
            guard let rows, let failuresTable else { return }
            try connection.query("""
                DELETE FROM \(failuresTable) WHERE "TASK_NAME" = $1 AND "TABLE_OWNER" = $2 AND "TABLE_NAME" = $3
                """, [.text(entry.sink), .text(sourceParts.schema), .text(sourceParts.table)])
            for row in rows {
                try connection.query("""
                    INSERT INTO \(failuresTable) ("TASK_NAME", "TABLE_OWNER", "TABLE_NAME", "FAILURE_TIME", "KEY_TYPE", "KEY", "FAILURE_TYPE", "DETAILS")
                    VALUES ($1, $2, $3, now() AT TIME ZONE 'UTC', 'Row', $4, $5, $6)
                    """, [.text(entry.sink), .text(sourceParts.schema), .text(sourceParts.table), .text(row.key), .text(row.type), .text(row.details)])
            }
        }
    }

    /// Removes the entries of tables no longer in the task (dropped, or no longer selected).
    public func remove(sourceTables: [String], connection: PostgresConnection) async throws {
        for table in sourceTables {
            try await connection.query("DELETE FROM ferry.table_validation WHERE sink = $1 AND source_table = $2", [.text(sink), .text(table)])
        }
    }

    /// DMS's `KEY` (`{"key": ["17"]}`, the key values in key order), `FAILURE_TYPE` and `DETAILS`.
    static func failureRow(_ mismatch: RowMismatch, keyOrder: [String]) -> (key: String, type: String, details: String) {
        let values = keyOrder.map { name in mismatch.key[name].map(jsonStringLiteral) ?? "null" }
        let key = "{\"key\": [" + values.joined(separator: ", ") + "]}"
        switch mismatch.kind {
        case .missingOnTarget: return (key, "MISSING_TARGET", "the source has the row; the target does not")
        case .missingOnSource: return (key, "MISSING_SOURCE", "the target has a row the source does not")
        case .different(let columns): return (key, "RECORD_DIFF", "different columns: " + columns.joined(separator: ", "))
        }
    }

    /// `database.schema.table` → (schema, table); SQL Server names, so the table keeps further dots.
    static func schemaAndTable(_ sourceTable: String) -> (schema: String, table: String) {
        let parts = sourceTable.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        switch parts.count {
        case 3: return (String(parts[1]), String(parts[2]))
        case 2: return (String(parts[0]), String(parts[1]))
        default: return ("", sourceTable)
        }
    }

}
