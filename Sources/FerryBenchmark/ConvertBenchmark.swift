import ArgumentParser
import FreeTDS
import Logging
import Postgres
import SQLServerEmulator
import SchemaConversion
import TDSServer

/// `ferry-benchmark convert`: `ferry convert`'s steps on a schema of many tables, created in the
/// in-process SQL Server emulator: read the catalog, convert, render the script and report, apply.
struct ConvertBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Time ferry convert on a generated schema (tables with keys, defaults, checks, indexes, foreign keys)."
    )

    @Option(help: "How many tables to create.")
    var tables: Int = 500

    @Option(help: "A PostgreSQL server URL; the benchmark creates and drops two databases on it.")
    var postgres: String = "postgresql://postgres@127.0.0.1:55432/ferry"

    func validate() throws {
        guard tables > 0 else { throw ValidationError("--tables must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "ferry.benchmark.convert") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let sourceDatabase = "ferry_bench_convert_src_\(suffix)"
        let targetDatabase = "ferry_bench_convert_dst_\(suffix)"
        let admin = try await PostgresConnection.connect(url: postgres, logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(sourceDatabase))")
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(targetDatabase))")
        defer {
            Task {
                _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(sourceDatabase)) WITH (FORCE)")
                _ = try? await admin.execute("DROP DATABASE \(PostgresIdentifier.quote(targetDatabase)) WITH (FORCE)")
                await admin.close()
            }
        }
        let engine = try await SQLServerEngine.open(postgresURL: Self.url(postgres, database: sourceDatabase), logger: logger)
        let server = try TDSServer(
            configuration: .init(host: "127.0.0.1", port: 0), handler: EmulatorRequestHandler(engine: engine, logger: logger), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { server.shutdown() }
            let source = try await TDSConnection.connect(
                configuration: .init(host: "127.0.0.1", port: server.port, username: "sa", password: "Passw0rd!"), logger: logger)
            let clock = ContinuousClock()
            var started = clock.now
            _ = try await source.execute("CREATE DATABASE Bench")
            _ = try await source.execute("USE Bench")
            _ = try await source.execute("CREATE SCHEMA Sales")
            var batch: [String] = []
            for index in 0..<tables {
                batch.append(Self.table(index))
                if batch.count == 25 || index == tables - 1 {
                    _ = try await source.execute(batch.joined(separator: "\n"))
                    batch.removeAll()
                }
            }
            print("created \(tables) tables in the emulator in \(Self.seconds(clock.now - started))")

            started = clock.now
            let (catalog, result) = try await SchemaConversion.convert(source: source, logger: logger)
            let converted = clock.now - started
            started = clock.now
            let script = result.script()
            let report = AssessmentReport(result)
            let html = report.html
            let json = report.json
            let rendered = clock.now - started
            let target = try await PostgresConnection.connect(url: Self.url(postgres, database: targetDatabase), logger: logger)
            started = clock.now
            try await SchemaApplier(logger: logger).apply(result, to: target)
            let applied = clock.now - started
            await target.close()
            await source.close()
            print("tables=\(catalog.tables.count) columns=\(catalog.tables.reduce(0) { $0 + $1.columns.count }) statements=\(result.statements.count) script=\(script.utf8.count)B html=\(html.utf8.count)B json=\(json.utf8.count)B")
            print("read catalog + convert: \(Self.seconds(converted))")
            print("render script + report: \(Self.seconds(rendered))")
            print("apply to PostgreSQL (one transaction): \(Self.seconds(applied))")
            print("total ferry convert --apply: \(Self.seconds(converted + rendered + applied))")
        }
    }

    /// Table `index`: eight columns, a primary key, a default, a check, an index, a foreign key to the previous table.
    static func table(_ index: Int) -> String {
        let reference = index == 0 ? "" : ", CONSTRAINT FK_T\(index)_Parent FOREIGN KEY (ParentID) REFERENCES Sales.T\(index - 1) (ID)"
        return """
            CREATE TABLE Sales.T\(index) (ID int IDENTITY(1,1) NOT NULL CONSTRAINT PK_T\(index) PRIMARY KEY, ParentID int NULL,
                Name nvarchar(100) NOT NULL, Amount decimal(18,2) NOT NULL CONSTRAINT DF_T\(index)_Amount DEFAULT 0,
                Flag bit NOT NULL CONSTRAINT DF_T\(index)_Flag DEFAULT 1, Created datetime2(3) NOT NULL CONSTRAINT DF_T\(index)_Created DEFAULT sysdatetime(),
                Token uniqueidentifier NULL, Notes nvarchar(max) NULL,
                CONSTRAINT CK_T\(index)_Amount CHECK (Amount >= 0)\(reference));
            CREATE INDEX IX_T\(index)_Name ON Sales.T\(index) (Name) INCLUDE (Amount) WHERE Flag = 1;
            """
    }

    static func url(_ url: String, database: String) -> String {
        guard let slash = url.lastIndex(of: "/"), url[..<slash].hasSuffix(":") == false, url.distance(from: url.startIndex, to: slash) > "postgresql://".count else {
            return url + "/" + database
        }
        return String(url[...slash]) + database
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(Int((value * 1000).rounded())) + " ms"
    }
}
