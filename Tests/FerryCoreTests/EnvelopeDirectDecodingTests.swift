@testable import FerryCore
import Testing

/// The direct envelope reader must give exactly what the general (tree) decoder gives, or step
/// aside (`nil`) — never accept what the general decoder refuses, never decode differently.
@Suite struct EnvelopeDirectDecodingTests {
    /// `nil` from the direct reader is fine; a result must equal the general decoder's.
    func expectAgreement(_ bytes: [UInt8], schema: TableSchema, mustBeDirect: Bool = false,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        let direct = EnvelopeCodec.decodeDirectly(bytes, schema: schema)
        let general: EnvelopeCodec.DecodedRecord? = try? EnvelopeCodec().decodeWithTree(bytes, schema: schema)
        if let direct {
            #expect(general == .change(direct), "direct and general decoding differ for \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        } else if mustBeDirect {
            Issue.record("the direct reader stepped aside for \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: valueCases)
    func everyValueTypeDecodesAlike(_ value: ValueCase) throws {
        let type = try SQLServerDataType(declaration: value.declaration)
        let schema = try TableSchema(identity: TableIdentity(database: "inventory", schema: "dbo", table: "customers"),
                                     columns: [ColumnDefinition(name: "id", type: try SQLServerDataType(declaration: "int"), isNullable: false),
                                               ColumnDefinition(name: "v", type: type)],
                                     keyColumns: ["id"])
        let text = #"{"before":null,"after":{"id":1,"v":"# + value.json + "}," + sourceJSON + #","op":"c","ts_ms":1,"transaction":null}"#
        expectAgreement(Array(text.utf8), schema: schema, mustBeDirect: true)
        let decoded = try #require(EnvelopeCodec.decodeDirectly(Array(text.utf8), schema: schema))
        #expect(decoded.after?["v"] == value.value)
    }

    @Test func eventsTheCodecWritesAreReadDirectly() throws {
        let schema = try customersSchema()
        let codec = EnvelopeCodec()
        let rows: [Row] = [
            ["id": .int(1), "name": .string("Sally 😀 \"quoted\" \\ tab\t"), "balance": .decimal(ExactDecimal("-0.0100")!), "notes": .null],
            ["id": .int(-2_147_483_648), "name": .string(""), "balance": .null, "notes": .unchanged],
            ["name": .string("out of order"), "id": .int(7)],
        ]
        for (index, row) in rows.enumerated() {
            let event = try ChangeEvent(operation: index == 1 ? .update : .create, before: index == 1 ? rows[0] : nil, after: row, source: source(),
                                        timestampMilliseconds: 1_715_367_602_000, transaction: .init(id: "0000002d:00000580:001d", totalOrder: 3, dataCollectionOrder: 2))
            let bytes = try codec.encodeValue(event, schema: schema)
            expectAgreement(bytes, schema: schema, mustBeDirect: true)
            // The codec writes columns in table order, so the out-of-order row comes back reordered.
            let decoded = try #require(EnvelopeCodec.decodeDirectly(bytes, schema: schema))
            #expect(decoded.after?.names == schema.columns.map(\.name).filter { row[$0] != nil })
            #expect(schema.columns.allSatisfy { decoded.after?[$0.name] == row[$0.name] })
            #expect(decoded.before == event.before && decoded.source == event.source && decoded.transaction == event.transaction)
        }
    }

    @Test func whitespaceEscapesAndOtherFormsAgree() throws {
        let schema = try customersSchema()
        let variants = [
            validInsert.replacingOccurrences(of: #"":"#, with: "\"  :\n ").replacingOccurrences(of: "\",\"", with: "\" ,\t\"")
                .replacingOccurrences(of: "{", with: "{ ").replacingOccurrences(of: "}", with: "\r}"),
            validInsert.replacingOccurrences(of: #""name":"Sally""#, with: #""name":"S\u00e9lly\n""#),
            validInsert.replacingOccurrences(of: #""balance":"12.5000""#, with: #""balance":"\u0031.5""#),
            validInsert.replacingOccurrences(of: #""name":"Sally""#, with: #""n\u0061me":"Sally""#),
            validInsert.replacingOccurrences(of: #""commit_lsn":"0000002d:00000580:001d""#, with: #""commit_lsn":"0x0000002D00000580001D""#),
            validInsert.replacingOccurrences(of: #""commit_lsn":"0000002d:00000580:001d""#, with: #""commit_lsn":"0000002D:00000580:001D""#),
            validInsert.replacingOccurrences(of: #""event_serial_no":1"#, with: #""event_serial_no":null"#),
            validInsert.replacingOccurrences(of: #""event_serial_no":1"#, with: #""event_serial_no":-0"#),
            validInsert.replacingOccurrences(of: #""transaction":null"#, with: #""transaction":{"total_order":2,"id":"t","data_collection_order":1}"#),
            validInsert.replacingOccurrences(of: #""before":null,"#, with: ""),
            validInsert.replacingOccurrences(of: #""id":1001"#, with: #""id":-0"#),
        ]
        for text in variants { expectAgreement(Array(text.utf8), schema: schema) }
        expectAgreement(Array(variants[0].utf8), schema: schema, mustBeDirect: true)
    }

    @Test func brokenEventsAreLeftToTheGeneralDecoder() throws {
        let schema = try customersSchema()
        for broken in brokenEvents {
            let text = validInsert.replacingOccurrences(of: broken.replace, with: broken.with)
            #expect(EnvelopeCodec.decodeDirectly(Array(text.utf8), schema: schema) == nil, "accepted: \(text)")
        }
        let more = [
            validInsert.replacingOccurrences(of: #""id":1001,"#, with: #""id":1001,"id":1002,"#),
            validInsert.replacingOccurrences(of: #""op":"c","#, with: #""op":"c","op":"c","#),
            validInsert.replacingOccurrences(of: #""db":"inventory","#, with: #""db":"inventory","db":"inventory","#),
            validInsert + " x",
            validInsert.replacingOccurrences(of: #""id":1001"#, with: #""id":01001"#),
            validInsert.replacingOccurrences(of: #""id":1001"#, with: #""id":1e3"#),
            validInsert.replacingOccurrences(of: #""ts_ms":1715367602000"#, with: #""ts_ms":99999999999999999999"#),
            validInsert.replacingOccurrences(of: #""balance":"12.5000""#, with: #""balance":"12.5.0""#),
            validInsert.replacingOccurrences(of: #""snapshot":"false","#, with: ""),
        ]
        for text in more {
            #expect(EnvelopeCodec.decodeDirectly(Array(text.utf8), schema: schema) == nil, "accepted: \(text)")
            #expect(throws: FerryCoreError.self) { try EnvelopeCodec().decode(key: nil, value: Array(text.utf8), schema: schema) }
        }
    }

    /// Every single-byte change of a valid event: the direct reader agrees or steps aside.
    @Test func mutatedEventsAgree() throws {
        let schema = try customersSchema()
        let text = #"{"before":{"id":7,"name":"A b","balance":"-1.0000","notes":"n"},"after":{"id":7,"name":"Sally","balance":"12.5000","notes":null},"#
            + sourceJSON + #","op":"u","ts_ms":1715367602000,"transaction":{"id":"x","total_order":1,"data_collection_order":1}}"#
        let original = Array(text.utf8)
        expectAgreement(original, schema: schema, mustBeDirect: true)
        let replacements: [UInt8] = Array(#" "\{}[],:0179-.eEnulltrfx"#.utf8) + [0x00, 0x1F, 0xC3, 0xFF]
        for index in original.indices {
            for replacement in replacements where replacement != original[index] {
                var mutated = original
                mutated[index] = replacement
                expectAgreement(mutated, schema: schema)
            }
            var shorter = original
            shorter.remove(at: index)
            expectAgreement(shorter, schema: schema)
        }
    }

    /// The byte writers print exactly what `description` / `formatted` print.
    @Test func byteWritersPrintTheSameText() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let scale = Int.random(in: 0...38, using: &generator)
            let magnitude = Int128(Int64.random(in: .min ... .max, using: &generator)) * Int128(Int64.random(in: 0...1_000_000_000, using: &generator))
            let decimal = try #require(ExactDecimal(unscaled: magnitude % ExactDecimal.maximumUnscaled, scale: scale))
            #expect(ValueJSONCoder.text { decimal.appendDescription(to: &$0) } == decimal.description)
            let dateTime = try #require(SQLDateTime(ticksSinceEpoch: Int64.random(in: -621_355_968_000_000_000 ... 2_534_023_007_999_999_999, using: &generator)))
            for digits in 0...7 {
                #expect(ValueJSONCoder.text { dateTime.appendFormatted(fractionDigits: digits, to: &$0) } == dateTime.formatted(fractionDigits: digits))
            }
            #expect(ValueJSONCoder.text { dateTime.date.appendDescription(to: &$0) } == dateTime.date.description)
            let lsn = LSN(virtualLogFile: UInt32.random(in: 0 ... .max, using: &generator), block: UInt32.random(in: 0 ... .max, using: &generator),
                          slot: UInt16.random(in: 0 ... .max, using: &generator))
            #expect(EnvelopeCodec.text(of: lsn) == lsn.description)
        }
        for decimal in ["0", "-0.01", "99999999999999999999999999999999999999", "-0.00000000000000000000000000000000000001", "12.5000"] {
            let value = try #require(ExactDecimal(decimal))
            #expect(ValueJSONCoder.text { value.appendDescription(to: &$0) } == decimal)
        }
    }
}
