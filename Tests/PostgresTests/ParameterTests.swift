import Postgres
import Testing

@Suite("Parameters")
struct ParameterTests {
    static let allBytes: [UInt8] = Array(0...255) + [0, 0, 92, 120]
    static let unicode = "zürich ✓ 東京 🚀 \"quoted\" 'single' back\\slash tab\tnew\nline"

    @Test("every parameter kind round-trips, including NULL, unicode and bytea", arguments: PostgresFormat.allCases)
    func roundTrip(format: PostgresFormat) async throws {
        let connection = try await TestDatabase.connect()
        let rows = try await connection.query(
            """
            SELECT $1::text AS s, $2::int2 AS a, $3::int4 AS b, $4::int8 AS c, $5::float8 AS d,
                   $6::bool AS e, $7::bytea AS f, $8::text AS n, $9 AS untyped, $10::bytea AS empty,
                   $11::int8 AS nullable_int
            """,
            [
                .text(Self.unicode), .int16(-7), .int32(123_456), .int64(.max), .double(-2.5),
                .bool(true), .bytes(Self.allBytes), nil, "untyped", .bytes([]), PostgresValue(Int?.none),
            ],
            resultFormat: format)
        await connection.close()
        let row = try #require(rows.first)
        #expect(row.columns.allSatisfy { $0.format == format })
        #expect(try row.decode(String.self, column: "s") == Self.unicode)
        #expect(try row.decode(Int16.self, column: "a") == -7)
        #expect(try row.decode(Int32.self, column: "b") == 123_456)
        #expect(try row.decode(Int64.self, column: "c") == .max)
        #expect(try row.decode(Double.self, column: "d") == -2.5)
        #expect(try row.decode(Bool.self, column: "e"))
        #expect(try row.decode([UInt8].self, column: "f") == Self.allBytes)
        #expect(try row.isNull(column: "n"))
        #expect(try row.decode(String?.self, column: "n") == nil)
        #expect(try row.decode(String.self, column: "untyped") == "untyped")
        #expect(try row.decode([UInt8].self, column: "empty") == [])
        #expect(try row.decode(Int64?.self, column: "nullable_int") == nil)
    }

    @Test("parameters are stored and matched in a table")
    func storeAndFilter() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE items (id int8 PRIMARY KEY, name text, data bytea, ratio float8, flag bool)")
            let names: [String?] = [Self.unicode, nil, "", "plain"]
            for (index, name) in names.enumerated() {
                let inserted = try await connection.query(
                    "INSERT INTO items VALUES ($1, $2, $3, $4, $5)",
                    [.int64(Int64(index)), PostgresValue(name), .bytes([UInt8(index), 0, 255]), .double(Double(index) / 3), .bool(index.isMultiple(of: 2))])
                #expect(inserted.affectedRowCount == 1)
            }
            let unicodeMatch = try await connection.query("SELECT id FROM items WHERE name = $1", [.text(Self.unicode)])
            #expect(unicodeMatch.count == 1)
            #expect(try unicodeMatch[0].decode(Int.self, column: "id") == 0)

            let bytesMatch = try await connection.query("SELECT id, ratio FROM items WHERE data = $1", [.bytes([2, 0, 255])], resultFormat: .binary)
            #expect(try bytesMatch[0].decode(Int64.self, column: "id") == 2)
            #expect(try bytesMatch[0].decode(Double.self, column: "ratio") == 2.0 / 3)

            let nullMatch = try await connection.query("SELECT id FROM items WHERE name IS NOT DISTINCT FROM $1", [nil])
            #expect(try nullMatch.map { try $0.decode(Int.self, column: "id") } == [1])
            let empty = try await connection.query("SELECT id FROM items WHERE name = $1", [""])
            #expect(try empty.map { try $0.decode(Int.self, column: "id") } == [2])
        }
    }

    @Test("strings feed non-text columns like literals do")
    func untypedStrings() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE events (at timestamptz, payload jsonb, amount numeric(10, 2))")
            try await connection.query(
                "INSERT INTO events VALUES ($1, $2, $3)", ["2024-05-01T12:00:00Z", #"{"a": [1, 2]}"#, "12.345"])
            let rows = try await connection.query(
                "SELECT extract(epoch FROM at)::int8 AS epoch, payload -> 'a' ->> 1 AS second, amount::text AS amount FROM events")
            #expect(try rows[0].decode(Int64.self, column: "epoch") == 1_714_564_800)
            #expect(try rows[0].decode(String.self, column: "second") == "2")
            #expect(try rows[0].decode(String.self, column: "amount") == "12.35")
        }
    }

    @Test("special doubles are sent and read back exactly", arguments: PostgresFormat.allCases)
    func specialDoubles(format: PostgresFormat) async throws {
        let connection = try await TestDatabase.connect()
        let values: [Double] = [.infinity, -.infinity, 0.1, -0.0, 1e-300, .greatestFiniteMagnitude, 123_456_789.125]
        for value in values {
            let rows = try await connection.query("SELECT $1::float8 AS v", [.double(value)], resultFormat: format)
            #expect(try rows[0].decode(Double.self, column: "v") == value)
        }
        let nan = try await connection.query("SELECT $1::float8 AS v", [.double(.nan)], resultFormat: format)
        #expect(try nan[0].decode(Double.self, column: "v").isNaN)
        await connection.close()
    }

    @Test("a string containing NUL is rejected before it is sent")
    func nulCharacter() async throws {
        let connection = try await TestDatabase.connect()
        let error = await #expect(throws: PostgresError.self) {
            try await connection.query("SELECT $1::text", ["a\u{0}b"])
        }
        #expect(error?.code == .invalidParameter)
        #expect(error?.message.contains("$1") == true)
        await connection.close()
    }
}
