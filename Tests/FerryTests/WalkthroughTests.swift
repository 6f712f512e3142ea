import FerryTestSupport
import Foundation
import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import TDSServer
import Testing

/// The HumanResources migration walkthrough (docs/run.md) with the `ferry` executable as child
/// processes and the emulator in-process: the shipped sample, CDC on every table, `ferry convert`,
/// `ferry run` with the walkthrough's DMS files unchanged, an insert and an ADD COLUMN on the
/// source, `ferry status --json` and `ferry validate`.
@Suite(.serialized) struct WalkthroughTests {
    static let logger = Logger(label: "ferry.test.walkthrough")
    static let database = SampleDatabases.humanResources.databaseName
    static let schema = "adventureworks2014_humanresources"
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/hr-walkthrough")

    /// The source (emulator with the sample and CDC), a fresh target database and a log path.
    struct Environment: Sendable {
        var port: Int
        var targetURL: String
        var logPath: String
        var tables: [String]

        var sourceURL: String { "sqlserver://sa:Passw0rd!@127.0.0.1:\(port)/\(WalkthroughTests.database)" }

        func connect() async throws -> TDSConnection {
            try await TDSConnection.connect(configuration: .init(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!", database: WalkthroughTests.database),
                                            logger: WalkthroughTests.logger)
        }

        var taskFiles: [String] {
            ["--task-settings", WalkthroughTests.examples.appendingPathComponent("task_settings.json").path,
             "--table-mappings", WalkthroughTests.examples.appendingPathComponent("table_mappings.json").path]
        }

        func runArguments() -> [String] {
            ["run", "--source", sourceURL, "--target", targetURL, "--log", logPath, "--migration-type", "full-load-and-cdc",
             "--poll-interval-ms", "100", "--max-idle-ms", "300", "--progress", "lines", "--progress-interval-ms", "500"] + taskFiles
        }
    }

    static func withEnvironment(_ body: (Environment) async throws -> Void) async throws {
        let emulatorDatabase = TestPostgres.uniqueName("walkthrough_emulator")
        let targetDatabase = TestPostgres.uniqueName("walkthrough_target")
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-walkthrough-\(UUID().uuidString).log").path
        let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(emulatorDatabase))")
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(targetDatabase))")
        func cleanUp() async {
            for name in [emulatorDatabase, targetDatabase] { _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)") }
            await admin.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: logPath + suffix) }
        }
        do {
            let engine = try await SQLServerEngine.open(postgresURL: try TestPostgres.url(database: emulatorDatabase), logger: logger)
            _ = try await engine.install(SampleDatabases.humanResources)
            let server = try TDSServer(configuration: .init(host: "127.0.0.1", port: 0), handler: EmulatorRequestHandler(engine: engine, logger: logger), logger: logger)
            let job = engine.makeCaptureJob(configuration: .init(captureInterval: .milliseconds(100)))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                group.addTask { try? await job.run() }
                defer {
                    server.shutdown()
                    group.cancelAll()
                }
                // Step 2: CDC on the database and every table of the schema, as a DBA enables it.
                let dba = try await TDSConnection.connect(configuration: .init(host: "127.0.0.1", port: server.port, username: "sa", password: "Passw0rd!", database: database), logger: logger)
                let tables = try await dba.query("SELECT t.name FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE s.name = N'HumanResources' ORDER BY t.name")
                    .compactMap { $0[0].stringValue }
                _ = try await dba.execute("EXEC sys.sp_cdc_enable_db")
                for table in tables {
                    _ = try await dba.execute("EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'\(table)', @role_name = NULL")
                }
                await dba.close()
                try await body(Environment(port: server.port, targetURL: try TestPostgres.url(database: targetDatabase), logPath: logPath, tables: tables))
            }
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    /// One table's numbers from `ferry status --json`, read by DMS's field names or Ferry's
    /// earlier snake-case ones.
    struct TableStatistics {
        var state: String
        var fullLoadRows: Int
        var inserts: Int
        var updates: Int
        var ddls: Int
    }

    static func status(_ environment: Environment) async throws -> [String: TableStatistics] {
        let status = try ChildProcess(ferry: ["status", "--target", environment.targetURL, "--json"])
        try #require(try await status.waitForExit() == 0, "\(status.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(status.output.joined(separator: "\n").utf8))
        let entries = (json as? [[String: Any]]) ?? ((json as? [String: Any])?["TableStatistics"] as? [[String: Any]]) ?? []
        func int(_ entry: [String: Any], _ names: String...) -> Int {
            for name in names { if let value = entry[name] as? Int { return value } }
            return -1
        }
        var result: [String: TableStatistics] = [:]
        for entry in entries {
            let table = (entry["TableName"] as? String) ?? (entry["source_table"] as? String).flatMap { $0.split(separator: ".").last.map(String.init) } ?? "?"
            result[table] = TableStatistics(state: (entry["TableState"] as? String) ?? (entry["state"] as? String) ?? "?",
                                            fullLoadRows: int(entry, "FullLoadRows", "full_load_rows"), inserts: int(entry, "Inserts", "inserts"),
                                            updates: int(entry, "Updates", "updates"), ddls: int(entry, "Ddls", "ddls"))
        }
        return result
    }

    /// Polls until `condition` holds, failing with `what` after `timeout`; `run` must stay alive.
    static func waitUntil(_ what: String, run: ChildProcess, timeout: Duration = .seconds(180), _ condition: () async throws -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while try await !condition() {
            guard clock.now < deadline else { throw WalkthroughTimeout(description: "timed out waiting for \(what); ferry run printed: \(run.output.suffix(20)) \(run.standardError)") }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    static func sourceCounts(_ environment: Environment) async throws -> [String: Int] {
        let source = try await environment.connect()
        var counts: [String: Int] = [:]
        for table in environment.tables {
            counts[table] = Int(try await source.query("SELECT COUNT_BIG(*) AS n FROM HumanResources.[\(table)]").first?[0].int64Value ?? -1)
        }
        await source.close()
        return counts
    }

    static func convert(_ environment: Environment) async throws {
        let convert = try ChildProcess(ferry: ["convert", "--source", environment.sourceURL, "--target", environment.targetURL, "--apply"] + environment.taskFiles)
        #expect(try await convert.waitForExit() == 0, "\(convert.standardError)")
    }

    static func fullLoadApplied(_ environment: Environment, counts: [String: Int]) async throws -> Bool {
        let statistics = try await status(environment)
        return counts.allSatisfy { table, rows in
            rows == 0 || statistics[table]?.fullLoadRows == rows
        }
    }

    @Test("the walkthrough: full load equals the source, the insert and the ADD COLUMN arrive counted, validate passes")
    func walkthrough() async throws {
        try await Self.withEnvironment { environment in
            #expect(environment.tables.count >= 6)
            try await Self.convert(environment)
            let run = try ChildProcess(ferry: environment.runArguments())
            let counts = try await Self.sourceCounts(environment)
            try await Self.waitUntil("the full load", run: run) { try await Self.fullLoadApplied(environment, counts: counts) }
            let loaded = try await Self.status(environment)
            for (table, rows) in counts where rows > 0 {
                #expect(loaded[table]?.fullLoadRows == rows, "full-load rows of \(table)")
            }

            let source = try await environment.connect()
            let target = try await PostgresConnection.connect(url: environment.targetURL, logger: Self.logger)
            // Step 6: a new department arrives, counted as one insert.
            _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Operations', N'Operations')")
            try await Self.waitUntil("the inserted department", run: run) {
                let rows = try await target.query("SELECT count(*) FROM \(Self.schema).department WHERE name = 'Operations'").first?.decode(Int64.self, at: 0)
                let counted = try await Self.status(environment)["Department"]?.inserts ?? 0
                return rows == 1 && counted >= 1
            }
            #expect(try await Self.status(environment)["Department"]?.inserts == 1)

            // Step 7: ADD COLUMN, then a value in it; the UPDATE waits until a capture instance has the column.
            _ = try await source.execute("ALTER TABLE HumanResources.Department ADD GroupNumber int NULL")
            try await Self.waitUntil("groupnumber in the target and a capture instance", run: run) {
                let columns = try await target.query("SELECT count(*) FROM information_schema.columns WHERE table_schema = '\(Self.schema)' AND table_name = 'department' AND column_name = 'groupnumber'")
                    .first?.decode(Int64.self, at: 0)
                let captured = try await source.query("SELECT COUNT(*) AS n FROM cdc.captured_columns WHERE column_name = N'GroupNumber'").first?[0].int64Value ?? 0
                return columns == 1 && captured >= 1
            }
            _ = try await source.execute("UPDATE HumanResources.Department SET GroupNumber = 7 WHERE Name = N'Operations'")
            try await Self.waitUntil("GroupNumber = 7 in the target", run: run) {
                try await target.query("SELECT groupnumber FROM \(Self.schema).department WHERE name = 'Operations'").first?.decode(Int32?.self, at: 0) == 7
            }
            let department = try #require(try await Self.status(environment)["Department"])
            #expect(department.ddls == 1)
            #expect(department.inserts == 1)
            #expect(department.updates >= 1)
            await source.close()
            await target.close()

            // Step 8.
            let validate = try ChildProcess(ferry: ["validate", "--source", environment.sourceURL, "--target", environment.targetURL] + environment.taskFiles)
            #expect(try await validate.waitForExit() == 0, "\(validate.output.joined(separator: "\n"))\n\(validate.standardError)")

            run.terminate()
            #expect(try await run.waitForExit() == 0, "\(run.standardError)")
            #expect(run.output.contains { $0.contains("table=AdventureWorks2014.HumanResources.Department") && $0.contains("inserts=1") })
            #expect(run.output.last?.hasPrefix("task AdventureWorks2014 stopped") == true)
        }
    }

    @Test("SIGTERM mid-stream, run again: every change arrives once")
    func restartLosesAndDoublesNothing() async throws {
        try await Self.withEnvironment { environment in
            try await Self.convert(environment)
            var run = try ChildProcess(ferry: environment.runArguments())
            let counts = try await Self.sourceCounts(environment)
            try await Self.waitUntil("the full load", run: run) { try await Self.fullLoadApplied(environment, counts: counts) }

            // 60 single-row transactions; ferry run is stopped after 20 and started again while they go on.
            let inserts = 60
            let writer = Task {
                let source = try await environment.connect()
                for index in 1...inserts {
                    _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Restart \(index)', N'Restart')")
                    try await Task.sleep(for: .milliseconds(50))
                }
                await source.close()
            }
            let target = try await PostgresConnection.connect(url: environment.targetURL, logger: Self.logger)
            func arrived() async throws -> Int64 {
                try await target.query("SELECT count(*) FROM \(Self.schema).department WHERE groupname = 'Restart'").first?.decode(Int64.self, at: 0) ?? 0
            }
            try await Self.waitUntil("some inserts in the target", run: run) { try await arrived() >= 20 }
            run.terminate()
            #expect(try await run.waitForExit() == 0, "\(run.standardError)")
            let atStop = try await arrived()
            run = try ChildProcess(ferry: environment.runArguments())
            try await writer.value
            try await Self.waitUntil("all \(inserts) inserts in the target", run: run) { try await arrived() == Int64(inserts) }

            let source = try await environment.connect()
            let sourceNames = Set(try await source.query("SELECT Name FROM HumanResources.Department WHERE GroupName = N'Restart'").compactMap { $0[0].stringValue })
            await source.close()
            let targetNames = Set(try await target.query("SELECT name FROM \(Self.schema).department WHERE groupname = 'Restart'").map { try $0.decode(String.self, at: 0) })
            await target.close()
            #expect(sourceNames.count == inserts)
            #expect(targetNames == sourceNames)
            // Counted once each: a doubled apply would count more inserts than the source made.
            #expect(try await Self.status(environment)["Department"]?.inserts == inserts)
            #expect(atStop < Int64(inserts), "the stop came mid-stream")

            let validate = try ChildProcess(ferry: ["validate", "--source", environment.sourceURL, "--target", environment.targetURL] + environment.taskFiles)
            #expect(try await validate.waitForExit() == 0, "\(validate.output.joined(separator: "\n"))")
            run.terminate()
            #expect(try await run.waitForExit() == 0, "\(run.standardError)")
        }
    }
}

/// A walkthrough step did not happen in time.
struct WalkthroughTimeout: Error, CustomStringConvertible {
    var description: String
}
