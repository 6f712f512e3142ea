import EventLog
import FerryCore
import FreeTDS
@testable import SQLServerSource
import Testing

/// Schema changes: events in order with the data, and capture-instance rotation.
@Suite(.serialized) struct SourceDDLTests {
    @Test(arguments: LogKind.allCases)
    func addColumnRotatesTheCaptureInstanceWithoutLossOrDuplicates(kind: LogKind) async throws {
        try await SourceTestEnvironment.with(kind, setup: SourceIntegrationTests.shop) { env in
            try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (1, N'a')")
            var stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop))

            try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (2, N'before DDL')")
            try await env.run("ALTER TABLE dbo.orders ADD region nvarchar(20) NULL")
            try await env.run("INSERT INTO dbo.orders (id, customer, region) VALUES (3, N'after DDL', N'EU')")
            stop = try await env.capture()
            // The source publishes the schema change and creates dbo_orders_v2.
            try await env.runSource(env.configuration(stopAt: stop))
            let instances = try await env.admin.query("SELECT capture_instance FROM cdc.change_tables WHERE capture_instance LIKE N'dbo_orders%'")
            #expect(Set(instances.compactMap { $0[0].stringValue }).contains("dbo_orders_v2"))

            try await env.run("INSERT INTO dbo.orders (id, customer, region) VALUES (4, N'after rotation', N'US')")
            try await env.run("UPDATE dbo.orders SET region = N'APAC' WHERE id = 3")
            stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop))
            // One more poll so that the old instance is dropped once the position passed the switch.
            try await env.run("INSERT INTO dbo.customers (id, name) VALUES (9, N'z')")
            stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop))

            let allSchemaChanges = try await env.records("srv.schema-changes").map { try EnvelopeCodec().decodeSchemaChange($0.value!) }
            // A fresh task first records every table's initial schema (first capture: no old columns).
            #expect(allSchemaChanges.prefix { $0.oldColumns == nil }.map(\.table.table).sorted() == ["customers", "orders"])
            let schemaChanges = allSchemaChanges.filter { $0.oldColumns != nil }
            #expect(schemaChanges.count == 1)
            let change = try #require(schemaChanges.first)
            #expect(change.ddl.lowercased().contains("add"))
            #expect(change.oldColumns?.map(\.name) == ["id", "customer", "amount", "note"])
            #expect(change.newColumns?.map(\.name) == ["id", "customer", "amount", "note", "region"])

            let orders = try await env.changes("orders")
            let ids = orders.compactMap { $0.keyImage?["id"] }
            #expect(ids == [.int(1), .int(2), .int(3), .int(4), .int(3)], "each change once, in commit order")
            // After the switch, events carry the new column.
            #expect(orders[3].after?["region"] == .string("US"))
            #expect(orders[4].after?["region"] == .string("APAC"))
            // The schema change sits between the data before and after it.
            #expect(orders[1].source.commitLSN! < change.lsn)
            let remaining = try await env.admin.query("SELECT capture_instance FROM cdc.change_tables WHERE capture_instance LIKE N'dbo_orders%'")
            #expect(remaining.compactMap { $0[0].stringValue } == ["dbo_orders_v2"])
        }
    }

    @Test func dropColumnIsPublishedAndLaterEventsLeaveTheColumnOut() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: SourceIntegrationTests.shop) { env in
            var stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop) { $0.rotation = .report })
            try await env.run("INSERT INTO dbo.orders (id, customer, amount) VALUES (1, N'a', 1.50)")
            try await env.run("ALTER TABLE dbo.orders DROP COLUMN amount")
            try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (2, N'b')")
            stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop) { $0.rotation = .report })
            // After the initial schemas a fresh task records first (no old columns), the DROP.
            let schemaChanges = try await env.records("srv.schema-changes").map { try EnvelopeCodec().decodeSchemaChange($0.value!) }.filter { $0.oldColumns != nil }
            #expect(schemaChanges.map { $0.newColumns?.map(\.name) ?? [] } == [["id", "customer", "note"]])
            let orders = try await env.changes("orders")
            #expect(orders.count == 2)
            #expect(orders[0].after?["amount"] == .decimal(ExactDecimal("1.50")!))
            #expect(orders[1].after?["amount"] == nil)
        }
    }
}
