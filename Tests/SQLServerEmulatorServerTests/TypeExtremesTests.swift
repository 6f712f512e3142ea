import FreeTDS
import Testing

/// Every SQL Server type the emulator stores, at its extremes, written with INSERT (as literals
/// and as RPC parameters) and read back with SELECT through FreeTDS.
@Suite struct TypeExtremesTests {
    static let table = """
        CREATE TABLE dbo.extremes (
            id int NOT NULL PRIMARY KEY,
            ti tinyint NULL, si smallint NULL, i int NULL, bi bigint NULL, b bit NULL,
            d38 decimal(38, 0) NULL, d38s decimal(38, 38) NULL, d38m decimal(38, 10) NULL, n numeric(5, 2) NULL,
            m money NULL, sm smallmoney NULL, f float NULL, r real NULL,
            dt date NULL, t7 time(7) NULL, t0 time(0) NULL, dtm datetime NULL, sdt smalldatetime NULL,
            dt2 datetime2(7) NULL, dt23 datetime2(3) NULL, dto datetimeoffset(7) NULL,
            c char(3) NULL, vc varchar(10) NULL, nc nchar(3) NULL, nvc nvarchar(10) NULL,
            nvmax nvarchar(max) NULL, vbmax varbinary(max) NULL, bin binary(4) NULL, vb varbinary(8) NULL,
            g uniqueidentifier NULL, x xml NULL);
        """

    @Test func extremesRoundTripThroughLiterals() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let connection = try await EmulatorHarness.connect(port: port)
            _ = try await connection.execute(Self.table)
            _ = try await connection.execute("""
                INSERT INTO dbo.extremes VALUES (1, 0, -32768, -2147483648, -9223372036854775808, 0,
                    -99999999999999999999999999999999999999, -0.99999999999999999999999999999999999999,
                    -9999999999999999999999999999.9999999999, -999.99,
                    -922337203685477.5808, -214748.3648, -1.79E+308, -3.40E+38,
                    '0001-01-01', '00:00:00.0000000', '00:00:00', '1753-01-01 00:00:00.000', '1900-01-01 00:00',
                    '0001-01-01 00:00:00.0000000', '0001-01-01 00:00:00.000', '0001-01-01 00:00:00.0000000 -12:00',
                    'abc', '', N'日本語', N'', N'', 0x, 0x00000000, 0x,
                    '00000000-0000-0000-0000-000000000000', '<a/>');
                INSERT INTO dbo.extremes VALUES (2, 255, 32767, 2147483647, 9223372036854775807, 1,
                    99999999999999999999999999999999999999, 0.99999999999999999999999999999999999999,
                    9999999999999999999999999999.9999999999, 999.99,
                    922337203685477.5807, 214748.3647, 1.79E+308, 3.40E+38,
                    '9999-12-31', '23:59:59.9999999', '23:59:59', '9999-12-31 23:59:59.997', '2079-06-06 23:59',
                    '9999-12-31 23:59:59.9999999', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.9999999 +14:00',
                    'xyz', 'abcdefghij', N'äöü', N'𝄞日本語', REPLICATE(CAST(N'é' AS nvarchar(max)), 1048576),
                    CAST(REPLICATE(CAST('z' AS varchar(max)), 1048576) AS varbinary(max)), 0xFFFFFFFF, 0x0102030405060708,
                    '01020304-0506-0708-090A-0B0C0D0E0F10', N'<r a="1">é</r>');
                INSERT INTO dbo.extremes (id) VALUES (3);
                INSERT INTO dbo.extremes (id, dt2, t7, dto) VALUES (4, '2024-02-29 12:34:56.1234567', '12:34:56.0000001', '2024-02-29 12:34:56.1234567 +05:30');
                """)
            let rows = try await connection.query("SELECT * FROM dbo.extremes ORDER BY id")
            try #require(rows.count == 4)
            Self.expectMinimums(rows[0])
            Self.expectMaximums(rows[1])
            // NULL of every type.
            #expect(rows[2].values.dropFirst().allSatisfy { $0.isNull })
            Self.expectHundredNanoseconds(rows[3])
            await connection.close()
        }
    }

    @Test func extremesRoundTripThroughParameters() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let connection = try await EmulatorHarness.connect(port: port)
            _ = try await connection.execute(Self.table)
            let maxDecimal = try #require(TDSDecimal(exactly: "99999999999999999999999999999999999999"))
            let fraction = TDSDecimal(unscaledValue: -(Int128(10).power(38) - 1), scale: 38, precision: 38)
            _ = try await connection.call("sp_executesql", parameters: [
                .init(value: .string("INSERT INTO dbo.extremes (id, bi, d38, d38s, m, dt2, t7, dto, g, nvc, vb) VALUES (@id, @bi, @d38, @d38s, @m, @dt2, @t7, @dto, @g, @nvc, @vb)")),
                .init(value: .string("@id int, @bi bigint, @d38 decimal(38, 0), @d38s decimal(38, 38), @m money, @dt2 datetime2(7), @t7 time(7), @dto datetimeoffset(7), @g uniqueidentifier, @nvc nvarchar(10), @vb varbinary(8)")),
                .init(name: "@id", value: .int(1)),
                .init(name: "@bi", value: .bigInt(.max)),
                .init(name: "@d38", value: .decimal(maxDecimal)),
                .init(name: "@d38s", value: .decimal(fraction)),
                .init(name: "@m", value: .money(TDSMoney(tenThousandths: .max))),
                .init(name: "@dt2", value: .dateTime(TDSDateTime(daysSinceJanuaryFirst0001: 3_652_058, nanosecondsSinceMidnight: 86_399_999_999_900, fractionalDigits: 7))),
                .init(name: "@t7", value: .time(TDSTime(nanosecondsSinceMidnight: 100, fractionalDigits: 7))),
                .init(name: "@dto", value: .dateTimeOffset(TDSDateTimeOffset(
                    local: TDSDateTime(daysSinceJanuaryFirst0001: 0, nanosecondsSinceMidnight: 100, fractionalDigits: 7), offsetMinutes: -720))),
                .init(name: "@g", value: .uniqueIdentifier(try #require(TDSGUID(uuidString: "01020304-0506-0708-090A-0B0C0D0E0F10")))),
                .init(name: "@nvc", value: .string("𝄞é")),
                .init(name: "@vb", value: .bytes([0xFF, 0, 0x7F])),
            ])
            let row = try #require(try await connection.query("SELECT bi, d38, d38s, m, dt2, t7, dto, g, nvc, vb FROM dbo.extremes").first)
            #expect(row[0] == .bigInt(.max))
            #expect(row[1].description == "99999999999999999999999999999999999999")
            #expect(row[2].description == "-0.99999999999999999999999999999999999999")
            #expect(row[3] == .money(TDSMoney(tenThousandths: .max)))
            #expect(Self.nanoseconds(row[4]) == 86_399_999_999_900)
            if case .time(let time) = row[5] { #expect(time.nanosecondsSinceMidnight == 100) } else { Issue.record("t7 is \(row[5])") }
            #expect(row[6].description == "0001-01-01 00:00:00.0000001 -12:00")
            #expect(row[7].description.uppercased() == "01020304-0506-0708-090A-0B0C0D0E0F10")
            #expect(row[8] == .string("𝄞é"))
            #expect(row[9] == .bytes([0xFF, 0, 0x7F]))
            await connection.close()
        }
    }

    static func nanoseconds(_ value: TDSValue) -> Int64? {
        if case .dateTime(let dateTime) = value { dateTime.time.nanosecondsSinceMidnight } else { nil }
    }

    static func expectMinimums(_ row: TDSRow) {
        #expect(row["ti"] == .tinyInt(0))
        #expect(row["si"] == .smallInt(.min))
        #expect(row["i"] == .int(.min))
        #expect(row["bi"] == .bigInt(.min))
        #expect(row["b"] == .bit(false))
        #expect(row["d38"]?.description == "-99999999999999999999999999999999999999")
        #expect(row["d38s"]?.description == "-0.99999999999999999999999999999999999999")
        #expect(row["d38m"]?.description == "-9999999999999999999999999999.9999999999")
        #expect(row["n"]?.description == "-999.99")
        #expect(row["m"] == .money(TDSMoney(tenThousandths: .min)))
        #expect(row["sm"] == .money(TDSMoney(tenThousandths: -2_147_483_648)))
        #expect(row["f"] == .float(-1.79e308))
        #expect(row["r"] == .real(-3.40e38))
        #expect(row["dt"]?.description == "0001-01-01")
        #expect(row["t7"]?.description == "00:00:00.0000000")
        #expect(row["dtm"]?.description.hasPrefix("1753-01-01 00:00:00") == true)
        #expect(row["dt2"]?.description == "0001-01-01 00:00:00.0000000")
        #expect(row["dto"]?.description == "0001-01-01 00:00:00.0000000 -12:00")
        #expect(row["c"] == .string("abc"))
        #expect(row["vc"] == .string(""))
        #expect(row["nc"] == .string("日本語"))
        #expect(row["nvc"] == .string(""))
        #expect(row["nvmax"] == .string(""))
        #expect(row["vbmax"] == .bytes([]))
        #expect(row["bin"] == .bytes([0, 0, 0, 0]))
        #expect(row["vb"] == .bytes([]))
        #expect(row["g"]?.description == "00000000-0000-0000-0000-000000000000")
        #expect(row["x"] == .string("<a/>"))
    }

    static func expectMaximums(_ row: TDSRow) {
        #expect(row["ti"] == .tinyInt(255))
        #expect(row["si"] == .smallInt(.max))
        #expect(row["i"] == .int(.max))
        #expect(row["bi"] == .bigInt(.max))
        #expect(row["b"] == .bit(true))
        #expect(row["d38"]?.description == "99999999999999999999999999999999999999")
        #expect(row["d38s"]?.description == "0.99999999999999999999999999999999999999")
        #expect(row["d38m"]?.description == "9999999999999999999999999999.9999999999")
        #expect(row["m"] == .money(TDSMoney(tenThousandths: .max)))
        #expect(row["sm"] == .money(TDSMoney(tenThousandths: 2_147_483_647)))
        #expect(row["f"] == .float(1.79e308))
        #expect(row["r"] == .real(3.40e38))
        #expect(row["dt"]?.description == "9999-12-31")
        #expect(row["t7"]?.description == "23:59:59.9999999")
        #expect(row["t0"]?.description == "23:59:59")
        #expect(row["dtm"]?.description.hasPrefix("9999-12-31 23:59:59.99") == true)
        #expect(row["sdt"]?.description.hasPrefix("2079-06-06 23:59") == true)
        #expect(row["dt2"]?.description == "9999-12-31 23:59:59.9999999")
        #expect(row["dt23"]?.description == "9999-12-31 23:59:59.999")
        #expect(row["dto"]?.description == "9999-12-31 23:59:59.9999999 +14:00")
        #expect(row["nc"] == .string("äöü"))
        #expect(row["nvc"] == .string("𝄞日本語"))
        #expect(row["nvmax"]?.stringValue?.count == 1_048_576)
        #expect(row["nvmax"]?.stringValue?.allSatisfy { $0 == "é" } == true)
        #expect(row["vbmax"]?.bytesValue?.count == 1_048_576)
        #expect(row["bin"] == .bytes([0xFF, 0xFF, 0xFF, 0xFF]))
        #expect(row["vb"] == .bytes([1, 2, 3, 4, 5, 6, 7, 8]))
        // The GUID's text survives SQL Server's mixed-endian wire order both ways.
        #expect(row["g"]?.description.uppercased() == "01020304-0506-0708-090A-0B0C0D0E0F10")
        #expect(row["x"] == .string("<r a=\"1\">é</r>"))
    }

    static func expectHundredNanoseconds(_ row: TDSRow) {
        #expect(row["dt2"]?.description == "2024-02-29 12:34:56.1234567")
        #expect(row["t7"]?.description == "12:34:56.0000001")
        #expect(row["dto"]?.description == "2024-02-29 12:34:56.1234567 +05:30")
    }
}

extension Int128 {
    func power(_ exponent: Int) -> Int128 { (0..<exponent).reduce(1) { value, _ in value * self } }
}
