import ArgumentParser
import EventLog
import FerryCore
import Foundation
import Logging
import Postgres
import PostgresSink

/// `ferry-benchmark sink`: how fast the sink applies change streams to PostgreSQL, next to how fast
/// PostgreSQL itself loads the same rows with `COPY` into the same table (the physical ceiling).
///
/// Events are written to an embedded log first; each measurement is one sink run from the start of
/// its stream to its end (read, decode, fold, COPY to staging, merge, commit with offsets).
struct SinkBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink",
        abstract: "Sink apply throughput (insert-only, update-heavy, mixed) against raw COPY of the same rows."
    )

    @Option(help: "A PostgreSQL URL whose user may create databases (default: FERRY_TEST_POSTGRES_URL).")
    var postgres: String?

    @Option(help: "Change events per stream.")
    var rows: Int = 100_000

    @Option(help: "Rows per target transaction (CommitRate).")
    var commitRate: Int = 10_000

    @Option(help: "Source rows per source transaction.")
    var transactionSize: Int = 100

    @Option(help: "Only this stream (insert-only, update-heavy or mixed); all by default.")
    var stream: String?

    @Option(help: "Runs of each measurement, each sink run right after a COPY run; the fastest counts (other load on the machine only ever slows a run), and \"paired\" is the median ratio of a sink run to the COPY run before it.")
    var runs: Int = 1

    @Flag(help: "Only time encoding and decoding the events (no log, no PostgreSQL): for profiling the codec.")
    var codecOnly = false

    func run() async throws {
        if codecOnly {
            print("rows=\(rows)")
            for stream in try selectedStreams() {
                let workload = try Workload(stream: stream, rows: rows, transactionSize: transactionSize)
                let figures = try workload.measureCodec(try workload.events(prefix: "bench"))
                print(figures.line(stream))
            }
            return
        }
        guard let base = postgres ?? ProcessInfo.processInfo.environment["FERRY_TEST_POSTGRES_URL"] else {
            throw ValidationError("--postgres is required (or set FERRY_TEST_POSTGRES_URL)")
        }
        var logger = Logger(label: "ferry.benchmark.sink") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let name = "ferry_bench_\(UInt32.random(in: 0...UInt32.max))"
        guard var components = URLComponents(string: base) else { throw ValidationError("--postgres is not a URL") }
        let admin = try await PostgresConnection.connect(url: base, logger: logger)
        try await admin.execute("CREATE DATABASE \(name)")
        components.path = "/" + name
        let target = components.string!
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-sink-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let log = try await EmbeddedEventLog(path: folder + "/log.db", configuration: .init(durability: .normal), logger: logger)
            print("rows=\(rows) commitRate=\(commitRate) transactionSize=\(transactionSize) runs=\(runs) (fastest run of each)")
            print("stream                 mode          rows     seconds      rows/s   COPY rows/s   ratio   paired   sink CPU s")
            let connection = try await PostgresConnection.connect(url: target, logger: logger)
            for stream in try selectedStreams() {
                let workload = try Workload(stream: stream, rows: rows, transactionSize: transactionSize)
                let prefix = "bench_" + stream.rawValue.replacingOccurrences(of: "-", with: "_")
                let codecFigures = try await workload.write(to: log, prefix: prefix)
                print(codecFigures.line(stream))
                var copyRate = 0.0
                for preserve in stream == .mixed ? [false, true] : [false] {
                    var seconds = Double.infinity
                    var cpuSeconds = 0.0
                    var applied = 0
                    // Each sink run right after a COPY run: the load on a shared machine changes by the
                    // minute, so the ratio of a pair taken together is steadier than best against best.
                    var pairedRatios: [Double] = []
                    for run in 0..<max(1, runs) {
                        let pairCopyRate = try await rawCopy(workload, connection: connection)
                        copyRate = max(copyRate, pairCopyRate)
                        try await connection.execute("DROP SCHEMA IF EXISTS \(prefix) CASCADE")
                        if let preload = workload.preload { try await load(preload, into: "\(prefix).items", connection: connection, create: true) }
                        var configuration = SinkConfiguration(name: "bench-\(stream.rawValue)-\(preserve)-\(run)", prefix: prefix, mapping: SinkTableMapping(targetSchema: prefix),
                                                              commitRate: commitRate, batchApplyTimeoutMin: .zero, batchApplyTimeoutMax: .seconds(60),
                                                              preserveTransactions: preserve, stopWhenCaughtUp: true)
                        configuration.tablePreparation = .doNothing
                        let sink = PostgresSink(configuration: configuration, log: log, targetURL: target, logger: logger)
                        let start = ContinuousClock.now
                        let cpuStart = processCPUSeconds()
                        let summary = try await sink.runToCompletion()
                        let elapsed = (ContinuousClock.now - start).seconds
                        if elapsed < seconds { cpuSeconds = processCPUSeconds() - cpuStart }
                        seconds = min(seconds, elapsed)
                        pairedRatios.append(Double(workload.changeCount) / elapsed / pairCopyRate)
                        guard summary.exceptions == 0, summary.applied == workload.changeCount else {
                            throw ValidationError("the \(stream) stream applied \(summary.applied) of \(workload.changeCount) changes with \(summary.exceptions) exceptions")
                        }
                        applied = summary.applied
                    }
                    let rate = Double(applied) / seconds
                    let mode = preserve ? "transaction" : "batch"
                    print(stream.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + " " + mode.padding(toLength: 11, withPad: " ", startingAt: 0)
                          + String(format: "%8d %10.2f %11.0f %13.0f %6.0f %% %6.0f %%   %8.2f", applied, seconds, rate, copyRate, 100 * rate / copyRate,
                                   100 * pairedRatios.sorted()[pairedRatios.count / 2], cpuSeconds))
                }
            }
            await connection.close()
            try await log.close()
        } catch {
            _ = try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.close()
            throw error
        }
        try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.close()
    }

    private func selectedStreams() throws -> [Stream] {
        guard let stream else { return Stream.allCases }
        guard let selected = Stream(rawValue: stream) else { throw ValidationError("--stream must be insert-only, update-heavy or mixed") }
        return [selected]
    }

    /// Rows/s of `COPY` of the stream's final rows (as many rows as the stream has changes) into a
    /// fresh table of the same definition.
    private func rawCopy(_ workload: Workload, connection: PostgresConnection) async throws -> Double {
        let rows = (0..<workload.changeCount).map { workload.row(Int64($0 + 1), version: 0) }
        let start = ContinuousClock.now
        try await load(rows, into: "bench_copy.items", connection: connection, create: true)
        return Double(rows.count) / (ContinuousClock.now - start).seconds
    }

    private func load(_ rows: [Row], into table: String, connection: PostgresConnection, create: Bool) async throws {
        let schema = table.split(separator: ".")[0]
        if create {
            try await connection.execute("""
                CREATE SCHEMA IF NOT EXISTS \(schema); DROP TABLE IF EXISTS \(table);
                CREATE TABLE \(table) (id bigint PRIMARY KEY, customer varchar(50), amount numeric(12,2), note varchar(200), created timestamp(3))
                """)
        }
        let schemaColumns = Workload.schema.columns
        var data: [UInt8] = []
        for row in rows {
            for (index, column) in schemaColumns.enumerated() {
                if index > 0 { data.append(UInt8(ascii: "\t")) }
                data.append(contentsOf: Workload.text(row[column.name]!).utf8)
            }
            data.append(UInt8(ascii: "\n"))
        }
        let bytes = data
        try await connection.copyIn("COPY \(table) FROM STDIN") { writer in try writer.writeRaw(bytes) }
    }
}

extension SinkBenchmark {
    enum Stream: String, CaseIterable {
        case insertOnly = "insert-only"
        case updateHeavy = "update-heavy"
        case mixed
    }

    /// A stream of change events on one table, written as `ferry source` writes them.
    struct Workload {
        static let table = TableIdentity(database: "bench", schema: "dbo", table: "Items")
        static let schema: TableSchema = try! TableSchema(identity: table, columns: [
            ColumnDefinition(name: "id", type: try! SQLServerDataType(.bigint), isNullable: false),
            ColumnDefinition(name: "customer", type: try! SQLServerDataType(.nvarchar, length: .limited(50))),
            ColumnDefinition(name: "amount", type: try! SQLServerDataType(.decimal, precision: 12, scale: 2)),
            ColumnDefinition(name: "note", type: try! SQLServerDataType(.nvarchar, length: .limited(200))),
            ColumnDefinition(name: "created", type: try! SQLServerDataType(.datetime2, precision: nil, scale: 3)),
        ], keyColumns: ["id"])

        let stream: Stream
        let changeCount: Int
        let transactionSize: Int
        /// Rows in the table before the stream (update-heavy starts from a loaded table).
        let preload: [Row]?

        init(stream: Stream, rows: Int, transactionSize: Int) throws {
            self.stream = stream
            self.changeCount = rows
            self.transactionSize = transactionSize
            preload = stream == .updateHeavy ? (1...Int64(max(1, rows / 10))).map { Workload.row($0, version: 0) } : nil
        }

        func row(_ id: Int64, version: Int) -> Row { Self.row(id, version: version) }

        static func row(_ id: Int64, version: Int) -> Row {
            ["id": .int(id), "customer": .string("customer \(id % 997)"), "amount": .decimal(ExactDecimal(unscaled: Int128(id * 37 + Int64(version)) % 10_000_000, scale: 2)!),
             "note": .string("note for item \(id), version \(version): lorem ipsum dolor sit amet"),
             "created": .dateTime(SQLDateTime(ticksSinceEpoch: 17_000_000_000_000_000 + id * 10_000)!)]
        }

        static func text(_ value: ColumnValue) -> String {
            value.postgresCopyText
        }

        /// The stream's events, in order: inserts of new ids, updates and deletes of live ones.
        func events(prefix: String) throws -> [ChangeEvent] {
            var live: [Int64] = (preload ?? []).map { if case .int(let id) = $0["id"]! { id } else { 0 } }
            var versions: [Int64: Int] = [:]
            var nextID = Int64(live.count) + 1
            var generator = SystemRandomNumberGenerator()
            var events: [ChangeEvent] = []
            events.reserveCapacity(changeCount)
            for index in 0..<changeCount {
                let commit = LSN(virtualLogFile: 2, block: UInt32(index / transactionSize + 1), slot: 0)
                let change = LSN(virtualLogFile: 2, block: commit.block, slot: UInt16(index % transactionSize + 1))
                let roll = Int.random(in: 0..<100, using: &generator)
                let operation: ChangeEvent.Operation = switch stream {
                case .insertOnly: .create
                case .updateHeavy: roll < 90 || live.isEmpty ? (live.isEmpty ? .create : .update) : .create
                case .mixed: live.isEmpty || roll < 50 ? .create : (roll < 80 ? .update : .delete)
                }
                var before: Row?, after: Row?
                switch operation {
                case .create, .read:
                    after = row(nextID, version: 0)
                    live.append(nextID)
                    nextID += 1
                case .update:
                    let id = live[Int.random(in: 0..<live.count, using: &generator)]
                    let version = versions[id, default: 0]
                    versions[id] = version + 1
                    before = row(id, version: version)
                    after = row(id, version: version + 1)
                case .delete:
                    let position = Int.random(in: 0..<live.count, using: &generator)
                    let id = live.remove(at: position)
                    before = row(id, version: versions[id, default: 0])
                }
                let source = SourceInfo(name: prefix, table: Self.table, changeLSN: change, commitLSN: commit, eventSerialNumber: 1,
                                        timestampMilliseconds: 1_790_000_000_000 + Int64(index), snapshot: .false)
                events.append(try ChangeEvent(operation: operation, before: before, after: after, source: source, timestampMilliseconds: 1_790_000_000_000,
                                              transaction: .init(id: commit.description, totalOrder: Int64(index % transactionSize + 1),
                                                                 dataCollectionOrder: Int64(index % transactionSize + 1))))
            }
            return events
        }

        /// How fast `EnvelopeCodec` encodes the events (as `ferry source` does) and decodes them
        /// with the table schema (as the sink does), on one thread.
        func measureCodec(_ events: [ChangeEvent]) throws -> CodecFigures {
            let codec = EnvelopeCodec(configuration: .init(tombstonesOnDelete: false))
            var values: [[UInt8]] = []
            values.reserveCapacity(events.count)
            let encodeStart = ContinuousClock.now
            for event in events { values.append(try codec.encode(event, schema: Self.schema)[0].value!) }
            let encodeSeconds = (ContinuousClock.now - encodeStart).seconds
            let decodeStart = ContinuousClock.now
            for (index, value) in values.enumerated() {
                guard case .change(let decoded) = try codec.decode(key: nil, value: value, schema: Self.schema), decoded == events[index] else {
                    throw ValidationError("event \(index) did not decode to itself")
                }
            }
            let decodeSeconds = (ContinuousClock.now - decodeStart).seconds
            return CodecFigures(events: events.count, bytes: values.reduce(0) { $0 + $1.count }, encodeSeconds: encodeSeconds, decodeSeconds: decodeSeconds)
        }

        /// The stream's events, appended in source transactions with the schema change first;
        /// returns the codec's speed on them.
        func write(to log: any EventLog, prefix: String) async throws -> CodecFigures {
            let topics = try TopicNames(prefix: prefix)
            let codec = EnvelopeCodec(configuration: .init(tombstonesOnDelete: false))
            try await log.createTopic(TopicConfiguration(name: topics.schemaChanges))
            let topic = try topics.table(Self.table)
            try await log.createTopic(TopicConfiguration(name: topic, partitions: 1))
            let ddl = codec.encodeSchemaChange(SchemaChangeEvent(table: Self.table, oldColumns: nil, newColumns: Self.schema.columns, keyColumns: ["id"],
                                                                  ddl: "CREATE TABLE", lsn: LSN(virtualLogFile: 1, block: 0, slot: 1), timestampMilliseconds: 0))
            _ = try await log.append([OutgoingRecord(destination: TopicPartition(topic: topics.schemaChanges, partition: 0), key: ddl.key, value: ddl.value)])
            try await log.createTopic(TopicConfiguration(name: topics.transaction))
            let events = try self.events(prefix: prefix)
            let figures = try measureCodec(events)
            var pending: [OutgoingRecord] = []
            for (index, event) in events.enumerated() {
                for record in try codec.encode(event, schema: Self.schema) {
                    pending.append(OutgoingRecord(destination: TopicPartition(topic: topic, partition: 0), key: record.key, value: record.value))
                }
                let endOfTransaction = index % transactionSize == transactionSize - 1 || index == changeCount - 1
                if endOfTransaction {
                    let id = event.source.commitLSN!.description
                    let count = Int64(index % transactionSize + 1)
                    let begin = codec.encodeTransaction(TransactionEvent(status: .begin, id: id, timestampMilliseconds: 0))
                    let end = codec.encodeTransaction(TransactionEvent(status: .end, id: id, timestampMilliseconds: 0, eventCounts: [(Self.table, count)]))
                    pending.append(OutgoingRecord(destination: TopicPartition(topic: topics.transaction, partition: 0), key: begin.key, value: begin.value))
                    pending.append(OutgoingRecord(destination: TopicPartition(topic: topics.transaction, partition: 0), key: end.key, value: end.value))
                    if pending.count >= 5000 || index == changeCount - 1 {
                        _ = try await log.append(pending)
                        pending.removeAll(keepingCapacity: true)
                    }
                }
            }
            return figures
        }
    }

    /// Encode and decode speed of one stream's events.
    struct CodecFigures {
        let events: Int
        let bytes: Int
        let encodeSeconds: Double
        let decodeSeconds: Double

        func line(_ stream: Stream) -> String {
            "codec  " + stream.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
                + String(format: "encode %9.0f events/s   decode %9.0f events/s   %4d bytes/event", Double(events) / encodeSeconds,
                         Double(events) / decodeSeconds, bytes / max(1, events))
        }
    }
}

/// User and system CPU time of this process so far (all threads): the sink's own work, as
/// opposed to the time it waits for PostgreSQL.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension ColumnValue {
    /// COPY text for the benchmark's value kinds (the same text the sink writes).
    var postgresCopyText: String {
        switch self {
        case .int(let value): return String(value)
        case .string(let value): return value
        case .decimal(let value): return value.description
        case .dateTime(let value): return value.formatted(fractionDigits: 3)
        default: return "\\N"
        }
    }
}
