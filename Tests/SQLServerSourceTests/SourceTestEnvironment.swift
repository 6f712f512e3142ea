import EventLog
import FerryCore
import FerryTestSupport
import Foundation
import FreeTDS
import Kafka
import Logging
import Postgres
import SQLServerEmulator
@testable import SQLServerSource
import ServiceLifecycle
import TDSServer
import Testing

/// Which event log a test runs against.
enum LogKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case embedded, kafka
    var testDescription: String { rawValue }
}

/// The SQL Server emulator (in-process, over a fresh PostgreSQL database) and an event log,
/// for one integration test.
struct SourceTestEnvironment {
    static let logger: Logger = {
        var logger = Logger(label: "sqlserver-source-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["FERRY_SOURCE_TEST_LOG"] == "1" ? .info : .critical
        return logger
    }()

    let port: Int
    let database: String
    let log: any EventLog
    let admin: TDSConnection
    /// The log as `--log` names it to a child process: the mock cluster's `kafka://` address
    /// (`nil` for the embedded log, which a test opens at a path of its own).
    var logURL: String? = nil

    /// Runs `body` with an emulator whose database `database` was created by `setup` (run as `sa`
    /// in that database after `CREATE DATABASE` and `sp_cdc_enable_db`), and a fresh log.
    static func with(_ kind: LogKind, database: String = "shop", setup: String, _ body: (SourceTestEnvironment) async throws -> Void) async throws {
        let name = TestPostgres.uniqueName("source")
        let pgAdmin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: logger)
        try await pgAdmin.execute("CREATE DATABASE \(PostgresIdentifier.quote(name))")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var cluster: KafkaMockCluster?
        do {
            let engine = try await SQLServerEngine.open(postgresURL: try TestPostgres.url(database: name), logger: logger)
            let handler = EmulatorRequestHandler(engine: engine, logger: logger)
            let server = try TDSServer(configuration: .init(host: "127.0.0.1", port: 0), handler: handler, logger: logger)
            // SQL Server Agent's capture job: the snapshot handoff waits for capture to pass the
            // snapshot time (tests still run sys.sp_cdc_scan to capture at once).
            let job = engine.makeCaptureJob(configuration: .init(captureInterval: .milliseconds(50)))
            let capturing = Task { try await job.run() }
            defer { capturing.cancel() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                do {
                    let master = try await connect(port: server.port, database: nil)
                    _ = try await master.execute("CREATE DATABASE \(database)")
                    await master.close()
                    let admin = try await connect(port: server.port, database: database)
                    _ = try await admin.execute("EXEC sys.sp_cdc_enable_db")
                    _ = try await admin.execute(setup)
                    let log: any EventLog
                    var logURL: String?
                    switch kind {
                    case .embedded:
                        log = try await EmbeddedEventLog(path: folder.appendingPathComponent("events.log").path, logger: logger)
                    case .kafka:
                        let mock = try KafkaMockCluster(brokerCount: 1, logger: logger)
                        cluster = mock
                        logURL = "kafka://" + mock.bootstrapServers
                        log = try await KafkaEventLog(configuration: .init(bootstrapServers: mock.bootstrapServers, properties: [
                            "socket.timeout.ms": "5000", "reconnect.backoff.ms": "20", "reconnect.backoff.max.ms": "200", "retry.backoff.ms": "20",
                        ]), logger: logger)
                    }
                    let environment = SourceTestEnvironment(port: server.port, database: database, log: log, admin: admin, logURL: logURL)
                    do {
                        try await body(environment)
                    } catch {
                        try? await log.close()
                        await admin.close()
                        throw error
                    }
                    try await log.close()
                    await admin.close()
                } catch {
                    server.shutdown()
                    try? await group.waitForAll()
                    throw error
                }
                server.shutdown()
                try await group.waitForAll()
            }
        } catch {
            cluster?.close()
            _ = try? await pgAdmin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
            await pgAdmin.close()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        cluster?.close()
        try await pgAdmin.execute("DROP DATABASE \(PostgresIdentifier.quote(name)) WITH (FORCE)")
        await pgAdmin.close()
        try? FileManager.default.removeItem(at: folder)
    }

    static func connect(port: Int, database: String?) async throws -> TDSConnection {
        try await TDSConnection.connect(configuration: connection(port: port, database: database), logger: logger)
    }

    static func connection(port: Int, database: String?) -> TDSConnection.Configuration {
        .init(host: "127.0.0.1", port: port, username: "sa", password: "Passw0rd!", database: database)
    }

    /// Runs T-SQL as `sa` in the test database.
    func run(_ sql: String) async throws { _ = try await admin.execute(sql) }

    /// Captures everything committed so far (`sys.sp_cdc_scan`) and returns the max LSN.
    func capture() async throws -> LSN {
        try await run("EXEC sys.sp_cdc_scan")
        let rows = try await admin.query("SELECT sys.fn_cdc_get_max_lsn()")
        return try #require(rows.first?[0].bytesValue.flatMap { LSN(bytes: $0) })
    }

    func configuration(prefix: String = "srv", migrationType: SourceConfiguration.MigrationType = .fullLoadAndCDC, stopAt: LSN? = nil,
                       selection: TableSelection = .all, edit: (inout SourceConfiguration) -> Void = { _ in }) -> SourceConfiguration {
        var configuration = SourceConfiguration(prefix: prefix, database: database, migrationType: migrationType, selection: selection,
                                                maxFullLoadSubTasks: 3, snapshotPartitionRows: 4, batchSize: 7, streamingConnections: 2,
                                                maxTransactionsPerWindow: 3, pollInterval: .milliseconds(20), maxIdleInterval: .milliseconds(100),
                                                heartbeatInterval: .milliseconds(50), envelope: .init(includeSchema: true), stopAtLSN: stopAt)
        edit(&configuration)
        return configuration
    }

    /// Runs a source until its position reaches `stopAt` (or it ends by itself).
    func runSource(_ configuration: SourceConfiguration) async throws {
        let source = try SQLServerSource(connection: Self.connection(port: port, database: database), log: log, configuration: configuration,
                                         logger: Self.logger, reconnectDelays: [])
        try await source.run()
    }

    // MARK: Reading the log

    /// Every record of `topic`, partition by partition, in offset order.
    func records(_ topic: String) async throws -> [StoredRecord] {
        guard let partitions = try await log.partitionCount(of: topic) else { return [] }
        var result: [StoredRecord] = []
        for partition in 0..<partitions {
            let tp = TopicPartition(topic: topic, partition: partition)
            let bounds = try await log.offsets(of: tp)
            guard bounds.next > bounds.earliest else { continue }
            let reader = try await log.makeReader()
            try await reader.assign([tp: bounds.earliest])
            var next = bounds.earliest
            while next < bounds.next {
                let batch = try await reader.poll(maxRecords: 1000, timeout: .seconds(10))
                if batch.isEmpty { break }
                result.append(contentsOf: batch)
                next = (batch.map(\.offset).max() ?? next) + 1
            }
            try await reader.close()
        }
        return result
    }

    /// The decoded change events and tombstones of one table's topic.
    func events(_ table: String, schema: String = "dbo", prefix: String = "srv") async throws -> [EnvelopeCodec.DecodedRecord] {
        let topic = "\(prefix).\(database).\(schema).\(table)"
        return try await records(topic).map { try EnvelopeCodec().decode(key: $0.key, value: $0.value, schema: nil) }
    }

    /// The change events only.
    func changes(_ table: String, schema: String = "dbo", prefix: String = "srv") async throws -> [ChangeEvent] {
        try await events(table, schema: schema, prefix: prefix).compactMap { if case .change(let event) = $0 { event } else { nil } }
    }

    /// Applies events by key, as a sink would: the resulting rows by the key's JSON text.
    static func apply(_ events: [ChangeEvent], key: String) -> [String: Row] {
        var rows: [String: Row] = [:]
        for event in events {
            guard let image = event.keyImage, let id = image[key] else { continue }
            let k = "\(id)"
            switch event.operation {
            case .delete: rows[k] = nil
            case .create, .read: rows[k] = event.after
            case .update:
                var merged = rows[k] ?? Row()
                for column in event.after! where column.value != .unchanged { merged[column.name] = column.value }
                rows[k] = merged
            }
        }
        return rows
    }
}
