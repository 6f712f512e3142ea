/// `ChangeProcessingTuning`: batching and memory during CDC apply.
public struct ChangeProcessingTuning: Hashable, Sendable {
    /// `BatchApplyPreserveTransaction`: in batch apply, keep each source transaction whole.
    public var batchApplyPreserveTransaction = true
    /// `BatchApplyTimeoutMin` (seconds): the least time between batch applies.
    public var batchApplyTimeoutMin = 1
    /// `BatchApplyTimeoutMax` (seconds): the most time between batch applies.
    public var batchApplyTimeoutMax = 30
    /// `BatchApplyMemoryLimit` (MB): memory for one batch's pre-processing.
    public var batchApplyMemoryLimitMB = 500
    /// `BatchSplitSize`: the most changes in one batch (0: no limit).
    public var batchSplitSize = 0
    /// `MinTransactionSize`: changes grouped into one target transaction (transactional apply).
    public var minTransactionSize = 1000
    /// `CommitTimeout` (seconds): the longest a group waits before commit (transactional apply).
    public var commitTimeout = 1
    /// `MemoryLimitTotal` (MB): the most memory pending changes may hold before Ferry stops reading.
    public var memoryLimitTotalMB = 1024
    /// `MemoryKeepTime` (seconds): how long a transaction's changes stay in memory before they spill.
    public var memoryKeepTime = 60
    /// `StatementCacheSize`: prepared statements kept per target connection.
    public var statementCacheSize = 50

    /// Makes DMS's defaults.
    public init() {}

    static func read(_ section: inout SettingsSection, ignored: inout [IgnoredSetting]) throws(TaskConfigurationError) -> ChangeProcessingTuning {
        var s = ChangeProcessingTuning()
        try section.bool("BatchApplyPreserveTransaction", &s.batchApplyPreserveTransaction)
        try section.int("BatchApplyTimeoutMin", &s.batchApplyTimeoutMin, in: 0...86_400)
        try section.int("BatchApplyTimeoutMax", &s.batchApplyTimeoutMax, in: 1...86_400)
        try section.int("BatchApplyMemoryLimit", &s.batchApplyMemoryLimitMB, in: 1...Int(Int32.max))
        try section.int("BatchSplitSize", &s.batchSplitSize, in: 0...Int(Int32.max))
        try section.int("MinTransactionSize", &s.minTransactionSize, in: 1...Int(Int32.max))
        try section.int("CommitTimeout", &s.commitTimeout, in: 1...86_400)
        try section.int("MemoryLimitTotal", &s.memoryLimitTotalMB, in: 1...Int(Int32.max))
        try section.int("MemoryKeepTime", &s.memoryKeepTime, in: 0...86_400)
        try section.int("StatementCacheSize", &s.statementCacheSize, in: 0...10_000)
        if s.batchApplyTimeoutMin > s.batchApplyTimeoutMax {
            throw section.object.error("BatchApplyTimeoutMin", "is \(s.batchApplyTimeoutMin), more than BatchApplyTimeoutMax (\(s.batchApplyTimeoutMax))")
        }
        return s
    }

    var json: JSONValue {
        var j = SettingsJSON()
        j.add("BatchApplyPreserveTransaction", batchApplyPreserveTransaction)
        j.add("BatchApplyTimeoutMin", batchApplyTimeoutMin)
        j.add("BatchApplyTimeoutMax", batchApplyTimeoutMax)
        j.add("BatchApplyMemoryLimit", batchApplyMemoryLimitMB)
        j.add("BatchSplitSize", batchSplitSize)
        j.add("MinTransactionSize", minTransactionSize)
        j.add("CommitTimeout", commitTimeout)
        j.add("MemoryLimitTotal", memoryLimitTotalMB)
        j.add("MemoryKeepTime", memoryKeepTime)
        j.add("StatementCacheSize", statementCacheSize)
        return j.json
    }
}
