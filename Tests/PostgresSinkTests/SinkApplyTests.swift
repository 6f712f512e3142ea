import EventLog
import FerryCore
import FerryTestSupport
import Postgres
import PostgresSink
import Testing

@Suite("Sink apply: fold, merge, keyless, unchanged, duplicates")
struct SinkApplyTests {
    /// Writes a stream with every kind of change the folder must get right, in transactions that
    /// touch a key several times.
    static func writeTrickyStream(_ script: SourceScript) async throws {
        let orders = Fixtures.orders, notes = Fixtures.notes
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.createTable(try Fixtures.notesSchema(), partitions: 1)
        try await script.commit((1...20).map { .insert(orders, Fixtures.order($0, "c\($0)", Int128($0) * 100, memo: $0 == 4 ? .null : nil)) })
        // Updates that leave the memo as it is, twice in a row, then one that sets it.
        var three = script.currentOrder(3)!
        var next = three
        next["Amount"] = .decimal(ExactDecimal(unscaled: 99_999, scale: 2)!)
        next["Memo"] = .unchanged
        try await script.commit([.update(orders, before: three, after: next)])
        three = script.currentOrder(3)!
        next = three
        next["Customer"] = .string("tab\there \\ and\nnewline")
        next["Memo"] = .unchanged
        try await script.commit([.update(orders, before: three, after: next)])
        // Delete and re-insert in one transaction; insert, update, delete of a new key in one transaction.
        let five = script.currentOrder(5)!
        try await script.commit([.delete(orders, five), .insert(orders, Fixtures.order(5, "again", 555, memo: .string("")))])
        var thirty = Fixtures.order(30, "brief", 3000)
        try await script.commit([.insert(orders, thirty)])
        var changed = thirty
        changed["Memo"] = .unchanged
        changed["Paid"] = .bool(true)
        try await script.commit([.update(orders, before: thirty, after: changed)])
        thirty = script.currentOrder(30)!
        try await script.commit([.delete(orders, thirty)])
        // A key-changing update.
        let seven = script.currentOrder(7)!
        var moved = seven
        moved["Id"] = .int(107)
        moved["Memo"] = .unchanged
        try await script.commit([.update(orders, before: seven, after: moved)])
        // Keyless: duplicates, delete one of two equal rows, update one.
        let a: Row = ["Author": .string("a"), "Body": .string("x")]
        let b: Row = ["Author": .string("b"), "Body": .string("y")]
        try await script.commit([.insert(notes, a), .insert(notes, a), .insert(notes, b), .insert(notes, ["Author": .null, "Body": .string("n")])])
        try await script.commit([.delete(notes, a), .update(notes, before: b, after: ["Author": .string("b"), "Body": .string("z")])])
        try await script.randomWorkload(changes: 400)
    }

    @Test("the target ends equal to the source, whatever the batch size", arguments: [1, 7, 10_000])
    func applyEqualsSource(commitRate: Int) async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await Self.writeTrickyStream(script)

        let summary = try await runSink(.test(commitRate: commitRate), log: log.log, target: database)
        #expect(summary.exceptions == 0)
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))
        expectRows(try await database.rows("dbo.notes", columns: ["author", "body"]), script.expectedRows(Fixtures.notes))

        // Statistics count every applied change.
        let statuses = try await SinkTableStatus.load(from: try await database.connect(), sink: "test")
        let orders = try #require(statuses.first { $0.sourceTable == "shop.dbo.Orders" })
        #expect(orders.targetTable == "dbo.orders")
        #expect(orders.inserts > 20 && orders.updates > 0 && orders.deletes > 0)
        #expect(orders.ddls == 0, "the first capture is not counted as a DDL")
        #expect(orders.appliedLSN == script.lastCommitLSN.description || statuses.contains { $0.appliedLSN == script.lastCommitLSN.description })
        #expect(orders.state == "Table completed")
    }

    @Test("a source that re-sends changes after a crash changes nothing", arguments: LogKind.allCases)
    func duplicatesAreSkipped(kind: LogKind) async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(kind)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.createTable(try Fixtures.notesSchema(), partitions: 1)
        try await script.commit((1...10).map { .insert(Fixtures.orders, Fixtures.order($0, "c\($0)", 100)) })
        try await script.commit([.insert(Fixtures.notes, ["Author": .string("x"), "Body": .string("once")]),
                                 .update(Fixtures.orders, before: script.currentOrder(1)!, after: Fixtures.order(1, "changed", 1))])
        try await runSink(.test(), log: log.log, target: database)

        try await script.resendLast()
        let again = try await runSink(.test(), log: log.log, target: database)
        #expect(again.duplicates == 2)
        #expect(again.applied == 0)
        #expect(try await database.rows("dbo.notes", columns: ["author", "body"]) == [["x", "once"]])
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))
    }

    @Test("a table without a unique key on the target is merged by delete and insert")
    func targetWithoutUniqueKey() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let connection = try await database.connect()
        try await connection.execute("""
            CREATE SCHEMA dbo;
            CREATE TABLE dbo.orders (id integer NOT NULL, customer varchar(50), amount numeric(10,2), memo text, paid boolean)
            """)
        await connection.close()
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.createTable(try Fixtures.notesSchema(), partitions: 1)
        try await script.randomWorkload(changes: 200, seed: 7)
        try await runSink(.test(commitRate: 50), log: log.log, target: database)
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))
    }

    @Test("a key-changing update on a one-partition topic moves the row, keeping unchanged values")
    func keyChangeInOneEvent() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema(), partitions: 1)
        try await script.commit((1...3).map { .insert(Fixtures.orders, Fixtures.order($0, "c\($0)", 100, memo: .string("long \($0)"))) })
        let two = script.currentOrder(2)!
        var moved = two
        moved["Id"] = .int(1002)
        moved["Memo"] = .unchanged
        try await script.commit([.update(Fixtures.orders, before: two, after: moved),
                                 .insert(Fixtures.orders, Fixtures.order(2, "new two", 200))])
        try await runSink(.test(), log: log.log, target: database)
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))
        #expect(try await database.scalar("SELECT memo FROM dbo.orders WHERE id = 1002") == "long 2")
    }
}
