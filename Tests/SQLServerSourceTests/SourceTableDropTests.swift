import EventLog
import FerryCore
import FreeTDS
@testable import SQLServerSource
import Testing

/// A captured table dropped on the source: a schema-change event without new columns (what the
/// sink reads as `HandleSourceTableDropped`), the source keeps running for the other tables.
@Suite(.serialized) struct SourceTableDropTests {
    @Test(arguments: LogKind.allCases)
    func droppedTableIsPublishedAndTheSourceKeepsStreaming(kind: LogKind) async throws {
        try await SourceTestEnvironment.with(kind, setup: SourceIntegrationTests.shop) { env in
            try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (1, N'a')")
            var stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop))

            // A running source notices the drop.
            let source = try SQLServerSource(connection: SourceTestEnvironment.connection(port: env.port, database: env.database), log: env.log,
                                             configuration: env.configuration(), logger: SourceTestEnvironment.logger, reconnectDelays: [])
            let running = Task { try await source.run() }
            try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (2, N'b')")
            _ = try await env.capture()
            try await waitFor { try await env.changes("orders").count == 2 }
            try await env.run("DROP TABLE dbo.orders")
            try await env.run("INSERT INTO dbo.customers (id, name) VALUES (1, N'after the drop')")
            _ = try await env.capture()
            try await waitFor { try await env.changes("customers").count == 1 }
            running.cancel()
            _ = await running.result  // cancelled mid-poll or between polls: either way it stops
            #expect(await source.statistics.tables[TableIdentity(database: env.database, schema: "dbo", table: "orders")]?.isDropped == true)
            // A restart does not publish the drop again.
            try await env.run("INSERT INTO dbo.customers (id, name) VALUES (2, N'one more poll')")
            stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop))

            // A fresh task first records each table's initial schema (no old columns); then the drop.
            let schemaChanges = try await env.records("srv.schema-changes").map { try EnvelopeCodec().decodeSchemaChange($0.value!) }
                .filter { $0.oldColumns != nil || $0.newColumns == nil }
            #expect(schemaChanges.count == 1, "the drop is published once, also across restarts")
            let drop = try #require(schemaChanges.first)
            #expect(drop.table == TableIdentity(database: env.database, schema: "dbo", table: "orders"))
            #expect(drop.newColumns == nil)
            #expect(drop.oldColumns?.map(\.name) == ["id", "customer", "amount", "note"])
            #expect(drop.ddl == "DROP TABLE [dbo].[orders]")
            // After everything the table published before it.
            let orders = try await env.changes("orders")
            #expect(orders.count == 2)
            #expect(try #require(orders.last?.source.commitLSN) < drop.lsn)
            let customers = try await env.changes("customers")
            #expect(customers.compactMap { $0.after?["name"] } == [.string("after the drop"), .string("one more poll")])
            // The checkpoint no longer names the dropped table.
            let publisher = try EventPublisher(log: env.log, prefix: "srv", database: env.database, envelope: .init(), dataPartitions: 1)
            let checkpoint = try #require(try await publisher.loadCheckpoint())
            #expect(checkpoint.captureInstances[drop.table] == nil)
        }
    }

    @Test func tableDroppedWhileFerryWasStoppedIsPublishedOnStart() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: SourceIntegrationTests.shop) { env in
            try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (1, N'a')")
            var stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop))
            try await env.run("DROP TABLE dbo.orders")
            try await env.run("INSERT INTO dbo.customers (id, name) VALUES (1, N'b')")
            stop = try await env.capture()
            // Ferry starts after the drop: discovery no longer sees the table.
            try await env.runSource(env.configuration(stopAt: stop))
            let schemaChanges = try await env.records("srv.schema-changes").map { try EnvelopeCodec().decodeSchemaChange($0.value!) }
                .filter { $0.newColumns == nil }
            #expect(schemaChanges.map(\.table.table) == ["orders"])
            #expect(schemaChanges.first?.newColumns == nil)
        }
    }

    @Test func truncateOfACapturedTableIsRefusedBySQLServer() async throws {
        // Msg 4711: SQL Server (and the emulator) refuse TRUNCATE TABLE on a table with a capture
        // instance, so HandleSourceTableTruncated has nothing to act on for this source.
        try await SourceTestEnvironment.with(.embedded, setup: SourceIntegrationTests.shop) { env in
            await #expect(throws: TDSError.self) { try await env.run("TRUNCATE TABLE dbo.orders") }
            let error = await #expect(throws: TDSError.self) { try await env.run("TRUNCATE TABLE dbo.orders") }
            #expect(error?.number == 4711)
        }
    }

    @Test func droppingAMiddleColumnKeepsTheLaterColumnsAligned() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: SourceIntegrationTests.shop) { env in
            var stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop) { $0.rotation = .report })
            try await env.run("ALTER TABLE dbo.orders DROP COLUMN amount")
            try await env.run("INSERT INTO dbo.orders (id, customer, note) VALUES (2, N'b', N'kept note')")
            stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop) { $0.rotation = .report })
            let orders = try await env.changes("orders")
            #expect(orders.count == 1)
            #expect(orders.first?.after?["note"] == .string("kept note"))
            #expect(orders.first?.after?["customer"] == .string("b"))
            #expect(orders.first?.after?["amount"] == nil)
        }
    }

    /// Polls `condition` every 50 ms for up to 30 s.
    private func waitFor(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<600 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("condition not met within 30 s")
    }
}
