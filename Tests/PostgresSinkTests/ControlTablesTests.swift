import EventLog
import FerryCore
import FerryTestSupport
import Foundation
import Postgres
import PostgresSink
import Testing

@Suite("DMS control tables: awsdms_apply_exceptions, awsdms_status, awsdms_suspended_tables, awsdms_history")
struct ControlTablesTests {
    /// The layout DMS creates on a PostgreSQL target: column, type, character length, nullable.
    static let layouts: [String: [[String]]] = [
        "awsdms_apply_exceptions": [
            ["TASK_NAME", "character varying", "128", "NO"], ["TABLE_OWNER", "character varying", "128", "NO"],
            ["TABLE_NAME", "character varying", "128", "NO"], ["ERROR_TIME", "timestamp without time zone", "", "NO"],
            ["STATEMENT", "text", "", "NO"], ["ERROR", "text", "", "NO"],
        ],
        "awsdms_status": [
            ["server_name", "character varying", "128", "NO"], ["task_name", "character varying", "128", "NO"],
            ["task_status", "character varying", "32", "YES"], ["status_time", "timestamp without time zone", "", "YES"],
            ["pending_changes", "bigint", "", "YES"], ["disk_swap_size", "bigint", "", "YES"], ["task_memory", "bigint", "", "YES"],
            ["source_current_position", "character varying", "128", "YES"], ["source_current_timestamp", "timestamp without time zone", "", "YES"],
            ["source_tail_position", "character varying", "128", "YES"], ["source_tail_timestamp", "timestamp without time zone", "", "YES"],
            ["source_timestamp_applied", "timestamp without time zone", "", "YES"],
        ],
        "awsdms_suspended_tables": [
            ["server_name", "character varying", "128", "NO"], ["task_name", "character varying", "128", "NO"],
            ["table_owner", "character varying", "128", "NO"], ["table_name", "character varying", "128", "NO"],
            ["suspend_reason", "character varying", "32", "YES"], ["suspend_timestamp", "timestamp without time zone", "", "YES"],
        ],
        "awsdms_history": [
            ["server_name", "character varying", "128", "NO"], ["task_name", "character varying", "128", "NO"],
            ["timeslot_type", "character varying", "32", "NO"], ["timeslot", "timestamp without time zone", "", "NO"],
            ["timeslot_duration", "bigint", "", "YES"], ["timeslot_latency", "bigint", "", "YES"],
            ["timeslot_records", "bigint", "", "YES"], ["timeslot_volume", "bigint", "", "YES"],
        ],
    ]

    static func layout(_ database: TestDatabase, schema: String, table: String) async throws -> [[String]] {
        let connection = try await database.connect()
        defer { Task { await connection.close() } }
        return try await connection.query("""
            SELECT column_name::text, data_type::text, COALESCE(character_maximum_length::text, ''), is_nullable::text
            FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position
            """, [.text(schema), .text(table)]).map { row in try (0..<4).map { try row.decode(String.self, at: $0) } }
    }

    static func tables(_ database: TestDatabase) async throws -> [String] {
        let connection = try await database.connect()
        defer { Task { await connection.close() } }
        return try await connection.query("""
            SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_name LIKE 'awsdms%' ORDER BY 1
            """).map { try $0.decode(String.self, at: 0) }
    }

    static func allTables(schema: String = "dms_control") -> DMSControlTables {
        DMSControlTables(schema: schema, status: true, suspendedTables: true, history: true, serverName: "ferry-test-host")
    }

    @Test("each table has DMS's PostgreSQL layout, in ControlSchema, with DMS's unique indexes")
    func layout() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.commit([.insert(Fixtures.orders, Fixtures.order(1, "a", 100))])
        var configuration = SinkConfiguration.test()
        configuration.dmsControlTables = Self.allTables()
        try await runSink(configuration, log: log.log, target: database)

        #expect(try await Self.tables(database) == ["dms_control.awsdms_apply_exceptions", "dms_control.awsdms_history",
                                                    "dms_control.awsdms_status", "dms_control.awsdms_suspended_tables"])
        for (table, expected) in Self.layouts {
            #expect(try await Self.layout(database, schema: "dms_control", table: table) == expected, "\(table)")
        }
        let indexes = try await database.scalar("""
            SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'dms_control' AND indexdef LIKE 'CREATE UNIQUE%'
            """)
        #expect(indexes == "awsdms_history_task_history_index,awsdms_status_task_status_index,awsdms_suspended_tables_task_suspended_tables_index")
        // A second start finds everything in place.
        try await runSink(configuration, log: log.log, target: database)
        #expect(try await Self.tables(database).count == 4)
    }

    @Test("task settings: apply exceptions always, in public by default; disabled tables are not created")
    func disabledTablesAreNotCreated() async throws {
        var settings = ControlTablesSettings()
        #expect(DMSControlTables(settings) == DMSControlTables(schema: "public", applyExceptions: true, status: false, suspendedTables: false,
                                                                history: false, historyTimeslot: .seconds(300)))
        settings.controlSchema = "dmslogs"
        settings.statusTableEnabled = true
        settings.historyTimeslotInMinutes = 2
        let fromSettings = DMSControlTables(settings)
        #expect(fromSettings.schema == "dmslogs" && fromSettings.status && !fromSettings.history && !fromSettings.suspendedTables)
        #expect(fromSettings.historyTimeslot == .seconds(120))
        var taskSettings = TaskSettings()
        taskSettings.controlTables = settings
        var applied = SinkConfiguration.test()
        applied.apply(taskSettings)
        #expect(applied.dmsControlTables == fromSettings)

        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.commit([.insert(Fixtures.orders, Fixtures.order(1, "a", 100))])
        var configuration = SinkConfiguration.test()
        configuration.dmsControlTables = DMSControlTables(ControlTablesSettings())
        try await runSink(configuration, log: log.log, target: database)
        #expect(try await Self.tables(database) == ["public.awsdms_apply_exceptions"])

        // Without the DMS tables configured, none is created.
        let plain = try await TestDatabase.create()
        defer { Task { await plain.drop() } }
        try await runSink(.test(), log: log.log, target: plain)
        #expect(try await Self.tables(plain).isEmpty)
    }

    @Test("refused rows and unreadable events go to awsdms_apply_exceptions as to ferry.apply_exceptions; suspensions to awsdms_suspended_tables")
    func exceptionsAndSuspensions() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await SinkErrorTests.writePoisonedStream(script, log: log.log)
        var configuration = SinkConfiguration.test(commitRate: 1)
        configuration.errorPolicy = .suspendTable
        configuration.dmsControlTables = Self.allTables()
        try await runSink(configuration, log: log.log, target: database)

        let connection = try await database.connect()
        defer { Task { await connection.close() } }
        let ferryCount = try await connection.query("SELECT count(*) FROM ferry.apply_exceptions").first!.decode(Int64.self, at: 0)
        let rows = try await connection.query("""
            SELECT "TASK_NAME", "TABLE_OWNER", "TABLE_NAME", "STATEMENT", "ERROR", "ERROR_TIME" > (now() AT TIME ZONE 'UTC') - interval '10 minutes'
            FROM dms_control.awsdms_apply_exceptions ORDER BY "ERROR_TIME"
            """)
        #expect(ferryCount >= 1 && rows.count == ferryCount)
        let first = try #require(rows.first)
        #expect(try first.decode(String.self, at: 0) == "test")
        #expect(try first.decode(String.self, at: 1) == "dbo" && first.decode(String.self, at: 2) == "orders")
        #expect(try first.decode(String.self, at: 3).contains("bad"))  // the refused event is in STATEMENT
        #expect(try first.decode(String.self, at: 4).contains("NUL character"))  // U+0000 in text
        #expect(try first.decode(Bool.self, at: 5))  // ERROR_TIME is UTC

        let suspended = try await connection.query("""
            SELECT server_name, task_name, table_owner, table_name, suspend_reason FROM dms_control.awsdms_suspended_tables
            """)
        #expect(suspended.count == 1)
        #expect(try suspended.first.map { row in try (0..<5).map { try row.decode(String.self, at: $0) } }
                == ["ferry-test-host", "test", "dbo", "orders", "APPLY_ERROR"])
    }

    @Test("an exception row is written in the transaction of the batch: STOP_TASK leaves none in either table")
    func exceptionsShareTheTransaction() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.commit([.insert(Fixtures.orders, Fixtures.order(11, "good", 1)), .insert(Fixtures.orders, Fixtures.order(12, "bad\u{0}", 1))])
        var configuration = SinkConfiguration.test()
        configuration.errorPolicy = .stopSink
        configuration.dmsControlTables = Self.allTables()
        await #expect(throws: SinkError.self) { try await runSink(configuration, log: log.log, target: database) }
        #expect(try await database.scalar("SELECT count(*) FROM ferry.apply_exceptions") == "0")
        #expect(try await database.scalar("SELECT count(*) FROM dms_control.awsdms_apply_exceptions") == "0")
        // The failed run still says it is not running.
        #expect(try await database.scalar("SELECT task_status FROM dms_control.awsdms_status") == "NOT RUNNING")
    }

    @Test("awsdms_status goes FULL LOAD → CHANGE PROCESSING → NOT RUNNING; awsdms_history gets a row per time slot")
    func statusAndHistory() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        var configuration = SinkConfiguration.test()
        configuration.stopWhenCaughtUp = false
        configuration.dmsControlTables = DMSControlTables(schema: "dms_control", status: true, history: true,
                                                          historyTimeslot: .seconds(1), serverName: "ferry-test-host")
        let sink = PostgresSink(configuration: configuration, log: log.log, targetURL: database.url, logger: quietLogger)
        let running = Task { try await sink.runToCompletion() }

        // Full load: snapshot reads leave the table in "Full load".
        let loadLSN = try await script.commit((1...30).map { .read(Fixtures.orders, Fixtures.order($0, "c\($0)", 100)) })
        let loading = try await Self.waitFor(database, "SELECT task_status FROM dms_control.awsdms_status WHERE source_current_position = '\(loadLSN)'")
        #expect(loading == "FULL LOAD")
        // A change after the load: the table is completed, the task processes changes.
        let changeLSN = try await script.commit([.insert(Fixtures.orders, Fixtures.order(31, "new", 1)),
                                                 .update(Fixtures.orders, before: script.currentOrder(2)!, after: Fixtures.order(2, "changed", 5))])
        let processing = try await Self.waitFor(database, "SELECT task_status FROM dms_control.awsdms_status WHERE source_current_position = '\(changeLSN)'")
        #expect(processing == "CHANGE PROCESSING")
        let status = try await database.connect()
        defer { Task { await status.close() } }
        let row = try #require(try await status.query("""
            SELECT server_name, task_name, source_tail_position, pending_changes, disk_swap_size,
                   to_char(source_timestamp_applied, 'YYYY-MM-DD HH24:MI:SS.MS'), to_char(source_current_timestamp, 'YYYY-MM-DD HH24:MI:SS.MS')
            FROM dms_control.awsdms_status
            """).first)
        let applied = Date(timeIntervalSince1970: Double(script.lastCommitTime) / 1000)
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        #expect(try row.decode(String.self, at: 0) == "ferry-test-host" && row.decode(String.self, at: 1) == "test")
        #expect(try row.decode(String.self, at: 2) == changeLSN.description)
        let pending = try row.decode(Int64.self, at: 3)
        #expect(pending == 0, "pending_changes \(pending)")
        #expect(try row.decode(Int64.self, at: 4) == 0, "disk_swap_size")
        #expect(try row.decode(String.self, at: 5) == formatter.string(from: applied))
        #expect(try row.decode(String.self, at: 6) == formatter.string(from: applied))

        // The 1-second slots end while the sink runs: rows of both types with the counts applied.
        let loaded = try await Self.waitFor(database, "SELECT sum(timeslot_records)::text FROM dms_control.awsdms_history WHERE timeslot_type = 'FULL LOAD' HAVING sum(timeslot_records) > 0")
        #expect(loaded == "30")
        let changed = try await Self.waitFor(database, "SELECT sum(timeslot_records)::text FROM dms_control.awsdms_history WHERE timeslot_type = 'CHANGE PROCESSING' HAVING sum(timeslot_records) > 0")
        #expect(changed == "2")
        #expect(try await database.scalar("""
            SELECT bool_and(timeslot_duration = 1 AND timeslot_volume = 0 AND server_name = 'ferry-test-host' AND task_name = 'test'
                            AND timeslot <= now() AT TIME ZONE 'UTC' AND (timeslot_type = 'FULL LOAD') = (timeslot_latency IS NULL))::text
            FROM dms_control.awsdms_history
            """) == "true")
        // Slots end one slot length apart.
        #expect(try await database.scalar("""
            SELECT COALESCE(bool_and(gap = interval '1 second'), true)::text FROM (
                SELECT timeslot - lag(timeslot) OVER (ORDER BY timeslot) AS gap FROM (SELECT DISTINCT timeslot FROM dms_control.awsdms_history) s) g
            WHERE gap IS NOT NULL
            """) == "true")

        running.cancel()
        _ = try? await running.value
        #expect(try await database.scalar("SELECT task_status FROM dms_control.awsdms_status") == "NOT RUNNING")
        // ferry status's full-load times came with it.
        let statuses = try await SinkTableStatus.load(from: status, sink: "test")
        let orders = try #require(statuses.first)
        #expect(orders.tableState == "Table completed" && orders.fullLoadRows == 30)
        let start = try #require(orders.fullLoadStartTime), end = try #require(orders.fullLoadEndTime)
        #expect(start <= end && end <= orders.lastUpdateTime)
    }

    /// Polls `sql` until it returns a row (up to 30 s).
    static func waitFor(_ database: TestDatabase, _ sql: String) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let value = try? await database.scalar(sql) { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for: \(sql)")
        return nil
    }

    @Test("DMS timestamps print as the AWS CLI prints them", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000+00:00"),
        (Int64(1_658_437_401_063_000), "2022-07-21T21:03:21.063000+00:00"),
        (Int64(-1_500_000), "1969-12-31T23:59:58.500000+00:00"),
        (Int64(951_782_400_000_001), "2000-02-29T00:00:00.000001+00:00"),
    ])
    func timestamps(micros: Int64, text: String) {
        #expect(UTCTimestamp(microsecondsSince1970: micros).description == text)
    }
}
