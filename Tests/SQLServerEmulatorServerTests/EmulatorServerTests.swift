import FerryTestSupport
import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import TDSServer
import Testing

/// The emulator end to end: a TDS server with ``EmulatorRequestHandler`` on a fresh PostgreSQL
/// database, driven by the FreeTDS client.
@Suite struct EmulatorServerTests {
    static let logger = Logger(label: "sqlserver-emulator-server-tests")

    /// Starts a server over a fresh PostgreSQL database, runs `body` with its port, stops and drops all.
    func withServer(_ body: (Int) async throws -> Void) async throws {
        let name = TestPostgres.uniqueName("emulator_server")
        let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: Self.logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(name))")
        do {
            let engine = try await SQLServerEngine.open(postgresURL: try TestPostgres.url(database: name), logger: Self.logger)
            let handler = EmulatorRequestHandler(engine: engine, logger: Self.logger)
            let server = try TDSServer(configuration: .init(host: "127.0.0.1", port: 0), handler: handler, logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                do {
                    try await body(server.port)
                } catch {
                    server.shutdown()
                    try await group.waitForAll()
                    throw error
                }
                server.shutdown()
                try await group.waitForAll()
            }
        } catch {
            _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
            await admin.close()
            throw error
        }
        try await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
        await admin.close()
    }

    func connect(port: Int, password: String = "Passw0rd!", database: String? = nil) async throws -> TDSConnection {
        try await TDSConnection.connect(
            configuration: .init(host: "127.0.0.1", port: port, username: "sa", password: password, database: database),
            logger: Self.logger)
    }

    /// The server error a batch fails with.
    func serverError(_ connection: TDSConnection, _ sql: String) async -> TDSError? {
        do {
            _ = try await connection.execute(sql)
            return nil
        } catch let error as TDSError {
            return error
        } catch {
            Issue.record("unexpected error: \(error)")
            return nil
        }
    }

    func decimal(_ value: TDSValue) -> String? {
        if case .decimal(let decimal) = value { decimal.description } else { nil }
    }

    func dateTime(_ value: TDSValue) -> (TDSDate, Int64)? {
        if case .dateTime(let dateTime) = value { (dateTime.date, dateTime.time.nanosecondsSinceMidnight) } else { nil }
    }

    @Test func loginSucceedsAndWrongPasswordIsRefusedWith18456() async throws {
        try await withServer { port in
            let connection = try await connect(port: port)
            let rows = try await connection.query("SELECT DB_NAME() AS name")
            #expect(rows.first?[0].stringValue == "master")
            await connection.close()

            do {
                let refused = try await connect(port: port, password: "wrong")
                await refused.close()
                Issue.record("a wrong password was accepted")
            } catch let error as TDSError {
                #expect(error.code == .loginFailed)
                #expect(error.serverMessages.contains { $0.number == 18456 }, "\(error)")
            }
        }
    }

    @Test func loginToAnUnknownDatabaseIsRefusedWith4060() async throws {
        try await withServer { port in
            do {
                let refused = try await connect(port: port, database: "nowhere")
                await refused.close()
                Issue.record("a login to an unknown database was accepted")
            } catch let error as TDSError {
                #expect(error.serverMessages.contains { $0.number == 4060 }, "\(error)")
            }
        }
    }

    @Test func typedValuesRoundTrip() async throws {
        try await withServer { port in
            let connection = try await connect(port: port)
            defer { Task { await connection.close() } }
            _ = try await connection.execute("""
                CREATE TABLE dbo.items (
                    id int NOT NULL PRIMARY KEY, name nvarchar(50) NULL, price decimal(10,2) NULL,
                    created datetime2(3) NULL, token uniqueidentifier NULL, note nvarchar(20) NULL)
                """)
            let insert = try await connection.execute("""
                INSERT INTO dbo.items (id, name, price, created, token, note) VALUES
                    (1, N'Grüße', 1234.50, '2024-02-29 13:45:30.125', '6F9619FF-8B86-D011-B42D-00C04FC964FF', NULL),
                    (2, N'second', -0.05, '0001-01-01 00:00:00', NULL, N'x')
                """)
            #expect(insert.rowCounts.compactMap { $0 } == [2])

            let result = try await connection.execute("SELECT id, name, price, created, token, note FROM dbo.items ORDER BY id")
            let rows = try #require(result.resultSets.first?.rows)
            try #require(rows.count == 2)
            let first = rows[0]
            #expect(first[0] == .int(1))
            #expect(first[1] == .string("Grüße"))
            #expect(decimal(first[2]) == "1234.50")
            let created = try #require(dateTime(first[3]))
            let expectedNanoseconds: Int64 = 49_530 * 1_000_000_000 + 125_000_000
            #expect(created.0 == TDSDate(year: 2024, month: 2, day: 29))
            #expect(created.1 == expectedNanoseconds)
            #expect(first[4] == .uniqueIdentifier(try #require(TDSGUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF"))))
            #expect(first[5].isNull)
            let second = rows[1]
            #expect(decimal(second[2]) == "-0.05")
            let earliest = try #require(dateTime(second[3]))
            #expect(earliest.0 == TDSDate(year: 1, month: 1, day: 1))
            #expect(earliest.1 == 0)
            #expect(second[4].isNull)
            #expect(result.rowCounts.compactMap { $0 } == [2])
        }
    }

    @Test func invalidObjectArrivesAs208() async throws {
        try await withServer { port in
            let connection = try await connect(port: port)
            let error = try #require(await serverError(connection, "SELECT * FROM dbo.missing"))
            #expect(error.number == 208)
            #expect(error.serverMessage?.text.contains("Invalid object name 'dbo.missing'") == true, "\(error)")
            #expect(error.severity == 16)
            // The session is still usable.
            #expect(try await connection.query("SELECT 1 AS one").first?[0] == .int(1))
            await connection.close()
        }
    }

    @Test func useOfAnUnknownDatabaseFailsWith911AndUseChangesTheDatabase() async throws {
        try await withServer { port in
            let connection = try await connect(port: port)
            let error = try #require(await serverError(connection, "USE nowhere"))
            #expect(error.number == 911)
            _ = try await connection.execute("CREATE DATABASE shop")
            let changed = try await connection.execute("USE shop")
            #expect(changed.messages.contains { $0.number == 5701 })
            #expect(try await connection.query("SELECT DB_NAME()").first?[0].stringValue == "shop")
            await connection.close()
        }
    }

    @Test func transactionsCountAndRollBack() async throws {
        try await withServer { port in
            let connection = try await connect(port: port)
            _ = try await connection.execute("CREATE TABLE dbo.t (id int NOT NULL)")
            _ = try await connection.execute("BEGIN TRANSACTION")
            #expect(try await connection.query("SELECT @@TRANCOUNT").first?[0] == .int(1))
            _ = try await connection.execute("INSERT INTO dbo.t VALUES (1)")
            _ = try await connection.execute("ROLLBACK")
            #expect(try await connection.query("SELECT @@TRANCOUNT").first?[0] == .int(0))
            #expect(try await connection.query("SELECT COUNT(*) FROM dbo.t").first?[0] == .int(0))
            _ = try await connection.execute("BEGIN TRAN; INSERT INTO dbo.t VALUES (2); COMMIT")
            #expect(try await connection.query("SELECT COUNT(*) FROM dbo.t").first?[0] == .int(1))
            await connection.close()
        }
    }
}
