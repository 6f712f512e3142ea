import EventLog
import FerryCore
import FerryTestSupport
import Foundation
import Postgres
import PostgresSink
import Testing

@Suite("ferry sink and ferry status command lines")
struct SinkCommandTests {
    @Test("ferry status shows what ferry sink applied, as a table and as JSON")
    func statusAfterSink() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await SinkApplyTests.writeTrickyStream(script)
        let sink = try ChildProcess(ferry: ["sink", "--log", log.url, "--target", database.url, "--name", "cli", "--prefix", "src", "--stop-at-end"])
        #expect(try await sink.waitForExit() == 0, "\(sink.standardError)")
        #expect(sink.output.first == "sink cli started")
        #expect(sink.output.last == "sink cli stopped")
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))

        // --json: what `aws dms describe-table-statistics` prints, field for field.
        let json = try ChildProcess(ferry: ["status", "--target", database.url, "--json"])
        #expect(try await json.waitForExit() == 0)
        let text = json.output.joined(separator: "\n")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(document.keys) == ["ReplicationTaskArn", "TableStatistics"])
        #expect(document["ReplicationTaskArn"] as? String == "arn:ferry:dms:::task:cli")
        let statistics = try #require(document["TableStatistics"] as? [[String: Any]])
        let expected = try await SinkTableStatus.load(from: try await database.connect(), sink: "cli")
        #expect(statistics.count == expected.count && expected.count == 2)
        let fields = ["SchemaName", "TableName", "Inserts", "Deletes", "Updates", "Ddls", "AppliedInserts", "AppliedDeletes", "AppliedUpdates",
                      "AppliedDdls", "FullLoadRows", "FullLoadCondtnlChkFailedRows", "FullLoadErrorRows", "FullLoadReloaded", "LastUpdateTime",
                      "TableState", "ValidationPendingRecords", "ValidationFailedRecords", "ValidationSuspendedRecords", "ValidationState"]
        // The AWS CLI's order, which scripts reading the text rely on as much as the keys.
        let order = text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("\""), let end = trimmed.dropFirst().firstIndex(of: "\"") else { return nil }
            return String(trimmed[trimmed.index(after: trimmed.startIndex)..<end])
        }.filter { $0 != "ReplicationTaskArn" && $0 != "TableStatistics" }
        #expect(order == fields + fields)
        for status in expected {
            let row = try #require(statistics.first { $0["TableName"] as? String == status.tableName })
            #expect(Set(row.keys) == Set(fields))
            #expect(row["SchemaName"] as? String == "dbo")
            #expect(row["Inserts"] as? Int == Int(status.inserts) && row["AppliedInserts"] as? Int == Int(status.inserts))
            #expect(row["Updates"] as? Int == Int(status.updates))
            #expect(row["Deletes"] as? Int == Int(status.deletes))
            #expect(row["Ddls"] as? Int == 0)  // the table's first capture is not a DDL
            #expect(row["TableState"] as? String == "Table completed")
            #expect(row["ValidationState"] as? String == "Not enabled")
            #expect(row["LastUpdateTime"] as? String == status.lastUpdateTime.description)
            let time = try #require(row["LastUpdateTime"] as? String)
            #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00/) != nil)
        }
        #expect(statistics.contains { $0["TableName"] as? String == "Orders" && ($0["Inserts"] as? Int ?? 0) > 0 })

        // The table view.
        let table = try ChildProcess(ferry: ["status", "--target", database.url, "--name", "cli"])
        #expect(try await table.waitForExit() == 0)
        #expect(table.output.first?.hasPrefix("sink") == true)
        #expect(table.output.first?.contains("full load rows") == true)
        #expect(table.output.contains { $0.contains("Orders") && $0.contains("dbo.orders") && $0.contains("Table completed") })

        // A second sink on the same target: --json wants --name, and --name filters.
        let other = try ChildProcess(ferry: ["sink", "--log", log.url, "--target", database.url, "--name", "other", "--prefix", "src", "--stop-at-end"])
        #expect(try await other.waitForExit() == 0, "\(other.standardError)")
        let ambiguous = try ChildProcess(ferry: ["status", "--target", database.url, "--json"])
        #expect(try await ambiguous.waitForExit() == 2)
        #expect(ambiguous.standardError.contains("--name") && ambiguous.standardError.contains("other"))
        let named = try ChildProcess(ferry: ["status", "--target", database.url, "--json", "--name", "other"])
        #expect(try await named.waitForExit() == 0)
        let otherDocument = try #require(try JSONSerialization.jsonObject(with: Data(named.output.joined(separator: "\n").utf8)) as? [String: Any])
        #expect(otherDocument["ReplicationTaskArn"] as? String == "arn:ferry:dms:::task:other")
        #expect((otherDocument["TableStatistics"] as? [[String: Any]])?.count == 2)
        let both = try ChildProcess(ferry: ["status", "--target", database.url])
        #expect(try await both.waitForExit() == 0)
        #expect(both.output.filter { $0.hasPrefix("cli ") }.count == 2 && both.output.filter { $0.hasPrefix("other ") }.count == 2)
        // ferry sink writes DMS's apply exceptions table even without task settings, as DMS does.
        #expect(try await database.scalar("SELECT to_regclass('public.awsdms_apply_exceptions')::text") == "awsdms_apply_exceptions")
    }

    @Test("bad options exit with status 2 naming the option", arguments: [
        (["--reset", "topic:x:1"], "--reset"),
        (["--until", "yesterday"], "--until"),
        (["--task-settings", "/nonexistent/settings.json"], "--task-settings"),
    ])
    func badOptions(extra: [String], option: String) async throws {
        let child = try ChildProcess(ferry: ["sink", "--log", "/tmp/unused-\(UUID().uuidString).sqlite", "--target", "postgresql://127.0.0.1:1/x", "--name", "n"] + extra)
        #expect(try await child.waitForExit() == 2)
        #expect(child.standardError.contains(option))
    }
}
