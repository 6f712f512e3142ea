/// `Logging`: per-component log levels.
public struct LoggingSettings: Hashable, Sendable {
    /// A DMS logger severity.
    public enum Severity: String, Hashable, Sendable, CaseIterable {
        case `default` = "LOGGER_SEVERITY_DEFAULT"
        case error = "LOGGER_SEVERITY_ERROR"
        case warning = "LOGGER_SEVERITY_WARNING"
        case info = "LOGGER_SEVERITY_INFO"
        case debug = "LOGGER_SEVERITY_DEBUG"
        case detailedDebug = "LOGGER_SEVERITY_DETAILED_DEBUG"

        /// The swift-log level name (`Logger.Level(rawValue:)`): default → info, detailed debug → trace.
        public var logLevelName: String {
            switch self {
            case .default, .info: return "info"
            case .error: return "error"
            case .warning: return "warning"
            case .debug: return "debug"
            case .detailedDebug: return "trace"
            }
        }
    }

    /// One `LogComponents` entry.
    public struct Component: Hashable, Sendable {
        /// The DMS component id (`SOURCE_CAPTURE`, `TARGET_APPLY`, …).
        public var id: String
        /// Its severity.
        public var severity: Severity

        /// Makes an entry.
        public init(id: String, severity: Severity) {
            self.id = id
            self.severity = severity
        }
    }

    /// The DMS component ids and the Ferry part each one sets the level of.
    public static let componentParts: [String: String] = [
        "SOURCE_UNLOAD": "source full load", "SOURCE_CAPTURE": "source CDC", "TARGET_LOAD": "sink full load",
        "TARGET_APPLY": "sink CDC apply", "TASK_MANAGER": "task", "TABLES_MANAGER": "task", "METADATA_MANAGER": "schema changes",
        "TRANSFORMATION": "table mappings", "SORTER": "event log", "VALIDATOR_EXT": "validation", "VALIDATOR": "validation",
        "PERFORMANCE": "metrics", "COMMON": "task", "IO": "event log", "COMMUNICATION": "task", "FILE_FACTORY": "event log",
        "FILE_TRANSFER": "event log", "REST_SERVER": "task", "ADDONS": "task", "DATA_STRUCTURE": "task",
        "DATA_RECORD": "task", "SQLITE": "table mappings",
    ]

    /// `EnableLogging`: on AWS this sends logs to CloudWatch; in Ferry it applies `LogComponents` (logs always go to stderr).
    public var enableLogging = false
    /// `EnableLogContext`: add the task and table to every log line's metadata.
    public var enableLogContext = false
    /// `LogComponents`.
    public var components: [Component] = []

    /// Makes DMS's defaults.
    public init() {}

    /// The level for a DMS component id, when logging is enabled and the component is listed.
    public func severity(of componentID: String) -> Severity? {
        guard enableLogging else { return nil }
        return components.first { $0.id == componentID }?.severity
    }

    static let notApplicable: [String: String] = [
        "CloudWatchLogGroup": "AWS CloudWatch; Ferry logs to stderr through swift-log",
        "CloudWatchLogStream": "AWS CloudWatch; Ferry logs to stderr through swift-log",
    ]

    static func read(_ section: inout SettingsSection, ignored: inout [IgnoredSetting]) throws(TaskConfigurationError) -> LoggingSettings {
        var s = LoggingSettings()
        try section.bool("EnableLogging", &s.enableLogging)
        try section.bool("EnableLogContext", &s.enableLogContext)
        if let items = try section.object.array("LogComponents") {
            for (index, item) in items.enumerated() {
                var entry = try LenientObject(item, path: section.object.fieldPath("LogComponents[\(index)]"), caseInsensitive: true)
                guard let id = try entry.string("Id") else { throw entry.error(.missingField, "Id", "is missing") }
                guard let severityText = try entry.choice("Severity", Severity.allCases.map(\.rawValue)) else {
                    throw entry.error(.missingField, "Severity", "is missing")
                }
                if componentParts[id.uppercased()] == nil {
                    ignored.append(IgnoredSetting(path: entry.fieldPath("Id"), reason: "'\(id)' is not a DMS log component Ferry maps"))
                }
                s.components.append(Component(id: id.uppercased(), severity: Severity(rawValue: severityText)!))
                SettingsSection(entry).finish(into: &ignored)
            }
        }
        return s
    }

    var json: JSONValue {
        var j = SettingsJSON()
        j.add("EnableLogging", enableLogging)
        j.add("EnableLogContext", enableLogContext)
        j.add("LogComponents", .array(components.map { .object([.init("Id", .string($0.id)), .init("Severity", .string($0.severity.rawValue))]) }))
        return j.json
    }
}
