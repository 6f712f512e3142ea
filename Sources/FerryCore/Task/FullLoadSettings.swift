/// `FullLoadSettings`: how tables are prepared and loaded.
public struct FullLoadSettings: Hashable, Sendable {
    /// `TargetTablePrepMode`.
    public enum TargetTablePrepMode: String, Hashable, Sendable, CaseIterable {
        /// Keep existing target tables and rows; create missing tables.
        case doNothing = "DO_NOTHING"
        /// Drop and recreate target tables (DMS's default).
        case dropAndCreate = "DROP_AND_CREATE"
        /// Keep the tables, delete their rows before loading.
        case truncateBeforeLoad = "TRUNCATE_BEFORE_LOAD"
    }

    /// `TargetTablePrepMode`.
    public var targetTablePrepMode = TargetTablePrepMode.dropAndCreate
    /// `CreatePkAfterFullLoad`: create the primary key after the table's full load, not before.
    public var createPkAfterFullLoad = false
    /// `StopTaskCachedChangesApplied`: stop after full load once cached changes are applied.
    public var stopTaskCachedChangesApplied = false
    /// `StopTaskCachedChangesNotApplied`: stop after full load before applying cached changes.
    public var stopTaskCachedChangesNotApplied = false
    /// `MaxFullLoadSubTasks`: tables (or segments) loaded at once, 1–49.
    public var maxFullLoadSubTasks = 8
    /// `TransactionConsistencyTimeout` (seconds): how long full load waits for open transactions before it starts.
    public var transactionConsistencyTimeout = 600
    /// `CommitRate`: rows per target transaction during full load, 1–50000.
    public var commitRate = 10_000
    /// `FullLoadEnabled` as written (legacy; `--migration-type` decides what runs).
    public var legacyFullLoadEnabled: Bool?
    /// `ApplyChangesEnabled` as written (legacy; `--migration-type` decides what runs).
    public var legacyApplyChangesEnabled: Bool?

    /// Makes DMS's defaults.
    public init() {}

    static let notApplicable: [String: String] = [
        "ResumeEnabled": "legacy DMS setting; Ferry always resumes from its checkpoints",
        "ResumeMinTableSize": "legacy DMS setting; Ferry always resumes from its checkpoints",
        "ResumeOnlyClusteredPKTables": "legacy DMS setting; Ferry always resumes from its checkpoints",
    ]

    static func read(_ section: inout SettingsSection, ignored: inout [IgnoredSetting]) throws(TaskConfigurationError) -> FullLoadSettings {
        var s = FullLoadSettings()
        try section.choice("TargetTablePrepMode", &s.targetTablePrepMode, allowed: TargetTablePrepMode.allCases)
        try section.bool("CreatePkAfterFullLoad", &s.createPkAfterFullLoad)
        try section.bool("StopTaskCachedChangesApplied", &s.stopTaskCachedChangesApplied)
        try section.bool("StopTaskCachedChangesNotApplied", &s.stopTaskCachedChangesNotApplied)
        try section.int("MaxFullLoadSubTasks", &s.maxFullLoadSubTasks, in: 1...49)
        try section.int("TransactionConsistencyTimeout", &s.transactionConsistencyTimeout, in: 0...Int(Int32.max))
        try section.int("CommitRate", &s.commitRate, in: 1...50_000)
        for key in ["FullLoadEnabled", "ApplyChangesEnabled"] where section.object.contains(key) {
            let value = try section.object.bool(key)
            if key == "FullLoadEnabled" { s.legacyFullLoadEnabled = value } else { s.legacyApplyChangesEnabled = value }
            ignored.append(IgnoredSetting(path: section.object.fieldPath(key), reason: "legacy key DMS fills in from the migration type; --migration-type decides what runs"))
        }
        if s.stopTaskCachedChangesApplied && s.stopTaskCachedChangesNotApplied {
            throw section.object.error("StopTaskCachedChangesNotApplied", "cannot be true together with StopTaskCachedChangesApplied")
        }
        return s
    }

    var json: JSONValue {
        var j = SettingsJSON()
        j.add("TargetTablePrepMode", targetTablePrepMode.rawValue)
        j.add("CreatePkAfterFullLoad", createPkAfterFullLoad)
        j.add("StopTaskCachedChangesApplied", stopTaskCachedChangesApplied)
        j.add("StopTaskCachedChangesNotApplied", stopTaskCachedChangesNotApplied)
        j.add("MaxFullLoadSubTasks", maxFullLoadSubTasks)
        j.add("TransactionConsistencyTimeout", transactionConsistencyTimeout)
        j.add("CommitRate", commitRate)
        return j.json
    }
}
