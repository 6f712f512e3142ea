import EventLog
import FerryCore
import FerryTestSupport
import Foundation
import Kafka
import Logging
import Postgres
import Testing
import PostgresSink

/// A fresh PostgreSQL database for one test, dropped afterwards.
struct TestDatabase {
    let name: String
    let url: String

    static func create() async throws -> TestDatabase {
        let name = TestPostgres.uniqueName("ferry_sink")
        let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: quietLogger)
        try await admin.execute("CREATE DATABASE \(name)")
        await admin.close()
        return TestDatabase(name: name, url: try TestPostgres.url(database: name))
    }

    func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(url: url, logger: quietLogger)
    }

    func drop() async {
        guard let admin = try? await PostgresConnection.connect(url: try TestPostgres.url(), logger: quietLogger) else { return }
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.close()
    }

    /// Every row of `table` as text, ordered by the first column (then all columns).
    func rows(_ table: String, columns: [String]) async throws -> [[String?]] {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        let list = columns.map { "\(PostgresIdentifier.quote($0))::text" }.joined(separator: ", ")
        let result = try await connection.query("SELECT \(list) FROM \(table)")
        return try result.map { row in try columns.indices.map { try row.decode(String?.self, at: $0) } }.sorted(by: SourceScript.order)
    }

    func scalar(_ sql: String) async throws -> String? {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        return try await connection.query(sql).first?.decode(String?.self, at: 0)
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "test.sink")
    logger.logLevel = .critical
    return logger
}()

/// Which log a test runs on.
enum LogKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case embedded, kafka
    var description: String { rawValue }
}

/// A log for one test: an embedded file or a librdkafka mock cluster.
final class TestLog: @unchecked Sendable {
    let log: any EventLog
    let url: String
    private let cluster: KafkaMockCluster?
    private let directory: URL?

    init(_ kind: LogKind) async throws {
        switch kind {
        case .embedded:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-sink-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            self.directory = directory
            cluster = nil
            url = directory.appendingPathComponent("log.sqlite").path
            log = try await EmbeddedEventLog(path: url, logger: quietLogger)
        case .kafka:
            let cluster = try KafkaMockCluster(brokerCount: 1, logger: quietLogger)
            self.cluster = cluster
            directory = nil
            url = "kafka://" + cluster.bootstrapServers
            log = try await KafkaEventLog(configuration: .init(bootstrapServers: cluster.bootstrapServers, properties: [
                "socket.timeout.ms": "5000", "reconnect.backoff.ms": "20", "reconnect.backoff.max.ms": "200", "retry.backoff.ms": "20",
            ]), logger: quietLogger)
        }
    }

    func close() async {
        try? await log.close()
        cluster?.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// Plays the source: writes schema changes, change events and transaction boundaries to the log
/// exactly as `ferry source` lays them out, and keeps the expected target state.
final class SourceScript: @unchecked Sendable {
    let log: any EventLog
    let topics: TopicNames
    let codec = EnvelopeCodec()
    let withTransactions: Bool
    private(set) var schemas: [TableIdentity: TableSchema] = [:]
    private var lsnBlock: UInt32 = 0x100
    private(set) var lastCommitLSN = LSN.zero
    private(set) var lastCommitTime: Int64 = 0
    var clock: Int64 = 1_790_000_000_000
    /// The expected target rows per table: key text → column → value.
    private(set) var expected: [TableIdentity: [[String?]: Row]] = [:]
    private(set) var keylessExpected: [TableIdentity: [Row]] = [:]
    /// Records of the last commit, to re-send as a recovering source would.
    private(set) var lastAppended: [OutgoingRecord] = []

    init(log: any EventLog, prefix: String = "src", withTransactions: Bool = false) throws {
        self.log = log
        self.topics = try TopicNames(prefix: prefix)
        self.withTransactions = withTransactions
    }

    private func nextLSN() -> LSN {
        lsnBlock += 1
        return LSN(virtualLogFile: 0x2a, block: lsnBlock, slot: 1)
    }

    func createTable(_ schema: TableSchema, partitions: Int32 = 2) async throws {
        try await log.createTopic(TopicConfiguration(name: topics.schemaChanges))
        if withTransactions { try await log.createTopic(TopicConfiguration(name: topics.transaction)) }
        try await log.createTopic(TopicConfiguration(name: try topics.table(schema.identity), partitions: partitions))
        try await schemaChange(old: nil, new: schema, ddl: "CREATE TABLE \(schema.identity)")
        expected[schema.identity] = [:]
        keylessExpected[schema.identity] = []
    }

    func schemaChange(old: TableSchema?, new: TableSchema?, ddl: String, table: TableIdentity? = nil) async throws {
        clock += 1
        let event = SchemaChangeEvent(table: table ?? new?.identity ?? old!.identity, oldColumns: old?.columns, newColumns: new?.columns,
                                      keyColumns: new?.keyColumns ?? [], ddl: ddl, lsn: nextLSN(), timestampMilliseconds: clock)
        let record = codec.encodeSchemaChange(event)
        _ = try await log.append([OutgoingRecord(destination: TopicPartition(topic: topics.schemaChanges, partition: 0), key: record.key, value: record.value)])
        if let new { schemas[new.identity] = new } else if let old { schemas[old.identity] = nil }
        if let new, let old {
            // The target keeps its rows; dropped columns vanish, added ones start NULL.
            let kept = Set(new.columns.map(\.name))
            for (key, row) in expected[new.identity] ?? [:] {
                var next = Row(row.filter { kept.contains($0.name) })
                for column in new.columns where old.column(named: column.name) == nil { next[column.name] = .null }
                expected[new.identity]![key] = next
            }
        }
    }

    enum Change {
        case insert(TableIdentity, Row)
        case update(TableIdentity, before: Row, after: Row)
        case delete(TableIdentity, Row)
        case read(TableIdentity, Row)
    }

    /// One source transaction; returns its commit LSN.
    @discardableResult
    func commit(_ changes: [Change]) async throws -> LSN {
        let commitLSN = nextLSN()
        clock += 1
        var outgoing: [OutgoingRecord] = []
        var counts: [(table: TableIdentity, count: Int64)] = []
        let txID = commitLSN.description
        if withTransactions {
            let begin = codec.encodeTransaction(TransactionEvent(status: .begin, id: txID, timestampMilliseconds: clock))
            outgoing.append(OutgoingRecord(destination: TopicPartition(topic: topics.transaction, partition: 0), key: begin.key, value: begin.value))
        }
        // Like Debezium, a key-changing update on a partitioned topic becomes a delete of the old key
        // and a create of the new one (serial numbers 1 and 2), so each key's events stay in its partition.
        var expanded: [(Change, Int64)] = []
        for change in changes {
            if case .update(let t, let before, let after) = change, let keys = schemas[t]?.keyColumns, !keys.isEmpty,
               keys.map({ before[$0] }) != keys.map({ after[$0] }), try await log.partitionCount(of: try topics.table(t))! > 1 {
                var full = after
                for column in after where column.value == .unchanged { full[column.name] = before[column.name] }
                expanded.append((.delete(t, before), 1))
                expanded.append((.insert(t, full), 2))
            } else {
                expanded.append((change, 1))
            }
        }
        var slot = 1
        for (index, (change, serial)) in expanded.enumerated() {
            let (operation, table, before, after): (ChangeEvent.Operation, TableIdentity, Row?, Row?) = switch change {
            case .insert(let t, let row): (.create, t, nil, row)
            case .update(let t, let before, let after): (.update, t, before, after)
            case .delete(let t, let row): (.delete, t, row, nil)
            case .read(let t, let row): (.read, t, nil, row)
            }
            if serial == 1 { slot += 1 }
            let schema = schemas[table]!
            let isRead = operation == .read
            let source = SourceInfo(name: topics.prefix, table: table, changeLSN: isRead ? nil : LSN(virtualLogFile: 0x2a, block: commitLSN.block, slot: UInt16(slot)),
                                    commitLSN: commitLSN, eventSerialNumber: serial, timestampMilliseconds: clock, snapshot: isRead ? .true : .false)
            if let i = counts.firstIndex(where: { $0.table == table }) { counts[i].count += 1 } else { counts.append((table, 1)) }
            let position = withTransactions && !isRead
                ? ChangeEvent.TransactionPosition(id: txID, totalOrder: Int64(index + 1), dataCollectionOrder: counts.first { $0.table == table }!.count) : nil
            let event = try ChangeEvent(operation: operation, before: before, after: after, source: source, timestampMilliseconds: clock, transaction: position)
            let topic = try topics.table(table)
            let partitions = try await log.partitionCount(of: topic)!
            for record in try codec.encode(event, schema: schema) {
                outgoing.append(OutgoingRecord(destination: TopicPartition(topic: topic, partition: Partitioner.partition(forKey: record.key, partitionCount: partitions)),
                                               key: record.key, value: record.value))
            }
            model(event, schema: schema)
        }
        if withTransactions {
            let end = codec.encodeTransaction(TransactionEvent(status: .end, id: txID, timestampMilliseconds: clock, eventCounts: counts))
            outgoing.append(OutgoingRecord(destination: TopicPartition(topic: topics.transaction, partition: 0), key: end.key, value: end.value))
        }
        _ = try await log.append(outgoing)
        lastAppended = outgoing
        lastCommitLSN = commitLSN
        lastCommitTime = clock
        return commitLSN
    }

    /// Removes a row from the expected state (a change the test expects the sink to refuse).
    func forget(_ table: TableIdentity, id: Int64) {
        expected[table]?[["\(ColumnValue.int(id))"]] = nil
    }

    /// A copy of the expected rows of every table, to compare with later.
    func snapshotExpected() -> [TableIdentity: [[String?]]] {
        Dictionary(uniqueKeysWithValues: schemas.keys.map { ($0, expectedRows($0)) })
    }

    /// Appends the last transaction's records again, as a source that crashed before its checkpoint does.
    func resendLast() async throws {
        _ = try await log.append(lastAppended)
    }

    private func model(_ event: ChangeEvent, schema: TableSchema) {
        let table = schema.identity
        guard !schema.keyColumns.isEmpty else {
            switch event.operation {
            case .create, .read: keylessExpected[table]!.append(event.after!)
            case .delete:
                if let i = keylessExpected[table]!.firstIndex(of: event.before!) { keylessExpected[table]!.remove(at: i) }
            case .update:
                if let i = keylessExpected[table]!.firstIndex(of: event.before!) { keylessExpected[table]![i] = event.after! }
            }
            return
        }
        func key(_ row: Row) -> [String?] { schema.keyColumns.map { row[$0].map { "\($0)" } } }
        switch event.operation {
        case .create, .read: expected[table]![key(event.after!)] = event.after!
        case .delete: expected[table]![key(event.before!)] = nil
        case .update:
            let old = expected[table]![key(event.before!)]
            expected[table]![key(event.before!)] = nil
            guard let old else { return }
            var next = event.after!
            for column in event.after! where column.value == .unchanged { next[column.name] = old[column.name] }
            expected[table]![key(event.after!)] = next
        }
    }

    /// The expected target rows of a table as PostgreSQL prints them, sorted like ``TestDatabase/rows(_:columns:)``.
    func expectedRows(_ table: TableIdentity) -> [[String?]] {
        let schema = schemas[table]!
        let rows = schema.keyColumns.isEmpty ? keylessExpected[table]! : Array(expected[table]!.values)
        return rows.map { row in schema.columns.map { row[$0.name].flatMap(Self.text) } }.sorted(by: Self.order)
    }

    static func text(_ value: ColumnValue) -> String? {
        switch value {
        case .null, .unchanged: return nil
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .decimal(let d): return d.description
        case .string(let s): return s
        default: return "\(value)"
        }
    }

    /// PostgreSQL's `ORDER BY 1, 2, …` for the value types the tests use (integers first, then text).
    static func order(_ a: [String?], _ b: [String?]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            guard let x else { return false }
            guard let y else { return true }
            if let i = Int64(x), let j = Int64(y) { return i < j }
            if let i = Double(x), let j = Double(y) { return i < j }
            return x.utf8.lexicographicallyPrecedes(y.utf8)
        }
        return false
    }
}

/// The tables most tests use.
enum Fixtures {
    static let orders = TableIdentity(database: "shop", schema: "dbo", table: "Orders")
    static let notes = TableIdentity(database: "shop", schema: "dbo", table: "Notes")

    /// `Orders(id int key, customer nvarchar(50), amount decimal(10,2), memo nvarchar(max), paid bit)`.
    static func ordersSchema() throws -> TableSchema {
        try TableSchema(identity: orders, columns: [
            ColumnDefinition(name: "Id", type: try SQLServerDataType(.int), isNullable: false),
            ColumnDefinition(name: "Customer", type: try SQLServerDataType(.nvarchar, length: .limited(50))),
            ColumnDefinition(name: "Amount", type: try SQLServerDataType(.decimal, precision: 10, scale: 2)),
            ColumnDefinition(name: "Memo", type: try SQLServerDataType(.nvarchar, length: .max)),
            ColumnDefinition(name: "Paid", type: try SQLServerDataType(.bit)),
        ], keyColumns: ["Id"])
    }

    /// `Notes(author nvarchar(20), body nvarchar(100))`, without a key.
    static func notesSchema() throws -> TableSchema {
        try TableSchema(identity: notes, columns: [
            ColumnDefinition(name: "Author", type: try SQLServerDataType(.nvarchar, length: .limited(20))),
            ColumnDefinition(name: "Body", type: try SQLServerDataType(.nvarchar, length: .limited(100))),
        ], keyColumns: [])
    }

    static func order(_ id: Int64, _ customer: String, _ cents: Int128, memo: ColumnValue? = nil, paid: Bool = false) -> Row {
        ["Id": .int(id), "Customer": .string(customer), "Amount": .decimal(ExactDecimal(unscaled: cents, scale: 2)!),
         "Memo": memo ?? .string("memo \(id)"), "Paid": .bool(paid)]
    }

    static let orderColumns = ["id", "customer", "amount", "memo", "paid"]
}

extension SinkConfiguration {
    /// A configuration for tests: applies at once when the log is quiet, stops at its end.
    static func test(name: String = "test", prefix: String = "src", commitRate: Int = 10_000) -> SinkConfiguration {
        SinkConfiguration(name: name, prefix: prefix, commitRate: commitRate, batchApplyTimeoutMin: .zero, batchApplyTimeoutMax: .seconds(5),
                          stopWhenCaughtUp: true)
    }
}

/// Runs a sink to the end of the log.
@discardableResult
func runSink(_ configuration: SinkConfiguration, log: any EventLog, target: TestDatabase) async throws -> PostgresSink.Summary {
    try await PostgresSink(configuration: configuration, log: log, targetURL: target.url, logger: quietLogger).runToCompletion()
}

extension SourceScript {
    /// The expected current row of `Orders` with this id.
    func currentOrder(_ id: Int64) -> Row? {
        expected[Fixtures.orders]?[["\(ColumnValue.int(id))"]]
    }

    /// A deterministic mixed workload on `Orders` and `Notes`: inserts, updates (some leaving the
    /// memo unchanged, some changing the key), deletes and re-inserts, in transactions of 1–5 changes.
    func randomWorkload(changes: Int, ids: ClosedRange<Int64> = 1...60, seed: UInt64 = 42) async throws {
        var generator = SplitMix(seed: seed)
        var done = 0
        while done < changes {
            let size = Int(generator.next() % 5) + 1
            var batch: [Change] = []
            var touched = Set<Int64>()
            for _ in 0..<size {
                let id = ids.lowerBound + Int64(generator.next() % UInt64(ids.count))
                guard touched.insert(id).inserted else { continue }
                let roll = generator.next() % 100
                if roll < 8 {
                    let author = "a\(generator.next() % 3)"
                    batch.append(.insert(Fixtures.notes, ["Author": .string(author), "Body": .string("b\(generator.next() % 4)")]))
                    continue
                }
                guard let current = currentOrder(id) else {
                    batch.append(.insert(Fixtures.orders, Fixtures.order(id, "c\(id)", Int128(generator.next() % 100_000), paid: roll % 2 == 0)))
                    continue
                }
                if roll < 30 {
                    batch.append(.delete(Fixtures.orders, current))
                } else if roll < 35, currentOrder(id + 1000) == nil, id < 1000 {
                    var after = current
                    after["Id"] = .int(id + 1000)
                    batch.append(.update(Fixtures.orders, before: current, after: after))
                    touched.insert(id + 1000)
                } else {
                    var after = current
                    after["Amount"] = .decimal(ExactDecimal(unscaled: Int128(generator.next() % 100_000), scale: 2)!)
                    after["Memo"] = roll < 60 ? .unchanged : .string("memo \(id) v\(generator.next() % 1000)")
                    after["Paid"] = .bool(roll % 2 == 1)
                    batch.append(.update(Fixtures.orders, before: current, after: after))
                }
            }
            guard !batch.isEmpty else { continue }
            // Apply to the model change by change so later changes in the batch see earlier ones.
            try await commit(batch)
            done += batch.count
        }
    }
}

/// A small deterministic random generator (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Compares target rows with expected rows, reporting the first difference rather than two dumps.
func expectRows(_ actual: [[String?]], _ expected: [[String?]], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "row count", sourceLocation: sourceLocation)
    if let index = zip(actual, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
        let missing = expected.filter { !actual.contains($0) }.prefix(5)
        let extra = actual.filter { !expected.contains($0) }.prefix(5)
        Issue.record("first different row \(index): missing \(missing.map { $0.map { $0 ?? "NULL" } }) unexpected \(extra.map { $0.map { $0 ?? "NULL" } })", sourceLocation: sourceLocation)
    }
}
