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

        let json = try ChildProcess(ferry: ["status", "--target", database.url, "--json"])
        #expect(try await json.waitForExit() == 0)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.output.joined(separator: "\n").utf8)) as? [[String: Any]])
        let expected = try await SinkTableStatus.load(from: try await database.connect(), sink: "cli")
        #expect(parsed.count == expected.count && expected.count == 2)
        for status in expected {
            let row = try #require(parsed.first { $0["source_table"] as? String == status.sourceTable })
            #expect(row["inserts"] as? Int == Int(status.inserts))
            #expect(row["updates"] as? Int == Int(status.updates))
            #expect(row["deletes"] as? Int == Int(status.deletes))
            #expect(row["state"] as? String == "Table completed")
            #expect(row["applied_lsn"] as? String == status.appliedLSN)
        }
        let table = try ChildProcess(ferry: ["status", "--target", database.url, "--name", "cli"])
        #expect(try await table.waitForExit() == 0)
        #expect(table.output.first?.hasPrefix("sink") == true)
        #expect(table.output.contains { $0.contains("shop.dbo.Orders") && $0.contains("dbo.orders") })
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
