import EventLog
import FerryCore
import FerryTestSupport
import Foundation
import FreeTDS
import Testing

/// The crash test of issue 6's "Done when", on both logs: a 100k-change stream produced by `ferry source` from
/// the emulator, `ferry sink` killed with SIGKILL at random points 20 times and restarted, and the
/// target equal to the source row by row at the end.
@Suite("Sink crash safety on a source connector's stream", .serialized)
struct SinkStreamCrashTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var log: LogKind
        /// Source changes: inserts, updates and deletes in source transactions of 1,000.
        var changes: Int
        var kills: Int
        var commitRate: Int
        /// The longest wait, after the lines a run waits for, before the kill.
        var killWithinMilliseconds: UInt64 = 250
        var testDescription: String { "\(log): \(changes) changes, \(kills) kills" }
    }

    static let database = "crashsrc"
    static let table = TableIdentity(database: database, schema: "dbo", table: "Accounts")
    static let columns = ["id", "owner", "balance", "note", "version"]

    @Test("SIGKILL of ferry sink at random points during a source stream: the target equals the source row by row",
          arguments: [
              Scenario(log: .embedded, changes: 100_000, kills: 20, commitRate: 2500),
              // librdkafka 2.0.2's mock cluster keeps only the last ~5 MB of a partition (about
              // 9,000 of these events), so the Kafka stream is shorter, in smaller batches.
              Scenario(log: .kafka, changes: 5_000, kills: 10, commitRate: 50, killWithinMilliseconds: 50),
          ])
    func killedDuringStream(_ scenario: Scenario) async throws {
        try await TestEmulator.with { emulator in
            let database = try await TestDatabase.create()
            let log = try await TestLog(scenario.log)
            defer { Task { await log.close(); await database.drop() } }
            let source = try await Self.prepareSource(emulator)
            defer { Task { await source.close() } }

            let topics = try TopicNames(prefix: "crash")
            if scenario.log == .kafka {
                // librdkafka 2.0.2's mock cluster has no CreateTopics request, and only this process
                // can make topics in it: the child processes find them made, as on a cluster whose
                // topics the platform team creates (Ferry then sends no CreateTopics request).
                try await log.log.createTopic(TopicConfiguration(name: topics.offsets, partitions: 1, cleanupPolicy: .compact))
                for name in [topics.schemaChanges, topics.transaction, topics.heartbeat, try topics.table(Self.table)] {
                    try await log.log.createTopic(TopicConfiguration(name: name, partitions: 1))
                }
            }
            // The source connector: CDC from now on, every change a record (no tombstones to count).
            let connector = try ChildProcess(ferry: [
                "source", "--source", emulator.url(database: Self.database), "--log", log.url, "--prefix", "crash", "--migration-type", "cdc",
                "--no-tombstones", "--poll-interval-ms", "50", "--max-idle-ms", "200", "--log-level", "error",
            ])
            // Its checkpoint is stored once its start LSN is fixed: changes after that are streamed.
            try await Self.waitUntil("the source's first checkpoint", connector) { try await Self.records(in: topics.offsets, log.log) > 0 }
            try await Self.produceChanges(scenario.changes, source)
            // The changes, and the delete of the row committed before the source started.
            let expected = scenario.changes + 1
            let dataTopic = try topics.table(Self.table)
            try await Self.waitUntil("all \(expected) changes in the log", connector, timeout: .seconds(240)) {
                try await Self.records(in: dataTopic, log.log) >= expected
            }
            connector.terminate()
            #expect(try await connector.waitForExit() == 0, "\(connector.standardError)")
            #expect(try await Self.records(in: dataTopic, log.log) == expected)

            let settings = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-sink-settings-\(UUID().uuidString).json")
            try Data("""
                {"TargetMetadata":{"BatchApplyEnabled":true},"FullLoadSettings":{"CommitRate":\(scenario.commitRate),"TargetTablePrepMode":"DO_NOTHING"},
                 "ChangeProcessingTuning":{"BatchApplyTimeoutMin":0,"BatchApplyTimeoutMax":5}}
                """.utf8).write(to: settings)
            defer { try? FileManager.default.removeItem(at: settings) }
            let arguments = ["sink", "--log", log.url, "--target", database.url, "--name", "stream-crash", "--prefix", "crash",
                             "--task-settings", settings.path, "--stop-at-end"]
            var generator = SplitMix(seed: UInt64(scenario.changes))
            var kills = 0
            var attempts = 0
            while kills < scenario.kills, attempts < scenario.kills * 2 {
                attempts += 1
                let child = try ChildProcess(ferry: arguments)
                // The start line, then 0–2 commits, then a random moment: starting, reading, COPY, merge or COMMIT.
                try await child.waitForLines(1 + Int(generator.next() % 3))
                try await Task.sleep(for: .milliseconds(Int(generator.next() % scenario.killWithinMilliseconds)))
                child.kill()
                _ = try await child.waitForExit()
                if !child.output.contains("sink stream-crash stopped") { kills += 1 }
            }
            let last = try ChildProcess(ferry: arguments)
            #expect(try await last.waitForExit(timeout: .seconds(240)) == 0, "\(last.standardError)")
            #expect(kills == scenario.kills, "the sink finished the stream before it was killed \(scenario.kills) times (\(kills) of \(attempts) runs)")

            let sourceRows = try await Self.sourceRows(source)
            #expect(sourceRows.count > scenario.changes / 5)
            expectRows(try await database.rows("dbo.accounts", columns: Self.columns), sourceRows)
            #expect(try await database.scalar("SELECT count(*) FROM ferry.apply_exceptions") == "0")
        }
    }

    /// Creates the source database and table with CDC enabled; returns a connection to it.
    static func prepareSource(_ emulator: TestEmulator) async throws -> TDSConnection {
        let master = try await emulator.connect()
        _ = try await master.execute("CREATE DATABASE \(database)")
        await master.close()
        let source = try await emulator.connect(database: database)
        _ = try await source.execute("EXEC sys.sp_cdc_enable_db")
        _ = try await source.execute("""
            CREATE TABLE dbo.Accounts (Id int NOT NULL PRIMARY KEY, Owner nvarchar(40) NOT NULL, Balance decimal(12,2) NOT NULL,
                                       Note nvarchar(100) NULL, Version int NOT NULL)
            """)
        _ = try await source.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Accounts', @role_name = NULL")
        // A change before the source starts (not replicated: the cdc task begins after it); the
        // stream deletes this row first, so the target must never see it.
        _ = try await source.execute("INSERT INTO dbo.Accounts (Id, Owner, Balance, Version) VALUES (0, N'seed', 0, 0); EXEC sys.sp_cdc_scan")
        return source
    }

    /// Deletes the seed row, then commits `changes` row changes in source transactions of 1,000:
    /// 600 inserts, 300 updates and 100 deletes of random live rows (some inserted or updated in the
    /// same transaction).
    static func produceChanges(_ changes: Int, _ source: TDSConnection) async throws {
        var generator = SplitMix(seed: 6)
        var live: [Int] = []
        var nextID = 1
        _ = try await source.execute("DELETE FROM dbo.Accounts WHERE Id = 0")
        for round in 0..<(changes / 1000) {
            var sql = "BEGIN TRANSACTION;\nINSERT INTO dbo.Accounts (Id, Owner, Balance, Note, Version) VALUES "
            sql += (0..<600).map { _ -> String in
                let id = nextID
                nextID += 1
                live.append(id)
                let note = generator.next() % 5 == 0 ? "NULL" : "N'note \(id) \\ tab\t''quoted'''"
                return "(\(id), N'owner \(id % 97)', \(Int(generator.next() % 1_000_000)).\(String(format: "%02d", Int(generator.next() % 100))), \(note), 0)"
            }.joined(separator: ",\n")
            sql += ";\n"
            live.shuffle(using: &generator)
            let updated = live.prefix(300).map(String.init).joined(separator: ", ")
            sql += "UPDATE dbo.Accounts SET Balance = Balance + 1.25, Version = Version + 1, Note = N'round \(round)' WHERE Id IN (\(updated));\n"
            live.shuffle(using: &generator)
            let deleted = live.suffix(100)
            live.removeLast(100)
            sql += "DELETE FROM dbo.Accounts WHERE Id IN (\(deleted.map(String.init).joined(separator: ", ")));\nCOMMIT TRANSACTION;"
            _ = try await source.execute(sql)
            if round % 10 == 9 { _ = try await source.execute("EXEC sys.sp_cdc_scan") }
        }
        _ = try await source.execute("EXEC sys.sp_cdc_scan")
    }

    /// The source table's rows as text, sorted like ``TestDatabase/rows(_:columns:)``.
    static func sourceRows(_ source: TDSConnection) async throws -> [[String?]] {
        try await source.query("""
            SELECT CAST(Id AS nvarchar(20)), Owner, CAST(Balance AS nvarchar(40)), Note, CAST(Version AS nvarchar(20)) FROM dbo.Accounts
            """).map { row in (0..<5).map { row[$0].stringValue } }.sorted(by: SourceScript.order)
    }

    /// Records in every partition of `topic` (0 while it does not exist).
    static func records(in topic: String, _ log: any EventLog) async throws -> Int {
        guard let count = try await log.partitionCount(of: topic) else { return 0 }
        var total: Int64 = 0
        for partition in 0..<count { total += try await log.offsets(of: TopicPartition(topic: topic, partition: partition)).next }
        return Int(total)
    }

    /// Polls `condition` until it holds; fails if `process` exits or the time runs out.
    static func waitUntil(_ what: String, _ process: ChildProcess, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                process.kill()
                _ = try? await process.waitForExit()
                throw StreamTimeout(description: "timed out waiting for \(what): \(process.standardError)\nlast output lines:\n\(process.output.suffix(40).joined(separator: "\n"))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// A wait of ``SinkStreamCrashTests`` ran out of time.
struct StreamTimeout: Error, CustomStringConvertible {
    var description: String
}
