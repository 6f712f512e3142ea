import EventLog
import FerryCore
import Testing

/// `sql_variant` columns land in `jsonb` as the event's object, whatever the base type.
@Suite struct SinkVariantTests {
    static let props = TableIdentity(database: "shop", schema: "dbo", table: "Props")

    /// (id, the event's JSON, PostgreSQL's jsonb text of it).
    static let values: [(Int64, String, String)] = [
        (1, #"{"type":"int","value":-7}"#, #"{"type": "int", "value": -7}"#),
        (2, #"{"type":"decimal(10,2)","value":"12.30"}"#, #"{"type": "decimal(10,2)", "value": "12.30"}"#),
        (3, #"{"type":"float","value":-2.5}"#, #"{"type": "float", "value": -2.5}"#),
        (4, #"{"type":"datetimeoffset(7)","value":"2020-01-01T10:00:00.1234567-05:30"}"#,
         #"{"type": "datetimeoffset(7)", "value": "2020-01-01T10:00:00.1234567-05:30"}"#),
        (5, #"{"type":"uniqueidentifier","value":"6F9619FF-8B86-D011-B42D-00C04FC964FF"}"#,
         #"{"type": "uniqueidentifier", "value": "6F9619FF-8B86-D011-B42D-00C04FC964FF"}"#),
        (6, #"{"type":"varbinary(4)","value":"yv4="}"#, #"{"type": "varbinary(4)", "value": "yv4="}"#),
        (7, #"{"type":"nvarchar(5)","value":"héllo"}"#, #"{"type": "nvarchar(5)", "value": "héllo"}"#),
        (8, #"{"type":"bit","value":true}"#, #"{"type": "bit", "value": true}"#),
        (9, #"{"type":"datetime2(7)","value":"0001-01-01T00:00:00.0000001"}"#, #"{"type": "datetime2(7)", "value": "0001-01-01T00:00:00.0000001"}"#),
    ]

    @Test func everyBaseTypeLandsAsTheEventsObject() async throws {
        let database = try await TestDatabase.create()
        let log = try await TestLog(.embedded)
        defer { Task { await log.close(); await database.drop() } }
        let variant = try SQLServerDataType(.sqlVariant)
        let schema = try TableSchema(identity: Self.props, columns: [
            ColumnDefinition(name: "Id", type: try SQLServerDataType(.int), isNullable: false),
            ColumnDefinition(name: "Value", type: variant),
        ], keyColumns: ["Id"])
        let script = try SourceScript(log: log.log)
        try await script.createTable(schema)
        var changes: [SourceScript.Change] = []
        for (id, json, _) in Self.values {
            changes.append(.insert(Self.props, ["Id": .int(id), "Value": try EnvelopeCodec.decodeColumnValue(json, as: variant)]))
        }
        changes.append(.insert(Self.props, ["Id": .int(10), "Value": .null]))
        try await script.commit(changes)
        let money = try EnvelopeCodec.decodeColumnValue(#"{"type":"money","value":"-922337203685477.5808"}"#, as: variant)
        try await script.commit([.update(Self.props, before: ["Id": .int(1), "Value": try EnvelopeCodec.decodeColumnValue(Self.values[0].1, as: variant)],
                                         after: ["Id": .int(1), "Value": money])])
        try await runSink(.test(), log: log.log, target: database)

        var expected: [[String?]] = Self.values.map { ["\($0.0)", $0.2] }
        expected[0][1] = #"{"type": "money", "value": "-922337203685477.5808"}"#
        expected.append(["10", nil])
        expectRows(try await database.rows("dbo.props", columns: ["id", "value"]), expected.sorted(by: SourceScript.order))
        #expect(try await database.scalar("SELECT data_type FROM information_schema.columns WHERE table_name = 'props' AND column_name = 'value'") == "jsonb")
    }
}
