import FerryCore
import Foundation
import Testing

/// One value, its column type, and the exact JSON Ferry writes for it.
struct ValueCase: Sendable, CustomTestStringConvertible {
    let declaration: String
    let value: ColumnValue
    let json: String
    var testDescription: String { "\(declaration) \(json)" }
}

func dateTime(_ text: String) -> SQLDateTime { SQLDateTime(text)! }

let valueCases: [ValueCase] = [
    ValueCase(declaration: "bit", value: .bool(true), json: "true"),
    ValueCase(declaration: "bit", value: .bool(false), json: "false"),
    ValueCase(declaration: "tinyint", value: .int(255), json: "255"),
    ValueCase(declaration: "tinyint", value: .int(0), json: "0"),
    ValueCase(declaration: "smallint", value: .int(-32768), json: "-32768"),
    ValueCase(declaration: "int", value: .int(2_147_483_647), json: "2147483647"),
    ValueCase(declaration: "bigint", value: .int(.min), json: "-9223372036854775808"),
    ValueCase(declaration: "bigint", value: .int(.max), json: "9223372036854775807"),
    ValueCase(declaration: "real", value: .real(.greatestFiniteMagnitude), json: "3.4028235e+38"),
    ValueCase(declaration: "real", value: .real(-Float.leastNormalMagnitude), json: "-1.1754944e-38"),
    ValueCase(declaration: "float", value: .float(-.greatestFiniteMagnitude), json: "-1.7976931348623157e+308"),
    ValueCase(declaration: "float", value: .float(2.2250738585072014e-308), json: "2.2250738585072014e-308"),
    ValueCase(declaration: "float", value: .float(0.1), json: "0.1"),
    ValueCase(declaration: "decimal(38,0)", value: .decimal(ExactDecimal("99999999999999999999999999999999999999")!), json: "\"99999999999999999999999999999999999999\""),
    ValueCase(declaration: "decimal(38,0)", value: .decimal(ExactDecimal("-99999999999999999999999999999999999999")!), json: "\"-99999999999999999999999999999999999999\""),
    ValueCase(declaration: "decimal(38,4)", value: .decimal(ExactDecimal("-9999999999999999999999999999999999.9999")!), json: "\"-9999999999999999999999999999999999.9999\""),
    ValueCase(declaration: "numeric(38,38)", value: .decimal(ExactDecimal("0.00000000000000000000000000000000000001")!), json: "\"0.00000000000000000000000000000000000001\""),
    ValueCase(declaration: "decimal(5,2)", value: .decimal(ExactDecimal("-0.50")!), json: "\"-0.50\""),
    ValueCase(declaration: "money", value: .decimal(ExactDecimal("-922337203685477.5808")!), json: "\"-922337203685477.5808\""),
    ValueCase(declaration: "money", value: .decimal(ExactDecimal("922337203685477.5807")!), json: "\"922337203685477.5807\""),
    ValueCase(declaration: "smallmoney", value: .decimal(ExactDecimal("-214748.3648")!), json: "\"-214748.3648\""),
    ValueCase(declaration: "smallmoney", value: .decimal(ExactDecimal("214748.3647")!), json: "\"214748.3647\""),
    ValueCase(declaration: "date", value: .date(.min), json: "\"0001-01-01\""),
    ValueCase(declaration: "date", value: .date(.max), json: "\"9999-12-31\""),
    ValueCase(declaration: "date", value: .date(SQLDate(year: 2024, month: 2, day: 29)!), json: "\"2024-02-29\""),
    ValueCase(declaration: "time(7)", value: .time(SQLTime(ticks: SQLTime.ticksPerDay - 1)!), json: "\"23:59:59.9999999\""),
    ValueCase(declaration: "time(0)", value: .time(SQLTime(hour: 0, minute: 0, second: 0)!), json: "\"00:00:00\""),
    ValueCase(declaration: "time(3)", value: .time(SQLTime(hour: 12, minute: 30, second: 5, fraction: 1_230_000)!), json: "\"12:30:05.123\""),
    ValueCase(declaration: "datetime2(7)", value: .dateTime(dateTime("9999-12-31T23:59:59.9999999")), json: "\"9999-12-31T23:59:59.9999999\""),
    ValueCase(declaration: "datetime2(7)", value: .dateTime(dateTime("0001-01-01T00:00:00.0000001")), json: "\"0001-01-01T00:00:00.0000001\""),
    ValueCase(declaration: "datetime2(0)", value: .dateTime(dateTime("2024-05-10T19:00:01")), json: "\"2024-05-10T19:00:01\""),
    ValueCase(declaration: "datetime", value: .dateTime(dateTime("1753-01-01T00:00:00.003")), json: "\"1753-01-01T00:00:00.003\""),
    ValueCase(declaration: "datetime", value: .dateTime(dateTime("9999-12-31T23:59:59.997")), json: "\"9999-12-31T23:59:59.997\""),
    ValueCase(declaration: "smalldatetime", value: .dateTime(dateTime("2079-06-06T23:59:00")), json: "\"2079-06-06T23:59:00\""),
    ValueCase(declaration: "datetimeoffset(7)", value: .dateTimeOffset(SQLDateTimeOffset(local: dateTime("9999-12-31T23:59:59.9999999"), offsetMinutes: 14 * 60)!),
              json: "\"9999-12-31T23:59:59.9999999+14:00\""),
    ValueCase(declaration: "datetimeoffset(7)", value: .dateTimeOffset(SQLDateTimeOffset(local: dateTime("0001-01-01T00:00:00"), offsetMinutes: -12 * 60)!),
              json: "\"0001-01-01T00:00:00.0000000-12:00\""),
    ValueCase(declaration: "datetimeoffset(3)", value: .dateTimeOffset(SQLDateTimeOffset(local: dateTime("2024-05-10T19:00:01.604"), offsetMinutes: 5 * 60 + 45)!),
              json: "\"2024-05-10T19:00:01.604+05:45\""),
    ValueCase(declaration: "datetimeoffset(0)", value: .dateTimeOffset(SQLDateTimeOffset(local: dateTime("2024-05-10T19:00:01"), offsetMinutes: 0)!),
              json: "\"2024-05-10T19:00:01+00:00\""),
    ValueCase(declaration: "nvarchar(50)", value: .string(""), json: "\"\""),
    ValueCase(declaration: "nvarchar(50)", value: .null, json: "null"),
    ValueCase(declaration: "nvarchar(max)", value: .string("😀 𝄞 \u{10FFFF} é 中"), json: "\"😀 𝄞 \u{10FFFF} é 中\""),
    ValueCase(declaration: "varchar(20)", value: .string("quote \" back \\ tab \t nul \u{0} bell \u{7}"), json: #""quote \" back \\ tab \t nul \u0000 bell \u0007""#),
    ValueCase(declaration: "char(3)", value: .string("ab "), json: "\"ab \""),
    ValueCase(declaration: "ntext", value: .string("legacy"), json: "\"legacy\""),
    ValueCase(declaration: "xml", value: .string("<a b=\"1\"/>"), json: #""<a b=\"1\"/>""#),
    ValueCase(declaration: "nvarchar(max)", value: .unchanged, json: #"{"__ferry_unchanged":true}"#),
    ValueCase(declaration: "varbinary(max)", value: .unchanged, json: #"{"__ferry_unchanged":true}"#),
    ValueCase(declaration: "image", value: .unchanged, json: #"{"__ferry_unchanged":true}"#),
    ValueCase(declaration: "text", value: .unchanged, json: #"{"__ferry_unchanged":true}"#),
    ValueCase(declaration: "varbinary(10)", value: .bytes([]), json: "\"\""),
    ValueCase(declaration: "varbinary(10)", value: .null, json: "null"),
    ValueCase(declaration: "binary(4)", value: .bytes([0x00, 0xff, 0x10, 0x80]), json: "\"AP8QgA==\""),
    ValueCase(declaration: "rowversion", value: .bytes([0, 0, 0, 0, 0, 0, 0x07, 0xd1]), json: "\"AAAAAAAAB9E=\""),
    ValueCase(declaration: "uniqueidentifier", value: .guid(UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!), json: "\"6F9619FF-8B86-D011-B42D-00C04FC964FF\""),
    ValueCase(declaration: "uniqueidentifier", value: .guid(UUID(uuidString: "00000000-0000-0000-0000-000000000000")!), json: "\"00000000-0000-0000-0000-000000000000\""),
    ValueCase(declaration: "hierarchyid", value: .string("/1/3.5/"), json: "\"/1/3.5/\""),
    ValueCase(declaration: "geography", value: .spatial(srid: 4326, wellKnownBinary: [1, 1, 0, 0, 0]), json: #"{"wkb":"AQEAAAA=","srid":4326}"#),
    ValueCase(declaration: "sql_variant", value: .variant(try! SQLServerDataType(declaration: "decimal(10,2)"), .decimal(ExactDecimal("12.34")!)),
              json: #"{"type":"decimal(10,2)","value":"12.34"}"#),
    ValueCase(declaration: "sql_variant", value: .variant(try! SQLServerDataType(declaration: "int"), .int(7)), json: #"{"type":"int","value":7}"#),
]

@Suite struct ColumnValueJSONTests {
    @Test(arguments: valueCases)
    func everyTypeEncodesExactlyAndRoundTrips(_ c: ValueCase) throws {
        let type = try SQLServerDataType(declaration: c.declaration)
        let json = try EnvelopeCodec.encodeColumnValue(c.value, as: type)
        #expect(json == c.json)
        #expect(try EnvelopeCodec.decodeColumnValue(json, as: type) == c.value)
    }

    @Test func decimalsAreRescaledToTheColumnScaleWithoutRounding() throws {
        let type = try SQLServerDataType(declaration: "decimal(10,4)")
        #expect(try EnvelopeCodec.encodeColumnValue(.decimal(ExactDecimal("12.5")!), as: type) == "\"12.5000\"")
        #expect(try EnvelopeCodec.decodeColumnValue("\"12.5\"", as: type) == .decimal(ExactDecimal("12.5000")!))
        #expect(throws: FerryCoreError.self) { try EnvelopeCodec.encodeColumnValue(.decimal(ExactDecimal("1.23456")!), as: type) }
        #expect(throws: FerryCoreError.self) { try EnvelopeCodec.encodeColumnValue(.decimal(ExactDecimal("1234567.1")!), as: type) }
    }

    @Test(arguments: [
        ("tinyint", ColumnValue.int(256)), ("tinyint", .int(-1)), ("smallint", .int(32768)), ("int", .int(Int64(Int32.max) + 1)),
        ("money", .decimal(ExactDecimal("922337203685477.5808")!)), ("smallmoney", .decimal(ExactDecimal("-214748.3649")!)),
        ("datetime2(3)", .dateTime(SQLDateTime("2024-01-01T00:00:00.0001")!)), ("time(0)", .time(SQLTime("00:00:00.5")!)),
        ("datetime", .dateTime(SQLDateTime("1752-12-31T00:00:00")!)), ("datetime", .dateTime(SQLDateTime("2000-01-01T00:00:00.0033333")!)),
        ("smalldatetime", .dateTime(SQLDateTime("2079-06-07T00:00:00")!)), ("smalldatetime", .dateTime(SQLDateTime("2000-01-01T00:00:30")!)),
        ("float", .float(.infinity)), ("real", .real(.nan)),
    ])
    func valuesOutsideTheColumnTypeAreRefused(_ declaration: String, _ value: ColumnValue) throws {
        let type = try SQLServerDataType(declaration: declaration)
        let error = try #require(throws: FerryCoreError.self) { try EnvelopeCodec.encodeColumnValue(value, as: type) }
        #expect(error.code == .valueOutOfRange)
        #expect(error.message.contains(declaration))
    }

    @Test(arguments: [
        ("int", ColumnValue.string("1")), ("nvarchar(10)", .int(1)), ("nvarchar(10)", .unchanged), ("int", .unchanged),
        ("real", .float(1)), ("uniqueidentifier", .string("6F9619FF-8B86-D011-B42D-00C04FC964FF")), ("date", .dateTime(SQLDateTime("2024-01-01T00:00:00")!)),
    ])
    func valuesOfTheWrongKindAreRefused(_ declaration: String, _ value: ColumnValue) throws {
        let type = try SQLServerDataType(declaration: declaration)
        let error = try #require(throws: FerryCoreError.self) { try EnvelopeCodec.encodeColumnValue(value, as: type) }
        #expect(error.code == .typeMismatch)
    }

    @Test(arguments: [
        ("int", "\"1\""), ("int", "1.5"), ("tinyint", "256"), ("bigint", "9223372036854775808"), ("bit", "1"), ("decimal(5,2)", "1.5"),
        ("decimal(5,2)", "\"1e3\""), ("decimal(5,2)", "\"1.234\""), ("date", "\"2023-02-29\""), ("date", "\"10000-01-01\""), ("date", "738000"),
        ("time(3)", "\"24:00:00\""), ("time(3)", "\"12:00:00.1234\""), ("datetime2(7)", "\"2024-01-01 25:00:00\""),
        ("datetimeoffset(7)", "\"2024-01-01T00:00:00+14:01\""), ("datetimeoffset(7)", "\"2024-01-01T00:00:00\""),
        ("uniqueidentifier", "\"6F9619FF8B86D011B42D00C04FC964FF\""), ("varbinary(10)", "\"not base64!\""), ("nvarchar(10)", "{\"__ferry_unchanged\":true}"),
        ("nvarchar(max)", "{\"__ferry_unchanged\":false}"), ("geography", "{\"wkb\":\"AQ==\"}"), ("sql_variant", "{\"type\":\"nvarchar(max)\",\"value\":\"x\"}"),
        ("nvarchar(10)", "\"unterminated"), ("int", "01"), ("float", "NaN"),
    ])
    func malformedValuesAreRefused(_ declaration: String, _ json: String) throws {
        let type = try SQLServerDataType(declaration: declaration)
        #expect(throws: FerryCoreError.self) { try EnvelopeCodec.decodeColumnValue(json, as: type) }
    }

    @Test func nonBMPTextSurvivesEscapedInput() throws {
        let type = try SQLServerDataType(declaration: "nvarchar(max)")
        #expect(try EnvelopeCodec.decodeColumnValue(#""\ud83d\ude00\u00e9""#, as: type) == .string("😀é"))
        #expect(throws: FerryCoreError.self) { try EnvelopeCodec.decodeColumnValue(#""\ud83d""#, as: type) }
        #expect(throws: FerryCoreError.self) { try EnvelopeCodec.decodeColumnValue(#""\ude00""#, as: type) }
    }

    @Test func temporalValuesConvertToAndFromEpochCounts() throws {
        #expect(SQLDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(SQLDate.min.daysSinceEpoch == -719_162)
        #expect(SQLDate.max.daysSinceEpoch == 2_932_896)
        #expect(SQLDate(daysSinceEpoch: -719_162) == .min)
        #expect(SQLDate(daysSinceEpoch: -719_163) == nil)
        #expect(SQLDate(daysSinceEpoch: 2_932_897) == nil)
        let latest = SQLDateTime("9999-12-31T23:59:59.9999999")!
        #expect(SQLDateTime(ticksSinceEpoch: latest.ticksSinceEpoch) == latest)
        let earliest = SQLDateTime("0001-01-01T00:00:00")!
        #expect(SQLDateTime(ticksSinceEpoch: earliest.ticksSinceEpoch) == earliest)
        #expect(SQLDateTime(ticksSinceEpoch: -1) == SQLDateTime("1969-12-31T23:59:59.9999999"))
        let offset = SQLDateTimeOffset("2024-05-10T19:00:01.604805+03:00")!
        #expect(offset.utc == SQLDateTime("2024-05-10T16:00:01.604805"))
    }
}
