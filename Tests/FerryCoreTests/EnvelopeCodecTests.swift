import FerryCore
import Foundation
import Testing

func customersSchema() throws -> TableSchema {
    try TableSchema(
        identity: TableIdentity(database: "inventory", schema: "dbo", table: "customers"),
        columns: [
            ColumnDefinition(name: "id", type: try SQLServerDataType(declaration: "int"), isNullable: false, isIdentity: true),
            ColumnDefinition(name: "name", type: try SQLServerDataType(declaration: "nvarchar(50)"), isNullable: false),
            ColumnDefinition(name: "balance", type: try SQLServerDataType(declaration: "money")),
            ColumnDefinition(name: "notes", type: try SQLServerDataType(declaration: "nvarchar(max)")),
        ],
        keyColumns: ["id"])
}

func source(snapshot: SourceInfo.Snapshot = .false, change: String? = "0000002d:00000580:001b", commit: String? = "0000002d:00000580:001d", serial: Int64? = 1) -> SourceInfo {
    SourceInfo(name: "ferry", table: TableIdentity(database: "inventory", schema: "dbo", table: "customers"),
               changeLSN: change.flatMap { LSN($0) }, commitLSN: commit.flatMap { LSN($0) }, eventSerialNumber: serial,
               timestampMilliseconds: 1_715_367_601_604, snapshot: snapshot)
}

func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

let sourceJSON = #""source":{"version":"ferry-1","connector":"sqlserver","name":"ferry","ts_ms":1715367601604,"snapshot":"false","db":"inventory","schema":"dbo","table":"customers","change_lsn":"0000002d:00000580:001b","commit_lsn":"0000002d:00000580:001d","event_serial_no":1}"#

@Suite struct EnvelopeCodecTests {
    let codec = EnvelopeCodec()

    @Test func insertGolden() throws {
        let schema = try customersSchema()
        let event = try ChangeEvent(operation: .create, before: nil,
                                    after: ["id": .int(1001), "name": .string("Sally 😀"), "balance": .decimal(ExactDecimal("12.5")!), "notes": .null],
                                    source: source(), timestampMilliseconds: 1_715_367_602_000)
        let records = try codec.encode(event, schema: schema)
        #expect(records.count == 1)
        #expect(text(records[0].key) == #"{"id":1001}"#)
        #expect(text(records[0].value) == #"{"before":null,"after":{"id":1001,"name":"Sally 😀","balance":"12.5000","notes":null},"# + sourceJSON + #","op":"c","ts_ms":1715367602000,"transaction":null}"#)
        let decoded = try codec.decode(key: records[0].key, value: records[0].value, schema: schema)
        let expected = try ChangeEvent(operation: .create, before: nil,
                                       after: ["id": .int(1001), "name": .string("Sally 😀"), "balance": .decimal(ExactDecimal("12.5000")!), "notes": .null],
                                       source: source(), timestampMilliseconds: 1_715_367_602_000)
        #expect(decoded == .change(expected))
    }

    @Test func updateGoldenKeepsUnchangedLOBsApartFromNull() throws {
        let schema = try customersSchema()
        let event = try ChangeEvent(operation: .update,
                                    before: ["id": .int(1001), "name": .string("Sally"), "balance": .null, "notes": .unchanged],
                                    after: ["id": .int(1001), "name": .string(""), "balance": .decimal(ExactDecimal("-922337203685477.5808")!), "notes": .unchanged],
                                    source: source(serial: 2), timestampMilliseconds: 1_715_367_602_000,
                                    transaction: .init(id: "0000002d:00000580:001d", totalOrder: 3, dataCollectionOrder: 2))
        let records = try codec.encode(event, schema: schema)
        #expect(records.count == 1)
        let expectedValue = #"{"before":{"id":1001,"name":"Sally","balance":null,"notes":{"__ferry_unchanged":true}},"#
            + #""after":{"id":1001,"name":"","balance":"-922337203685477.5808","notes":{"__ferry_unchanged":true}},"#
            + sourceJSON.replacingOccurrences(of: #""event_serial_no":1"#, with: #""event_serial_no":2"#)
            + #","op":"u","ts_ms":1715367602000,"transaction":{"id":"0000002d:00000580:001d","total_order":3,"data_collection_order":2}}"#
        #expect(text(records[0].value) == expectedValue)
        let decoded = try codec.decode(key: records[0].key, value: records[0].value, schema: schema)
        #expect(decoded == .change(event))
        guard case .change(let back) = decoded else { return }
        #expect(back.after?["notes"] == .unchanged)
        #expect(back.before?["balance"] == .null)
        #expect(back.after?.names == ["id", "name", "balance", "notes"])
    }

    @Test func deleteIsFollowedByATombstoneUnlessDisabled() throws {
        let schema = try customersSchema()
        let event = try ChangeEvent(operation: .delete, before: ["id": .int(1001), "name": .string("Sally"), "balance": .null, "notes": .unchanged],
                                    after: nil, source: source(), timestampMilliseconds: 1_715_367_602_000)
        let records = try codec.encode(event, schema: schema)
        #expect(records.count == 2)
        #expect(text(records[0].key) == #"{"id":1001}"#)
        #expect(text(records[0].value) == #"{"before":{"id":1001,"name":"Sally","balance":null,"notes":{"__ferry_unchanged":true}},"after":null,"# + sourceJSON + #","op":"d","ts_ms":1715367602000,"transaction":null}"#)
        #expect(records[1] == EnvelopeCodec.EncodedRecord(key: Array(#"{"id":1001}"#.utf8), value: nil))
        #expect(try codec.decode(key: records[1].key, value: nil, schema: schema) == .tombstone(key: ["id": .int(1001)]))
        #expect(try codec.decode(key: records[0].key, value: records[0].value, schema: schema) == .change(event))

        let quiet = EnvelopeCodec(configuration: .init(tombstonesOnDelete: false))
        #expect(try quiet.encode(event, schema: schema).count == 1)
    }

    @Test func snapshotReadGolden() throws {
        let schema = try customersSchema()
        let event = try ChangeEvent(operation: .read, before: nil, after: ["id": .int(1), "name": .string("A"), "balance": .null, "notes": .string("n")],
                                    source: source(snapshot: .last, change: nil, serial: nil), timestampMilliseconds: 1_715_367_602_000)
        let records = try codec.encode(event, schema: schema)
        #expect(text(records[0].value) == #"{"before":null,"after":{"id":1,"name":"A","balance":null,"notes":"n"},"source":{"version":"ferry-1","connector":"sqlserver","name":"ferry","ts_ms":1715367601604,"snapshot":"last","db":"inventory","schema":"dbo","table":"customers","change_lsn":null,"commit_lsn":"0000002d:00000580:001d","event_serial_no":null},"op":"r","ts_ms":1715367602000,"transaction":null}"#)
        #expect(try codec.decode(key: records[0].key, value: records[0].value, schema: schema) == .change(event))
    }

    @Test func keylessTablesHaveNullKeysAndNoTombstones() throws {
        let schema = try TableSchema(identity: TableIdentity(database: "inventory", schema: "dbo", table: "customers"),
                                     columns: [ColumnDefinition(name: "x", type: try SQLServerDataType(declaration: "int"))], keyColumns: [])
        let event = try ChangeEvent(operation: .delete, before: ["x": .int(1)], after: nil, source: source(), timestampMilliseconds: 0)
        let records = try codec.encode(event, schema: schema)
        #expect(records.count == 1)
        #expect(records[0].key == nil)
    }

    @Test func eventsWithTheSchemaPartDecodeWithoutATableSchema() throws {
        let schema = try customersSchema()
        let withSchema = EnvelopeCodec(configuration: .init(includeSchema: true))
        let event = try ChangeEvent(operation: .update,
                                    before: ["id": .int(7), "name": .string("x"), "balance": .decimal(ExactDecimal("1.0000")!), "notes": .unchanged],
                                    after: ["id": .int(7), "name": .string("y"), "balance": .null, "notes": .string("z")],
                                    source: source(), timestampMilliseconds: 5)
        let records = try withSchema.encode(event, schema: schema)
        let value = try #require(text(records[0].value))
        #expect(value.hasPrefix(#"{"schema":{"type":"struct","fields":[{"type":"struct","fields":[{"type":"int32","optional":false,"parameters":{"ferry.column.type":"int"},"field":"id"}"#))
        #expect(value.contains(#""name":"ferry.inventory.dbo.customers.Envelope""#))
        #expect(value.contains(#","payload":{"before":{"id":7,"#))
        #expect(try withSchema.decode(key: records[0].key, value: records[0].value, schema: nil) == .change(event))
        #expect(try withSchema.decodeKey(records[0].key!, schema: nil) == ["id": .int(7)])
        #expect(text(records[0].key)?.hasSuffix(#""name":"ferry.inventory.dbo.customers.Key"},"payload":{"id":7}}"#) == true)
    }

    @Test func encodingRefusesRowsThatDoNotFitTheSchema() throws {
        let schema = try customersSchema()
        let unknown = try ChangeEvent(operation: .create, before: nil, after: ["id": .int(1), "nope": .int(2)], source: source(), timestampMilliseconds: 0)
        let error = try #require(throws: FerryCoreError.self) { try codec.encode(unknown, schema: schema) }
        #expect(error.code == .invalidEvent && error.message.contains("'nope'"))
        let badValue = try ChangeEvent(operation: .create, before: nil, after: ["id": .string("1")], source: source(), timestampMilliseconds: 0)
        let typeError = try #require(throws: FerryCoreError.self) { try codec.encode(badValue, schema: schema) }
        #expect(typeError.code == .typeMismatch && typeError.context["field"] == "after.id")
        let noKey = try ChangeEvent(operation: .create, before: nil, after: ["name": .string("x")], source: source(), timestampMilliseconds: 0)
        #expect(throws: FerryCoreError.self) { try codec.encode(noKey, schema: schema) }
        #expect(throws: FerryCoreError.self) { try ChangeEvent(operation: .create, before: ["id": .int(1)], after: ["id": .int(1)], source: source(), timestampMilliseconds: 0) }
        #expect(throws: FerryCoreError.self) { try ChangeEvent(operation: .delete, before: nil, after: nil, source: source(), timestampMilliseconds: 0) }
    }
}

@Suite struct EnvelopeRoundTripTests {
    /// Every value case as one column of one wide table: through the envelope and back, with and
    /// without the schema part (the latter decoding from the schema part alone).
    @Test(arguments: [false, true])
    func everyTypeRoundTripsThroughTheEnvelope(includeSchema: Bool) throws {
        var columns = [ColumnDefinition(name: "id", type: try SQLServerDataType(declaration: "bigint"), isNullable: false)]
        var after: Row = ["id": .int(.min)]
        for (index, c) in valueCases.enumerated() {
            let name = "c\(index)_\(c.declaration.filter(\.isLetter))"
            columns.append(ColumnDefinition(name: name, type: try SQLServerDataType(declaration: c.declaration)))
            after[name] = c.value
        }
        let schema = try TableSchema(identity: TableIdentity(database: "inventory", schema: "dbo", table: "customers"), columns: columns, keyColumns: ["id"])
        let event = try ChangeEvent(operation: .update, before: after, after: after, source: source(), timestampMilliseconds: 1)
        let codec = EnvelopeCodec(configuration: .init(includeSchema: includeSchema))
        let records = try codec.encode(event, schema: schema)
        let decoded = try codec.decode(key: records[0].key, value: records[0].value, schema: includeSchema ? nil : schema)
        #expect(decoded == .change(event))
        if includeSchema { #expect(try codec.decodeKey(records[0].key!, schema: nil) == ["id": .int(.min)]) }
    }
}
