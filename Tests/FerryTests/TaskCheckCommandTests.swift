import FerryTestSupport
import Foundation
import Testing

/// `ferry task check` through the executable: the walkthrough's files, bad files and exit statuses.
@Suite struct TaskCheckCommandTests {
    /// Writes files into a fresh directory, runs `body`, removes the directory.
    func withFiles(_ files: [String: String], _ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-task-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        try await body(directory)
    }

    static let settings = #"""
    {
      "TargetMetadata": {"TargetSchema": "adventureworks2014_humanresources", "SupportLobs": true, "FullLobMode": false, "LobChunkSize": 64, "LimitedSizeLobMode": true, "LobMaxSize": 32},
      "FullLoadSettings": {"FullLoadEnabled": false, "ApplyChangesEnabled": true, "TargetTablePrepMode": "DO_NOTHING", "MaxFullLoadSubTasks": "8", "CommitRate": 10000},
      "ControlTablesSettings": {"ControlSchema": "", "historyTimeslotInMinutes": 5},
      "Logging": {"EnableLogging": false, "CloudWatchLogGroup": null}
    }
    """#

    static let mappings = #"""
    {"rules": [
      {"rule-type": "selection", "rule-id": "1", "rule-name": "1", "object-locator": {"schema-name": "HumanResources", "table-name": "%"}, "rule-action": "include"},
      {"rule-type": "selection", "rule-id": "2", "rule-name": "2", "object-locator": {"schema-name": "HumanResources", "table-name": "JobCandidate"}, "rule-action": "exclude"},
      {"rule-type": "transformation", "rule-id": "3", "rule-name": "3", "rule-target": "table", "object-locator": {"schema-name": "%", "table-name": "%"}, "rule-action": "convert-lowercase"}
    ]}
    """#

    @Test func printsEffectiveSettingsRulesAndIgnoredKeys() async throws {
        try await withFiles(["task_settings.json": Self.settings, "table_mappings.json": Self.mappings]) { directory in
            let process = try ChildProcess(ferry: [
                "task", "check",
                "--task-settings", "file://" + directory.appendingPathComponent("task_settings.json").path,
                "--table-mappings", directory.appendingPathComponent("table_mappings.json").path,
                "--table", "HumanResources.Department", "--table", "HumanResources.JobCandidate",
            ])
            #expect(try await process.waitForExit() == 0, "\(process.standardError)")
            let output = process.output
            #expect(output.contains(#"    "TargetTablePrepMode": "DO_NOTHING","#))
            #expect(output.contains(#"    "HistoryTimeslotInMinutes": 5,"#))
            #expect(output.contains(#"    "ApplyErrorInsertPolicy": "LOG_ERROR","#))  // a default the file leaves out
            #expect(output.contains("  rule 2: selection exclude HumanResources.JobCandidate"))
            #expect(output.contains("  rule 3: transformation table %.%: convert-lowercase"))
            #expect(output.contains("  HumanResources.Department: selected by rule 1 → adventureworks2014_humanresources.department"))
            #expect(output.contains("  HumanResources.JobCandidate: not selected"))
            #expect(output.contains("Ignored keys: 3"))
            #expect(output.contains { $0.contains("FullLoadSettings.FullLoadEnabled: legacy key") })
            #expect(output.contains { $0.contains("Logging.CloudWatchLogGroup: AWS CloudWatch") })
            #expect(process.standardError.isEmpty)
        }
    }

    @Test func aBadFieldIsExitStatusTwoNamingFileRuleAndField() async throws {
        let badMappings = #"{"rules": [{"rule-type": "selection", "rule-id": "4", "object-locator": {"schema-name": "dbo", "table-name": "t"}, "rule-action": "include", "filters": [{"filter-type": "source", "column-name": "id", "filter-conditions": [{"filter-operator": "around", "value": "1"}]}]}]}"#
        try await withFiles(["bad.json": badMappings, "settings.json": #"{"ErrorBehavior": {"ApplyErrorUpdatePolicy": "INSERT_RECORD"}}"#]) { directory in
            let mappingsPath = directory.appendingPathComponent("bad.json").path
            let mappings = try ChildProcess(ferry: ["task", "check", "--table-mappings", mappingsPath])
            #expect(try await mappings.waitForExit() == 2)
            #expect(mappings.standardError.contains("--table-mappings \(mappingsPath): rule 4: 'rules[0].filters[0].filter-conditions[0].filter-operator'"), "\(mappings.standardError)")

            let settingsPath = directory.appendingPathComponent("settings.json").path
            let settings = try ChildProcess(ferry: ["task", "check", "--task-settings", "file://" + settingsPath])
            #expect(try await settings.waitForExit() == 2)
            #expect(settings.standardError.contains("--task-settings \(settingsPath): 'ErrorBehavior.ApplyErrorUpdatePolicy' must be one of"), "\(settings.standardError)")

            let missing = try ChildProcess(ferry: ["task", "check", "--task-settings", directory.appendingPathComponent("absent.json").path])
            #expect(try await missing.waitForExit() == 2)
            #expect(missing.standardError.contains("absent.json"))

            let nothing = try ChildProcess(ferry: ["task", "check"])
            #expect(try await nothing.waitForExit() == 2)
        }
    }
}
