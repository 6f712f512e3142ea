import FerryTestSupport
import Foundation
import Logging
import Postgres
import Testing

/// `ferry validate` through the executable, against the emulator and a PostgreSQL target that
/// `ferry convert` created.
@Suite struct ValidateCommandTests {
    @Test("equal tables exit 0; a row changed behind Ferry's back is listed by key and exits 1")
    func validatesAndFindsMismatch() async throws {
        try await TestEmulator.with { emulator in
            let database = "Shop" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
            let schema = "\(database.lowercased())_dbo"
            let source = try await emulator.connect()
            _ = try await source.execute("CREATE DATABASE \(database)")
            _ = try await source.execute("""
                USE \(database);
                CREATE TABLE dbo.Item (ItemID int NOT NULL PRIMARY KEY, Name nvarchar(50) NULL, Price money NOT NULL, Added datetime2(3) NULL);
                CREATE TABLE dbo.Note (Body nvarchar(100) NULL);
                INSERT INTO dbo.Item VALUES (1, N'Tea', 3.5, '2024-01-01 10:00:00.125'), (2, N'Coffee', 4, NULL), (3, NULL, 0, '1999-12-31 23:59:59.999');
                """)
            await source.close()
            let targetURL = try TestPostgres.url()
            let convert = try ChildProcess(ferry: ["convert", "--source", emulator.url(database: database), "--target", targetURL, "--apply"])
            #expect(try await convert.waitForExit() == 0, "\(convert.standardError)")
            let target = try await PostgresConnection.connect(url: targetURL, logger: Logger(label: "test"))
            try await target.execute("""
                INSERT INTO \(schema).item VALUES (1, 'Tea', 3.5, '2024-01-01 10:00:00.125'), (2, 'Coffee', 4, NULL), (3, NULL, 0, '1999-12-31 23:59:59.999')
                """)

            let mappings = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-validate-\(UUID().uuidString).json")
            try Data(#"{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","object-locator":{"schema-name":"dbo","table-name":"Item"},"rule-action":"include"}]}"#.utf8).write(to: mappings)
            defer { try? FileManager.default.removeItem(at: mappings) }

            let validated = try ChildProcess(ferry: ["validate", "--source", emulator.url(database: database), "--target", targetURL, "--table-mappings", mappings.path])
            #expect(try await validated.waitForExit() == 0, "\(validated.standardError)")
            #expect(validated.output.contains { $0.hasPrefix("dbo.Item") && $0.contains("\(schema).item") && $0.contains("Validated") })

            try await target.execute("UPDATE \(schema).item SET price = 4.01 WHERE itemid = 2; DELETE FROM \(schema).item WHERE itemid = 3")
            let mismatched = try ChildProcess(ferry: ["validate", "--source", emulator.url(database: database), "--target", targetURL, "--table-mappings", mappings.path, "--json"])
            #expect(try await mismatched.waitForExit() == 1)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(mismatched.output.joined(separator: "\n").utf8)) as? [String: Any])
            let table = try #require((report["TableStatistics"] as? [[String: Any]])?.first)
            #expect(table["ValidationState"] as? String == "Mismatched records")
            #expect(table["ValidationFailedRecords"] as? Int == 2)
            let records = try #require(table["MismatchedRecords"] as? [[String: Any]])
            #expect(records.contains { ($0["Key"] as? [String: String]) == ["ItemID": "2"] && $0["Kind"] as? String == "Different" && ($0["Columns"] as? [String]) == ["Price"] })
            #expect(records.contains { ($0["Key"] as? [String: String]) == ["ItemID": "3"] && $0["Kind"] as? String == "MissingOnTarget" })

            // Without mappings every table is selected; the keyless one is reported, not skipped silently.
            let all = try ChildProcess(ferry: ["validate", "--source", emulator.url(database: database), "--target", targetURL])
            #expect(try await all.waitForExit() == 1)
            #expect(all.output.contains { $0.contains("dbo.Note: not validated: no primary key") })

            try await target.execute("DROP SCHEMA \(schema) CASCADE")
            await target.close()
        }
    }
}
