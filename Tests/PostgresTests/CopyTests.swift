import Postgres
import Testing

@Suite("COPY FROM STDIN")
struct CopyTests {
    static let rowCount = 100_000

    /// Text that exercises every escape, plus the strings that look like COPY markers.
    static func note(_ index: Int) -> String? {
        switch index % 7 {
        case 0: nil
        case 1: "tab\there, newline\nthere, cr\rand back\\slash #\(index)"
        case 2: "\\N"
        case 3: ""
        case 4: "\\."
        case 5: "ünïcödé 🚀 \(index)"
        default: "plain \(index)"
        }
    }

    static func payload(_ index: Int) -> [UInt8]? {
        index % 11 == 0 ? nil : [UInt8(index % 256), 0, 92, 9, 10, 255]
    }

    @Test("100,000 rows stream in and round-trip tabs, newlines, backslashes and NULLs")
    func bulkCopy() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute(
                "CREATE TABLE bulk (id int8 PRIMARY KEY, note text, payload bytea, ratio float8, flag bool, small int2)")
            let loaded = try await connection.copyIn("COPY bulk (id, note, payload, ratio, flag, small) FROM STDIN") { writer in
                for index in 0..<Self.rowCount {
                    try writer.writeRow([
                        .int64(Int64(index)),
                        PostgresValue(Self.note(index)),
                        PostgresValue(Self.payload(index)),
                        .double(Double(index) / 4),
                        .bool(index.isMultiple(of: 2)),
                        index.isMultiple(of: 13) ? nil : .int16(Int16(index % 1000)),
                    ])
                }
                #expect(writer.rowsWritten == Self.rowCount)
                // Data went out in chunks while rows were still being written.
                #expect(writer.bytesSent > 1_000_000)
            }
            #expect(loaded == Self.rowCount)

            let counts = try await connection.query(
                "SELECT count(*) AS total, count(note) AS notes, count(payload) AS payloads FROM bulk")
            #expect(try counts[0].decode(Int64.self, column: "total") == Int64(Self.rowCount))
            let expectedNotes = (0..<Self.rowCount).filter { Self.note($0) != nil }.count
            #expect(try counts[0].decode(Int64.self, column: "notes") == Int64(expectedNotes))
            let expectedPayloads = (0..<Self.rowCount).filter { Self.payload($0) != nil }.count
            #expect(try counts[0].decode(Int64.self, column: "payloads") == Int64(expectedPayloads))

            let sample = [0, 1, 2, 3, 4, 5, 6, 11, 13, 50_001, 77_777, Self.rowCount - 1]
            let select = try await connection.prepare(sql: "SELECT * FROM bulk WHERE id = $1")
            for index in sample {
                let row = try #require(try await connection.query(select, [.int64(Int64(index))], resultFormat: .binary).first)
                #expect(try row.decode(String?.self, column: "note") == Self.note(index), "row \(index)")
                #expect(try row.decode([UInt8]?.self, column: "payload") == Self.payload(index), "row \(index)")
                #expect(try row.decode(Double.self, column: "ratio") == Double(index) / 4)
                #expect(try row.decode(Bool.self, column: "flag") == index.isMultiple(of: 2))
                let small = try row.decode(Int16?.self, column: "small")
                #expect(small == (index.isMultiple(of: 13) ? nil : Int16(index % 1000)))
            }
        }
    }

    @Test("rows can be written field by field and as raw data")
    func fieldsAndRaw() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE pairs (a text, b int4)")
            let loaded = try await connection.copyIn("COPY pairs FROM STDIN") { writer in
                writer.writeField("x\ty")
                writer.writeField(.int32(1))
                try writer.endRow()
                try writer.writeRaw(Array("raw\t2\n".utf8))
            }
            #expect(loaded == 2)
            let csv = try await connection.copyIn("COPY pairs FROM STDIN WITH (FORMAT csv)") { writer in
                try writer.writeRaw(Array("\"quoted, comma\",3\n".utf8))
            }
            #expect(csv == 1)
            let rows = try await connection.query("SELECT a, b FROM pairs ORDER BY b")
            #expect(try rows.map { try $0.decode(String.self, column: "a") } == ["x\ty", "raw", "quoted, comma"])
        }
    }

    @Test("a value the server rejects fails the COPY with SQLSTATE and context")
    func badValue() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE strict (id int4 NOT NULL)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.copyIn("COPY strict (id) FROM STDIN") { writer in
                    try writer.writeRow([1])
                    try writer.writeRow(["not a number"])
                    for index in 0..<20_000 {
                        try writer.writeRow([.int64(Int64(index))])
                    }
                }
            }
            #expect(error?.code == .copyFailed)
            #expect(error?.sqlState == "22P02")
            #expect(error?.message.contains("not a number") == true)
            #expect(error?.serverContext?.contains("COPY strict") == true)
            #expect(error?.serverContext?.contains("line 2") == true)
            #expect(error?.description.contains("22P02") == true)

            // Nothing was loaded and the connection is still usable.
            #expect(await connection.transactionStatus == .idle)
            let count = try await connection.query("SELECT count(*) AS n FROM strict")[0].decode(Int64.self, column: "n")
            #expect(count == 0)
        }
    }

    @Test("a body that throws aborts the COPY and rethrows")
    func bodyThrows() async throws {
        struct Stop: Error {}
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE partial (id int4)")
            await #expect(throws: Stop.self) {
                try await connection.copyIn("COPY partial FROM STDIN") { writer in
                    for index in 0..<50_000 {
                        try writer.writeRow([.int32(Int32(index))])
                    }
                    throw Stop()
                }
            }
            let count = try await connection.query("SELECT count(*) AS n FROM partial")[0].decode(Int64.self, column: "n")
            #expect(count == 0)
        }
    }

    @Test("copyIn refuses statements that are not COPY FROM STDIN")
    func notCopy() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let misuse = await #expect(throws: PostgresError.self) {
                try await connection.copyIn("SELECT 1") { _ in }
            }
            #expect(misuse?.code == .invalidUsage)
            let missing = await #expect(throws: PostgresError.self) {
                try await connection.copyIn("COPY no_such_table FROM STDIN") { _ in }
            }
            #expect(missing?.sqlState == "42P01")
            let viaQuery = await #expect(throws: PostgresError.self) {
                try await connection.query("COPY (SELECT 1) TO STDOUT")
            }
            #expect(viaQuery?.code == .unexpectedResult)
            let two = try await connection.query("SELECT 2 AS two")[0].decode(Int.self, column: "two")
            #expect(two == 2)
        }
    }
}
