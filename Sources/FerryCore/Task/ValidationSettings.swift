/// `ValidationSettings`: comparing source and target rows during and after the task.
public struct ValidationSettings: Hashable, Sendable {
    /// `EnableValidation`: validate each table after its full load and keep re-checking during CDC.
    public var enableValidation = false
    /// `ValidationMode`: `ROW_LEVEL` (the only mode Ferry implements).
    public var validationMode = "ROW_LEVEL"
    /// `ThreadCount`: tables validated at once.
    public var threadCount = 5
    /// `PartitionSize`: rows per key range compared with one checksum.
    public var partitionSize = 10_000
    /// `FailureMaxCount`: mismatched records after which validation of the task stops.
    public var failureMaxCount = 10_000
    /// `TableFailureMaxCount`: mismatched records after which validation of a table stops.
    public var tableFailureMaxCount = 1000
    /// `ValidationOnly`: compare only, replicate nothing.
    public var validationOnly = false
    /// `ValidationQueryCdcDelaySeconds`: wait before re-checking a mismatched range while CDC runs.
    public var validationQueryCdcDelaySeconds = 0
    /// `HandleCollationDiff`: account for collation differences; Ferry always does (no comparison depends on a collation order).
    public var handleCollationDiff = false
    /// `RecordFailureDelayLimitInMinutes`: extra delay before a mismatch is reported as a failure.
    public var recordFailureDelayLimitInMinutes = 0
    /// `RecordFailureDelayInMinutes`: delay before a failed record is re-checked.
    public var recordFailureDelayInMinutes = 5
    /// `RecordSuspendDelayInMinutes`: delay before a table with failures is suspended from validation.
    public var recordSuspendDelayInMinutes = 30
    /// `SkipLobColumns`: leave LOB columns out of the comparison.
    public var skipLobColumns = false
    /// `ValidationPartialLobSize` (KB): compare only this much of each LOB (0: all of it).
    public var validationPartialLobSizeKB = 0
    /// `MaxKeyColumnSize`: the longest key value validated.
    public var maxKeyColumnSize = 8096

    /// Makes DMS's defaults.
    public init() {}

    static let notApplicable: [String: String] = [
        "ValidationS3Mode": "S3 validation is for S3 targets",
        "ValidationS3Time": "S3 validation is for S3 targets",
        "EnableDataValidationFailureTable": "Ferry lists mismatched keys in ferry validate's report",
    ]

    static func read(_ section: inout SettingsSection, ignored: inout [IgnoredSetting]) throws(TaskConfigurationError) -> ValidationSettings {
        var s = ValidationSettings()
        try section.bool("EnableValidation", &s.enableValidation)
        if let mode = try section.object.choice("ValidationMode", ["ROW_LEVEL", "GROUP_LEVEL"]) {
            if mode == "GROUP_LEVEL" {
                ignored.append(IgnoredSetting(path: section.object.fieldPath("ValidationMode"), reason: "Ferry validates row-level (per key range, drilling down to keys); GROUP_LEVEL is treated as ROW_LEVEL"))
            }
        }
        try section.int("ThreadCount", &s.threadCount, in: 1...64)
        try section.int("PartitionSize", &s.partitionSize, in: 1...Int(Int32.max))
        try section.int("FailureMaxCount", &s.failureMaxCount, in: 0...Int.max)
        try section.int("TableFailureMaxCount", &s.tableFailureMaxCount, in: 0...Int.max)
        try section.bool("ValidationOnly", &s.validationOnly)
        try section.int("ValidationQueryCdcDelaySeconds", &s.validationQueryCdcDelaySeconds, in: 0...86_400)
        try section.bool("HandleCollationDiff", &s.handleCollationDiff)
        try section.int("RecordFailureDelayLimitInMinutes", &s.recordFailureDelayLimitInMinutes, in: 0...Int(Int32.max))
        try section.int("RecordFailureDelayInMinutes", &s.recordFailureDelayInMinutes, in: 0...Int(Int32.max))
        try section.int("RecordSuspendDelayInMinutes", &s.recordSuspendDelayInMinutes, in: 0...Int(Int32.max))
        try section.bool("SkipLobColumns", &s.skipLobColumns)
        try section.int("ValidationPartialLobSize", &s.validationPartialLobSizeKB, in: 0...Int(Int32.max))
        try section.int("MaxKeyColumnSize", &s.maxKeyColumnSize, in: 1...Int(Int32.max))
        return s
    }

    var json: JSONValue {
        var j = SettingsJSON()
        j.add("EnableValidation", enableValidation)
        j.add("ValidationMode", validationMode)
        j.add("ThreadCount", threadCount)
        j.add("PartitionSize", partitionSize)
        j.add("FailureMaxCount", failureMaxCount)
        j.add("TableFailureMaxCount", tableFailureMaxCount)
        j.add("ValidationOnly", validationOnly)
        j.add("ValidationQueryCdcDelaySeconds", validationQueryCdcDelaySeconds)
        j.add("HandleCollationDiff", handleCollationDiff)
        j.add("RecordFailureDelayLimitInMinutes", recordFailureDelayLimitInMinutes)
        j.add("RecordFailureDelayInMinutes", recordFailureDelayInMinutes)
        j.add("RecordSuspendDelayInMinutes", recordSuspendDelayInMinutes)
        j.add("SkipLobColumns", skipLobColumns)
        j.add("ValidationPartialLobSize", validationPartialLobSizeKB)
        j.add("MaxKeyColumnSize", maxKeyColumnSize)
        return j.json
    }
}
