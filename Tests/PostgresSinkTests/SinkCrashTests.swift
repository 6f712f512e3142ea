import EventLog
import FerryCore
import FerryTestSupport
import Foundation
import Postgres
import PostgresSink
import Testing

@Suite("Sink crash safety")
struct SinkCrashTests {
    /// `ferry sink` killed with SIGKILL at random moments while it applies, then restarted: the
    /// target ends equal to the source row by row — nothing lost (keyed rows) and nothing doubled
    /// (the keyless table would hold a duplicate row).
    @Test("SIGKILL at random points neither loses nor doubles a change", arguments: [false, true])
    func killedAndRestarted(transactional: Bool) async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log, withTransactions: transactional)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.createTable(try Fixtures.notesSchema(), partitions: 1)
        try await script.randomWorkload(changes: 8000, ids: 1...400, seed: 2026)

        let settings = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-sink-settings-\(UUID().uuidString).json")
        // Batch mode, or DMS's default transactional apply.
        try Data("""
            {"TargetMetadata":{"BatchApplyEnabled":\(!transactional)},"FullLoadSettings":{"CommitRate":97,"TargetTablePrepMode":"DO_NOTHING"},
             "ChangeProcessingTuning":{"BatchApplyPreserveTransaction":\(transactional),"BatchApplyTimeoutMin":0,"BatchApplyTimeoutMax":5}}
            """.utf8).write(to: settings)
        defer { try? FileManager.default.removeItem(at: settings) }
        let arguments = ["sink", "--log", log.url, "--target", database.url, "--name", "crash", "--prefix", "src",
                         "--task-settings", settings.path, "--stop-at-end"]
        var generator = SplitMix(seed: 7)
        var kills = 0
        var attempts = 0
        while kills < 6, attempts < 15 {
            attempts += 1
            let child = try ChildProcess(ferry: arguments)
            // Wait for a few commits, then kill at a random moment.
            try await child.waitForLines(1 + Int(generator.next() % 6))
            try await Task.sleep(for: .milliseconds(Int(generator.next() % 120)))
            child.kill()
            _ = try await child.waitForExit()
            if !child.output.contains("sink crash stopped") { kills += 1 }
        }
        let last = try ChildProcess(ferry: arguments)
        let status = try await last.waitForExit()
        #expect(status == 0, "\(last.standardError)")
        #expect(kills >= 6, "the sink finished before it could be killed \(attempts - kills) of \(attempts) times")
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))
        expectRows(try await database.rows("dbo.notes", columns: ["author", "body"]), script.expectedRows(Fixtures.notes))
        #expect(try await database.scalar("SELECT count(*) FROM ferry.apply_exceptions") == "0")
    }
}
