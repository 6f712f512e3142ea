import EventLog
import FerryCore
import FerryTestSupport
import Postgres
import PostgresSink
import Testing

@Suite("Sink replay, point in time, fan-out, Debezium events")
struct SinkReplayTests {
    @Test("--until an LSN or a time leaves the target as the source was then; --reset earliest rebuilds", arguments: LogKind.allCases)
    func pointInTime(kind: LogKind) async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(kind)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.createTable(try Fixtures.notesSchema(), partitions: 1)
        try await script.randomWorkload(changes: 150, seed: 3)
        let pointLSN = script.lastCommitLSN
        let atPoint = script.snapshotExpected()
        try await script.randomWorkload(changes: 100, seed: 4)
        let pointTime = script.lastCommitTime
        let atTime = script.snapshotExpected()
        try await script.randomWorkload(changes: 100, seed: 5)

        var configuration = SinkConfiguration.test(commitRate: 37)
        configuration.until = .lsn(pointLSN)
        configuration.stopWhenCaughtUp = false
        try await runSink(configuration, log: log.log, target: database)
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), atPoint[Fixtures.orders]!)
        expectRows(try await database.rows("dbo.notes", columns: ["author", "body"]), atPoint[Fixtures.notes]!)
        #expect(try await database.scalar("SELECT max(applied_lsn) FROM ferry.table_statistics") == pointLSN.description)

        configuration.until = .timestamp(pointTime)
        try await runSink(configuration, log: log.log, target: database)
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), atTime[Fixtures.orders]!)

        try await runSink(.test(), log: log.log, target: database)
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))

        // Rebuild from the start of the log, up to the first point again.
        configuration.reset = .earliest
        configuration.until = .lsn(pointLSN)
        configuration.tablePreparation = .dropAndCreate
        try await runSink(configuration, log: log.log, target: database)
        expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), atPoint[Fixtures.orders]!)
        expectRows(try await database.rows("dbo.notes", columns: ["author", "body"]), atPoint[Fixtures.notes]!)
    }

    @Test("two sinks fan one log out to two databases, each with its own offsets", arguments: LogKind.allCases)
    func fanOut(kind: LogKind) async throws {
        let first = try await TestDatabase.create()
        let second = try await TestDatabase.create()
        let log = try await TestLog(kind)
        defer { Task { await log.close(); await first.drop(); await second.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.createTable(try Fixtures.notesSchema(), partitions: 1)
        try await script.randomWorkload(changes: 300, seed: 11)
        async let a = runSink(.test(name: "a", commitRate: 50), log: log.log, target: first)
        async let b = runSink(.test(name: "b", commitRate: 1000), log: log.log, target: second)
        _ = try await (a, b)
        try await script.randomWorkload(changes: 100, seed: 12)
        // Only "a" runs again: "b" stays where it was, then catches up on its own.
        try await runSink(.test(name: "a"), log: log.log, target: first)
        expectRows(try await first.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))
        try await runSink(.test(name: "b"), log: log.log, target: second)
        for database in [first, second] {
            expectRows(try await database.rows("dbo.orders", columns: Fixtures.orderColumns), script.expectedRows(Fixtures.orders))
            expectRows(try await database.rows("dbo.notes", columns: ["author", "body"]), script.expectedRows(Fixtures.notes))
        }
        #expect(try await first.scalar("SELECT string_agg(DISTINCT sink, ',') FROM ferry.sink_offsets") == "a")
        #expect(try await second.scalar("SELECT string_agg(DISTINCT sink, ',') FROM ferry.sink_offsets") == "b")
    }

    /// Debezium 2.x events for the `customers` table of Debezium's SQL Server documentation, written
    /// by hand as its JSON converter writes them: one with the Connect `schema` part, the others
    /// without; a snapshot read, an update, a delete with its tombstone, and a primary-key change as
    /// delete + create with event serial numbers 1 and 2.
    @Test("reads Debezium's SQL Server events")
    func debeziumEvents() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let table = TableIdentity(database: "testDB", schema: "dbo", table: "customers")
        let schema = try TableSchema(identity: table, columns: [
            ColumnDefinition(name: "id", type: try SQLServerDataType(.int), isNullable: false),
            ColumnDefinition(name: "first_name", type: try SQLServerDataType(.varchar, length: .limited(255)), isNullable: false),
            ColumnDefinition(name: "last_name", type: try SQLServerDataType(.varchar, length: .limited(255)), isNullable: false),
            ColumnDefinition(name: "email", type: try SQLServerDataType(.varchar, length: .limited(255)), isNullable: false),
        ], keyColumns: ["id"])
        let topic = "server1.testDB.dbo.customers"
        try await log.log.createTopic(TopicConfiguration(name: topic))
        func source(_ snapshot: String, _ change: String?, _ commit: String?, _ serial: Int?) -> String {
            """
            {"version":"2.7.0.Final","connector":"sqlserver","name":"server1","ts_ms":1559729468470,"snapshot":"\(snapshot)","db":"testDB",\
            "sequence":null,"schema":"dbo","table":"customers","change_lsn":\(change.map { "\"\($0)\"" } ?? "null"),\
            "commit_lsn":\(commit.map { "\"\($0)\"" } ?? "null"),"event_serial_no":\(serial.map(String.init) ?? "null")}
            """
        }
        let fields = #"[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":false,"field":"first_name"},{"type":"string","optional":false,"field":"last_name"},{"type":"string","optional":false,"field":"email"}]"#
        let withSchema = """
            {"schema":{"type":"struct","fields":[{"type":"struct","fields":\(fields),"optional":true,"name":"server1.testDB.dbo.customers.Value","field":"before"},\
            {"type":"struct","fields":\(fields),"optional":true,"name":"server1.testDB.dbo.customers.Value","field":"after"},\
            {"type":"struct","fields":[{"type":"string","optional":false,"field":"version"},{"type":"string","optional":false,"field":"connector"},\
            {"type":"string","optional":false,"field":"name"},{"type":"int64","optional":false,"field":"ts_ms"},\
            {"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,last,false,incremental"},"default":"false","field":"snapshot"},\
            {"type":"string","optional":false,"field":"db"},{"type":"string","optional":true,"field":"sequence"},{"type":"string","optional":false,"field":"schema"},\
            {"type":"string","optional":false,"field":"table"},{"type":"string","optional":true,"field":"change_lsn"},{"type":"string","optional":true,"field":"commit_lsn"},\
            {"type":"int64","optional":true,"field":"event_serial_no"}],"optional":false,"name":"io.debezium.connector.sqlserver.Source","field":"source"},\
            {"type":"string","optional":false,"field":"op"},{"type":"int64","optional":true,"field":"ts_ms"}],"optional":false,"name":"server1.testDB.dbo.customers.Envelope"},\
            "payload":{"before":null,"after":{"id":1001,"first_name":"Sally","last_name":"Thomas","email":"sally.thomas@acme.com"},\
            "source":\(source("false", "00000027:00000758:0003", "00000027:00000758:0005", 1)),"op":"c","ts_ms":1559729471739}}
            """
        let records: [(String, String?)] = [
            (#"{"id":1002}"#, #"{"before":null,"after":{"id":1002,"first_name":"George","last_name":"Bailey","email":"gbailey@foobar.com"},"source":"# + source("true", nil, "00000027:00000700:0001", nil) + #","op":"r","ts_ms":1559729470000,"transaction":null}"#),
            (#"{"id":1001}"#, withSchema),
            (#"{"id":1001}"#, #"{"before":{"id":1001,"first_name":"Sally","last_name":"Thomas","email":"sally.thomas@acme.com"},"after":{"id":1001,"first_name":"Sally","last_name":"Thomas","email":"noreply@acme.com"},"source":"# + source("false", "00000027:00000ac0:0002", "00000027:00000ac0:0007", 2) + #","op":"u","ts_ms":1559729995937,"transaction":null}"#),
            (#"{"id":1002}"#, #"{"before":{"id":1002,"first_name":"George","last_name":"Bailey","email":"gbailey@foobar.com"},"after":null,"source":"# + source("false", "00000027:00000ac0:0003", "00000027:00000ac0:0008", 1) + #","op":"d","ts_ms":1559729998706,"transaction":null}"#),
            (#"{"id":1002}"#, nil),
            (#"{"id":1001}"#, #"{"before":{"id":1001,"first_name":"Sally","last_name":"Thomas","email":"noreply@acme.com"},"after":null,"source":"# + source("false", "00000027:00000b00:0002", "00000027:00000b00:0005", 1) + #","op":"d","ts_ms":1559730000000,"transaction":null}"#),
            (#"{"id":1001}"#, nil),
            (#"{"id":2001}"#, #"{"before":null,"after":{"id":2001,"first_name":"Sally","last_name":"Thomas","email":"noreply@acme.com"},"source":"# + source("false", "00000027:00000b00:0002", "00000027:00000b00:0005", 2) + #","op":"c","ts_ms":1559730000000,"transaction":null}"#),
        ]
        _ = try await log.log.append(records.map { OutgoingRecord(destination: TopicPartition(topic: topic, partition: 0), key: Array($0.0.utf8), value: $0.1.map { Array($0.utf8) }) })

        let connection = try await database.connect()
        try await connection.execute("CREATE SCHEMA dbo; CREATE TABLE dbo.customers (id integer PRIMARY KEY, first_name varchar(255) NOT NULL, last_name varchar(255) NOT NULL, email varchar(255) NOT NULL)")
        await connection.close()
        var configuration = SinkConfiguration.test(prefix: "server1")
        configuration.additionalTables = [table]
        configuration.knownSchemas = [schema]
        let summary = try await runSink(configuration, log: log.log, target: database)
        #expect(summary.exceptions == 0)
        #expect(summary.applied == 6)
        #expect(try await database.rows("dbo.customers", columns: ["id", "first_name", "last_name", "email"]) == [["2001", "Sally", "Thomas", "noreply@acme.com"]])
        let status = try #require(try await SinkTableStatus.load(from: try await database.connect(), sink: "test").first)
        #expect(status.fullLoadRows == 1 && status.inserts == 2 && status.updates == 1 && status.deletes == 2)
        #expect(status.appliedLSN == "00000027:00000b00:0005")
    }
}
