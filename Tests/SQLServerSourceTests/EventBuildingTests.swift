import FerryCore
import Foundation
import FreeTDS
@testable import SQLServerSource
import Testing

/// Update masks, unchanged large values, and values from FreeTDS into events.
@Suite struct EventBuildingTests {
    @Test func updateMaskFollowsSQLServersBitOrder() {
        let all = UpdateMask([0x1F])
        #expect((1...5).allSatisfy { all.isSet(ordinal: $0) })
        #expect(!all.isSet(ordinal: 6))
        let third = UpdateMask([0x04])
        #expect(third.isSet(ordinal: 3))
        #expect(!third.isSet(ordinal: 1))
        // Nine columns: two bytes, ordinal 9 in the first (high) byte.
        let ninth = UpdateMask([0x01, 0x00])
        #expect(ninth.isSet(ordinal: 9))
        #expect(!ninth.isSet(ordinal: 1))
        #expect(UpdateMask.with(ordinals: [1, 2, 3, 4, 5], count: 5) == all)
        #expect(UpdateMask.with(ordinals: [9], count: 9) == ninth)
        #expect(!UpdateMask([]).isSet(ordinal: 1))
    }

    static let columns: [CapturedColumn] = [
        CapturedColumn(ordinal: 1, definition: ColumnDefinition(name: "id", type: try! SQLServerDataType(.int), isNullable: false)),
        CapturedColumn(ordinal: 2, definition: ColumnDefinition(name: "doc", type: try! SQLServerDataType(.nvarchar, length: .max))),
        CapturedColumn(ordinal: 3, definition: ColumnDefinition(name: "legacy", type: try! SQLServerDataType(.text))),
        CapturedColumn(ordinal: 4, definition: ColumnDefinition(name: "note", type: try! SQLServerDataType(.nvarchar, length: .limited(20)))),
    ]

    static func change(_ operation: ChangeRow.Operation, mask: [Int], _ values: [ColumnValue]) -> ChangeRow {
        ChangeRow(commitLSN: LSN(virtualLogFile: 1, block: 2, slot: 3), commandID: 1, sequenceValue: LSN(virtualLogFile: 1, block: 2, slot: 1),
                  operation: operation, updateMask: UpdateMask.with(ordinals: mask, count: 4), values: values)
    }

    @Test func largeValuesCDCLeftOutAreUnchangedNotNull() {
        // An update of `note` only: SQL Server leaves the (max) and text values NULL.
        let before = EventBuilder.image(of: Self.change(.updateBefore, mask: [4], [.int(1), .null, .null, .string("a")]), columns: Self.columns)
        let after = EventBuilder.image(of: Self.change(.updateAfter, mask: [4], [.int(1), .null, .null, .string("b")]), columns: Self.columns)
        #expect(before["doc"] == .unchanged && before["legacy"] == .unchanged)
        #expect(after["doc"] == .unchanged && after["legacy"] == .unchanged)
        #expect(after["note"] == .string("b"))
        // Setting doc to NULL: the bit is set, so NULL is real.
        let cleared = EventBuilder.image(of: Self.change(.updateAfter, mask: [2], [.int(1), .null, .null, .string("b")]), columns: Self.columns)
        #expect(cleared["doc"] == .null)
        // A delete: text is always NULL in the before image, (max) carries its value or a real NULL.
        let deleted = EventBuilder.image(of: Self.change(.delete, mask: [1, 2, 3, 4], [.int(1), .null, .null, .null]), columns: Self.columns)
        #expect(deleted["legacy"] == .unchanged)
        #expect(deleted["doc"] == .null)
        #expect(deleted["note"] == .null)
        // An insert keeps NULLs.
        let inserted = EventBuilder.image(of: Self.change(.insert, mask: [1, 2, 3, 4], [.int(1), .null, .null, .null]), columns: Self.columns)
        #expect(inserted["doc"] == .null && inserted["legacy"] == .null)
    }

    @Test func eventsCarryTheirPositionAndEncode() throws {
        let table = TableIdentity(database: "HR", schema: "dbo", table: "docs")
        let change = PairedChange(operation: .update, first: Self.change(.updateBefore, mask: [4], [.int(7), .null, .null, .string("a")]),
                                  after: Self.change(.updateAfter, mask: [4], [.int(7), .null, .null, .string("b")]))
        let event = try EventBuilder.event(for: change, columns: Self.columns, table: table, prefix: "srv", commitMilliseconds: 1_700_000_000_000, serial: 1, nowMilliseconds: 1_700_000_000_500)
        #expect(event.operation == .update)
        #expect(event.source.commitLSN == LSN(virtualLogFile: 1, block: 2, slot: 3))
        #expect(event.source.changeLSN == LSN(virtualLogFile: 1, block: 2, slot: 1))
        #expect(event.before?["note"] == .string("a"))
        let schema = try TableSchema(identity: table, columns: Self.columns.map(\.definition), keyColumns: ["id"])
        let records = try EnvelopeCodec().encode(event, schema: schema)
        let value = String(decoding: records[0].value!, as: UTF8.self)
        #expect(value.contains("\"doc\":{\"__ferry_unchanged\":true}"))
        #expect(value.contains("\"commit_lsn\":\"00000001:00000002:0003\""))
        #expect(String(decoding: records[0].key!, as: UTF8.self) == "{\"id\":7}")
    }

    static func type(_ declaration: String) throws -> SQLServerDataType { try SQLServerDataType(declaration: declaration) }

    @Test func everyTypeConvertsExactly() throws {
        let cases: [(TDSValue, String, ColumnValue)] = [
            (.bit(true), "bit", .bool(true)),
            (.tinyInt(255), "tinyint", .int(255)),
            (.smallInt(-32768), "smallint", .int(-32768)),
            (.int(.max), "int", .int(Int64(Int32.max))),
            (.bigInt(.min), "bigint", .int(.min)),
            (.decimal(TDSDecimal(unscaledValue: -125, scale: 1, precision: 10)), "decimal(10,4)", .decimal(ExactDecimal(unscaled: -125000, scale: 4)!)),
            (.money(TDSMoney(tenThousandths: .min)), "money", .decimal(ExactDecimal("-922337203685477.5808")!)),
            (.money(TDSMoney(tenThousandths: -2_147_483_648)), "smallmoney", .decimal(ExactDecimal("-214748.3648")!)),
            (.real(3.4028235e38), "real", .real(3.4028235e38)),
            (.float(-1.7976931348623157e308), "float", .float(-1.7976931348623157e308)),
            (.date(TDSDate(year: 1, month: 1, day: 1)), "date", .date(SQLDate(year: 1, month: 1, day: 1)!)),
            (.time(TDSTime(hour: 23, minute: 59, second: 59, nanosecond: 999_999_900)), "time(7)", .time(SQLTime(hour: 23, minute: 59, second: 59, fraction: 9_999_999)!)),
            (.dateTime(TDSDateTime(date: TDSDate(year: 9999, month: 12, day: 31), time: TDSTime(hour: 23, minute: 59, second: 59, nanosecond: 999_999_900))), "datetime2(7)",
             .dateTime(SQLDateTime(date: SQLDate(year: 9999, month: 12, day: 31)!, time: SQLTime(hour: 23, minute: 59, second: 59, fraction: 9_999_999)!))),
            // datetime: 1/300 s ticks arrive rounded to 100 ns (3.3333 ms); SQL Server prints .003.
            (.dateTime(TDSDateTime(date: TDSDate(year: 2024, month: 2, day: 29), time: TDSTime(nanosecondsSinceMidnight: 3_333_300, fractionalDigits: 3))), "datetime",
             .dateTime(SQLDateTime(date: SQLDate(year: 2024, month: 2, day: 29)!, time: SQLTime(ticks: 30_000)!))),
            (.dateTime(TDSDateTime(date: TDSDate(year: 2079, month: 6, day: 6), time: TDSTime(hour: 23, minute: 59, second: 0))), "smalldatetime",
             .dateTime(SQLDateTime(date: SQLDate(year: 2079, month: 6, day: 6)!, time: SQLTime(hour: 23, minute: 59, second: 0)!))),
            (.dateTimeOffset(TDSDateTimeOffset(local: TDSDateTime(date: TDSDate(year: 2020, month: 1, day: 1), time: TDSTime(hour: 5, minute: 45, second: 0)), offsetMinutes: 345)),
             "datetimeoffset(7)", .dateTimeOffset(SQLDateTimeOffset(local: SQLDateTime(date: SQLDate(year: 2020, month: 1, day: 1)!, time: SQLTime(hour: 5, minute: 45, second: 0)!), offsetMinutes: 345)!)),
            (.string("ab "), "char(3)", .string("ab ")),
            (.string("😀 𝄞 中"), "nvarchar(20)", .string("😀 𝄞 中")),
            (.string(""), "varchar(max)", .string("")),
            (.string("<a b=\"1\"/>"), "xml", .string("<a b=\"1\"/>")),
            (.bytes([0, 255, 16, 128]), "varbinary(8)", .bytes([0, 255, 16, 128])),
            (.bytes([0, 0, 0, 0, 0, 0, 7, 209]), "rowversion", .bytes([0, 0, 0, 0, 0, 0, 7, 209])),
            (.uniqueIdentifier(TDSGUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!), "uniqueidentifier", .guid(UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!)),
            (.string("/1/3.5/-2/"), "hierarchyid", .string("/1/3.5/-2/")),
            (.null, "int", .null),
        ]
        for (input, declaration, expected) in cases {
            let converted = try ValueConverter.convert(input, to: try Self.type(declaration))
            #expect(converted == expected, "\(declaration)")
            // And the event encoding accepts it at the column's declared precision.
            _ = try EnvelopeCodec.encodeColumnValue(converted, as: try Self.type(declaration))
        }
        #expect(try ValueConverter.spatial(wellKnownBinary: .bytes([1, 1, 0, 0, 0]), srid: .int(4326)) == .spatial(srid: 4326, wellKnownBinary: [1, 1, 0, 0, 0]))
        #expect(try ValueConverter.variant(value: .decimal(TDSDecimal(unscaledValue: 1234, scale: 2, precision: 10)), baseType: .string("decimal"),
                                           precision: .int(10), scale: .int(2), maxLength: .int(9))
                == .variant(try Self.type("decimal(10,2)"), .decimal(ExactDecimal("12.34")!)))
        // As ColumnProjection selects them: decimal and character base types as text, the
        // others as db-lib's buffer for the base type.
        #expect(try ValueConverter.variant(value: .null, text: .string("-0.50"), baseType: .string("numeric"),
                                           precision: .int(10), scale: .int(2), maxLength: .int(9))
                == .variant(try Self.type("numeric(10,2)"), .decimal(ExactDecimal("-0.50")!)))
        #expect(try ValueConverter.variant(value: .null, text: .string("ab  "), baseType: .string("nchar"),
                                           precision: .int(0), scale: .int(0), maxLength: .int(8))
                == .variant(try Self.type("nchar(4)"), .string("ab  ")))
        #expect(try ValueConverter.variant(value: .bytes([0, 0, 0, 0, 0, 0, 0xF0, 0x7F]), baseType: .string("float"),
                                           precision: .int(53), scale: .int(0), maxLength: .int(8))
                == .variant(try Self.type("float"), .float(.infinity)))
        #expect(try ValueConverter.variant(value: .bytes([0xFE, 0xFF]), baseType: .string("smallint"),
                                           precision: .int(5), scale: .int(0), maxLength: .int(2))
                == .variant(try Self.type("smallint"), .int(-2)))
        // A decimal whose text has more digits than its scale is an error, not a rounding.
        #expect(throws: SourceError.self) {
            try ValueConverter.variant(value: .null, text: .string("1.234"), baseType: .string("decimal"), precision: .int(10), scale: .int(2), maxLength: .int(9))
        }
        #expect(throws: SourceError.self) {
            try ValueConverter.variant(value: .bytes([1, 2, 3]), baseType: .string("int"), precision: .int(10), scale: .int(0), maxLength: .int(4))
        }
    }

    @Test func valuesThatDoNotFitAreErrorsNamingTheType() throws {
        #expect(throws: SourceError.self) { try ValueConverter.convert(.int(300), to: try Self.type("tinyint")) }
        #expect(throws: SourceError.self) { try ValueConverter.convert(.decimal(TDSDecimal(unscaledValue: 12345, scale: 3)), to: try Self.type("decimal(10,2)")) }
        #expect(throws: SourceError.self) { try ValueConverter.convert(.string("x"), to: try Self.type("int")) }
        #expect(throws: SourceError.self) { try ValueConverter.convert(.bit(true), to: try Self.type("int")) }
    }

    @Test func catalogTypesBecomeDeclarations() throws {
        #expect(try SQLServerDataType.fromCatalog(typeName: "nvarchar", maxLength: 100, precision: 0, scale: 0).description == "nvarchar(50)")
        #expect(try SQLServerDataType.fromCatalog(typeName: "varbinary", maxLength: -1, precision: 0, scale: 0).description == "varbinary(max)")
        #expect(try SQLServerDataType.fromCatalog(typeName: "decimal", maxLength: 17, precision: 38, scale: 6).description == "decimal(38,6)")
        #expect(try SQLServerDataType.fromCatalog(typeName: "datetime2", maxLength: 8, precision: 27, scale: 7).description == "datetime2(7)")
        #expect(try SQLServerDataType.fromCatalog(typeName: "timestamp", maxLength: 8, precision: 0, scale: 0).name == .rowversion)
        #expect(throws: SourceError.self) { try SQLServerDataType.fromCatalog(typeName: "widget", maxLength: 1, precision: 0, scale: 0) }
    }

    @Test func projectionSelectsCompanionColumnsForSpecialTypes() throws {
        let projection = try ColumnProjection(columns: [
            ColumnDefinition(name: "id", type: try Self.type("int")),
            ColumnDefinition(name: "shape", type: try Self.type("geography")),
            ColumnDefinition(name: "node", type: try Self.type("hierarchyid")),
            ColumnDefinition(name: "any", type: try Self.type("sql_variant")),
        ], alias: "ct")
        #expect(projection.selectList[0] == "ct.[id]")
        #expect(projection.selectList[1] == "ct.[shape].AsBinaryZM()")
        #expect(projection.selectList[2] == "ct.[shape].STSrid")
        #expect(projection.selectList[3] == "CAST(ct.[node] AS nvarchar(4000))")
        let textual = "SQL_VARIANT_PROPERTY(ct.[any], 'BaseType') IN ('decimal', 'numeric', 'char', 'varchar', 'nchar', 'nvarchar')"
        #expect(projection.selectList[4] == "CASE WHEN \(textual) THEN NULL ELSE ct.[any] END")
        #expect(projection.selectList[5] == "CASE WHEN \(textual) THEN CAST(ct.[any] AS nvarchar(max)) END")
        #expect(projection.selectList[6] == "SQL_VARIANT_PROPERTY(ct.[any], 'BaseType')")
        #expect(projection.width == 10)
        let values = try projection.decode([.int(1), .bytes([1]), .int(4326), .string("/1/"), .bytes([5, 0, 0, 0]), .null, .string("int"), .int(10), .int(0), .int(4)], from: 0)
        #expect(values == [.int(1), .spatial(srid: 4326, wellKnownBinary: [1]), .string("/1/"), .variant(try Self.type("int"), .int(5))])
        let text = try projection.decode([.int(1), .null, .null, .null, .null, .string("12.30"), .string("decimal"), .int(10), .int(2), .int(9)], from: 0)
        #expect(text[3] == .variant(try Self.type("decimal(10,2)"), .decimal(ExactDecimal("12.30")!)))
        let null = try projection.decode([.int(1), .null, .null, .null, .null, .null, .null, .null, .null, .null], from: 0)
        #expect(null[3] == .null)
    }
}
