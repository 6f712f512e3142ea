import FerryTestSupport
import Foundation
import FreeTDS
import Logging
import Postgres
import Testing

/// Helpers the `ferry run` end-to-end suites share on top of ``WalkthroughTests``' environment.
enum RunTestSupport {
    /// The walkthrough's task settings with `edit` applied, written to a temporary file.
    static func settingsFile(_ edit: (inout [String: Any]) -> Void) throws -> String {
        let data = try Data(contentsOf: WalkthroughTests.examples.appendingPathComponent("task_settings.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&json)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-settings-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Sets `section.key` in a settings document.
    static func set(_ json: inout [String: Any], _ section: String, _ key: String, _ value: Any) {
        var object = json[section] as? [String: Any] ?? [:]
        object[key] = value
        json[section] = object
    }

    /// `environment.runArguments()` with another task settings file, migration type or log, plus `extra`.
    static func runArguments(_ environment: WalkthroughTests.Environment, settings: String? = nil, migrationType: String = "full-load-and-cdc",
                             log: String? = nil, extra: [String] = []) -> [String] {
        var arguments = environment.runArguments()
        if let settings { arguments[arguments.firstIndex(of: "--task-settings")! + 1] = settings }
        arguments[arguments.firstIndex(of: "full-load-and-cdc")!] = migrationType
        if let log { arguments[arguments.firstIndex(of: "--log")! + 1] = log }
        return arguments + extra
    }

    /// One table of `ferry status --json`: everything DMS prints, by field name.
    static func statusEntries(_ environment: WalkthroughTests.Environment) async throws -> [String: [String: Any]] {
        let status = try ChildProcess(ferry: ["status", "--target", environment.targetURL, "--json"])
        try #require(try await status.waitForExit() == 0, "\(status.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(status.output.joined(separator: "\n").utf8))
        let entries = try #require((json as? [String: Any])?["TableStatistics"] as? [[String: Any]])
        var result: [String: [String: Any]] = [:]
        for entry in entries { result[(entry["TableName"] as? String) ?? "?"] = entry }
        return result
    }

    /// An LSN as SQL Server prints it (`0000002a:00000130:0003`).
    static func lsnText(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let characters = Array(hex)
        return String(characters[0..<8]) + ":" + String(characters[8..<16]) + ":" + String(characters[16..<20])
    }

    /// Waits until the capture job has copied the Department row named `name` into the change table;
    /// returns its commit LSN.
    static func capturedLSN(_ source: TDSConnection, department name: String) async throws -> [UInt8] {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let rows = try await source.query("SELECT __$start_lsn AS lsn FROM cdc.HumanResources_Department_CT WHERE Name = N'\(name)'")
            if let bytes = rows.first?[0].bytesValue { return bytes }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WalkthroughTimeout(description: "the capture job did not capture department \(name)")
    }

    /// Names of the target's departments in group `group`.
    static func targetDepartments(_ target: PostgresConnection, group: String) async throws -> Set<String> {
        Set(try await target.query("SELECT name FROM \(WalkthroughTests.schema).department WHERE groupname = $1", [.text(group)])
            .map { try $0.decode(String.self, at: 0) })
    }
}
