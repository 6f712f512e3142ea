import FerryTestSupport
import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import TDSServer
import Testing

/// The CDC surface through FreeTDS over TCP, read the way a connector reads it: max LSN polling,
/// `fn_cdc_get_all_changes_*` through `sp_executesql` parameters, the change table joined to
/// `cdc.lsn_time_mapping`, with the capture job running asynchronously in the emulator process.
@Suite struct CDCServerTests {
    static let logger = Logger(label: "sqlserver-emulator-cdc-tests")

    static let schema = """
        CREATE DATABASE HR;
        """
    static let tables = """
        CREATE SCHEMA HumanResources;
        CREATE TABLE HumanResources.Department (
            DepartmentID smallint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Department_DepartmentID PRIMARY KEY,
            Name nvarchar(50) NOT NULL, GroupName nvarchar(50) NOT NULL, ModifiedDate datetime NOT NULL DEFAULT (getdate()));
        EXEC sys.sp_cdc_enable_db;
        EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Department', @role_name = NULL;
        """

    /// A server over a fresh PostgreSQL database with the capture job running every 100 ms, and
    /// database HR set up with CDC on HumanResources.Department.
    func withServer(_ body: (Int) async throws -> Void) async throws {
        let name = TestPostgres.uniqueName("emulator_cdc")
        let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: Self.logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(name))")
        do {
            let engine = try await SQLServerEngine.open(postgresURL: try TestPostgres.url(database: name), logger: Self.logger)
            let handler = EmulatorRequestHandler(engine: engine, logger: Self.logger)
            let server = try TDSServer(configuration: .init(host: "127.0.0.1", port: 0), handler: handler, logger: Self.logger)
            let job = engine.makeCaptureJob(configuration: .init(captureInterval: .milliseconds(100)))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                group.addTask { try? await job.run() }
                do {
                    let setup = try await connect(port: server.port)
                    _ = try await setup.execute(Self.schema)
                    await setup.close()
                    let hr = try await connect(port: server.port, database: "HR")
                    _ = try await hr.execute(Self.tables)
                    await hr.close()
                    try await body(server.port)
                } catch {
                    server.shutdown()
                    group.cancelAll()
                    try? await group.waitForAll()
                    throw error
                }
                server.shutdown()
                group.cancelAll()
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

    func connect(port: Int, database: String? = nil) async throws -> TDSConnection {
        try await TDSConnection.connect(
            configuration: .init(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!", database: database),
            logger: Self.logger)
    }

    /// `SELECT sys.fn_cdc_get_max_lsn()` until it is at least `lsn` (the capture job is asynchronous).
    func waitForCapture(_ connection: TDSConnection, through lsn: [UInt8]?, timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let max = try await connection.query("SELECT sys.fn_cdc_get_max_lsn() AS m").first?[0].bytesValue
            if let max, lsn.map({ !max.lexicographicallyPrecedes($0) }) ?? true { return max }
            if clock.now > deadline { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The commit LSN of the last captured transaction.
    func lastCommit(_ connection: TDSConnection) async throws -> [UInt8]? {
        try await connection.query("SELECT MAX(start_lsn) AS m FROM cdc.lsn_time_mapping WHERE tran_id <> 0x00").first?[0].bytesValue
    }

    @Test func theCaptureJobCapturesAsynchronouslyAndFunctionsReadThroughRPC() async throws {
        try await withServer { port in
            let connection = try await connect(port: port, database: "HR")
            let start = try await waitForCapture(connection, through: nil)
            _ = try await connection.execute(
                """
                BEGIN TRANSACTION;
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Engineering', N'Research and Development'), (N'Tool Design', N'Research and Development');
                UPDATE HumanResources.Department SET GroupName = N'R&D' WHERE Name = N'Engineering';
                COMMIT;
                DELETE FROM HumanResources.Department WHERE Name = N'Tool Design';
                """)
            // No sp_cdc_scan: the job running every 100 ms moves both transactions.
            var committed: [UInt8]?
            for _ in 0..<200 {
                let rows = try await connection.query(
                    "SELECT COUNT(*) AS n, MAX(start_lsn) AS m FROM cdc.lsn_time_mapping WHERE tran_id <> 0x00")
                if rows.first?[0].int64Value == 2 { committed = rows.first?[1].bytesValue; break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let through = try #require(committed)
            let max = try await waitForCapture(connection, through: through)
            #expect(start.lexicographicallyPrecedes(max))

            let from = try #require(try await connection.query("SELECT sys.fn_cdc_get_min_lsn(N'HumanResources_Department') AS m").first?[0].bytesValue)
            let result = try await connection.call(
                "sp_executesql",
                parameters: [
                    .init(value: .string(
                        "SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(@from, @to, N'all update old') ORDER BY __$start_lsn, __$seqval, __$operation")),
                    .init(value: .string("@from binary(10), @to binary(10)")),
                    .init(name: "@from", value: .bytes(from)), .init(name: "@to", value: .bytes(max)),
                ])
            let rows = try #require(result.results.resultSets.first).rows
            #expect(rows.map { $0["__$operation"]?.int64Value } == [2, 2, 3, 4, 1] as [Int64?])
            #expect(rows.allSatisfy { $0["__$start_lsn"]?.bytesValue?.count == 10 && $0["__$seqval"]?.bytesValue?.count == 10 })
            #expect(rows[2]["__$seqval"] == rows[3]["__$seqval"])
            #expect(rows[2]["GroupName"]?.stringValue == "Research and Development" && rows[3]["GroupName"]?.stringValue == "R&D")
            #expect(rows[3]["__$update_mask"]?.bytesValue == [0x04])
            #expect(rows[0]["__$update_mask"]?.bytesValue == [0x0F])

            // Direct mode, as Debezium reads by default: the change table joined to the time mapping.
            let direct = try await connection.query(
                """
                SELECT ct.*, m.tran_end_time FROM cdc.[HumanResources_Department_CT] ct
                LEFT JOIN cdc.lsn_time_mapping m ON ct.__$start_lsn = m.start_lsn
                ORDER BY ct.__$start_lsn, ct.__$command_id, ct.__$seqval, ct.__$operation
                """)
            #expect(direct.map { $0["__$command_id"]?.int64Value } == [1, 1, 2, 2, 1] as [Int64?])
            #expect(direct.allSatisfy { !($0["tran_end_time"]?.isNull ?? true) })
            await connection.close()
        }
    }

    @Test func twoConnectionsCommittingConcurrentlyAreOrderedByCommit() async throws {
        try await withServer { port in
            let first = try await connect(port: port, database: "HR")
            let second = try await connect(port: port, database: "HR")
            _ = try await first.execute("BEGIN TRANSACTION; INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'began first', N'G');")
            _ = try await second.execute("BEGIN TRANSACTION; INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'committed first', N'G');")
            _ = try await second.execute("COMMIT")
            _ = try await first.execute("COMMIT")
            _ = try await first.execute("EXEC sys.sp_cdc_scan")
            let rows = try await first.query(
                """
                DECLARE @from binary(10) = sys.fn_cdc_get_min_lsn(N'HumanResources_Department');
                SELECT __$start_lsn, Name FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(@from, sys.fn_cdc_get_max_lsn(), N'all')
                ORDER BY __$start_lsn
                """)
            #expect(rows.map { $0["Name"]?.stringValue } == ["committed first", "began first"])
            await first.close()
            await second.close()
        }
    }

    @Test func rangeErrorsTruncateAndIdleRowsThroughFreeTDS() async throws {
        try await withServer { port in
            let connection = try await connect(port: port, database: "HR")
            do {
                _ = try await connection.query(
                    "SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(0x00000000000000000000, sys.fn_cdc_get_max_lsn(), N'all')")
                Issue.record("a from-LSN below the minimum must fail")
            } catch let error as TDSError {
                #expect(error.number == 313)
                #expect(error.serverMessage?.text == "An insufficient number of arguments were supplied for the procedure or function cdc.fn_cdc_get_all_changes_ ... .")
            }
            do {
                _ = try await connection.execute("TRUNCATE TABLE HumanResources.Department")
                Issue.record("TRUNCATE of a tracked table must fail")
            } catch let error as TDSError {
                #expect(error.number == 4711)
            }
            // With nothing to capture the job still writes idle rows, so the max LSN moves on.
            let first = try await waitForCapture(connection, through: nil)
            let later = try await waitForCapture(connection, through: first.incremented)
            #expect(first.lexicographicallyPrecedes(later))
            let idle = try await connection.query("SELECT COUNT(*) AS n FROM cdc.lsn_time_mapping WHERE tran_id = 0x00")
            #expect((idle.first?[0].int64Value ?? 0) >= 2)
            await connection.close()
        }
    }
}

extension [UInt8] {
    /// The LSN one above (80-bit big-endian increment).
    var incremented: [UInt8] {
        var bytes = self
        var index = bytes.count - 1
        while index >= 0 {
            if bytes[index] == 0xFF { bytes[index] = 0; index -= 1 } else { bytes[index] += 1; break }
        }
        return bytes
    }
}
