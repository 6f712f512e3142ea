import Foundation
import SQLite
import Testing

/// A fresh directory for one test's database files, deleted afterwards.
struct TemporaryDirectory: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

@Suite struct SQLiteConnectionTests {
    @Test func bindsAndReadsEveryStorageClass() async throws {
        let connection = try await SQLiteConnection.open(path: ":memory:")
        try await connection.execute("CREATE TABLE t (i, r, s, b, n)")
        let binary: [UInt8] = [0, 1, 2, 0, 255]
        let bound: [SQLiteValue] = [.integer(.min), .real(-2.5), .text("ünïcødé ✓"), .blob(binary), .null]
        try await connection.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", bound)
        try await connection.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [.integer(.max), .real(0), .text(""), .blob([]), .null])

        let rows = try await connection.query("SELECT i, r, s, b, n FROM t ORDER BY rowid")
        try #require(rows.count == 2)
        #expect(rows[0].values == bound)
        #expect(rows[0].int64(at: 0) == .min)
        #expect(rows[0].double(at: 1) == -2.5)
        #expect(rows[0].string(at: 2) == "ünïcødé ✓")
        #expect(rows[0].blob(at: 3) == binary)
        #expect(rows[0].isNull(at: 4))
        // An empty blob and an empty string are values, not NULL.
        #expect(rows[1].values == [.integer(.max), .real(0), .text(""), .blob([]), .null])

        let typeNames = try await connection.query("SELECT typeof(s), typeof(b), typeof(n) FROM t WHERE i = ?", [.integer(.max)])
        #expect(typeNames.first?.values == [.text("text"), .text("blob"), .text("null")])
    }

    @Test func cursorReadsRowsInPlace() async throws {
        let connection = try await SQLiteConnection.open(path: ":memory:")
        try await connection.execute("CREATE TABLE t (k INTEGER, v BLOB); INSERT INTO t VALUES (1, x'00ff'), (2, NULL), (3, x'')")
        let seen = try await connection.withTransaction { db in
            var seen: [(Int64?, [UInt8]?)] = []
            try db.forEachRow("SELECT k, v FROM t WHERE k >= ? ORDER BY k", [.integer(1)]) { row in
                #expect(row.columnCount == 2)
                #expect(row.columnName(at: 1) == "v")
                seen.append((row.int64(at: 0), row.blob(at: 1)))
            }
            return seen.map { "\($0.0 ?? -1):\($0.1.map { $0.description } ?? "nil")" }
        }
        #expect(seen == ["1:[0, 255]", "2:nil", "3:[]"])
    }

    @Test func transactionCommitsOrRollsBack() async throws {
        let connection = try await SQLiteConnection.open(path: ":memory:")
        try await connection.execute("CREATE TABLE t (v INTEGER)")
        try await connection.withTransaction(.immediate) { db in
            try db.run("INSERT INTO t VALUES (1)")
            try db.run("INSERT INTO t VALUES (2)")
        }
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await connection.withTransaction { db in
                try db.run("INSERT INTO t VALUES (3)")
                throw Abort()
            }
        }
        #expect(try await connection.isInTransaction == false)
        let values = try await connection.query("SELECT v FROM t ORDER BY v").map { $0.int64(at: 0) }
        #expect(values == [1, 2])
    }

    @Test func errorsCarryResultCodesAndSQLButNotBoundValues() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("errors.sqlite")
        let connection = try await SQLiteConnection.open(path: path)
        try await connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, secret TEXT)")
        try await connection.run("INSERT INTO t VALUES (1, ?)", [.text("hunter2")])

        let sql = "INSERT INTO t VALUES (1, ?)"
        let error = try await #require(throws: SQLiteError.self) {
            try await connection.run(sql, [.text("hunter2")])
        }
        #expect(error.code == .constraint)
        #expect(error.extendedCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(error.sql == sql)
        #expect(error.context["path"] == path)
        #expect(error.message.contains("UNIQUE"))
        #expect(!error.description.contains("hunter2"))
        #expect(!error.isRetriable)

        let syntax = try await #require(throws: SQLiteError.self) { try await connection.run("SELEC 1") }
        #expect(syntax.code == .error)
        #expect(syntax.message.contains("syntax error"))

        let missingTable = try await #require(throws: SQLiteError.self) { try await connection.execute("SELECT * FROM nowhere") }
        #expect(missingTable.message.contains("no such table"))

        let arity = try await #require(throws: SQLiteError.self) { try await connection.run("SELECT ?", []) }
        #expect(arity.code == .range)

        let twoStatements = try await #require(throws: SQLiteError.self) { try await connection.run("SELECT 1; SELECT 2") }
        #expect(twoStatements.code == .misuse)
    }

    @Test func openingGarbageOrMissingFilesFails() async throws {
        let directory = try TemporaryDirectory()
        let garbage = directory.path("garbage.sqlite")
        try Data(repeating: 0x5a, count: 8192).write(to: URL(fileURLWithPath: garbage))
        let connection = try await SQLiteConnection.open(path: garbage)
        let notADatabase = try await #require(throws: SQLiteError.self) { try await connection.query("PRAGMA user_version") }
        #expect(notADatabase.code == .notADatabase)

        let missing = directory.path("missing.sqlite")
        let cantOpen = try await #require(throws: SQLiteError.self) {
            _ = try await SQLiteConnection.open(path: missing, mode: .readWrite)
        }
        #expect(cantOpen.code == .cantOpen)
        #expect(cantOpen.context["path"] == missing)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func readOnlyConnectionRefusesWrites() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ro.sqlite")
        let writer = try await SQLiteConnection.open(path: path)
        try await writer.execute("CREATE TABLE t (v); INSERT INTO t VALUES (7)")
        let reader = try await SQLiteConnection.open(path: path, mode: .readOnly)
        #expect(try await reader.firstRow("SELECT v FROM t")?.int64(at: 0) == 7)
        let error = try await #require(throws: SQLiteError.self) { try await reader.run("INSERT INTO t VALUES (8)") }
        #expect(error.code == .readOnly)
    }

    @Test func writeLockHeldByAnotherConnectionIsBusyAndRetriable() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("busy.sqlite")
        let first = try await SQLiteConnection.open(path: path)
        #expect(try await first.setJournalMode(.wal) == .wal)
        try await first.execute("CREATE TABLE t (v)")
        let second = try await SQLiteConnection.open(path: path, busyTimeout: .milliseconds(50))

        try await first.run("BEGIN IMMEDIATE")
        try await first.run("INSERT INTO t VALUES (1)")
        let error = try await #require(throws: SQLiteError.self) {
            try await second.withTransaction(.immediate) { db in try db.run("INSERT INTO t VALUES (2)") }
        }
        #expect(error.code == .busy)
        #expect(error.isRetriable)
        #expect(try await second.isInTransaction == false)
        // WAL lets the other connection read the last committed state meanwhile.
        #expect(try await second.firstRow("SELECT count(*) FROM t")?.int64(at: 0) == 0)

        try await first.run("COMMIT")
        try await second.withTransaction(.immediate) { db in try db.run("INSERT INTO t VALUES (2)") }
        #expect(try await first.firstRow("SELECT count(*) FROM t")?.int64(at: 0) == 2)
    }

    @Test func dataVersionChangesWhenAnotherConnectionCommits() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("version.sqlite")
        let writer = try await SQLiteConnection.open(path: path)
        try await writer.setJournalMode(.wal)
        try await writer.execute("CREATE TABLE t (v)")
        let reader = try await SQLiteConnection.open(path: path, mode: .readWrite)
        let before = try await reader.dataVersion()
        #expect(try await reader.dataVersion() == before)
        try await writer.run("INSERT INTO t VALUES (1)")
        #expect(try await reader.dataVersion() != before)
    }

    @Test func pragmasSetJournalAndSynchronousModes() async throws {
        let directory = try TemporaryDirectory()
        let connection = try await SQLiteConnection.open(path: directory.path("pragmas.sqlite"))
        #expect(try await connection.setJournalMode(.wal) == .wal)
        #expect(try await connection.journalMode() == .wal)
        try await connection.setSynchronous(.full)
        #expect(try await connection.synchronous() == .full)
        try await connection.setSynchronous(.normal)
        #expect(try await connection.synchronous() == .normal)
    }

    @Test func statementsAreCachedBySQLText() async throws {
        let connection = try await SQLiteConnection.open(path: ":memory:", statementCacheCapacity: 3)
        try await connection.execute("CREATE TABLE t (v INTEGER)")
        #expect(try await connection.cachedStatementCount == 0)
        for value in 0..<10 {
            try await connection.run("INSERT INTO t VALUES (?)", [.integer(Int64(value))])
        }
        #expect(try await connection.cachedStatementCount == 1)
        _ = try await connection.query("SELECT count(*) FROM t")
        _ = try await connection.query("SELECT max(v) FROM t")
        _ = try await connection.query("SELECT min(v) FROM t")
        #expect(try await connection.cachedStatementCount == 3)

        // The same SQL used while it is already being stepped gets a statement of its own.
        let pairs = try await connection.withTransaction { db in
            var pairs = 0
            try db.forEachRow("SELECT v FROM t WHERE v < ?", [.integer(3)]) { _ in
                try db.forEachRow("SELECT v FROM t WHERE v < ?", [.integer(3)]) { _ in pairs += 1 }
            }
            return pairs
        }
        #expect(pairs == 9)
        #expect(try await connection.cachedStatementCount == 3)
    }

    @Test func closedConnectionFailsWithMisuse() async throws {
        let connection = try await SQLiteConnection.open(path: ":memory:")
        await connection.close()
        #expect(await connection.isClosed)
        let error = try await #require(throws: SQLiteError.self) { try await connection.run("SELECT 1") }
        #expect(error.code == .misuse)
        await connection.close()
    }

    @Test func nestedTransactionIsRefused() async throws {
        let connection = try await SQLiteConnection.open(path: ":memory:")
        let error = try await #require(throws: SQLiteError.self) {
            try await connection.withTransaction { db in
                try db.withTransaction { _ in }
            }
        }
        #expect(error.code == .misuse)
        #expect(try await connection.isInTransaction == false)
    }
}
