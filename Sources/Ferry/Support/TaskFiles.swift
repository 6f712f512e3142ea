import ArgumentParser
import FerryCore
import Foundation
import Synchronization

/// `--task-settings` and `--table-mappings`: the AWS DMS files a task runs from, shared by every
/// command that takes them (`source`, `sink`, `run`, `convert`, `validate`, `task check`).
struct TaskFileOptions: ParsableArguments {
    @Option(name: .customLong("task-settings"), help: ArgumentHelp("A DMS task settings JSON file (file:// accepted).", valueName: "file"))
    var taskSettings: String?

    @Option(name: .customLong("table-mappings"), help: ArgumentHelp("A DMS table mappings JSON file (file:// accepted).", valueName: "file"))
    var tableMappings: String?

    @Flag(name: .customLong("case-sensitive-names"), help: "Compare rule names with source names case-sensitively (for a case-sensitive source collation).")
    var caseSensitiveNames = false

    /// The task settings: the file's, or DMS's defaults without `--task-settings`. Ignored keys are
    /// printed once as warnings; a bad file is a configuration error (exit status 2).
    func loadSettings() throws -> TaskSettings {
        guard let taskSettings else { return TaskSettings() }
        return try TaskFiles.settings(taskSettings)
    }

    /// The table mappings of `--table-mappings`, or `nil` without it.
    func loadMappings() throws -> TableMappings? {
        guard let tableMappings else { return nil }
        return try TaskFiles.mappings(tableMappings, nameComparison: caseSensitiveNames ? .caseSensitive : .caseInsensitive)
    }
}

/// Loads DMS task files for the command line: errors become ``ConfigurationError`` naming the
/// option, file and field (exit status 2); ignored keys are warned about once per file.
enum TaskFiles {
    private static let warned = Mutex(Set<String>())

    /// Loads task settings from `argument` (`file://` accepted), warning about ignored keys.
    static func settings(_ argument: String, warnings: Bool = true) throws -> TaskSettings {
        do {
            let settings = try TaskConfigurationFile.taskSettings(argument)
            if warnings { warnOnce(settings.ignored, file: TaskConfigurationFile.path(for: argument)) }
            return settings
        } catch {
            throw configurationError(error, option: "--task-settings")
        }
    }

    /// Loads table mappings from `argument` (`file://` accepted), warning about ignored keys.
    static func mappings(_ argument: String, nameComparison: NameComparison = .caseInsensitive, warnings: Bool = true) throws -> TableMappings {
        do {
            let mappings = try TaskConfigurationFile.tableMappings(argument, nameComparison: nameComparison)
            if warnings { warnOnce(mappings.ignored, file: TaskConfigurationFile.path(for: argument)) }
            return mappings
        } catch {
            throw configurationError(error, option: "--table-mappings")
        }
    }

    /// A task-file error as the command line reports it: `--task-settings F: 'Field' must be … (code=…, field=…)`.
    static func configurationError(_ error: TaskConfigurationError, option: String) -> ConfigurationError {
        var detail = error
        let file = detail.file ?? ""
        detail.file = nil
        return ConfigurationError(subject: file.isEmpty ? option : "\(option) \(file)", message: detail.description)
    }

    /// Prints each ignored key of `file` to standard error, the first time the file is loaded in this process.
    static func warnOnce(_ ignored: [IgnoredSetting], file: String) {
        guard !ignored.isEmpty, warned.withLock({ $0.insert(file).inserted }) else { return }
        var text = ""
        for entry in ignored {
            text += "ferry: warning: \(file): \(entry.path) is ignored: \(entry.reason)\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
