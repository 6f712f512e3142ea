import FerryTestSupport
import FreeTDS
import Postgres
import Testing

/// Transactions across connections, rollback, and snapshot isolation, through FreeTDS.
@Suite struct IsolationTests {
    static func count(_ connection: TDSConnection, _ sql: String = "SELECT COUNT(*) FROM dbo.accounts") async throws -> Int64? {
        try await connection.query(sql).first?[0].int64Value
    }

    @Test func snapshotReadsAStableViewWhileAnotherConnectionCommits() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let admin = try await EmulatorHarness.connect(port: port)
            _ = try await admin.execute("""
                CREATE DATABASE Bank;
                """)
            _ = try await admin.execute("""
                USE Bank;
                CREATE TABLE dbo.accounts (id int NOT NULL PRIMARY KEY, balance money NOT NULL);
                INSERT INTO dbo.accounts VALUES (1, 100), (2, 200);
                """)
            let reader = try await EmulatorHarness.connect(port: port, database: "Bank")
            let writer = try await EmulatorHarness.connect(port: port, database: "Bank")

            // Without the database option, SQL Server's Msg 3952.
            let refused = await #expect(throws: TDSError.self) {
                _ = try await reader.execute("SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRAN; SELECT COUNT(*) FROM dbo.accounts;")
            }
            #expect(refused?.serverMessages.first?.number == 3952)
            #expect(refused?.message == "Snapshot isolation transaction failed accessing database 'Bank' because snapshot isolation is not allowed in this database. Use ALTER DATABASE to allow snapshot isolation.")
            _ = try await reader.execute("IF @@TRANCOUNT > 0 ROLLBACK")

            #expect(try await Self.count(admin, "SELECT snapshot_isolation_state FROM sys.databases WHERE name = 'Bank'") == 0)
            _ = try await admin.execute("ALTER DATABASE Bank SET ALLOW_SNAPSHOT_ISOLATION ON")
            let state = try await admin.query("SELECT snapshot_isolation_state, snapshot_isolation_state_desc FROM sys.databases WHERE name = 'Bank'")
            #expect(state.first?[0].int64Value == 1)
            #expect(state.first?[1] == .string("ON"))

            _ = try await reader.execute("SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRAN;")
            #expect(try await Self.count(reader, "SELECT SUM(CAST(balance AS int)) FROM dbo.accounts") == 300)
            // The writer commits changes while the reader's transaction is open.
            _ = try await writer.execute("UPDATE dbo.accounts SET balance = balance + 50 WHERE id = 1; INSERT INTO dbo.accounts VALUES (3, 1)")
            #expect(try await Self.count(writer, "SELECT SUM(CAST(balance AS int)) FROM dbo.accounts") == 351)
            // The snapshot still sees the state as of its first read.
            #expect(try await Self.count(reader, "SELECT SUM(CAST(balance AS int)) FROM dbo.accounts") == 300)
            #expect(try await Self.count(reader) == 2)
            _ = try await reader.execute("COMMIT")
            #expect(try await Self.count(reader) == 3)

            // READ COMMITTED sees each committed change.
            _ = try await reader.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED; BEGIN TRAN")
            #expect(try await Self.count(reader) == 3)
            _ = try await writer.execute("DELETE FROM dbo.accounts WHERE id = 3")
            #expect(try await Self.count(reader) == 2)
            _ = try await reader.execute("COMMIT")
            for connection in [admin, reader, writer] { await connection.close() }
        }
    }

    @Test func uncommittedWorkIsInvisibleAndRollbackUndoesIt() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let first = try await EmulatorHarness.connect(port: port)
            let second = try await EmulatorHarness.connect(port: port)
            _ = try await first.execute("CREATE TABLE dbo.accounts (id int NOT NULL PRIMARY KEY, balance money NOT NULL)")
            _ = try await first.execute("BEGIN TRAN; INSERT INTO dbo.accounts VALUES (1, 10);")
            #expect(try await Self.count(first, "SELECT @@TRANCOUNT") == 1)
            #expect(try await Self.count(first) == 1)
            #expect(try await Self.count(second) == 0)
            _ = try await first.execute("ROLLBACK")
            #expect(try await Self.count(first) == 0)
            #expect(try await Self.count(first, "SELECT @@TRANCOUNT") == 0)

            _ = try await first.execute("BEGIN TRAN; INSERT INTO dbo.accounts VALUES (2, 20); COMMIT")
            _ = try await second.execute("BEGIN TRAN; UPDATE dbo.accounts SET balance = 30 WHERE id = 2; SAVE TRAN s; DELETE FROM dbo.accounts; ROLLBACK TRAN s; COMMIT")
            let rows = try await first.query("SELECT id, balance FROM dbo.accounts")
            #expect(rows.count == 1)
            #expect(rows.first?[1].description == "30.0000")
            await first.close()
            await second.close()
        }
    }
}

/// Each TDS login owns exactly one engine session, so one PostgreSQL connection.
@Suite struct SessionCountTests {
    @Test func oneEngineSessionPerLogin() async throws {
        try await EmulatorHarness.withServer { port, recorder in
            let database = try #require(recorder.postgresDatabase)
            let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: EmulatorHarness.logger)
            func backends() async throws -> Int {
                let rows = try await admin.query(
                    "SELECT count(*)::int FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", [.text(database)])
                return try rows.first?.decode(Int.self, at: 0) ?? -1
            }
            #expect(try await backends() == 0)
            let first = try await EmulatorHarness.connect(port: port)
            _ = try await first.query("SELECT 1")
            #expect(try await backends() == 1)
            let second = try await EmulatorHarness.connect(port: port)
            _ = try await second.query("SELECT 1")
            #expect(try await backends() == 2)
            await first.close()
            await second.close()
            // The sessions end when the server notices the disconnect; wait for it (bounded).
            var remaining = try await backends()
            for _ in 0..<100 where remaining > 0 {
                try await Task.sleep(for: .milliseconds(50))
                remaining = try await backends()
            }
            #expect(remaining == 0)
            // Every PostgreSQL session ever opened on the database: the engine's catalog check at
            // start and one per login (a login that opened a second one would make this 5).
            func sessionsEver() async throws -> Int {
                _ = try await admin.execute("SELECT pg_stat_clear_snapshot()")
                let rows = try await admin.query("SELECT sessions::int FROM pg_stat_database WHERE datname = $1", [.text(database)])
                return try rows.first?.decode(Int.self, at: 0) ?? -1
            }
            var sessions = try await sessionsEver()
            for _ in 0..<100 where sessions < 3 {
                try await Task.sleep(for: .milliseconds(50))
                sessions = try await sessionsEver()
            }
            #expect(sessions == 3)
            await admin.close()
        }
    }
}
