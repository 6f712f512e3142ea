import Logging
import Postgres
import Synchronization
import Testing

@Suite("PostgresConnection")
struct ConnectionTests {
    @Test("connects and runs a simple query")
    func connectAndQuery() async throws {
        let connection = try await TestDatabase.connect()
        #expect(await connection.isConnected)
        #expect(await connection.serverVersion >= 100_000)
        #expect(await connection.transactionStatus == .idle)

        let rows = try await connection.query("SELECT 1 AS one, 'two' AS two")
        #expect(rows.count == 1)
        #expect(rows.columnNames == ["one", "two"])
        #expect(rows.columns[0].dataType == .int4)
        #expect(rows.columns[1].dataType == .text)
        #expect(try rows[0].decode(Int.self, column: "one") == 1)
        #expect(try rows[0].decode(String.self, at: 1) == "two")
        #expect(rows.commandTag == "SELECT 1")

        await connection.close()
        #expect(await !connection.isConnected)
        let error = await #expect(throws: PostgresError.self) {
            try await connection.query("SELECT 1")
        }
        #expect(error?.code == .closed)
    }

    @Test("application_name defaults to ferry and can be overridden")
    func applicationName() async throws {
        let url = try TestDatabase.url()
        let connection = try await TestDatabase.connect(url: url)
        let name = try await connection.query("SELECT current_setting('application_name') AS name")
        #expect(try name[0].decode(String.self, column: "name") == "ferry")
        #expect(await connection.parameterStatus("application_name") == "ferry")
        await connection.close()

        let separator = url.contains("?") ? "&" : "?"
        let custom = try await TestDatabase.connect(url: url + separator + "application_name=ferry-custom")
        let customName = try await custom.query("SELECT current_setting('application_name') AS name")
        #expect(try customName[0].decode(String.self, column: "name") == "ferry-custom")
        await custom.close()
    }

    @Test("execute runs several statements and returns the last result; affected rows are counted")
    func executeAndAffectedRows() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let created = try await connection.execute("CREATE TABLE numbers (n int4)")
            #expect(created.affectedRowCount == nil)
            let last = try await connection.execute(
                "INSERT INTO numbers VALUES (1), (2); INSERT INTO numbers VALUES (3); SELECT count(*) AS total FROM numbers")
            #expect(try last[0].decode(Int64.self, column: "total") == 3)

            let inserted = try await connection.query("INSERT INTO numbers SELECT generate_series(10, 14)")
            #expect(inserted.affectedRowCount == 5)
            #expect(inserted.commandTag == "INSERT 0 5")
            let updated = try await connection.query("UPDATE numbers SET n = n + 1 WHERE n < $1", [10])
            #expect(updated.affectedRowCount == 3)
            let deleted = try await connection.query("DELETE FROM numbers WHERE n > 100")
            #expect(deleted.affectedRowCount == 0)
        }
    }

    @Test("connection refused is retriable and names host and port")
    func connectionRefused() async throws {
        let error = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect(
                url: "postgresql://postgres@127.0.0.1:1/ferry", logger: TestDatabase.logger)
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.isRetriable == true)
        #expect(error?.message.contains("127.0.0.1") == true)
        #expect(error?.message.contains("port 1") == true)
        #expect(error?.message.contains("ferry") == true)
        #expect(error?.message.contains("Connection refused") == true)
        #expect(error?.message.contains("\n") == false)
        #expect(error?.context?.contains("127.0.0.1") == true)
    }

    @Test(
        "a password never appears in connection errors",
        arguments: [
            "postgresql://u:s3cret@127.0.0.1:1/db",
            "postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=2",
            "postgresql://u@127.0.0.1:1/db?password=s3cret",
            "host=127.0.0.1 port=1 user=u password=s3cret dbname=db",
            "host=127.0.0.1 port=1 user=u password='s3cret' dbname=db",
            "host=127.0.0.1 password=s3cret bogus",
            "postgresql://u:s3cret@127.0.0.1:1/db?nosuchoption=1",
        ])
    func passwordRedacted(url: String) async throws {
        let error = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect(url: url, logger: TestDatabase.logger)
        }
        let error_ = try #require(error)
        #expect(!error_.description.contains("s3cret"))
        #expect(!error_.message.contains("s3cret"))
        #expect(!(error_.context ?? "").contains("s3cret"))
        #expect(!String(describing: error_).contains("s3cret"))
        #expect(!String(reflecting: error_).contains("s3cret"))
    }

    @Test("queries run concurrently on several connections")
    func concurrentConnections() async throws {
        let connections = try await withThrowingTaskGroup(of: PostgresConnection.self) { group in
            for _ in 0..<4 {
                group.addTask { try await TestDatabase.connect() }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let results = try await withThrowingTaskGroup(of: (Int64, Int64, Int32).self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask {
                    var sum: Int64 = 0
                    for round in 0..<10 {
                        let rows = try await connection.query(
                            "SELECT $1::int8 * $2::int8 AS product, pg_sleep(0.01)",
                            [.int64(Int64(index)), .int64(Int64(round))])
                        sum += try rows[0].decode(Int64.self, column: "product")
                    }
                    let pid = try await connection.query("SELECT pg_backend_pid() AS pid")
                    return (Int64(index), sum, try pid[0].decode(Int32.self, column: "pid"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 4)
        for (index, sum, _) in results {
            #expect(sum == index * 45)
        }
        #expect(Set(results.map(\.2)).count == 4)
        for connection in connections {
            await connection.close()
        }
    }

    @Test("tasks sharing one connection are serialised by the actor")
    func sharedConnection() async throws {
        let connection = try await TestDatabase.connect()
        let values = try await withThrowingTaskGroup(of: Int64.self) { group in
            for value in 0..<50 {
                group.addTask {
                    try await connection.query("SELECT $1::int8 + 1 AS next", [.int64(Int64(value))])[0]
                        .decode(Int64.self, column: "next")
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values.sorted() == Array(1...50))
        await connection.close()
    }

    @Test("a terminated backend is reported as a retriable lost connection")
    func connectionLost() async throws {
        let victim = try await TestDatabase.connect()
        let killer = try await TestDatabase.connect()
        let pid = try await victim.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, column: "pid")
        let terminated = try await killer.query("SELECT pg_terminate_backend($1) AS done", [.int32(pid)])
        #expect(try terminated[0].decode(Bool.self, column: "done"))

        let error = await #expect(throws: PostgresError.self) {
            try await victim.query("SELECT 1")
        }
        #expect(error?.code == .connectionLost)
        #expect(error?.isRetriable == true)
        #expect(await !victim.isConnected)
        await victim.close()
        await killer.close()
    }

    @Test("server notices go to the injected logger")
    func noticesAreLogged() async throws {
        let handler = RecordingLogHandler()
        let logger = Logger(label: "notices") { _ in handler }
        let connection = try await TestDatabase.connect(logger: logger)
        try await connection.execute("DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; END $$")
        await connection.close()
        let messages = handler.records.withLock { $0 }
        #expect(messages.contains { $0.message == "PostgreSQL notice" && $0.metadata.contains("hello from plpgsql") })
    }
}

/// Keeps every log record, for assertions.
final class RecordingLogHandler: LogHandler, Sendable {
    struct Record: Sendable {
        var message: String
        var metadata: String
    }

    let records = Mutex<[Record]>([])

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        records.withLock { $0.append(Record(message: "\(event.message)", metadata: metadata)) }
    }
}
