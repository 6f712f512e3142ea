import Postgres
import Testing

@Suite("Decoding")
struct DecodingTests {
    static let sql = """
        SELECT 1::int2 AS i2, (-32768)::int2 AS i2_min, 2147483647::int4 AS i4, 9223372036854775807::int8 AS i8,
               (-9223372036854775808)::int8 AS i8_min, 1.5::float8 AS f8, 0.25::float4 AS f4,
               '-Infinity'::float8 AS f8_ninf, 'NaN'::float8 AS f8_nan, 12.5::numeric AS num,
               true AS yes, false AS no, 'héllo 🌍'::text AS t, 'v c'::varchar(10) AS vc, 'ab'::char(4) AS bp,
               'pg_class'::name AS nm, '{"k": "v"}'::jsonb AS jb, '\\x00ff5c0a'::bytea AS by, ''::bytea AS by_empty,
               NULL::text AS null_text, NULL::int8 AS null_int, 26::oid AS an_oid
        """

    @Test("every supported type decodes in text and binary format", arguments: PostgresFormat.allCases)
    func supportedTypes(format: PostgresFormat) async throws {
        let connection = try await TestDatabase.connect()
        let rows = try await connection.query(Self.sql, resultFormat: format)
        await connection.close()
        let row = try #require(rows.first)

        #expect(try row.decode(Int16.self, column: "i2") == 1)
        #expect(try row.decode(Int16.self, column: "i2_min") == .min)
        #expect(try row.decode(Int64.self, column: "i2") == 1)
        #expect(try row.decode(Int32.self, column: "i4") == .max)
        #expect(try row.decode(Int64.self, column: "i4") == Int64(Int32.max))
        #expect(try row.decode(Int64.self, column: "i8") == .max)
        #expect(try row.decode(Int64.self, column: "i8_min") == .min)
        #expect(try row.decode(Int.self, column: "i8") == .max)
        #expect(try row.decode(Int64.self, column: "an_oid") == 26)
        #expect(try row.decode(Double.self, column: "f8") == 1.5)
        #expect(try row.decode(Double.self, column: "f4") == 0.25)
        #expect(try row.decode(Double.self, column: "f8_ninf") == -.infinity)
        #expect(try row.decode(Double.self, column: "f8_nan").isNaN)
        #expect(try row.decode(Bool.self, column: "yes") == true)
        #expect(try row.decode(Bool.self, column: "no") == false)
        #expect(try row.decode(String.self, column: "t") == "héllo 🌍")
        #expect(try row.decode(String.self, column: "vc") == "v c")
        #expect(try row.decode(String.self, column: "bp") == "ab  ")
        #expect(try row.decode(String.self, column: "nm") == "pg_class")
        #expect(try row.decode(String.self, column: "jb") == #"{"k": "v"}"#)
        #expect(try row.decode([UInt8].self, column: "by") == [0x00, 0xff, 0x5c, 0x0a])
        #expect(try row.decode([UInt8].self, column: "by_empty") == [])
        #expect(try row.decode(String?.self, column: "null_text") == nil)
        #expect(try row.decode(Int64?.self, column: "null_int") == nil)
        #expect(try row.decode(Int64?.self, column: "i8") == .max)
        #expect(try row.isNull(column: "null_int"))
        #expect(try !row.isNull(at: 0))
        if format == .text {
            // Text format can be read as a string whatever the type.
            #expect(try row.decode(String.self, column: "i8") == "9223372036854775807")
            #expect(try row.decode(String.self, column: "by") == "\\x00ff5c0a")
            #expect(try row.decode(Double.self, column: "num") == 12.5)
        }
    }

    @Test("mismatched types throw errors naming the column and the type", arguments: PostgresFormat.allCases)
    func mismatches(format: PostgresFormat) async throws {
        let connection = try await TestDatabase.connect()
        let rows = try await connection.query(Self.sql, resultFormat: format)
        await connection.close()
        let row = try #require(rows.first)

        let textAsInt = #expect(throws: PostgresError.self) { try row.decode(Int64.self, column: "t") }
        #expect(textAsInt?.code == .decodingFailed)
        #expect(textAsInt?.message.contains("\"t\"") == true)
        #expect(textAsInt?.message.contains("Int64") == true)
        #expect(textAsInt?.message.contains("text") == true)

        let overflow = #expect(throws: PostgresError.self) { try row.decode(Int16.self, column: "i8") }
        #expect(overflow?.code == .decodingFailed)
        #expect(overflow?.message.contains("i8") == true)

        let intAsBool = #expect(throws: PostgresError.self) { try row.decode(Bool.self, column: "i4") }
        #expect(intAsBool?.message.contains("Bool") == true)
        #expect(intAsBool?.message.contains("int4") == true)

        let textAsBytes = #expect(throws: PostgresError.self) { try row.decode([UInt8].self, column: "t") }
        #expect(textAsBytes?.code == .decodingFailed)

        let boolAsDouble = #expect(throws: PostgresError.self) { try row.decode(Double.self, column: "yes") }
        #expect(boolAsDouble?.message.contains("Double") == true)

        let null = #expect(throws: PostgresError.self) { try row.decode(String.self, column: "null_text") }
        #expect(null?.code == .decodingFailed)
        #expect(null?.message.contains("NULL") == true)

        let missing = #expect(throws: PostgresError.self) { try row.decode(String.self, column: "nope") }
        #expect(missing?.code == .columnNotFound)
        #expect(missing?.message.contains("nope") == true)
        let outOfRange = #expect(throws: PostgresError.self) { try row.decode(String.self, at: 99) }
        #expect(outOfRange?.code == .columnNotFound)

        if format == .binary {
            let intAsString = #expect(throws: PostgresError.self) { try row.decode(String.self, column: "i4") }
            #expect(intAsString?.message.contains("String") == true)
            #expect(intAsString?.message.contains("binary") == true)
        }
    }

    @Test("rows are a collection and survive their connection")
    func rowsCollection() async throws {
        let connection = try await TestDatabase.connect()
        let rows = try await connection.query(
            "SELECT n, n * 2 AS doubled FROM generate_series(1, 1000) AS n", resultFormat: .binary)
        await connection.close()
        #expect(rows.count == 1000)
        #expect(rows.affectedRowCount == 1000)
        let total = try rows.reduce(0) { $0 + (try $1.decode(Int.self, column: "doubled")) }
        #expect(total == 1000 * 1001)
        #expect(try rows.last?.decode(Int32.self, column: "n") == 1000)
    }
}
