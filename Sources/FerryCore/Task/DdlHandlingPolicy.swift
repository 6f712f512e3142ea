/// `ChangeProcessingDdlHandlingPolicy`: what source DDL does to the target.
public struct DdlHandlingPolicy: Hashable, Sendable {
    /// `HandleSourceTableDropped`: drop the target table when the source table is dropped.
    public var handleSourceTableDropped = true
    /// `HandleSourceTableTruncated`: truncate the target table when the source table is truncated.
    public var handleSourceTableTruncated = true
    /// `HandleSourceTableAltered`: apply `ALTER TABLE` (added, dropped, retyped columns) to the target.
    public var handleSourceTableAltered = true

    /// Makes DMS's defaults.
    public init() {}

    static func read(_ section: inout SettingsSection, ignored: inout [IgnoredSetting]) throws(TaskConfigurationError) -> DdlHandlingPolicy {
        var s = DdlHandlingPolicy()
        try section.bool("HandleSourceTableDropped", &s.handleSourceTableDropped)
        try section.bool("HandleSourceTableTruncated", &s.handleSourceTableTruncated)
        try section.bool("HandleSourceTableAltered", &s.handleSourceTableAltered)
        return s
    }

    var json: JSONValue {
        var j = SettingsJSON()
        j.add("HandleSourceTableDropped", handleSourceTableDropped)
        j.add("HandleSourceTableTruncated", handleSourceTableTruncated)
        j.add("HandleSourceTableAltered", handleSourceTableAltered)
        return j.json
    }
}
