import EventLog
import FerryCore
import FerryTestSupport
import Postgres
import PostgresSink
import Testing

@Suite("Sink errors: apply exceptions, suspended tables, stop")
struct SinkErrorTests {
    /// Orders 1–10, then a transaction with a row PostgreSQL refuses (U+0000 in text) between good
    /// ones, an undecodable record, and more good rows.
    static func writePoisonedStream(_ script: SourceScript, log: any EventLog, withUnreadableEvent: Bool = true) async throws {
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.createTable(try Fixtures.notesSchema(), partitions: 1)
        try await script.commit((1...10).map { .insert(Fixtures.orders, Fixtures.order($0, "c\($0)", 100)) })
        try await script.commit([
            .insert(Fixtures.orders, Fixtures.order(11, "good", 1)),
            .insert(Fixtures.orders, Fixtures.order(12, "bad\u{0}name", 2)),
            .update(Fixtures.orders, before: script.currentOrder(3)!, after: Fixtures.order(3, "updated", 3)),
        ])
        script.forget(Fixtures.orders, id: 12)
        if withUnreadableEvent { _ = try await log.append(toTopic: try script.topics.table(Fixtures.orders), [(key: Array("{\"Id\":99}".utf8), value: Array("{not json".utf8))]) }
        try await script.commit([.insert(Fixtures.notes, ["Author": .string("n"), "Body": .string("after poison")]),
                                 .delete(Fixtures.orders, script.currentOrder(4)!)])
    }

    @Test("LOG_ERROR: a refused row and an unreadable event go to ferry.apply_exceptions, the rest applies", arguments: [1000, 1])
    func poisonIsRecorded(commitRate: Int) async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await Self.writePoisonedStream(script, log: log.log)

        let summary = try await runSink(.test(commitRate: commitRate), log: log.log, target: database)
        #expect(summary.exceptions == 2)
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))
        expectRows(try await database.rows("dbo.notes", columns: ["author", "body"]), script.expectedRows(Fixtures.notes))
        let connection = try await database.connect()
        let rows = try await connection.query("""
            SELECT topic, "offset", target_table, sqlstate, error, event FROM ferry.apply_exceptions ORDER BY "offset"
            """)
        await connection.close()
        #expect(rows.count == 2)
        let errors = try rows.map { try $0.decode(String.self, column: "error") }
        #expect(errors.contains { $0.contains("NUL character") })  // U+0000 cannot be stored in text
        #expect(errors.contains { $0.contains("malformedJSON") || $0.contains("JSON") })  // the unreadable event
        #expect(try rows.allSatisfy { try $0.decode(String?.self, column: "target_table") == "dbo.orders" })
        #expect(try rows.contains { try $0.decode(String?.self, column: "event") == "{not json" })
        // Running again applies nothing twice and records nothing twice.
        let again = try await runSink(.test(commitRate: commitRate), log: log.log, target: database)
        #expect(again.applied == 0 && again.exceptions == 0)
    }

    @Test("SUSPEND_TABLE: the table stops, other tables go on")
    func suspendTable() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await Self.writePoisonedStream(script, log: log.log)
        var configuration = SinkConfiguration.test(commitRate: 1)
        configuration.errorPolicy = .suspendTable
        try await runSink(configuration, log: log.log, target: database)

        #expect(try await database.scalar("SELECT string_agg(target_table, ',') FROM ferry.suspended_tables WHERE sink = 'test'") == "dbo.orders")
        #expect(try await database.scalar("SELECT state FROM ferry.table_statistics WHERE target_table = 'dbo.orders'") == "Suspended")
        // Order 4's delete came after the suspension: the row is still there; notes went on.
        #expect(try await database.scalar("SELECT count(*) FROM dbo.orders WHERE id = 4") == "1")
        expectRows(try await database.rows("dbo.notes", columns: ["author", "body"]), script.expectedRows(Fixtures.notes))
    }

    @Test("STOP_TASK: the sink stops with the error and commits nothing of the failed batch")
    func stopSink() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.commit([.insert(Fixtures.orders, Fixtures.order(1, "first", 1))])
        try await runSink(.test(), log: log.log, target: database)
        try await script.commit([.insert(Fixtures.orders, Fixtures.order(11, "good", 1)), .insert(Fixtures.orders, Fixtures.order(12, "bad\u{0}", 1))])
        var configuration = SinkConfiguration.test(commitRate: 1000)
        configuration.errorPolicy = .stopSink
        let error = await #expect(throws: SinkError.self) { try await runSink(configuration, log: log.log, target: database) }
        #expect(error?.code == .applyFailed)
        #expect(error?.message.contains("dbo.orders") == true)
        #expect(try await database.scalar("SELECT count(*) FROM dbo.orders WHERE id = 11") == "0")
        #expect(try await database.scalar("SELECT count(*) FROM ferry.apply_exceptions") == "0")
        // It stops again at the same place: the offsets did not move past the failed batch.
        await #expect(throws: SinkError.self) { try await runSink(configuration, log: log.log, target: database) }
    }
}
