import EventLog
import FerryCore
import FerryTestSupport
import Foundation
import FreeTDS
@testable import SQLServerSource
import Testing

/// `ferry source` killed with SIGKILL at random moments while the source database keeps changing.
@Suite(.serialized) struct SourceCrashTests {
    @Test(arguments: LogKind.allCases)
    func sigkillAtRandomPointsLosesNothing(_ kind: LogKind) async throws {
        try await SourceTestEnvironment.with(kind, setup: SourceIntegrationTests.shop) { env in
            for id in 1...30 { try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (\(id), N'c')") }
            _ = try await env.capture()
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(TestPostgres.uniqueName("crash") + ".log").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            if kind == .kafka {
                // librdkafka 2.0.2's mock cluster has no CreateTopics request and only this process
                // can make topics in it: the children find them made and only look them up.
                let publisher = try EventPublisher(log: env.log, prefix: "srv", database: env.database, envelope: .init(), dataPartitions: 1)
                try await publisher.createTopics(for: ["orders", "customers"].map { TableIdentity(database: env.database, schema: "dbo", table: $0) })
            }
            let logArgument = env.logURL ?? path
            let orders = TopicPartition(topic: "srv.\(env.database).dbo.orders", partition: 0)
            let writer = try await SourceTestEnvironment.connect(port: env.port, database: env.database)
            let writes = Task {
                for id in 31...90 {
                    _ = try await writer.execute("""
                        BEGIN TRANSACTION; INSERT INTO dbo.orders (id, customer) VALUES (\(id), N'w');
                        UPDATE dbo.orders SET customer = N'u\(id)' WHERE id = \(id - 30); COMMIT; EXEC sys.sp_cdc_scan;
                        """)
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            for run in 0..<3 {
                let child = try ChildProcess(ferry: [
                    "source", "--source", "sqlserver://sa:Passw0rd!@127.0.0.1:\(env.port)/\(env.database)", "--log", logArgument, "--prefix", "srv",
                    "--poll-interval-ms", "20", "--max-idle-ms", "50", "--max-window-transactions", "3", "--include-schema", "--log-level", "critical",
                ])
                if kind == .kafka && run == 0 {
                    // The first Kafka run is killed only once it has published: a producer's start
                    // (metadata, idempotent producer id) can outlast the random window below.
                    let deadline = ContinuousClock.now + .seconds(60)
                    while try await env.log.offsets(of: orders).next == 0, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...1200)))
                child.kill()
                _ = try await child.waitForExit(timeout: .seconds(30))
            }
            try await writes.value
            await writer.close()
            let end = try await env.capture()
            let log: any EventLog = kind == .kafka ? env.log : try await EmbeddedEventLog(path: path, logger: SourceTestEnvironment.logger)
            if kind == .kafka {
                #expect(try await log.offsets(of: orders).next > 0, "the killed runs published nothing")
            }
            let crashed = SourceTestEnvironment(port: env.port, database: env.database, log: log, admin: env.admin)
            try await crashed.runSource(crashed.configuration(stopAt: end))
            let events = try await crashed.changes("orders")
            if kind == .embedded { try await log.close() }
            // Replays after a kill are allowed (at-least-once); the state a sink builds must be the source's.
            let applied = SourceTestEnvironment.apply(events, key: "id")
            let rows = try await env.admin.query("SELECT id, customer FROM dbo.orders")
            #expect(applied.count == rows.count)
            for row in rows {
                #expect(applied["\(ColumnValue.int(row[0].int64Value!))"]?["customer"] == row[1].stringValue.map(ColumnValue.string), "order \(row[0])")
            }
            // Every update is there: as an event, or (committed before the snapshot LSN) in the snapshot row.
            let updates = Set(events.filter { $0.operation == .update }.compactMap { $0.after?["id"] })
            for id in 1...60 {
                let inSnapshot = events.contains { $0.operation == .read && $0.after?["id"] == .int(Int64(id)) && $0.after?["customer"] == .string("u\(id + 30)") }
                #expect(updates.contains(.int(Int64(id))) || inSnapshot, "update of order \(id)")
            }
        }
    }
}
