/// What to do with a failing record, table or task: DMS's error policy values.
public enum ErrorAction: String, Hashable, Sendable, CaseIterable {
    /// Skip the record silently (still counted).
    case ignoreRecord = "IGNORE_RECORD"
    /// Skip the record and write it to `awsdms_apply_exceptions` / `ferry.apply_exceptions` and the log.
    case logError = "LOG_ERROR"
    /// Stop replicating the table (`awsdms_suspended_tables`); the task goes on.
    case suspendTable = "SUSPEND_TABLE"
    /// Stop the task.
    case stopTask = "STOP_TASK"
    /// Insert failed because the row exists: update it instead (upsert). `ApplyErrorInsertPolicy` only.
    case insertRecord = "INSERT_RECORD"
    /// Update found no row: insert it instead. `ApplyErrorUpdatePolicy` only.
    case updateRecord = "UPDATE_RECORD"
    /// Ignore the event error. `EventErrorPolicy` only.
    case ignore = "IGNORE"
}
