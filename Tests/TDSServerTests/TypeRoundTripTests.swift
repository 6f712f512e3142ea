import FreeTDS
import Testing
import TDSServer

/// Every type the writer encodes, decoded by real FreeTDS db-lib, with extreme values.
@Suite("Value encodings through FreeTDS")
struct TypeRoundTripTests {
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        TDSDate(year: year, month: month, day: day).daysSinceJanuaryFirst0001
    }

    static let lastTick: Int64 = TDSWireValue.hundredNanosecondsPerDay - 1
    static let guid: [UInt8] = [0x6F, 0x96, 0x19, 0xFF, 0x8B, 0x86, 0xD0, 0x11, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF]
    static let maxDigits38 = Int128("99999999999999999999999999999999999999")!
    static let largeText = String(repeating: "ab𝄞é", count: 100_000)  // 1 000 000 bytes of UTF-16
    static let largeBytes = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    /// (column, minimum-ish value, maximum-ish value, expected client text for each).
    static let cases: [(TDSColumnDescription, TDSWireValue, TDSWireValue, String, String)] = [
        (.init(name: "tiny", type: .tinyInt), .tinyInt(0), .tinyInt(255), "0", "255"),
        (.init(name: "small", type: .smallInt), .smallInt(.min), .smallInt(.max), "-32768", "32767"),
        (.init(name: "int", type: .int), .int(.min), .int(.max), "-2147483648", "2147483647"),
        (.init(name: "big", type: .bigInt), .bigInt(.min), .bigInt(.max), "-9223372036854775808", "9223372036854775807"),
        (.init(name: "bit", type: .bit), .bit(false), .bit(true), "0", "1"),
        (.init(name: "real", type: .real), .real(-3.4028235e38), .real(1.1754944e-38), String(Float(-3.4028235e38)), String(Float(1.1754944e-38))),
        (.init(name: "float", type: .float), .float(-1.7976931348623157e308), .float(2.2250738585072014e-308), String(-1.7976931348623157e308), String(2.2250738585072014e-308)),
        (.init(name: "dec38", type: .decimal(precision: 38, scale: 0)), .decimal(unscaled: -maxDigits38, scale: 0), .decimal(unscaled: maxDigits38, scale: 0),
         "-99999999999999999999999999999999999999", "99999999999999999999999999999999999999"),
        (.init(name: "dec38s", type: .numeric(precision: 38, scale: 38)), .decimal(unscaled: -maxDigits38, scale: 38), .decimal(unscaled: 1, scale: 38),
         "-0.99999999999999999999999999999999999999", "0.00000000000000000000000000000000000001"),
        (.init(name: "dec9", type: .decimal(precision: 9, scale: 2)), .decimal(unscaled: -999_999_999, scale: 2), .int(42), "-9999999.99", "42.00"),
        (.init(name: "dec19", type: .decimal(precision: 19, scale: 4)), .decimal(unscaled: -12_345, scale: 1), .decimal(unscaled: 999_999_999_999_999_999_9, scale: 4),
         "-1234.5000", "999999999999999.9999"),
        (.init(name: "dec28", type: .decimal(precision: 28, scale: 10)), .decimal(unscaled: -1, scale: 10), .decimal(unscaled: Int128("9999999999999999999999999999")!, scale: 10),
         "-0.0000000001", "999999999999999999.9999999999"),
        (.init(name: "money", type: .money), .money(tenThousandths: .min), .money(tenThousandths: .max), "-922337203685477.5808", "922337203685477.5807"),
        (.init(name: "smallmoney", type: .smallMoney), .money(tenThousandths: Int64(Int32.min)), .money(tenThousandths: Int64(Int32.max)), "-214748.3648", "214748.3647"),
        (.init(name: "datetime", type: .dateTime), .dateTime(daysSinceJanuaryFirst0001: days(1753, 1, 1), hundredNanoseconds: 0),
         .dateTime(daysSinceJanuaryFirst0001: days(9999, 12, 31), hundredNanoseconds: 863_999_970_000), "1753-01-01 00:00:00.000", "9999-12-31 23:59:59.997"),
        (.init(name: "smalldatetime", type: .smallDateTime), .dateTime(daysSinceJanuaryFirst0001: days(1900, 1, 1), hundredNanoseconds: 0),
         .dateTime(daysSinceJanuaryFirst0001: days(2079, 6, 6), hundredNanoseconds: 863_400_000_000), "1900-01-01 00:00:00", "2079-06-06 23:59:00"),
        (.init(name: "date", type: .date), .date(daysSinceJanuaryFirst0001: 0), .date(daysSinceJanuaryFirst0001: days(9999, 12, 31)), "0001-01-01", "9999-12-31"),
        (.init(name: "time7", type: .time(scale: 7)), .time(hundredNanoseconds: 1), .time(hundredNanoseconds: lastTick), "00:00:00.0000001", "23:59:59.9999999"),
        (.init(name: "time0", type: .time(scale: 0)), .time(hundredNanoseconds: 0), .time(hundredNanoseconds: 863_990_000_000), "00:00:00", "23:59:59"),
        (.init(name: "time3", type: .time(scale: 3)), .time(hundredNanoseconds: 12_345_678), .time(hundredNanoseconds: 10_000), "00:00:01.235", "00:00:00.001"),
        (.init(name: "dt2", type: .dateTime2(scale: 7)), .dateTime(daysSinceJanuaryFirst0001: 0, hundredNanoseconds: 1),
         .dateTime(daysSinceJanuaryFirst0001: days(9999, 12, 31), hundredNanoseconds: lastTick), "0001-01-01 00:00:00.0000001", "9999-12-31 23:59:59.9999999"),
        (.init(name: "dt2s2", type: .dateTime2(scale: 2)), .dateTime(daysSinceJanuaryFirst0001: days(2024, 2, 29), hundredNanoseconds: 452_961_234_567),
         .dateTime(daysSinceJanuaryFirst0001: days(2024, 2, 28), hundredNanoseconds: lastTick), "2024-02-29 12:34:56.12", "2024-02-29 00:00:00.00"),
        (.init(name: "dto", type: .dateTimeOffset(scale: 7)),
         .dateTimeOffset(utcDaysSinceJanuaryFirst0001: days(2020, 1, 1), utcHundredNanoseconds: 0, offsetMinutes: 840),
         .dateTimeOffset(utcDaysSinceJanuaryFirst0001: days(2020, 1, 1), utcHundredNanoseconds: 1, offsetMinutes: -720),
         "2020-01-01 14:00:00.0000000 +14:00", "2019-12-31 12:00:00.0000001 -12:00"),
        (.init(name: "char", type: .char(length: 6)), .string("café"), .string(""), "café  ", "      "),
        (.init(name: "varchar", type: .varChar(maxLength: 30)), .string("€ Œuvre ½"), .string(""), "€ Œuvre ½", ""),
        (.init(name: "varcharutf8", type: .varChar(maxLength: 40, collation: .latin1General100CIASSCUTF8)), .string("Grüße 𝄞 😀"), .string("x"), "Grüße 𝄞 😀", "x"),
        (.init(name: "nchar", type: .nChar(length: 4)), .string("ß"), .string("𝄞ab"), "ß   ", "𝄞ab"),
        (.init(name: "nvarchar", type: .nVarChar(maxLength: 4000)), .string("Grüße 𝄞 😀"), .string(""), "Grüße 𝄞 😀", ""),
        (.init(name: "binary", type: .binary(length: 4)), .bytes([0xFF]), .bytes([1, 2, 3, 4]), "0xFF000000", "0x01020304"),
        (.init(name: "varbinary", type: .varBinary(maxLength: 8000)), .bytes([]), .bytes([0, 0xFF, 0x10]), "0x", "0x00FF10"),
        (.init(name: "guid", type: .uniqueIdentifier), .uniqueIdentifier(guid), .uniqueIdentifier([UInt8](repeating: 0, count: 16)),
         "6F9619FF-8B86-D011-B42D-00C04FC964FF", "00000000-0000-0000-0000-000000000000"),
        (.init(name: "nvarcharmax", type: .nVarChar(maxLength: nil)), .string(""), .string("𝄞 max"), "", "𝄞 max"),
        (.init(name: "varcharmax", type: .varChar(maxLength: nil)), .string(""), .string("café max"), "", "café max"),
        (.init(name: "varbinarymax", type: .varBinary(maxLength: nil)), .bytes([]), .bytes([9, 8, 7]), "0x", "0x090807"),
        (.init(name: "xml", type: .xml), .string("<a/>"), .string("<a b=\"é\">𝄞</a>"), "<a/>", "<a b=\"é\">𝄞</a>"),
        (.init(name: "text", type: .text()), .string(""), .string("café text"), "", "café text"),
        (.init(name: "ntext", type: .nText()), .string("𝄞"), .string("ntext ß"), "𝄞", "ntext ß"),
        (.init(name: "image", type: .image), .bytes([]), .bytes([0xCA, 0xFE]), "0x", "0xCAFE"),
    ]

    static let scripts: [String: ScriptedHandler.Script] = [
        "SELECT types": { _, _, response in
            let columns = cases.map(\.0)
            try await response.writeColumns(columns)
            try await response.writeRow(cases.map(\.1))
            try await response.writeRow(cases.map(\.2))
            try await response.writeRow(cases.map { _ in .null })
            // One NULL among values: sent as ROW with a NULL marker rather than NBCROW.
            try await response.writeRow(cases.enumerated().map { $0.offset == 2 ? .null : $0.element.2 })
            try await response.writeDone(rowCount: 4)
        },
        "SELECT large": { _, _, response in
            try await response.writeColumns([
                .init(name: "text", type: .nVarChar(maxLength: nil)), .init(name: "data", type: .varBinary(maxLength: nil)),
            ])
            try await response.writeRow([.string(largeText), .bytes(largeBytes)])
            try await response.writeRow([.string(""), .bytes([])])
            try await response.writeRow([.null, .null])
            try await response.writeDone(rowCount: 3)
        },
        "SELECT bad": { _, _, response in
            try await response.writeColumns([.init(name: "t", type: .tinyInt)])
            do {
                try await response.writeRow([.int(300)])
            } catch let error as TDSServerError {
                try await response.writeError(TDSServerMessage(number: 220, state: 1, severity: 16, text: error.message))
                try await response.writeDone(status: .error)
            }
        },
    ]

    @Test func everyTypeRoundTripsWithExtremeValues() async throws {
        let harness = try ServerHarness(scripts: Self.scripts)
        let connection = try await harness.connect()
        let result = try await connection.execute("SELECT types")
        let set = try #require(result.resultSets.first)
        #expect(set.columns.map(\.name) == Self.cases.map(\.0.name))
        #expect(set.rowCount == 4)
        try #require(set.rows.count == 4)
        for (index, testCase) in Self.cases.enumerated() {
            let name = testCase.0.name
            #expect(set.rows[0][index].description == testCase.3, "minimum of \(name)")
            #expect(set.rows[1][index].description == testCase.4, "maximum of \(name)")
            #expect(set.rows[2][index] == .null, "NULL of \(name)")
            #expect(set.rows[3][index] == (index == 2 ? .null : set.rows[1][index]), "mixed row, \(name)")
        }
        // Exact values, not just their text.
        #expect(set.rows[0]["big"] == .bigInt(.min))
        #expect(set.rows[1]["tiny"] == .tinyInt(255))
        #expect(set.rows[0]["money"] == .money(TDSMoney(tenThousandths: .min)))
        #expect(set.rows[0]["guid"] == .uniqueIdentifier(TDSGUID(bytes: Self.guid)!))
        #expect(set.rows[1]["float"] == .float(2.2250738585072014e-308))
        await connection.close()
        await harness.stop()
    }

    @Test func megabyteMaxValuesAndEmptyAndNull() async throws {
        let harness = try ServerHarness(scripts: Self.scripts)
        let connection = try await harness.connect()
        let rows = try await connection.query("SELECT large")
        try #require(rows.count == 3)
        #expect(rows[0]["text"] == .string(Self.largeText))
        #expect(rows[0]["data"] == .bytes(Self.largeBytes))
        #expect(rows[1]["text"] == .string(""))
        #expect(rows[1]["data"] == .bytes([]))
        #expect(rows[2]["text"] == .null)
        #expect(rows[2]["data"] == .null)
        await connection.close()
        await harness.stop()
    }

    @Test func aValueThatDoesNotFitIsRefusedBeforeAnyByteIsSent() async throws {
        let harness = try ServerHarness(scripts: Self.scripts)
        let connection = try await harness.connect()
        let error = await #expect(throws: TDSError.self) { try await connection.execute("SELECT bad") }
        #expect(error?.number == 220)
        #expect(error?.serverMessage?.text.contains("tinyint") == true)
        #expect(try await connection.query("MANY 2").count == 2)
        await connection.close()
        await harness.stop()
    }
}
