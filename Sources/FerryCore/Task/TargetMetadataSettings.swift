/// `TargetMetadata`: the target schema, LOB handling and batch apply.
public struct TargetMetadataSettings: Hashable, Sendable {
    /// `TargetSchema`: the target schema for every table, unless a schema transformation rule
    /// applies (rules take precedence). Empty: the source schema name.
    public var targetSchema = ""
    /// `SupportLobs`: replicate large-object columns at all (false: they stay `NULL`).
    public var supportLobs = true
    /// `FullLobMode`: replicate LOBs whole, whatever their size.
    public var fullLobMode = false
    /// `LobChunkSize` (KB): the piece size in full LOB mode.
    public var lobChunkSizeKB = 64
    /// `LimitedSizeLobMode`: truncate LOBs longer than ``lobMaxSizeKB``.
    public var limitedSizeLobMode = true
    /// `LobMaxSize` (KB): the limit in limited LOB mode (at most 102400).
    public var lobMaxSizeKB = 32
    /// `InlineLobMaxSize` (KB): in full LOB mode, LOBs up to this size travel inline with the row (0: none).
    public var inlineLobMaxSizeKB = 0
    /// `BatchApplyEnabled`: apply CDC in batches (net changes per key) instead of statement by statement.
    public var batchApplyEnabled = false
    /// `ParallelLoadThreads` (DMS uses it for MySQL, Kafka, Kinesis, OpenSearch, DynamoDB targets only).
    public var parallelLoadThreads = 0
    /// `ParallelApplyThreads` (DMS uses it for Kafka, Kinesis, OpenSearch, DynamoDB targets only).
    public var parallelApplyThreads = 0

    /// Makes DMS's defaults.
    public init() {}

    /// How LOB columns are replicated, as the four LOB keys decide together.
    public enum LobHandling: Hashable, Sendable {
        /// `SupportLobs: false`: LOB columns are left `NULL`.
        case none
        /// Full LOB mode, in chunks of `chunkSizeKB`, values up to `inlineMaxSizeKB` inline.
        case full(chunkSizeKB: Int, inlineMaxSizeKB: Int)
        /// Limited LOB mode: longer values are truncated to `maxSizeKB` (counted and logged per table).
        case limited(maxSizeKB: Int)
    }

    /// The effective LOB handling: `FullLobMode` wins when both modes are set (reported as ignored).
    public var lobHandling: LobHandling {
        guard supportLobs else { return .none }
        if fullLobMode { return .full(chunkSizeKB: lobChunkSizeKB, inlineMaxSizeKB: inlineLobMaxSizeKB) }
        return .limited(maxSizeKB: lobMaxSizeKB)
    }

    static let notApplicable: [String: String] = [
        "ParallelLoadBufferSize": "DMS uses it for MySQL, Kafka, Kinesis, OpenSearch and DynamoDB targets, not PostgreSQL",
        "ParallelLoadQueuesPerThread": "DMS uses it for Kafka, Kinesis, OpenSearch and DynamoDB targets, not PostgreSQL",
        "ParallelApplyBufferSize": "DMS uses it for Kafka, Kinesis, OpenSearch and DynamoDB targets, not PostgreSQL",
        "ParallelApplyQueuesPerThread": "DMS uses it for Kafka, Kinesis, OpenSearch and DynamoDB targets, not PostgreSQL",
        "LoadMaxFileSize": "DMS stages CSV files for PostgreSQL and MySQL targets; Ferry streams rows with COPY, no files",
        "TaskRecoveryTableEnabled": "Ferry keeps its position in ferry.sink_offsets, in the same transaction as the rows",
    ]

    static func read(_ section: inout SettingsSection, ignored: inout [IgnoredSetting]) throws(TaskConfigurationError) -> TargetMetadataSettings {
        var s = TargetMetadataSettings()
        try section.string("TargetSchema", &s.targetSchema)
        try section.bool("SupportLobs", &s.supportLobs)
        try section.bool("FullLobMode", &s.fullLobMode)
        try section.int("LobChunkSize", &s.lobChunkSizeKB, in: 1...102_400)
        try section.bool("LimitedSizeLobMode", &s.limitedSizeLobMode)
        try section.int("LobMaxSize", &s.lobMaxSizeKB, in: 0...102_400)
        try section.int("InlineLobMaxSize", &s.inlineLobMaxSizeKB, in: 0...102_400)
        try section.bool("BatchApplyEnabled", &s.batchApplyEnabled)
        try section.int("ParallelLoadThreads", &s.parallelLoadThreads, in: 0...32)
        try section.int("ParallelApplyThreads", &s.parallelApplyThreads, in: 0...32)
        if s.parallelLoadThreads > 0 {
            ignored.append(IgnoredSetting(path: section.object.fieldPath("ParallelLoadThreads"), reason: "DMS does not use it for PostgreSQL targets; Ferry splits full loads with MaxFullLoadSubTasks and parallel-load table settings"))
        }
        if s.parallelApplyThreads > 0 {
            ignored.append(IgnoredSetting(path: section.object.fieldPath("ParallelApplyThreads"), reason: "DMS does not use it for PostgreSQL targets; Ferry applies changes in source commit order"))
        }
        if s.supportLobs && s.fullLobMode && s.limitedSizeLobMode {
            ignored.append(IgnoredSetting(path: section.object.fieldPath("LimitedSizeLobMode"), reason: "FullLobMode is also true and takes precedence"))
        }
        if s.supportLobs && s.limitedSizeLobMode && !s.fullLobMode && s.lobMaxSizeKB == 0 {
            throw section.object.error("LobMaxSize", "must be 1–102400 KB when LimitedSizeLobMode is true")
        }
        return s
    }

    var json: JSONValue {
        var j = SettingsJSON()
        j.add("TargetSchema", targetSchema)
        j.add("SupportLobs", supportLobs)
        j.add("FullLobMode", fullLobMode)
        j.add("LobChunkSize", lobChunkSizeKB)
        j.add("LimitedSizeLobMode", limitedSizeLobMode)
        j.add("LobMaxSize", lobMaxSizeKB)
        j.add("InlineLobMaxSize", inlineLobMaxSizeKB)
        j.add("BatchApplyEnabled", batchApplyEnabled)
        j.add("ParallelLoadThreads", parallelLoadThreads)
        j.add("ParallelApplyThreads", parallelApplyThreads)
        return j.json
    }
}
