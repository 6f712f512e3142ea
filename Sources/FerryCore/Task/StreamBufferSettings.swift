/// `StreamBufferSettings`: the in-process buffers between reading the source and writing the log.
public struct StreamBufferSettings: Hashable, Sendable {
    /// `StreamBufferCount`: buffers per stream.
    public var streamBufferCount = 3
    /// `StreamBufferSizeInMB`: the size of each buffer.
    public var streamBufferSizeInMB = 8
    /// `CtrlStreamBufferSizeInMB`: the buffer for control (schema, transaction) events.
    public var ctrlStreamBufferSizeInMB = 5

    /// Makes DMS's defaults.
    public init() {}

    /// The bytes the data buffers may hold in total: count × size.
    public var dataBufferBytes: Int { streamBufferCount * streamBufferSizeInMB * 1_048_576 }

    static func read(_ section: inout SettingsSection, ignored: inout [IgnoredSetting]) throws(TaskConfigurationError) -> StreamBufferSettings {
        var s = StreamBufferSettings()
        try section.int("StreamBufferCount", &s.streamBufferCount, in: 2...1024)
        try section.int("StreamBufferSizeInMB", &s.streamBufferSizeInMB, in: 1...1024)
        try section.int("CtrlStreamBufferSizeInMB", &s.ctrlStreamBufferSizeInMB, in: 1...1024)
        return s
    }

    var json: JSONValue {
        var j = SettingsJSON()
        j.add("StreamBufferCount", streamBufferCount)
        j.add("StreamBufferSizeInMB", streamBufferSizeInMB)
        j.add("CtrlStreamBufferSizeInMB", ctrlStreamBufferSizeInMB)
        return j.json
    }
}
