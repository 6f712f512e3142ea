import FerryTestSupport
import Foundation
import Logging
import Postgres
import Testing

/// Validation inside `ferry run` (`ValidationSettings.EnableValidation`, `ValidationOnly`), read
/// back through `ferry status --json` and DMS's `awsdms_validation_failures_v1`.
@Suite(.serialized) struct RunValidationTests {
    @Test("EnableValidation: every table Validated after its full load; a row changed on the target shows as Mismatched records with its key")
    func validatesDuringTheTask() async throws {
        try await WalkthroughTests.withEnvironment { environment in
            try await WalkthroughTests.convert(environment)
            let settings = try RunTestSupport.settingsFile { json in
                RunTestSupport.set(&json, "ValidationSettings", "EnableValidation", true)
                RunTestSupport.set(&json, "ValidationSettings", "ThreadCount", 2)
            }
            defer { try? FileManager.default.removeItem(atPath: settings) }
            let run = try ChildProcess(ferry: RunTestSupport.runArguments(environment, settings: settings, extra: ["--validation-interval-ms", "500"]))
            let counts = try await WalkthroughTests.sourceCounts(environment)
            try await WalkthroughTests.waitUntil("every table Validated", run: run) {
                let entries = try await RunTestSupport.statusEntries(environment)
                return counts.keys.allSatisfy { entries[$0]?["ValidationState"] as? String == "Validated" }
            }
            let validated = try await RunTestSupport.statusEntries(environment)
            // No table was compared before its full load was applied.
            #expect(!run.output.contains { $0.contains("Mismatched records") }, "\(run.output)")
            for table in counts.keys {
                #expect(validated[table]?["ValidationFailedRecords"] as? Int == 0, "\(table)")
                #expect(validated[table]?["ValidationPendingRecords"] as? Int == 0, "\(table)")
            }

            // Behind Ferry's back: the target's department 1 is renamed. A change on the source
            // afterwards makes the table due for validation again.
            let target = try await PostgresConnection.connect(url: environment.targetURL, logger: WalkthroughTests.logger)
            try await target.query("UPDATE \(WalkthroughTests.schema).department SET name = 'Tampered' WHERE departmentid = 1")
            let source = try await environment.connect()
            _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Validation trigger', N'Validation')")
            await source.close()
            try await WalkthroughTests.waitUntil("Department Mismatched records", run: run) {
                try await RunTestSupport.statusEntries(environment)["Department"]?["ValidationState"] as? String == "Mismatched records"
            }
            let department = try #require(try await RunTestSupport.statusEntries(environment)["Department"])
            #expect(department["ValidationFailedRecords"] as? Int == 1)
            let details = department["ValidationStateDetails"] as? String ?? ""
            #expect(details.contains("DepartmentID=1") && details.contains("Name"), "\(details)")
            // The other tables stay validated: nothing of theirs changed.
            let others = try await RunTestSupport.statusEntries(environment)
            for table in counts.keys where table != "Department" {
                #expect(others[table]?["ValidationState"] as? String == "Validated", "\(table)")
            }
            // DMS's failures table, in the control schema (public), one row for the key.
            let failures = try await target.query("""
                SELECT "TASK_NAME", "TABLE_OWNER", "TABLE_NAME", "KEY_TYPE", "KEY", "FAILURE_TYPE", "DETAILS" FROM public.awsdms_validation_failures_v1
                """)
            #expect(failures.count == 1)
            if let row = failures.first {
                #expect(try row.decode(String.self, at: 0) == "AdventureWorks2014")
                #expect(try row.decode(String.self, at: 1) == "HumanResources")
                #expect(try row.decode(String.self, at: 2) == "Department")
                #expect(try row.decode(String.self, at: 3) == "Row")
                #expect(try row.decode(String.self, at: 4) == "{\"key\": [\"1\"]}")
                #expect(try row.decode(String.self, at: 5) == "RECORD_DIFF")
                #expect(try row.decode(String.self, at: 6).contains("Name"))
            }
            #expect(run.output.contains { $0.contains("Mismatched records (1)") && $0.contains("DepartmentID=1") }, "\(run.output.suffix(10))")

            // Put right on the target: the next comparison finds the table validated again and
            // clears DMS's failures table.
            let original = try await environment.connect()
            let name = try #require(try await original.query("SELECT Name FROM HumanResources.Department WHERE DepartmentID = 1").first?[0].stringValue)
            try await target.query("UPDATE \(WalkthroughTests.schema).department SET name = $1 WHERE departmentid = 1", [.text(name)])
            _ = try await original.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Validation trigger 2', N'Validation')")
            await original.close()
            try await WalkthroughTests.waitUntil("Department Validated again", run: run) {
                try await RunTestSupport.statusEntries(environment)["Department"]?["ValidationState"] as? String == "Validated"
            }
            #expect(try await target.query("SELECT count(*) FROM public.awsdms_validation_failures_v1").first?.decode(Int64.self, at: 0) == 0)
            run.terminate()
            #expect(try await run.waitForExit() == 0, "\(run.standardError)")

            // A restart (no new snapshot) keeps the outcomes and validates changes from there.
            let removed = try #require(try await target.query("SELECT departmentid FROM \(WalkthroughTests.schema).department WHERE name = 'Validation trigger'")
                .first?.decode(Int16.self, at: 0))
            try await target.query("DELETE FROM \(WalkthroughTests.schema).department WHERE departmentid = $1", [.int32(Int32(removed))])
            let restarted = try ChildProcess(ferry: RunTestSupport.runArguments(environment, settings: settings, extra: ["--validation-interval-ms", "500"]))
            let again = try await environment.connect()
            _ = try await again.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Validation trigger 3', N'Validation')")
            await again.close()
            try await WalkthroughTests.waitUntil("Department Mismatched records after the restart", run: restarted) {
                try await RunTestSupport.statusEntries(environment)["Department"]?["ValidationState"] as? String == "Mismatched records"
            }
            let afterRestart = try await RunTestSupport.statusEntries(environment)
            let restartDetails = afterRestart["Department"]?["ValidationStateDetails"] as? String ?? ""
            #expect(restartDetails.contains("{DepartmentID=\(removed)}: missing on the target"), "\(restartDetails)")
            for table in counts.keys where table != "Department" {
                #expect(afterRestart[table]?["ValidationState"] as? String == "Validated", "\(table)")
            }
            let failureTypes = try await target.query("SELECT \"FAILURE_TYPE\" FROM public.awsdms_validation_failures_v1").map { try $0.decode(String.self, at: 0) }
            #expect(failureTypes == ["MISSING_TARGET"])
            await target.close()
            restarted.terminate()
            #expect(try await restarted.waitForExit() == 0, "\(restarted.standardError)")
        }
    }

    @Test("ValidationOnly: nothing is replicated; every loaded-nowhere table is reported Mismatched records, empty ones Validated")
    func validationOnly() async throws {
        try await WalkthroughTests.withEnvironment { environment in
            try await WalkthroughTests.convert(environment)
            let settings = try RunTestSupport.settingsFile { json in
                RunTestSupport.set(&json, "ValidationSettings", "EnableValidation", true)
                RunTestSupport.set(&json, "ValidationSettings", "ValidationOnly", true)
                RunTestSupport.set(&json, "ValidationSettings", "TableFailureMaxCount", 100)
            }
            defer { try? FileManager.default.removeItem(atPath: settings) }
            let run = try ChildProcess(ferry: RunTestSupport.runArguments(environment, settings: settings, migrationType: "full-load"))
            #expect(try await run.waitForExit(timeout: .seconds(180)) == 0, "\(run.standardError)")
            #expect(run.output.contains("validation-only pass finished"))
            let counts = try await WalkthroughTests.sourceCounts(environment)
            let target = try await PostgresConnection.connect(url: environment.targetURL, logger: WalkthroughTests.logger)
            for table in counts.keys {
                let rows = try await target.query("SELECT count(*) FROM \(WalkthroughTests.schema).\(table.lowercased())").first?.decode(Int64.self, at: 0)
                #expect(rows == 0, "\(table) was not replicated")
            }
            await target.close()
            let entries = try await RunTestSupport.statusEntries(environment)
            for (table, rows) in counts {
                let entry = try #require(entries[table], "\(table) in ferry status")
                #expect(entry["TableState"] as? String == "Before load")
                #expect(entry["ValidationState"] as? String == (rows == 0 ? "Validated" : "Mismatched records"), "\(table)")
                #expect(entry["ValidationFailedRecords"] as? Int == rows, "\(table)")
                let details = entry["ValidationStateDetails"] as? String ?? ""
                #expect(details.contains("TableFailureMaxCount") == (rows > 100), "\(table): \(details)")
            }
        }
    }

    @Test("FailureMaxCount suspends the validation of the task, never replication")
    func failureMaxCountSuspendsValidation() async throws {
        try await WalkthroughTests.withEnvironment { environment in
            try await WalkthroughTests.convert(environment)
            // The target is emptied behind Ferry's back after the load: every row then differs.
            let settings = try RunTestSupport.settingsFile { json in
                RunTestSupport.set(&json, "ValidationSettings", "EnableValidation", true)
                RunTestSupport.set(&json, "ValidationSettings", "FailureMaxCount", 5)
            }
            defer { try? FileManager.default.removeItem(atPath: settings) }
            let run = try ChildProcess(ferry: RunTestSupport.runArguments(environment, settings: settings, extra: ["--validation-interval-ms", "300"]))
            let counts = try await WalkthroughTests.sourceCounts(environment)
            try await WalkthroughTests.waitUntil("every table Validated", run: run) {
                let entries = try await RunTestSupport.statusEntries(environment)
                return counts.keys.allSatisfy { entries[$0]?["ValidationState"] as? String == "Validated" }
            }
            #expect(!run.output.contains { $0.contains("Mismatched records") }, "\(run.output)")
            let target = try await PostgresConnection.connect(url: environment.targetURL, logger: WalkthroughTests.logger)
            try await target.query("DELETE FROM \(WalkthroughTests.schema).employeepayhistory")
            let source = try await environment.connect()
            _ = try await source.execute("UPDATE HumanResources.EmployeePayHistory SET PayFrequency = 2 WHERE BusinessEntityID = 1")
            try await WalkthroughTests.waitUntil("validation suspended", run: run) { run.output.contains { $0.hasPrefix("validation suspended") } }
            // Replication goes on after the suspension.
            _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'After suspension', N'Suspension')")
            await source.close()
            try await WalkthroughTests.waitUntil("the insert after the suspension", run: run) {
                try await RunTestSupport.targetDepartments(target, group: "Suspension") == ["After suspension"]
            }
            await target.close()
            let entries = try await RunTestSupport.statusEntries(environment)
            #expect(entries["EmployeePayHistory"]?["ValidationState"] as? String == "Mismatched records")
            #expect((entries["EmployeePayHistory"]?["ValidationFailedRecords"] as? Int ?? 0) > 5)
            run.terminate()
            #expect(try await run.waitForExit() == 0, "\(run.standardError)")
        }
    }

    @Test("ValidationOnly without EnableValidation is a configuration error (exit 2)")
    func validationOnlyNeedsEnableValidation() async throws {
        let settings = try RunTestSupport.settingsFile { json in
            RunTestSupport.set(&json, "ValidationSettings", "ValidationOnly", true)
        }
        defer { try? FileManager.default.removeItem(atPath: settings) }
        let run = try ChildProcess(ferry: ["run", "--source", "sqlserver://sa:x@127.0.0.1:1/Db", "--target", "postgresql://127.0.0.1:1/x",
                                           "--task-settings", settings])
        #expect(try await run.waitForExit() == 2)
        #expect(run.standardError.contains("ValidationOnly"), "\(run.standardError)")
    }
}
