import EventLog
import FerryCore
import FerryTestSupport
import Postgres
import PostgresSink
import Synchronization
import Testing

@Suite("Sink transaction-consistent mode")
struct SinkTransactionTests {
    static let left = TableIdentity(database: "bank", schema: "dbo", table: "Left")
    static let right = TableIdentity(database: "bank", schema: "dbo", table: "Right")
    static let total = 4000

    static func schema(_ table: TableIdentity) throws -> TableSchema {
        try TableSchema(identity: table, columns: [
            ColumnDefinition(name: "Id", type: try SQLServerDataType(.int), isNullable: false),
            ColumnDefinition(name: "Balance", type: try SQLServerDataType(.int), isNullable: false),
        ], keyColumns: ["Id"])
    }

    /// Two tables whose balances always add up to 4000 at a source commit; a deferred constraint
    /// trigger refuses any target commit where they do not.
    static func prepare(_ database: TestDatabase) async throws {
        let connection = try await database.connect()
        try await connection.execute("""
            CREATE SCHEMA dbo;
            CREATE TABLE dbo.left (id integer PRIMARY KEY, balance integer NOT NULL);
            CREATE TABLE dbo.right (id integer PRIMARY KEY, balance integer NOT NULL);
            CREATE FUNCTION dbo.check_total() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE total bigint;
            BEGIN
                SELECT coalesce((SELECT sum(balance) FROM dbo.left), 0) + coalesce((SELECT sum(balance) FROM dbo.right), 0) INTO total;
                IF total <> \(Self.total) THEN RAISE EXCEPTION 'half a transfer is visible: total %', total; END IF;
                RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER left_total AFTER INSERT OR UPDATE OR DELETE ON dbo.left DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dbo.check_total();
            CREATE CONSTRAINT TRIGGER right_total AFTER INSERT OR UPDATE OR DELETE ON dbo.right DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dbo.check_total();
            """)
        await connection.close()
    }

    /// Opening balances, then transfers from one table to the other (some touching three rows).
    static func writeTransfers(_ script: SourceScript, count: Int) async throws {
        try await script.createTable(try schema(left))
        try await script.createTable(try schema(right))
        try await script.commit((1...20).flatMap { id -> [SourceScript.Change] in
            [.insert(left, ["Id": .int(Int64(id)), "Balance": .int(100)]), .insert(right, ["Id": .int(Int64(id)), "Balance": .int(100)])]
        })
        var balances: [TableIdentity: [Int64: Int64]] = [left: [:], right: [:]]
        for id in 1...20 { balances[left]![Int64(id)] = 100; balances[right]![Int64(id)] = 100 }
        var generator = SplitMix(seed: 99)
        for _ in 0..<count {
            let (from, to) = generator.next() % 2 == 0 ? (left, right) : (right, left)
            let a = Int64(generator.next() % 20) + 1, b = Int64(generator.next() % 20) + 1
            let amount = Int64(generator.next() % 10) + 1
            var changes: [SourceScript.Change] = []
            func move(_ table: TableIdentity, _ id: Int64, _ delta: Int64) {
                let old = balances[table]![id]!
                balances[table]![id] = old + delta
                changes.append(.update(table, before: ["Id": .int(id), "Balance": .int(old)], after: ["Id": .int(id), "Balance": .int(old + delta)]))
            }
            if generator.next() % 3 == 0, a != b {
                move(from, a, -amount); move(from, b, -amount); move(to, a, 2 * amount)
            } else {
                move(from, a, -amount); move(to, b, amount)
            }
            try await script.commit(changes)
        }
    }

    @Test("whole source transactions apply atomically; a concurrent reader never sees half of one", arguments: [1, 25])
    func neverHalfATransaction(commitRate: Int) async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        try await Self.prepare(database)
        let script = try SourceScript(log: log.log, withTransactions: true)
        try await Self.writeTransfers(script, count: 300)

        var configuration = SinkConfiguration.test(commitRate: commitRate)
        configuration.preserveTransactions = true
        let done = Atomic(false)
        let observations = Mutex<[Int64]>([])
        let reader = Task {
            let connection = try await database.connect()
            while !done.load(ordering: .acquiring) {
                let rows = try await connection.query("SELECT coalesce((SELECT sum(balance) FROM dbo.left), 0) + coalesce((SELECT sum(balance) FROM dbo.right), 0)")
                let total = try rows[0].decode(Int64.self, at: 0)
                observations.withLock { $0.append(total) }
            }
            await connection.close()
        }
        let summary = try await runSink(configuration, log: log.log, target: database)
        done.store(true, ordering: .releasing)
        try await reader.value
        #expect(summary.exceptions == 0)
        let seen = observations.withLock { $0 }
        #expect(!seen.isEmpty)
        #expect(seen.allSatisfy { $0 == 0 || $0 == Int64(Self.total) })
        expectRows(try await database.rows("dbo.left", columns: ["id", "balance"]), script.expectedRows(Self.left))
        expectRows(try await database.rows("dbo.right", columns: ["id", "balance"]), script.expectedRows(Self.right))
    }

    @Test("the check is real: batch mode with one change per commit exposes half a transfer")
    func batchModeSplitsTransactions() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        try await Self.prepare(database)
        let script = try SourceScript(log: log.log, withTransactions: true)
        try await Self.writeTransfers(script, count: 5)
        var configuration = SinkConfiguration.test(commitRate: 1)
        configuration.preserveTransactions = false
        let error = await #expect(throws: PostgresError.self) { try await runSink(configuration, log: log.log, target: database) }
        #expect(error?.message.contains("half a transfer") == true)
    }

    @Test("an unreadable event inside a source transaction is recorded and does not stall the stream")
    func unreadableEventInTransaction() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log, withTransactions: true)
        try await Self.writeTransfers(script, count: 3)
        // A transaction of one event on `Left` whose event is garbage.
        let codec = EnvelopeCodec()
        let txn = script.topics.transaction
        let begin = codec.encodeTransaction(TransactionEvent(status: .begin, id: "bad", timestampMilliseconds: 1))
        let end = codec.encodeTransaction(TransactionEvent(status: .end, id: "bad", timestampMilliseconds: 1, eventCounts: [(Self.left, 1)]))
        _ = try await log.log.append([OutgoingRecord(destination: TopicPartition(topic: txn, partition: 0), key: begin.key, value: begin.value)])
        _ = try await log.log.append(toTopic: try script.topics.table(Self.left), [(key: Array(#"{"Id":1}"#.utf8), value: Array("garbage".utf8))])
        _ = try await log.log.append([OutgoingRecord(destination: TopicPartition(topic: txn, partition: 0), key: end.key, value: end.value)])
        try await Self.writeMoreTransfers(script)
        var configuration = SinkConfiguration.test(commitRate: 1)
        configuration.preserveTransactions = true
        let summary = try await runSink(configuration, log: log.log, target: database)
        #expect(summary.exceptions == 1)
        expectRows(try await database.rows("dbo.left", columns: ["id", "balance"]), script.expectedRows(Self.left))
        expectRows(try await database.rows("dbo.right", columns: ["id", "balance"]), script.expectedRows(Self.right))
    }

    /// Two more transfers after the first ones.
    static func writeMoreTransfers(_ script: SourceScript) async throws {
        for (id, amount) in [(Int64(2), Int64(5)), (Int64(3), Int64(7))] {
            let l = script.expected[left]![["\(ColumnValue.int(id))"]]!, r = script.expected[right]![["\(ColumnValue.int(id))"]]!
            guard case .int(let lb) = l["Balance"]!, case .int(let rb) = r["Balance"]! else { return }
            try await script.commit([.update(left, before: l, after: ["Id": .int(id), "Balance": .int(lb - amount)]),
                                     .update(right, before: r, after: ["Id": .int(id), "Balance": .int(rb + amount)])])
        }
    }
}
