/// `ControlTablesSettings`: DMS's `awsdms_*` control tables, written on the target in DMS's
/// lower-case PostgreSQL layout so existing monitoring queries keep working.
/// (`awsdms_apply_exceptions` is always written, as DMS does.)
public struct ControlTablesSettings: Hashable, Sendable {
    /// `ControlSchema`: the target schema of the control tables; empty means `public`.
    public var controlSchema = ""
    /// `HistoryTimeslotInMinutes` (also spelt `historyTimeslotInMinutes`): the length of one `awsdms_history` row's time slot.
    public var historyTimeslotInMinutes = 5
    /// `HistoryTableEnabled`: write `awsdms_history`.
    public var historyTableEnabled = false
    /// `SuspendedTablesTableEnabled`: write `awsdms_suspended_tables`.
    public var suspendedTablesTableEnabled = false
    /// `StatusTableEnabled`: write `awsdms_status`.
    public var statusTableEnabled = false
    /// `FullLoadExceptionTableEnabled`: write `awsdms_full_load_exceptions`.
    public var fullLoadExceptionTableEnabled = false

    /// Makes DMS's defaults.
    public init() {}

    /// The schema the control tables go to: `ControlSchema`, or `public` when it is empty.
    public var effectiveControlSchema: String { controlSchema.isEmpty ? "public" : controlSchema }

    static let notApplicable: [String: String] = [
        "CommitPositionTableEnabled": "Ferry records commit positions in ferry.sink_offsets, atomically with the rows",
    ]

    static func read(_ section: inout SettingsSection, ignored: inout [IgnoredSetting]) throws(TaskConfigurationError) -> ControlTablesSettings {
        var s = ControlTablesSettings()
        try section.string("ControlSchema", &s.controlSchema)
        try section.int("HistoryTimeslotInMinutes", &s.historyTimeslotInMinutes, in: 1...1440)
        try section.bool("HistoryTableEnabled", &s.historyTableEnabled)
        try section.bool("SuspendedTablesTableEnabled", &s.suspendedTablesTableEnabled)
        try section.bool("StatusTableEnabled", &s.statusTableEnabled)
        try section.bool("FullLoadExceptionTableEnabled", &s.fullLoadExceptionTableEnabled)
        return s
    }

    var json: JSONValue {
        var j = SettingsJSON()
        j.add("ControlSchema", controlSchema)
        j.add("HistoryTimeslotInMinutes", historyTimeslotInMinutes)
        j.add("HistoryTableEnabled", historyTableEnabled)
        j.add("SuspendedTablesTableEnabled", suspendedTablesTableEnabled)
        j.add("StatusTableEnabled", statusTableEnabled)
        j.add("FullLoadExceptionTableEnabled", fullLoadExceptionTableEnabled)
        return j.json
    }
}
