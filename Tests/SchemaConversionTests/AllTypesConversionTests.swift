import FerryCore
import Postgres
import SchemaConversion
import Testing

/// Every SQL Server type in the mapping: a column of it is read from the emulator's catalog,
/// converted, applied, and given its extreme values in the text form the sink writes.
@Suite struct AllTypesConversionTests {
    /// (column declaration, PostgreSQL type expected, values in PostgreSQL text form).
    static let columns: [(declaration: String, postgres: String, values: [String])] = [
        ("bit", "boolean", ["true", "false"]),
        ("tinyint", "smallint", ["0", "255"]),
        ("smallint", "smallint", ["-32768", "32767"]),
        ("int", "integer", ["-2147483648", "2147483647"]),
        ("bigint", "bigint", ["-9223372036854775808", "9223372036854775807"]),
        ("decimal(38,6)", "numeric(38,6)", ["-99999999999999999999999999999999.999999", "99999999999999999999999999999999.999999"]),
        ("numeric(38,38)", "numeric(38,38)", ["0.00000000000000000000000000000000000001", "-0.99999999999999999999999999999999999999"]),
        ("money", "numeric(19,4)", ["-922337203685477.5808", "922337203685477.5807"]),
        ("smallmoney", "numeric(10,4)", ["-214748.3648", "214748.3647"]),
        ("real", "real", ["-3.4028235e+38", "3.4028235e+38", "1.1754944e-38"]),
        ("float", "double precision", ["-1.7976931348623157e+308", "1.7976931348623157e+308", "2.2250738585072014e-308"]),
        ("date", "date", ["0001-01-01", "9999-12-31"]),
        ("time(7)", "time(6) without time zone", ["00:00:00", "23:59:59.999999"]),
        ("time(0)", "time(0) without time zone", ["23:59:59"]),
        ("datetime2(7)", "timestamp(6) without time zone", ["0001-01-01 00:00:00", "9999-12-31 23:59:59.999999"]),
        ("datetime2(3)", "timestamp(3) without time zone", ["9999-12-31 23:59:59.999"]),
        ("datetime", "timestamp(3) without time zone", ["1753-01-01 00:00:00.000", "9999-12-31 23:59:59.997"]),
        ("smalldatetime", "timestamp(0) without time zone", ["1900-01-01 00:00:00", "2079-06-06 23:59:00"]),
        ("datetimeoffset(7)", "timestamp(6) with time zone", ["0001-01-01 00:00:00-12:00", "9999-12-31 23:59:59.999999+14:00"]),
        ("char(10)", "character(10)", ["ab        ", ""]),
        ("varchar(8000)", "character varying(8000)", [String(repeating: "x", count: 8000), ""]),
        ("varchar(max)", "text", [String(repeating: "y", count: 100_000)]),
        ("nchar(4000)", "character(4000)", [String(repeating: "ü", count: 4000)]),
        ("nvarchar(4000)", "character varying(4000)", ["😀 𝄞 中", String(repeating: "中", count: 4000)]),
        ("nvarchar(max)", "text", ["😀 𝄞 中" + String(repeating: "z", count: 10_000)]),
        ("text", "text", ["legacy text"]),
        ("ntext", "text", ["legacy ntext 中"]),
        ("xml", "xml", ["<a b=\"1\"/>"]),
        ("binary(16)", "bytea", ["\\x00ff10800000000000000000000000ff"]),
        ("varbinary(8000)", "bytea", ["\\x", "\\x00ff1080"]),
        ("varbinary(max)", "bytea", ["\\x" + String(repeating: "ab", count: 10_000)]),
        ("image", "bytea", ["\\x89504e47"]),
        ("rowversion", "bytea", ["\\x00000000000007d1"]),
        ("uniqueidentifier", "uuid", ["6F9619FF-8B86-D011-B42D-00C04FC964FF", "00000000-0000-0000-0000-000000000000"]),
        ("hierarchyid", "text", ["/1/3.5/-2/", "/"]),
        ("geography", "bytea", ["\\x0101000020e6100000000000000000f03f0000000000000040"]),
        ("geometry", "bytea", ["\\x010100000000000000000000000000000000000000"]),
        ("sql_variant", "jsonb", ["{\"type\":\"decimal(10,2)\",\"value\":\"12.34\"}"]),
    ]

    @Test func everyMappedTypeConvertsAppliesAndHoldsItsExtremes() async throws {
        // The list covers every type name of the mapping.
        let covered = Set(Self.columns.map { try! SQLServerDataType(declaration: $0.declaration).name })
        #expect(covered == Set(SQLServerDataType.Name.allCases))

        try await ConversionTestSupport.withSourceAndTarget { source, target, _ in
            let columns = Self.columns.enumerated().map { index, column in "c\(index) \(column.declaration) NULL" }
            try await ConversionTestSupport.run([
                "CREATE DATABASE Types;", "USE Types;",
                "CREATE TABLE dbo.AllTypes (id int NOT NULL PRIMARY KEY, \(columns.joined(separator: ", ")));",
            ], on: source)
            let (catalog, result) = try await SchemaConversion.convert(source: source, logger: ConversionTestSupport.logger)
            let table = try #require(catalog.tables.first)
            for (index, column) in Self.columns.enumerated() {
                let read = try #require(table.column(named: "c\(index)"))
                #expect(read.type == (try SQLServerDataType(declaration: column.declaration)), "c\(index) \(column.declaration)")
            }
            try await SchemaApplier(logger: ConversionTestSupport.logger).apply(result, to: target)

            let types = try await target.query("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                WHERE a.attrelid = 'types_dbo.alltypes'::regclass AND a.attnum > 1 ORDER BY a.attnum
                """)
            #expect(types.count == Self.columns.count)
            for (row, column) in zip(types, Self.columns) {
                #expect(try row.decode(String.self, at: 1) == column.postgres, "\(column.declaration)")
            }

            try await target.execute("SET TIME ZONE 'UTC'")
            // One row of NULLs, then each extreme alone in its column, read back unchanged.
            try await target.execute("INSERT INTO types_dbo.alltypes (id) VALUES (0)")
            var id: Int32 = 1
            for (index, column) in Self.columns.enumerated() {
                for value in column.values {
                    try await target.query("INSERT INTO types_dbo.alltypes (id, c\(index)) VALUES ($1, $2)", [.int32(id), .text(value)])
                    let back = try await target.query("SELECT c\(index)::text FROM types_dbo.alltypes WHERE id = $1", [.int32(id)])
                    let text = try back.first?.decode(String.self, at: 0)
                    #expect(Self.same(text, value, column.declaration), "\(column.declaration): \(value.prefix(60)) came back as \(text?.prefix(60) ?? "nil")")
                    id += 1
                }
            }
            let nulls = try await target.query("SELECT * FROM types_dbo.alltypes WHERE id = 0")
            for index in 1...Self.columns.count { #expect(try nulls.first?.isNull(at: index) == true) }
            // Out of SQL Server's tinyint range is refused as it would be on the source.
            await #expect(throws: PostgresError.self) {
                try await target.query("INSERT INTO types_dbo.alltypes (id, c1) VALUES (9999, $1)", [.text("256")])
            }
        }
    }

    /// Whether PostgreSQL's text output is the value written, allowing for its canonical forms.
    static func same(_ output: String?, _ input: String, _ declaration: String) -> Bool {
        guard let output else { return false }
        if output == input { return true }
        switch declaration {
        case "uniqueidentifier": return output == input.lowercased()
        case "datetimeoffset(7)":
            // The session runs in UTC: PostgreSQL prints the same instant at +00.
            let instants = ["0001-01-01 00:00:00-12:00": "0001-01-01 12:00:00+00", "9999-12-31 23:59:59.999999+14:00": "9999-12-31 09:59:59.999999+00"]
            return instants[input] == output
        case "real", "float": return Double(output) == Double(input)
        case "bit": return output == String(input.prefix(1))
        case "time(7)", "datetime2(7)", "datetime", "smalldatetime", "datetime2(3)":
            return output == input.replacing(".000", with: "") || output.hasPrefix(input.replacing(".000", with: ""))
        case "char(10)", "nchar(4000)":
            // character(n) pads; its text cast drops the padding, as SQL Server's comparisons ignore it.
            var trimmed = Substring(input)
            while trimmed.last == " " { trimmed = trimmed.dropLast() }
            return output == trimmed
        case "sql_variant": return output.replacing(" ", with: "") == input
        default: return false
        }
    }
}
