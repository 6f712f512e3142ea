import Foundation
import PostgresSink

/// Reads the AWS DMS task settings (`task_settings.json`) the sink uses into a
/// ``SinkConfiguration``: `TargetMetadata.TargetSchema`, `FullLoadSettings.TargetTablePrepMode`
/// and `CommitRate`, `ChangeProcessingTuning.BatchApplyTimeoutMin/Max` and
/// `BatchApplyPreserveTransaction`, `ErrorBehavior.DataErrorPolicy`,
/// `ChangeProcessingDdlHandlingPolicy`. Other settings are left to the parts that use them.
enum SinkTaskSettings {
    static func apply(file: String, to configuration: inout SinkConfiguration) throws -> String? {
        let path = file.hasPrefix("file://") ? String(file.dropFirst("file://".count)) : file
        let subject = "--task-settings \(path)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(subject: subject, message: "the file cannot be read")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigurationError(subject: subject, message: "the file is not a JSON object")
        }
        func section(_ name: String) throws -> [String: Any] {
            guard let value = root[name] else { return [:] }
            guard let object = value as? [String: Any] else { throw ConfigurationError(subject: "\(subject): \(name)", message: "must be an object") }
            return object
        }
        func number(_ object: [String: Any], _ section: String, _ key: String) throws -> Int? {
            guard let value = object[key] else { return nil }
            // JSON booleans read as NSNumber too; only their class tells them apart.
            guard let number = value as? NSNumber, !String(describing: type(of: number)).contains("Boolean"), number.doubleValue >= 0 else {
                throw ConfigurationError(subject: "\(subject): \(section).\(key)", message: "must be a non-negative number")
            }
            return number.intValue
        }
        func bool(_ object: [String: Any], _ section: String, _ key: String) throws -> Bool? {
            guard let value = object[key] else { return nil }
            guard let number = value as? NSNumber, String(describing: type(of: number)).contains("Boolean") else { throw ConfigurationError(subject: "\(subject): \(section).\(key)", message: "must be true or false") }
            return number.boolValue
        }
        func string(_ object: [String: Any], _ section: String, _ key: String, allowed: [String]) throws -> String? {
            guard let value = object[key] else { return nil }
            guard let text = value as? String, allowed.isEmpty || allowed.contains(text) else {
                throw ConfigurationError(subject: "\(subject): \(section).\(key)", message: "must be one of \(allowed.joined(separator: ", "))")
            }
            return text
        }

        let metadata = try section("TargetMetadata")
        let targetSchema = try string(metadata, "TargetMetadata", "TargetSchema", allowed: []).flatMap { $0.isEmpty ? nil : $0 }

        let fullLoad = try section("FullLoadSettings")
        switch try string(fullLoad, "FullLoadSettings", "TargetTablePrepMode", allowed: ["DO_NOTHING", "DROP_AND_CREATE", "TRUNCATE_BEFORE_LOAD"]) {
        case "DROP_AND_CREATE": configuration.tablePreparation = .dropAndCreate
        case "TRUNCATE_BEFORE_LOAD": configuration.tablePreparation = .truncateBeforeLoad
        case "DO_NOTHING": configuration.tablePreparation = .doNothing
        default: break
        }
        if let rate = try number(fullLoad, "FullLoadSettings", "CommitRate") {
            guard rate > 0 else { throw ConfigurationError(subject: "\(subject): FullLoadSettings.CommitRate", message: "must be at least 1") }
            configuration.commitRate = rate
        }

        let tuning = try section("ChangeProcessingTuning")
        if let seconds = try number(tuning, "ChangeProcessingTuning", "BatchApplyTimeoutMin") { configuration.batchApplyTimeoutMin = .seconds(seconds) }
        if let seconds = try number(tuning, "ChangeProcessingTuning", "BatchApplyTimeoutMax") { configuration.batchApplyTimeoutMax = .seconds(seconds) }
        if configuration.batchApplyTimeoutMax < configuration.batchApplyTimeoutMin {
            throw ConfigurationError(subject: "\(subject): ChangeProcessingTuning.BatchApplyTimeoutMax", message: "must not be below BatchApplyTimeoutMin")
        }
        if let preserve = try bool(tuning, "ChangeProcessingTuning", "BatchApplyPreserveTransaction") { configuration.preserveTransactions = preserve }

        let errors = try section("ErrorBehavior")
        switch try string(errors, "ErrorBehavior", "DataErrorPolicy", allowed: ["LOG_ERROR", "IGNORE_RECORD", "SUSPEND_TABLE", "STOP_TASK"]) {
        case "SUSPEND_TABLE": configuration.errorPolicy = .suspendTable
        case "STOP_TASK": configuration.errorPolicy = .stopSink
        case "LOG_ERROR", "IGNORE_RECORD": configuration.errorPolicy = .logAndSkip
        default: break
        }

        let ddl = try section("ChangeProcessingDdlHandlingPolicy")
        if let flag = try bool(ddl, "ChangeProcessingDdlHandlingPolicy", "HandleSourceTableDropped") { configuration.ddlPolicy.applyDrop = flag }
        if let flag = try bool(ddl, "ChangeProcessingDdlHandlingPolicy", "HandleSourceTableTruncated") { configuration.ddlPolicy.applyTruncate = flag }
        if let flag = try bool(ddl, "ChangeProcessingDdlHandlingPolicy", "HandleSourceTableAltered") { configuration.ddlPolicy.applyAlter = flag }
        return targetSchema
    }
}
