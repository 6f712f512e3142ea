import EventLog
import FerryCore
import FerryTestSupport
import Postgres
import PostgresSink
import Testing

@Suite("Sink schema evolution and table preparation")
struct SinkSchemaTests {
    static func columns(_ database: TestDatabase, _ table: String) async throws -> [String] {
        let connection = try await database.connect()
        defer { Task { await connection.close() } }
        let rows = try await connection.query("""
            SELECT column_name || ' ' || format_type(atttypid, atttypmod) FROM information_schema.columns c
            JOIN pg_attribute a ON a.attrelid = to_regclass($1) AND a.attname = c.column_name
            WHERE c.table_schema || '.' || c.table_name = $1 ORDER BY c.ordinal_position
            """, [.text(table)])
        return try rows.map { try $0.decode(String.self, at: 0) }
    }

    @Test("ADD COLUMN, DROP COLUMN and widening apply before the data that needs them", arguments: [10_000, 1])
    func addDropWiden(commitRate: Int) async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        let v1 = try Fixtures.ordersSchema()
        try await script.createTable(v1)
        try await script.commit((1...3).map { .insert(Fixtures.orders, Fixtures.order($0, "c\($0)", 100)) })

        let v2 = try TableSchema(identity: Fixtures.orders, columns: v1.columns + [ColumnDefinition(name: "Region", type: try SQLServerDataType(.nvarchar, length: .limited(10)))],
                                 keyColumns: ["Id"])
        try await script.schemaChange(old: v1, new: v2, ddl: "ALTER TABLE dbo.Orders ADD Region nvarchar(10)")
        var four = Fixtures.order(4, "c4", 400)
        four["Region"] = .string("eu")
        var one = script.currentOrder(1)!
        one["Region"] = .string("us")
        try await script.commit([.insert(Fixtures.orders, four), .update(Fixtures.orders, before: script.currentOrder(1)!, after: one)])

        var v3Columns = v2.columns.filter { $0.name != "Memo" }
        v3Columns[1] = ColumnDefinition(name: "Customer", type: try SQLServerDataType(.nvarchar, length: .limited(200)))
        v3Columns[2] = ColumnDefinition(name: "Amount", type: try SQLServerDataType(.decimal, precision: 18, scale: 2))
        let v3 = try TableSchema(identity: Fixtures.orders, columns: v3Columns, keyColumns: ["Id"])
        try await script.schemaChange(old: v2, new: v3, ddl: "ALTER TABLE dbo.Orders DROP COLUMN Memo; ALTER COLUMN Customer nvarchar(200); ALTER COLUMN Amount decimal(18,2)")
        let longName = String(repeating: "x", count: 150)
        try await script.commit([
            .insert(Fixtures.orders, ["Id": .int(5), "Customer": .string(longName), "Amount": .decimal(ExactDecimal(unscaled: 1_000_000_000_000_00, scale: 2)!),
                                      "Paid": .bool(true), "Region": .string("ap")]),
        ])
        let two = script.currentOrder(2)!
        var twoAfter = two
        twoAfter["Region"] = .string("eu")
        try await script.commit([.update(Fixtures.orders, before: two, after: twoAfter)])

        let summary = try await runSink(.test(commitRate: commitRate), log: log.log, target: database)
        #expect(summary.exceptions == 0)
        #expect(summary.schemaChanges == 3)
        #expect(try await Self.columns(database, "dbo.orders") == ["id integer", "customer character varying(200)", "amount numeric(18,2)", "paid boolean", "region character varying(10)"])
        expectRows(try await database.rows("dbo.orders", columns: ["id", "customer", "amount", "paid", "region"]), script.expectedRows(Fixtures.orders))
        // The first capture is applied (summary) but is not a DDL the source ran (DMS's Ddls).
        #expect(try await database.scalar("SELECT ddls FROM ferry.table_statistics WHERE source_table = 'shop.dbo.Orders'") == "2")
    }

    @Test("TargetTablePrepMode: DO_NOTHING keeps, TRUNCATE_BEFORE_LOAD empties, DROP_AND_CREATE rebuilds",
          arguments: [SinkConfiguration.TablePreparation.doNothing, .truncateBeforeLoad, .dropAndCreate])
    func tablePreparation(mode: SinkConfiguration.TablePreparation) async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let connection = try await database.connect()
        try await connection.execute("""
            CREATE SCHEMA dbo;
            CREATE TABLE dbo.orders (id integer PRIMARY KEY, customer varchar(50), amount numeric(10,2), memo text, paid boolean, extra text);
            INSERT INTO dbo.orders VALUES (500, 'old', 1, 'old', false, 'kept?')
            """)
        await connection.close()
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.ordersSchema())
        try await script.commit((1...3).map { .read(Fixtures.orders, Fixtures.order($0, "c\($0)", 100)) })
        var configuration = SinkConfiguration.test()
        configuration.tablePreparation = mode
        try await runSink(configuration, log: log.log, target: database)

        let ids = try await database.rows("dbo.orders", columns: ["id"]).map { $0[0] }
        let columns = try await Self.columns(database, "dbo.orders")
        switch mode {
        case .doNothing:
            #expect(ids == ["1", "2", "3", "500"])
            #expect(columns.last == "extra text")
        case .truncateBeforeLoad:
            #expect(ids == ["1", "2", "3"])
            #expect(columns.last == "extra text")
        case .dropAndCreate:
            #expect(ids == ["1", "2", "3"])
            #expect(columns == ["id integer", "customer character varying(50)", "amount numeric(10,2)", "memo text", "paid boolean"])
        }
        #expect(try await database.scalar("SELECT full_load_rows FROM ferry.table_statistics") == "3")
    }

    @Test("a dropped source table is dropped on the target only when the DDL policy says so", arguments: [true, false])
    func dropTable(apply: Bool) async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let script = try SourceScript(log: log.log)
        try await script.createTable(try Fixtures.notesSchema(), partitions: 1)
        try await script.commit([.insert(Fixtures.notes, ["Author": .string("a"), "Body": .string("b")])])
        try await script.schemaChange(old: try Fixtures.notesSchema(), new: nil, ddl: "DROP TABLE dbo.Notes", table: Fixtures.notes)
        var configuration = SinkConfiguration.test()
        configuration.ddlPolicy.applyDrop = apply
        try await runSink(configuration, log: log.log, target: database)
        #expect(try await database.scalar("SELECT to_regclass('dbo.notes') IS NOT NULL") == (apply ? "f" : "t"))
    }
}
