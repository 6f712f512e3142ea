import FerryCore
import Testing

/// A valid Ferry insert for `customersSchema()`; each case below breaks one thing.
let validInsert = #"{"before":null,"after":{"id":1001,"name":"Sally","balance":"12.5000","notes":null},"# + sourceJSON + #","op":"c","ts_ms":1715367602000,"transaction":null}"#

struct BrokenEvent: Sendable, CustomTestStringConvertible {
    let replace: String
    let with: String
    let code: FerryCoreError.Code
    let field: String
    var testDescription: String { "\(field): \(with)" }
}

let brokenEvents: [BrokenEvent] = [
    BrokenEvent(replace: #""op":"c""#, with: #""op":"x""#, code: .invalidField, field: "op"),
    BrokenEvent(replace: #""op":"c","#, with: "", code: .missingField, field: "op"),
    BrokenEvent(replace: #""op":"c""#, with: #""op":1"#, code: .invalidField, field: "op"),
    BrokenEvent(replace: #""version":"ferry-1""#, with: #""version":"ferry-2""#, code: .unknownVersion, field: "source.version"),
    BrokenEvent(replace: #""version":"ferry-1""#, with: #""version":"9.0.0.Final""#, code: .unknownVersion, field: "source.version"),
    BrokenEvent(replace: #""version":"ferry-1""#, with: #""version":"latest""#, code: .unknownVersion, field: "source.version"),
    BrokenEvent(replace: #""version":"ferry-1","#, with: "", code: .missingField, field: "source.version"),
    BrokenEvent(replace: #""connector":"sqlserver""#, with: #""connector":"mysql""#, code: .invalidField, field: "source.connector"),
    BrokenEvent(replace: #""commit_lsn":"0000002d:00000580:001d""#, with: #""commit_lsn":"2d:580:1d""#, code: .invalidField, field: "source.commit_lsn"),
    BrokenEvent(replace: #""change_lsn":"0000002d:00000580:001b""#, with: #""change_lsn":7"#, code: .invalidField, field: "source.change_lsn"),
    BrokenEvent(replace: #""event_serial_no":1"#, with: #""event_serial_no":"1""#, code: .invalidField, field: "source.event_serial_no"),
    BrokenEvent(replace: #""snapshot":"false""#, with: #""snapshot":"maybe""#, code: .invalidField, field: "source.snapshot"),
    BrokenEvent(replace: #""snapshot":"false""#, with: #""snapshot":false"#, code: .invalidField, field: "source.snapshot"),
    BrokenEvent(replace: #""ts_ms":1715367601604,"#, with: "", code: .missingField, field: "source.ts_ms"),
    BrokenEvent(replace: #""ts_ms":1715367602000"#, with: #""ts_ms":1.5"#, code: .invalidField, field: "ts_ms"),
    BrokenEvent(replace: #""db":"inventory","#, with: #""db":"inventory","extra":1,"#, code: .invalidField, field: "source.extra"),
    BrokenEvent(replace: #""transaction":null"#, with: #""transaction":null,"more":1"#, code: .invalidField, field: "more"),
    BrokenEvent(replace: #""transaction":null"#, with: #""transaction":{"id":"x","total_order":1}"#, code: .missingField, field: "transaction.data_collection_order"),
    BrokenEvent(replace: #""id":1001"#, with: #""id":"1001""#, code: .invalidField, field: "after.id"),
    BrokenEvent(replace: #""id":1001"#, with: #""id":2147483648"#, code: .valueOutOfRange, field: "after.id"),
    BrokenEvent(replace: #""balance":"12.5000""#, with: #""balance":12.5"#, code: .invalidField, field: "after.balance"),
    BrokenEvent(replace: #""balance":"12.5000""#, with: #""balance":"12.50001""#, code: .valueOutOfRange, field: "after.balance"),
    BrokenEvent(replace: #""notes":null"#, with: #""notes":null,"ghost":1"#, code: .invalidField, field: "after.ghost"),
    BrokenEvent(replace: #""name":"Sally""#, with: #""name":{"__ferry_unchanged":true}"#, code: .invalidField, field: "after.name"),
    BrokenEvent(replace: #""after":{"#, with: #""after":["#, code: .malformedJSON, field: ""),
    BrokenEvent(replace: #""after":{"id":1001,"name":"Sally","balance":"12.5000","notes":null}"#, with: #""after":7"#, code: .invalidField, field: "after"),
    BrokenEvent(replace: #""before":null"#, with: #""before":{"id":1001}"#, code: .invalidEvent, field: "before"),
    BrokenEvent(replace: #""source":{"#, with: #""source":{"version":"ferry-1","#, code: .malformedJSON, field: ""),
    BrokenEvent(replace: #""table":"customers""#, with: #""table":"orders""#, code: .invalidEvent, field: ""),
]

@Suite struct EnvelopeDecodingErrorTests {
    @Test func theValidEventDecodes() throws {
        let decoded = try EnvelopeCodec().decode(key: nil, value: Array(validInsert.utf8), schema: try customersSchema())
        guard case .change(let event) = decoded else { Issue.record("expected a change"); return }
        #expect(event.after?["name"] == .string("Sally"))
    }

    @Test(arguments: brokenEvents)
    func eachBrokenEventThrowsNamingItsField(_ broken: BrokenEvent) throws {
        let text = validInsert.replacingOccurrences(of: broken.replace, with: broken.with)
        #expect(text != validInsert)
        let error = try #require(throws: FerryCoreError.self) {
            try EnvelopeCodec().decode(key: nil, value: Array(text.utf8), schema: try customersSchema())
        }
        #expect(error.code == broken.code)
        if !broken.field.isEmpty {
            #expect(error.context["field"] == broken.field)
            #expect(error.message.contains("'\(broken.field)'"))
        }
    }

    @Test(arguments: ["", "null", "[]", "\"x\"", "{", "{}", "{\"before\":null}", "{\"a\":1,\"a\":2}", "{\"schema\":{},\"payload\":[]}", String(repeating: "[", count: 200)])
    func malformedDocumentsThrow(_ text: String) {
        #expect(throws: FerryCoreError.self) {
            try EnvelopeCodec().decode(key: nil, value: Array(text.utf8), schema: nil)
        }
    }

    @Test func invalidUTF8IsRefused() {
        let bytes = Array(#"{"x":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let error = #expect(throws: FerryCoreError.self) { try EnvelopeCodec().decode(key: nil, value: bytes, schema: nil) }
        #expect(error?.code == .malformedJSON)
    }

    @Test func withoutTypeInformationDecodingSaysSo() throws {
        let error = try #require(throws: FerryCoreError.self) {
            try EnvelopeCodec().decode(key: nil, value: Array(validInsert.utf8), schema: nil)
        }
        #expect(error.code == .missingTypeInformation)
        #expect(error.message.contains("inventory.dbo.customers"))
    }

    @Test func keysAreCheckedAgainstTheTableKey() throws {
        let codec = EnvelopeCodec()
        #expect(try codec.decodeKey(Array(#"{"id":5}"#.utf8), schema: try customersSchema()) == ["id": .int(5)])
        #expect(throws: FerryCoreError.self) { try codec.decodeKey(Array(#"{"name":"x"}"#.utf8), schema: try customersSchema()) }
        #expect(throws: FerryCoreError.self) { try codec.decodeKey(Array(#"{"id":"5"}"#.utf8), schema: try customersSchema()) }
        #expect(throws: FerryCoreError.self) { try codec.decodeKey(Array(#"{"id":5}"#.utf8), schema: nil) }
    }
}
