import FreeTDS
import Testing

/// `sql_variant` columns of every base type SQL Server allows, sent by the emulator as SSVARIANT
/// and read through FreeTDS db-lib.
@Suite struct VariantServerTests {
    /// (id, literal, base type, db-lib layout of the raw buffer or nil when read as text, the
    /// value's text as FreeTDS prints it).
    static let cases: [(Int, String, String, TDSDataType?, String)] = [
        (1, "CAST(255 AS tinyint)", "tinyint", .tinyInt, "255"),
        (2, "CAST(-32768 AS smallint)", "smallint", .smallInt, "-32768"),
        (3, "CAST(-2147483648 AS int)", "int", .int, "-2147483648"),
        (4, "CAST(9223372036854775807 AS bigint)", "bigint", .bigInt, "9223372036854775807"),
        (5, "CAST(1 AS bit)", "bit", .bit, "1"),
        (6, "CAST(-3.4028235E+38 AS real)", "real", .real, String(Float(-3.4028235e38))),
        (7, "CAST(2.2250738585072014E-308 AS float)", "float", .float, String(2.2250738585072014e-308)),
        (8, "CAST(-12345678901234567890.123456789012345678 AS decimal(38,18))", "decimal", nil, "-12345678901234567890.123456789012345678"),
        (9, "CAST(46279.1 AS numeric(8,2))", "numeric", nil, "46279.10"),
        (10, "CAST(-922337203685477.5808 AS money)", "money", .money, "-922337203685477.5808"),
        (11, "CAST(214748.3647 AS smallmoney)", "smallmoney", .smallMoney, "214748.3647"),
        (12, "CAST('0001-01-01' AS date)", "date", .date, "0001-01-01"),
        (13, "CAST('23:59:59.9999999' AS time(7))", "time", .time, "23:59:59.9999999"),
        (14, "CAST('9999-12-31 23:59:59.997' AS datetime)", "datetime", .dateTime, "9999-12-31 23:59:59.997"),
        (15, "CAST('2079-06-06 23:59' AS smalldatetime)", "smalldatetime", .smallDateTime, "2079-06-06 23:59:00"),
        (16, "CAST('0001-01-01 00:00:00.0000001' AS datetime2(7))", "datetime2", .dateTime2, "0001-01-01 00:00:00.0000001"),
        (17, "CAST('2020-01-01 10:00:00.1234567 -05:30' AS datetimeoffset(7))", "datetimeoffset", .dateTimeOffset, "2020-01-01 10:00:00.1234567 -05:30"),
        (18, "CAST('6F9619FF-8B86-D011-B42D-00C04FC964FF' AS uniqueidentifier)", "uniqueidentifier", .uniqueIdentifier, "6F9619FF-8B86-D011-B42D-00C04FC964FF"),
        (19, "CAST('ab' AS char(5))", "char", nil, "ab   "),
        (20, "CAST('café' AS varchar(10))", "varchar", nil, "café"),
        (21, "CAST(N'𝄞' AS nchar(4))", "nchar", nil, "𝄞  "),
        (22, "N'Grüße 😀'", "nvarchar", nil, "Grüße 😀"),
        (23, "CAST(0x01 AS binary(3))", "binary", .varBinary, "0x010000"),
        (24, "CAST(0xCAFE00 AS varbinary(10))", "varbinary", .varBinary, "0xCAFE00"),
    ]

    @Test func everyBaseTypeTravelsAsSSVariant() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let connection = try await EmulatorHarness.connect(port: port)
            _ = try await connection.execute("CREATE TABLE dbo.v (id int NOT NULL PRIMARY KEY, value sql_variant NULL)")
            let inserts = Self.cases.map { "INSERT INTO dbo.v (id, value) VALUES (\($0.0), \($0.1));" } + ["INSERT INTO dbo.v (id, value) VALUES (25, NULL);"]
            _ = try await connection.execute(inserts.joined(separator: "\n"))

            // The raw column: db-lib's buffer for the base type. Decimal and character base types
            // are kept out of this result set (FreeTDS cuts the first and would convert later
            // rows after the second; see TDSServerTests.VariantWireTests).
            let textTypes = "('decimal', 'numeric', 'char', 'varchar', 'nchar', 'nvarchar')"
            let raw = try await connection.execute("""
                SELECT id, value, SQL_VARIANT_PROPERTY(value, 'BaseType') FROM dbo.v
                WHERE value IS NULL OR SQL_VARIANT_PROPERTY(value, 'BaseType') NOT IN \(textTypes) ORDER BY id
                """)
            let set = try #require(raw.resultSets.first)
            #expect(set.columns[1].type == .variant)
            let rawCases = Self.cases.filter { $0.3 != nil }
            try #require(set.rows.count == rawCases.count + 1)
            for (row, testCase) in zip(set.rows, rawCases) {
                #expect(row[0] == .int(Int32(testCase.0)))
                #expect(row[2] == .string(testCase.2))
                guard case .bytes(let bytes) = row[1], let layout = testCase.3 else {
                    Issue.record("\(testCase.2): not bytes but \(row[1])")
                    continue
                }
                #expect(try TDSValue(decoding: bytes, as: layout).description == testCase.4, "\(testCase.2)")
            }
            #expect(set.rows.last?[1] == .null)
            // The bytes themselves for two: float bit for bit, the GUID in SQL Server's order.
            #expect(set.rows[6][1] == .bytes(Array(withUnsafeBytes(of: (2.2250738585072014e-308).bitPattern.littleEndian) { Array($0) })))
            #expect(set.rows[15][1] == .bytes([0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF]))

            // Character base types alone in a result set: UTF-8 bytes, padding kept.
            let characters = try await connection.query("""
                SELECT value FROM dbo.v WHERE SQL_VARIANT_PROPERTY(value, 'BaseType') IN ('char', 'varchar', 'nchar', 'nvarchar') ORDER BY id
                """)
            #expect(characters.map { $0[0] } == ["ab   ", "café", "𝄞  ", "Grüße 😀"].map { .bytes(Array($0.utf8)) })

            // Decimal and character base types as text, exact.
            let text = try await connection.query("""
                SELECT CAST(value AS nvarchar(max)) FROM dbo.v WHERE SQL_VARIANT_PROPERTY(value, 'BaseType') IN \(textTypes) ORDER BY id
                """)
            #expect(text.map { $0[0] } == Self.cases.filter { $0.3 == nil }.map { .string($0.4) })
            await connection.close()
        }
    }
}
