/// `ErrorBehavior`: error policies, escalation, and retry of recoverable errors.
public struct ErrorBehaviorSettings: Hashable, Sendable {
    /// `DataErrorPolicy`: a row that cannot be converted or written (bad value, constraint).
    public var dataErrorPolicy = ErrorAction.logError
    /// `DataTruncationErrorPolicy`: a value that must be truncated to fit the target column.
    public var dataTruncationErrorPolicy = ErrorAction.logError
    /// `DataErrorEscalationPolicy`: what happens after `DataErrorEscalationCount` data errors in a table.
    public var dataErrorEscalationPolicy = ErrorAction.suspendTable
    /// `DataErrorEscalationCount` (0: never escalate).
    public var dataErrorEscalationCount = 0
    /// `TableErrorPolicy`: a table-level failure (its DDL or load fails).
    public var tableErrorPolicy = ErrorAction.suspendTable
    /// `TableErrorEscalationPolicy`.
    public var tableErrorEscalationPolicy = ErrorAction.stopTask
    /// `TableErrorEscalationCount` (0: never escalate).
    public var tableErrorEscalationCount = 0
    /// `RecoverableErrorCount`: retries of a recoverable error (connection lost, …); -1: forever, 0: none.
    public var recoverableErrorCount = -1
    /// `RecoverableErrorInterval` (seconds): the first wait between retries.
    public var recoverableErrorInterval = 5
    /// `RecoverableErrorThrottling`: double the wait after each retry.
    public var recoverableErrorThrottling = true
    /// `RecoverableErrorThrottlingMax` (seconds): the longest wait.
    public var recoverableErrorThrottlingMax = 1800
    /// `RecoverableErrorStopRetryAfterThrottlingMax`: stop retrying once the wait reached its maximum.
    public var recoverableErrorStopRetryAfterThrottlingMax = true
    /// `ApplyErrorDeletePolicy`: a delete that finds no row.
    public var applyErrorDeletePolicy = ErrorAction.ignoreRecord
    /// `ApplyErrorInsertPolicy`: an insert that hits an existing key (`INSERT_RECORD`: upsert).
    public var applyErrorInsertPolicy = ErrorAction.logError
    /// `ApplyErrorUpdatePolicy`: an update that finds no row (`UPDATE_RECORD`: insert the after image).
    public var applyErrorUpdatePolicy = ErrorAction.logError
    /// `ApplyErrorEscalationPolicy`.
    public var applyErrorEscalationPolicy = ErrorAction.logError
    /// `ApplyErrorEscalationCount` (0: never escalate).
    public var applyErrorEscalationCount = 0
    /// `ApplyErrorFailOnTruncationDdl`: fail the task when a source `TRUNCATE` arrives.
    public var applyErrorFailOnTruncationDdl = false
    /// `FailOnNoTablesCaptured`: fail at start when the selection rules match no table.
    public var failOnNoTablesCaptured = true
    /// `FailOnTransactionConsistencyBreached`: fail when `TransactionConsistencyTimeout` passes with transactions still open.
    public var failOnTransactionConsistencyBreached = false
    /// `FullLoadIgnoreConflicts`: during full load, ignore "zero rows affected" and "duplicate" conflicts with cached changes.
    public var fullLoadIgnoreConflicts = true
    /// `EventErrorPolicy`: an event Ferry cannot interpret (`IGNORE` or `STOP_TASK`).
    public var eventErrorPolicy = ErrorAction.ignore

    /// Makes DMS's defaults.
    public init() {}

    /// The wait before retry number `attempt` (1-based) of a recoverable error, in seconds, or `nil`
    /// when no retry is left: `RecoverableErrorInterval`, doubled per attempt when throttling, capped at
    /// `RecoverableErrorThrottlingMax`; with `RecoverableErrorStopRetryAfterThrottlingMax`, retries end
    /// after the first wait at the cap.
    public func recoverableRetryDelay(attempt: Int) -> Int? {
        guard attempt >= 1 else { return nil }
        if recoverableErrorCount >= 0 && attempt > recoverableErrorCount { return nil }
        guard recoverableErrorThrottling else { return recoverableErrorInterval }
        var delay = max(recoverableErrorInterval, 1)
        var reachedCapAt: Int? = delay >= recoverableErrorThrottlingMax ? 1 : nil
        if attempt > 1 {
            for step in 2...attempt {
                delay = min(delay * 2, recoverableErrorThrottlingMax)
                if reachedCapAt == nil && delay >= recoverableErrorThrottlingMax { reachedCapAt = step }
            }
        }
        if recoverableErrorStopRetryAfterThrottlingMax, let cap = reachedCapAt, attempt > cap { return nil }
        return min(delay, recoverableErrorThrottlingMax)
    }

    static let notApplicable: [String: String] = [
        "DataMaskingErrorPolicy": "Ferry does not implement data masking (masking rules are refused)",
    ]

    static func read(_ section: inout SettingsSection, ignored: inout [IgnoredSetting]) throws(TaskConfigurationError) -> ErrorBehaviorSettings {
        var s = ErrorBehaviorSettings()
        let recordPolicies: [ErrorAction] = [.ignoreRecord, .logError, .suspendTable, .stopTask]
        try section.choice("DataErrorPolicy", &s.dataErrorPolicy, allowed: recordPolicies)
        try section.choice("DataTruncationErrorPolicy", &s.dataTruncationErrorPolicy, allowed: recordPolicies)
        try section.choice("DataErrorEscalationPolicy", &s.dataErrorEscalationPolicy, allowed: [.suspendTable, .stopTask])
        try section.int("DataErrorEscalationCount", &s.dataErrorEscalationCount, in: 0...Int.max)
        try section.choice("TableErrorPolicy", &s.tableErrorPolicy, allowed: [.suspendTable, .stopTask])
        try section.choice("TableErrorEscalationPolicy", &s.tableErrorEscalationPolicy, allowed: [.stopTask])
        try section.int("TableErrorEscalationCount", &s.tableErrorEscalationCount, in: 0...Int.max)
        try section.int("RecoverableErrorCount", &s.recoverableErrorCount, in: -1...Int.max)
        try section.int("RecoverableErrorInterval", &s.recoverableErrorInterval, in: 0...86_400)
        try section.bool("RecoverableErrorThrottling", &s.recoverableErrorThrottling)
        try section.int("RecoverableErrorThrottlingMax", &s.recoverableErrorThrottlingMax, in: 0...Int(Int32.max))
        try section.bool("RecoverableErrorStopRetryAfterThrottlingMax", &s.recoverableErrorStopRetryAfterThrottlingMax)
        try section.choice("ApplyErrorDeletePolicy", &s.applyErrorDeletePolicy, allowed: recordPolicies)
        try section.choice("ApplyErrorInsertPolicy", &s.applyErrorInsertPolicy, allowed: recordPolicies + [.insertRecord])
        try section.choice("ApplyErrorUpdatePolicy", &s.applyErrorUpdatePolicy, allowed: recordPolicies + [.updateRecord])
        try section.choice("ApplyErrorEscalationPolicy", &s.applyErrorEscalationPolicy, allowed: [.logError, .suspendTable, .stopTask])
        try section.int("ApplyErrorEscalationCount", &s.applyErrorEscalationCount, in: 0...Int.max)
        try section.bool("ApplyErrorFailOnTruncationDdl", &s.applyErrorFailOnTruncationDdl)
        try section.bool("FailOnNoTablesCaptured", &s.failOnNoTablesCaptured)
        try section.bool("FailOnTransactionConsistencyBreached", &s.failOnTransactionConsistencyBreached)
        try section.bool("FullLoadIgnoreConflicts", &s.fullLoadIgnoreConflicts)
        try section.choice("EventErrorPolicy", &s.eventErrorPolicy, allowed: [.ignore, .stopTask])
        return s
    }

    var json: JSONValue {
        var j = SettingsJSON()
        j.add("DataErrorPolicy", dataErrorPolicy.rawValue)
        j.add("DataTruncationErrorPolicy", dataTruncationErrorPolicy.rawValue)
        j.add("DataErrorEscalationPolicy", dataErrorEscalationPolicy.rawValue)
        j.add("DataErrorEscalationCount", dataErrorEscalationCount)
        j.add("TableErrorPolicy", tableErrorPolicy.rawValue)
        j.add("TableErrorEscalationPolicy", tableErrorEscalationPolicy.rawValue)
        j.add("TableErrorEscalationCount", tableErrorEscalationCount)
        j.add("RecoverableErrorCount", recoverableErrorCount)
        j.add("RecoverableErrorInterval", recoverableErrorInterval)
        j.add("RecoverableErrorThrottling", recoverableErrorThrottling)
        j.add("RecoverableErrorThrottlingMax", recoverableErrorThrottlingMax)
        j.add("RecoverableErrorStopRetryAfterThrottlingMax", recoverableErrorStopRetryAfterThrottlingMax)
        j.add("ApplyErrorDeletePolicy", applyErrorDeletePolicy.rawValue)
        j.add("ApplyErrorInsertPolicy", applyErrorInsertPolicy.rawValue)
        j.add("ApplyErrorUpdatePolicy", applyErrorUpdatePolicy.rawValue)
        j.add("ApplyErrorEscalationPolicy", applyErrorEscalationPolicy.rawValue)
        j.add("ApplyErrorEscalationCount", applyErrorEscalationCount)
        j.add("ApplyErrorFailOnTruncationDdl", applyErrorFailOnTruncationDdl)
        j.add("FailOnNoTablesCaptured", failOnNoTablesCaptured)
        j.add("FailOnTransactionConsistencyBreached", failOnTransactionConsistencyBreached)
        j.add("FullLoadIgnoreConflicts", fullLoadIgnoreConflicts)
        j.add("EventErrorPolicy", eventErrorPolicy.rawValue)
        return j.json
    }
}
