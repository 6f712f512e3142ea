/// A DMS task-settings document (`task_settings.json`) with DMS's defaults filled in.
///
/// Read the way real exports look: any section or key may be missing (DMS's default applies),
/// numbers and booleans may be strings (`"64"`, `"true"`), key case does not matter
/// (`historyTimeslotInMinutes`), and `null` means "not given". Keys Ferry does not act on — AWS-only
/// sections, settings for other engines, legacy keys, misspellings — are accepted and listed in
/// ``ignored`` with the reason, for the command line to print once. A value of the wrong kind or out
/// of DMS's range is an error naming the field path.
public struct TaskSettings: Hashable, Sendable {
    /// `TargetMetadata`.
    public var targetMetadata = TargetMetadataSettings()
    /// `FullLoadSettings`.
    public var fullLoad = FullLoadSettings()
    /// `ChangeProcessingTuning`.
    public var changeProcessingTuning = ChangeProcessingTuning()
    /// `ChangeProcessingDdlHandlingPolicy`.
    public var ddlHandling = DdlHandlingPolicy()
    /// `ErrorBehavior`.
    public var errorBehavior = ErrorBehaviorSettings()
    /// `ControlTablesSettings`.
    public var controlTables = ControlTablesSettings()
    /// `ValidationSettings`.
    public var validation = ValidationSettings()
    /// `Logging`.
    public var logging = LoggingSettings()
    /// `StreamBufferSettings`.
    public var streamBuffer = StreamBufferSettings()
    /// Keys read but not acted on, with the reason, in document order.
    public private(set) var ignored: [IgnoredSetting] = []

    /// DMS's defaults for everything.
    public init() {}

    /// Sections DMS defines that only mean something on AWS or for other engines.
    static let notApplicableSections: [String: String] = [
        "BeforeImageSettings": "before images are for Kinesis and Kafka targets in DMS; Ferry's events always carry before images",
        "CharacterSetSettings": "character replacement is applied by DMS for Oracle and other sources; Ferry keeps characters as SQL Server sends them",
        "LoopbackPreventionSettings": "bidirectional replication is not supported",
        "TTSettings": "DMS Time Travel writes to Amazon S3",
        "PostProcessingRules": "AWS-internal",
        "CloudWatch": "AWS CloudWatch; Ferry serves metrics with --metrics-listen",
        "FailTaskWhenCleanTaskResourceFailed": "AWS replication instance resources",
        "TargetTablePrepMode": "belongs in FullLoadSettings",
    ]

    /// Parses a task-settings document.
    public init(json bytes: some Collection<UInt8>) throws(TaskConfigurationError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw TaskConfigurationError(.malformedJSON, "the task settings are not valid JSON: \(error.message)", field: "", context: error.context)
        }
        var root = try LenientObject(document, path: "", caseInsensitive: true)
        var ignored: [IgnoredSetting] = []
        func section<T>(_ name: String, notApplicable: [String: String] = [:],
                        _ read: (inout SettingsSection, inout [IgnoredSetting]) throws(TaskConfigurationError) -> T) throws(TaskConfigurationError) -> T? {
            guard let object = try root.object(name) else { return nil }
            var reader = SettingsSection(object, notApplicable: notApplicable)
            let value = try read(&reader, &ignored)
            reader.finish(into: &ignored)
            return value
        }
        var settings = TaskSettings()
        if let s = try section("TargetMetadata", notApplicable: TargetMetadataSettings.notApplicable, TargetMetadataSettings.read) { settings.targetMetadata = s }
        if let s = try section("FullLoadSettings", notApplicable: FullLoadSettings.notApplicable, FullLoadSettings.read) { settings.fullLoad = s }
        if let s = try section("ChangeProcessingTuning", ChangeProcessingTuning.read) { settings.changeProcessingTuning = s }
        if let s = try section("ChangeProcessingDdlHandlingPolicy", DdlHandlingPolicy.read) { settings.ddlHandling = s }
        if let s = try section("ErrorBehavior", notApplicable: ErrorBehaviorSettings.notApplicable, ErrorBehaviorSettings.read) { settings.errorBehavior = s }
        if let s = try section("ControlTablesSettings", notApplicable: ControlTablesSettings.notApplicable, ControlTablesSettings.read) { settings.controlTables = s }
        if let s = try section("ValidationSettings", notApplicable: ValidationSettings.notApplicable, ValidationSettings.read) { settings.validation = s }
        if let s = try section("Logging", notApplicable: LoggingSettings.notApplicable, LoggingSettings.read) { settings.logging = s }
        if let s = try section("StreamBufferSettings", StreamBufferSettings.read) { settings.streamBuffer = s }
        SettingsSection(root, notApplicable: Self.notApplicableSections).finish(into: &ignored)
        settings.ignored = ignored
        self = settings
    }

    /// Parses a task-settings document from its text.
    public init(parsing text: String) throws(TaskConfigurationError) {
        try self.init(json: Array(text.utf8))
    }

    /// The effective settings as a task-settings JSON document (DMS's key names, every value
    /// filled in), indented for people.
    public var effectiveJSON: String {
        let document = JSONValue.object([
            .init("TargetMetadata", targetMetadata.json),
            .init("FullLoadSettings", fullLoad.json),
            .init("ChangeProcessingTuning", changeProcessingTuning.json),
            .init("ChangeProcessingDdlHandlingPolicy", ddlHandling.json),
            .init("ErrorBehavior", errorBehavior.json),
            .init("ControlTablesSettings", controlTables.json),
            .init("ValidationSettings", validation.json),
            .init("Logging", logging.json),
            .init("StreamBufferSettings", streamBuffer.json),
        ])
        var out = ""
        Self.writeIndented(document, indent: "", to: &out)
        return out
    }

    private static func writeIndented(_ value: JSONValue, indent: String, to out: inout String) {
        let inner = indent + "  "
        switch value {
        case .object(let members) where !members.isEmpty:
            out += "{\n"
            for (i, member) in members.enumerated() {
                out += inner + JSONValue.string(member.key).serialized + ": "
                writeIndented(member.value, indent: inner, to: &out)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += inner
                writeIndented(item, indent: inner, to: &out)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        default:
            out += value.serialized
        }
    }
}
