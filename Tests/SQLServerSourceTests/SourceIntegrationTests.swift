import EventLog
import FerryCore
import FreeTDS
@testable import SQLServerSource
import ServiceLifecycle
import Testing

/// The source against the emulator's CDC surface, with the embedded log and the Kafka mock.
@Suite(.serialized) struct SourceIntegrationTests {
    static let shop = """
        CREATE TABLE dbo.orders (id int NOT NULL PRIMARY KEY, customer nvarchar(50) NOT NULL, amount decimal(10,2) NULL, note nvarchar(max) NULL);
        CREATE TABLE dbo.customers (id int NOT NULL PRIMARY KEY, name nvarchar(50) NOT NULL);
        EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders', @role_name = NULL;
        EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'customers', @role_name = NULL;
        """

    @Test(arguments: LogKind.allCases)
    func snapshotThenStreamingKeepsCommitOrderAcrossTables(kind: LogKind) async throws {
        try await SourceTestEnvironment.with(kind, setup: Self.shop) { env in
            for id in 1...10 { try await env.run("INSERT INTO dbo.orders (id, customer, amount, note) VALUES (\(id), N'c\(id)', \(id).25, N'long note \(id)')") }
            try await env.run("INSERT INTO dbo.customers (id, name) VALUES (1, N'Ada')")
            let before = try await env.capture()
            try await env.runSource(env.configuration(stopAt: before))

            let snapshot = try await env.changes("orders")
            #expect(snapshot.count == 10)
            // Read under a shared table lock (no snapshot isolation here): every row carries the max
            // LSN recorded before the snapshot (the capture job may have moved it past `before`).
            #expect(snapshot.allSatisfy { $0.operation == .read })
            let snapshotLSNs = Set(snapshot.compactMap(\.source.commitLSN))
            #expect(snapshotLSNs.count == 1 && snapshotLSNs.first! >= before)
            let customers = try await env.changes("customers")
            #expect(customers.map(\.operation) == [.read])
            #expect((snapshot + customers).filter { $0.source.snapshot == .last }.count == 1)

            // A multi-table transaction, an update with a before image, a delete.
            try await env.run("""
                BEGIN TRANSACTION;
                INSERT INTO dbo.customers (id, name) VALUES (2, N'Grace');
                UPDATE dbo.orders SET amount = 99.99 WHERE id = 3;
                INSERT INTO dbo.orders (id, customer, amount) VALUES (11, N'c11', NULL);
                COMMIT;
                """)
            try await env.run("DELETE FROM dbo.orders WHERE id = 5")
            try await env.run("UPDATE dbo.customers SET name = N'Ada L.' WHERE id = 1")
            let after = try await env.capture()
            try await env.runSource(env.configuration(stopAt: after))

            let orders = try await env.changes("orders").filter { $0.operation != .read }
            #expect(orders.map(\.operation) == [.update, .create, .delete])
            let update = orders[0]
            #expect(update.before?["amount"] == .decimal(ExactDecimal("3.25")!))
            #expect(update.after?["amount"] == .decimal(ExactDecimal("99.99")!))
            // The note was not touched: CDC leaves nvarchar(max) NULL in the before image; Ferry marks it.
            #expect(update.before?["note"] == .unchanged)
            #expect(update.after?["note"] == .string("long note 3"))
            // Tombstone after the delete.
            let all = try await env.events("orders")
            guard case .tombstone(let key) = all.last else { Issue.record("no tombstone after the delete"); return }
            #expect(key?["id"] == .int(5))

            let transaction = try await env.records("srv.transaction").map { try EnvelopeCodec().decodeTransaction($0.value!) }
            #expect(transaction.map(\.status) == [.begin, .end, .begin, .end, .begin, .end])
            let first = try #require(transaction.dropFirst().first)
            #expect(first.totalEventCount == 3)
            #expect(first.eventCounts.map(\.table.table) == ["customers", "orders"])
            #expect(first.eventCounts.map(\.count) == [1, 2])
            // Commit order: transaction ids (commit LSNs) increase, and events of one transaction share one.
            let ids = transaction.filter { $0.status == .begin }.compactMap { LSN($0.id) }
            #expect(ids == ids.sorted() && Set(ids).count == 3)
            #expect(orders[0].source.commitLSN == orders[1].source.commitLSN)
            #expect(orders[0].transaction?.totalOrder == 2 && orders[1].transaction?.totalOrder == 3)

            // A sink applying the events ends with the source's rows.
            let applied = SourceTestEnvironment.apply(try await env.changes("orders"), key: "id")
            let rows = try await env.admin.query("SELECT id, amount FROM dbo.orders")
            #expect(applied.count == rows.count)
            for row in rows {
                let id = row[0].int64Value!
                let expected = try ValueConverter.convert(row[1], to: try SQLServerDataType(declaration: "decimal(10,2)"))
                #expect(applied["\(ColumnValue.int(id))"]?["amount"] == expected, "order \(id)")
            }
            let heartbeat = try await env.records("srv.heartbeat")
            #expect(heartbeat.isEmpty || String(decoding: heartbeat[0].value!, as: UTF8.self).contains("\"source\":\"srv\""))
        }
    }

    @Test(arguments: LogKind.allCases)
    func restartResumesFromTheCheckpointWithoutLossOrDuplicates(kind: LogKind) async throws {
        try await SourceTestEnvironment.with(kind, setup: Self.shop) { env in
            var stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop))
            var expected = 0
            for round in 0..<3 {
                for i in 0..<5 {
                    let id = round * 10 + i
                    try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (\(id), N'r\(round)')")
                    expected += 1
                }
                try await env.run("UPDATE dbo.orders SET customer = N'u' WHERE id = \(round * 10)")
                expected += 1
                stop = try await env.capture()
                // A new source each round: it must resume after the last durable position.
                try await env.runSource(env.configuration(stopAt: stop))
            }
            let events = try await env.changes("orders")
            #expect(events.count == expected)
            let positions = events.map { "\($0.source.commitLSN!)/\($0.source.changeLSN!)/\($0.source.eventSerialNumber!)" }
            #expect(Set(positions).count == positions.count)
            let checkpoint = try await EventPublisher(log: env.log, prefix: "srv", database: "shop", envelope: .init(), dataPartitions: 1).loadCheckpoint()
            #expect(checkpoint?.position == stop)
            #expect(checkpoint?.phase == .streaming)
        }
    }

    @Test func aSnapshotResumesWithoutRereadingFinishedTables() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: Self.shop) { env in
            for id in 1...9 { try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (\(id), N'c')") }
            try await env.run("INSERT INTO dbo.customers (id, name) VALUES (1, N'Ada')")
            let lsn = try await env.capture()
            // A crash after customers was read: its completion is in the checkpoint.
            let publisher = try EventPublisher(log: env.log, prefix: "srv", database: "shop", envelope: .init(), dataPartitions: 1)
            try await publisher.createTopics(for: [])
            let customers = FerryCore.TableIdentity(database: "shop", schema: "dbo", table: "customers")
            try await publisher.store(SourceCheckpoint(phase: .snapshot, snapshotLSN: lsn, snapshotCompleted: [customers]))
            try await env.runSource(env.configuration(stopAt: lsn))
            #expect(try await env.changes("customers").isEmpty)
            let orders = try await env.changes("orders")
            // Nine rows in key ranges of about four, read in parallel: each once.
            #expect(orders.count == 9)
            #expect(Set(orders.compactMap { $0.after?["id"] }).count == 9)
        }
    }

    @Test func concurrentWritesDuringTheSnapshotAreNotLost() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: Self.shop) { env in
            for id in 1...40 { try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (\(id), N'c')") }
            _ = try await env.capture()
            let writer = try await SourceTestEnvironment.connect(port: env.port, database: env.database)
            let writes = Task {
                for id in 41...60 {
                    _ = try await writer.execute("INSERT INTO dbo.orders (id, customer) VALUES (\(id), N'w'); UPDATE dbo.orders SET customer = N'x' WHERE id = \(id - 40)")
                }
            }
            let source = try SQLServerSource(connection: SourceTestEnvironment.connection(port: env.port, database: env.database), log: env.log,
                                             configuration: env.configuration(), logger: SourceTestEnvironment.logger, reconnectDelays: [])
            let group = ServiceGroup(configuration: .init(services: [source], logger: SourceTestEnvironment.logger))
            let running = Task { try await group.run() }
            try await writes.value
            await writer.close()
            let end = try await env.capture()
            // Bounded wait: a failing source ends the group, and the test reports its error.
            let deadline = ContinuousClock.now + .seconds(60)
            while await (source.statistics.position ?? .zero) < end, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            await group.triggerGracefulShutdown()
            try await running.value

            let applied = SourceTestEnvironment.apply(try await env.changes("orders"), key: "id")
            #expect(applied.count == 60)
            for id in 1...20 { #expect(applied["\(ColumnValue.int(Int64(id)))"]?["customer"] == .string("x"), "order \(id)") }
            for id in 41...60 { #expect(applied["\(ColumnValue.int(Int64(id)))"]?["customer"] == .string("w"), "order \(id)") }
        }
    }

    @Test func aSelectedTableWithoutCaptureIsAnErrorNamingTheFix() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: Self.shop + "\nCREATE TABLE dbo.plain (id int PRIMARY KEY);") { env in
            do {
                try await env.runSource(env.configuration(stopAt: .zero))
                Issue.record("expected an error")
            } catch let error as SourceError {
                #expect(error.code == .tableNotCaptured)
                #expect(error.message.contains("shop.dbo.plain"))
                #expect(error.message.contains("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'plain'"))
            }
            // Excluding it, or --enable-cdc, both work.
            let lsn = try await env.capture()
            try await env.runSource(env.configuration(stopAt: lsn, selection: .patterns(include: [(schema: "dbo", table: "%")], exclude: [(schema: "dbo", table: "plain")])))
            try await env.runSource(env.configuration(prefix: "other", stopAt: lsn) { $0.enableMissingCapture = true })
            let instances = try await env.admin.query("SELECT capture_instance FROM cdc.change_tables WHERE capture_instance = N'dbo_plain'")
            #expect(instances.count == 1)
        }
    }

    /// A `cdc` task started on tables enabled after the last captured change (the max LSN is below
    /// their capture instances' start, or NULL) begins at "now": no false cleanup gap.
    @Test func aCDCTaskStartedBeforeAnythingIsCapturedStreamsTheFirstChange() async throws {
        let setup = "CREATE TABLE dbo.orders (id int NOT NULL PRIMARY KEY, customer nvarchar(50) NOT NULL); CREATE TABLE dbo.notes (id int NOT NULL PRIMARY KEY)"
        try await SourceTestEnvironment.with(.embedded, setup: setup) { env in
            try await env.run("EXEC sys.sp_cdc_stop_job @job_type = N'capture'")
            // Two instances created after the last capture: the second starts well past the max LSN.
            try await env.run("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'notes', @role_name = NULL")
            try await env.run("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders', @role_name = NULL")
            let maximum = try await env.admin.query("SELECT sys.fn_cdc_get_max_lsn()").first?[0].bytesValue.flatMap { LSN(bytes: $0) }
            let instanceStart = try await env.admin.query("SELECT start_lsn FROM cdc.change_tables WHERE capture_instance = N'dbo_orders'")
                .first?[0].bytesValue.flatMap { LSN(bytes: $0) }
            // The situation under test: nothing captured at or after the instance's start.
            #expect(maximum.map { ($0.incremented() ?? $0) < instanceStart! } ?? true)
            let source = try SQLServerSource(connection: SourceTestEnvironment.connection(port: env.port, database: env.database), log: env.log,
                                             configuration: env.configuration(migrationType: .cdc), logger: SourceTestEnvironment.logger, reconnectDelays: [])
            let publisher = try EventPublisher(log: env.log, prefix: "srv", database: env.database, envelope: .init(), dataPartitions: 1)
            let running = Task { try await source.run() }
            let deadline = ContinuousClock.now + .seconds(30)
            while (try? await publisher.loadCheckpoint()) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (1, N'first')")
            try await env.run("EXEC sys.sp_cdc_scan")
            var created: [ChangeEvent] = []
            while created.isEmpty, ContinuousClock.now < deadline {
                created = try await env.changes("orders").filter { $0.operation == .create }
                if created.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }
            // A source that failed (the false gap) ended before the change: nothing was created.
            running.cancel()
            _ = await running.result
            #expect(created.map { $0.after?["id"] } == [.int(1)])
        }
    }

    @Test func aCleanupGapIsDetected() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: Self.shop) { env in
            let start = try await env.capture()
            try await env.runSource(env.configuration(stopAt: start))
            for id in 1...3 { try await env.run("INSERT INTO dbo.orders (id, customer) VALUES (\(id), N'c')") }
            try await env.run("INSERT INTO dbo.customers (id, name) VALUES (1, N'x')")
            let end = try await env.capture()
            // Cleanup removes the orders changes Ferry never read.
            try await env.run("EXEC sys.sp_cdc_cleanup_change_table @capture_instance = N'dbo_orders', @low_water_mark = \(end.hexLiteral), @threshold = 5000")
            let publisher = try EventPublisher(log: env.log, prefix: "srv", database: env.database, envelope: .init(), dataPartitions: 1)
            let position = try #require(try await publisher.loadCheckpoint()?.position)
            #expect(position >= start)
            do {
                try await env.runSource(env.configuration(stopAt: end))
                Issue.record("expected a gap error")
            } catch let error as SourceError {
                #expect(error.code == .changeDataGap)
                #expect(error.context["table"] == "shop.dbo.orders")
                #expect(error.message.contains(position.description))
            }
            // With on-gap: resnapshot the table is read again and streaming goes on.
            try await env.runSource(env.configuration(stopAt: end) { $0.onGap = .resnapshot })
            let orders = try await env.changes("orders")
            #expect(Set(orders.filter { $0.operation == .read }.compactMap { $0.after?["id"] }) == [.int(1), .int(2), .int(3)])
        }
    }
}
