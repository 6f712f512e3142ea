public import FerryCore
import Postgres

/// Which of AWS DMS's control tables a sink writes on its target, and where — DMS's
/// `ControlTablesSettings` (docs/task-settings.md). The tables have the layout DMS creates on a
/// PostgreSQL target, so monitoring queries written for DMS keep working:
///
/// - `awsdms_apply_exceptions` (always, as DMS does on database targets): one row per row or event
///   the target refused, written in the transaction that records it in `ferry.apply_exceptions`;
/// - `awsdms_status` (`StatusTableEnabled`): one row per sink, updated at each commit;
/// - `awsdms_suspended_tables` (`SuspendedTablesTableEnabled`): alongside `ferry.suspended_tables`;
/// - `awsdms_history` (`HistoryTableEnabled`): one row per time slot and slot type.
public struct DMSControlTables: Hashable, Sendable {
    /// The schema of the tables (`ControlSchema`; DMS's default on PostgreSQL is `public`).
    public var schema: String
    /// Write `awsdms_apply_exceptions`.
    public var applyExceptions: Bool
    /// Write `awsdms_status` (`StatusTableEnabled`).
    public var status: Bool
    /// Write `awsdms_suspended_tables` (`SuspendedTablesTableEnabled`).
    public var suspendedTables: Bool
    /// Write `awsdms_history` (`HistoryTableEnabled`).
    public var history: Bool
    /// The length of one `awsdms_history` time slot (`HistoryTimeslotInMinutes`).
    public var historyTimeslot: Duration
    /// `server_name` in `awsdms_status`, `awsdms_history` and `awsdms_suspended_tables`: the host
    /// the sink runs on (DMS writes its replication instance's name); `nil` takes the host name.
    public var serverName: String?

    /// Makes a configuration; by default only `awsdms_apply_exceptions` in `public`, as DMS does.
    public init(schema: String = "public", applyExceptions: Bool = true, status: Bool = false, suspendedTables: Bool = false,
                history: Bool = false, historyTimeslot: Duration = .seconds(5 * 60), serverName: String? = nil) {
        self.schema = schema
        self.applyExceptions = applyExceptions
        self.status = status
        self.suspendedTables = suspendedTables
        self.history = history
        self.historyTimeslot = historyTimeslot
        self.serverName = serverName
    }

    /// The tables a DMS task with these settings writes: apply exceptions always, the others as
    /// their `…Enabled` flags say, in `ControlSchema` (or `public`).
    public init(_ settings: ControlTablesSettings) {
        self.init(schema: settings.effectiveControlSchema, status: settings.statusTableEnabled,
                  suspendedTables: settings.suspendedTablesTableEnabled, history: settings.historyTableEnabled,
                  historyTimeslot: .seconds(60 * Int64(max(1, settings.historyTimeslotInMinutes))))
    }

    /// The values of `awsdms_status.task_status`.
    public enum TaskStatus: String, Hashable, Sendable {
        /// At least one table is in full load.
        case fullLoad = "FULL LOAD"
        /// Every table is loaded; changes are applied.
        case changeProcessing = "CHANGE PROCESSING"
        /// The sink has stopped.
        case notRunning = "NOT RUNNING"
    }

    /// The values of `awsdms_history.timeslot_type`.
    public enum TimeslotType: String, Hashable, Sendable, CaseIterable {
        /// Rows loaded by the full load (snapshot reads).
        case fullLoad = "FULL LOAD"
        /// Changes (inserts, updates, deletes, schema changes) applied.
        case changeProcessing = "CHANGE PROCESSING"
    }

    /// `"schema".awsdms_…`.
    func qualified(_ table: String) -> String { "\(PostgresIdentifier.quote(schema)).\(table)" }

    /// The DDL of the enabled tables, in DMS's PostgreSQL layout: `awsdms_apply_exceptions` with
    /// DMS's quoted upper-case column names, the others lower-case, each with DMS's unique index.
    var ddl: String {
        let s = PostgresIdentifier.quote(schema)
        var statements = ["CREATE SCHEMA IF NOT EXISTS \(s)"]
        if applyExceptions {
            statements.append("""
                CREATE TABLE IF NOT EXISTS \(s).awsdms_apply_exceptions (
                    "TASK_NAME" varchar(128) NOT NULL, "TABLE_OWNER" varchar(128) NOT NULL, "TABLE_NAME" varchar(128) NOT NULL,
                    "ERROR_TIME" timestamp NOT NULL, "STATEMENT" text NOT NULL, "ERROR" text NOT NULL)
                """)
        }
        if status {
            statements.append("""
                CREATE TABLE IF NOT EXISTS \(s).awsdms_status (
                    server_name varchar(128) NOT NULL, task_name varchar(128) NOT NULL, task_status varchar(32), status_time timestamp,
                    pending_changes int8, disk_swap_size int8, task_memory int8, source_current_position varchar(128),
                    source_current_timestamp timestamp, source_tail_position varchar(128), source_tail_timestamp timestamp,
                    source_timestamp_applied timestamp)
                """)
            statements.append("CREATE UNIQUE INDEX IF NOT EXISTS awsdms_status_task_status_index ON \(s).awsdms_status (server_name, task_name)")
        }
        if suspendedTables {
            statements.append("""
                CREATE TABLE IF NOT EXISTS \(s).awsdms_suspended_tables (
                    server_name varchar(128) NOT NULL, task_name varchar(128) NOT NULL, table_owner varchar(128) NOT NULL,
                    table_name varchar(128) NOT NULL, suspend_reason varchar(32), suspend_timestamp timestamp)
                """)
            statements.append("""
                CREATE UNIQUE INDEX IF NOT EXISTS awsdms_suspended_tables_task_suspended_tables_index
                ON \(s).awsdms_suspended_tables (server_name, task_name, table_owner, table_name)
                """)
        }
        if history {
            statements.append("""
                CREATE TABLE IF NOT EXISTS \(s).awsdms_history (
                    server_name varchar(128) NOT NULL, task_name varchar(128) NOT NULL, timeslot_type varchar(32) NOT NULL,
                    timeslot timestamp NOT NULL, timeslot_duration int8, timeslot_latency int8, timeslot_records int8, timeslot_volume int8)
                """)
            statements.append("""
                CREATE UNIQUE INDEX IF NOT EXISTS awsdms_history_task_history_index
                ON \(s).awsdms_history (server_name, task_name, timeslot_type, timeslot)
                """)
        }
        return statements.joined(separator: ";\n")
    }
}

extension SinkTarget {
    /// `schema.table` text (as `ferry.*` tables keep target names) split into DMS's `TABLE_OWNER`
    /// and `TABLE_NAME`.
    static func ownerAndName(_ text: String?) -> (owner: String, name: String) {
        guard let text else { return ("", "") }
        guard let dot = text.firstIndex(of: ".") else { return ("", text) }
        return (String(text[..<dot]), String(text[text.index(after: dot)...]))
    }
}
