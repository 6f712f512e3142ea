import FerryCore
import Testing

@Suite struct MetadataEventTests {
    let codec = EnvelopeCodec()
    let table = TableIdentity(database: "inventory", schema: "dbo", table: "customers")

    @Test func schemaChangeGoldenAndRoundTrip() throws {
        let old = try customersSchema().columns
        let new = old + [ColumnDefinition(name: "phone", type: try SQLServerDataType(declaration: "nvarchar(20)", aliasName: "dbo.Phone"))]
        let event = SchemaChangeEvent(table: table, oldColumns: old, newColumns: new, keyColumns: ["id"],
                                      ddl: "ALTER TABLE dbo.customers ADD phone dbo.Phone NULL", lsn: LSN("0000002d:00000580:001d")!, timestampMilliseconds: 1_715_367_601_604)
        let record = codec.encodeSchemaChange(event)
        #expect(text(record.key) == #"{"db":"inventory","schema":"dbo","table":"customers"}"#)
        let value = try #require(text(record.value))
        #expect(value.hasPrefix(#"{"version":"ferry-1","db":"inventory","schema":"dbo","table":"customers","lsn":"0000002d:00000580:001d","ts_ms":1715367601604,"ddl":"ALTER TABLE dbo.customers ADD phone dbo.Phone NULL","key_columns":["id"],"old_columns":[{"name":"id","type":"int","alias":null,"nullable":false,"identity":true,"computed":false},"#))
        #expect(value.hasSuffix(#"{"name":"phone","type":"nvarchar(20)","alias":"dbo.Phone","nullable":true,"identity":false,"computed":false}]}"#))
        let decoded = try codec.decodeSchemaChange(record.value!)
        #expect(decoded == event)
        #expect(try decoded.newSchema()?.column(named: "phone")?.type.aliasName == "dbo.Phone")

        let created = SchemaChangeEvent(table: table, oldColumns: nil, newColumns: old, keyColumns: ["id"], ddl: "CREATE TABLE …", lsn: .zero, timestampMilliseconds: 0)
        #expect(try codec.decodeSchemaChange(codec.encodeSchemaChange(created).value!) == created)
    }

    @Test func schemaChangeErrorsNameTheField() throws {
        let event = SchemaChangeEvent(table: table, oldColumns: nil, newColumns: try customersSchema().columns, keyColumns: ["id"], ddl: "x", lsn: .zero, timestampMilliseconds: 0)
        let good = try #require(text(codec.encodeSchemaChange(event).value))
        for (from, to, field) in [(#""type":"money""#, #""type":"money(4)""#, "new_columns[2].type"), (#""lsn":"00000000:00000000:0000""#, #""lsn":"0""#, "lsn"),
                                  (#""key_columns":["id"]"#, #""key_columns":[1]"#, "key_columns"), (#""version":"ferry-1""#, #""version":"ferry-0""#, "version")] {
            let broken = good.replacingOccurrences(of: from, with: to)
            #expect(broken != good)
            let error = try #require(throws: FerryCoreError.self) { try codec.decodeSchemaChange(Array(broken.utf8)) }
            #expect(error.context["field"] == field)
        }
        let badKey = good.replacingOccurrences(of: #""key_columns":["id"]"#, with: #""key_columns":["nope"]"#)
        #expect(throws: FerryCoreError.self) { try codec.decodeSchemaChange(Array(badKey.utf8)) }
    }

    @Test func transactionGoldenAndRoundTrip() throws {
        let begin = TransactionEvent(status: .begin, id: "0000002d:00000580:001d", timestampMilliseconds: 10)
        let end = TransactionEvent(status: .end, id: "0000002d:00000580:001d", timestampMilliseconds: 10,
                                   eventCounts: [(table, 2), (TableIdentity(database: "inventory", schema: "dbo", table: "orders"), 1)])
        #expect(text(codec.encodeTransaction(begin).value) == #"{"status":"BEGIN","id":"0000002d:00000580:001d","ts_ms":10,"event_count":null,"data_collections":null}"#)
        #expect(text(codec.encodeTransaction(end).value) == #"{"status":"END","id":"0000002d:00000580:001d","ts_ms":10,"event_count":3,"data_collections":[{"data_collection":"inventory.dbo.customers","event_count":2},{"data_collection":"inventory.dbo.orders","event_count":1}]}"#)
        #expect(text(codec.encodeTransaction(end).key) == #"{"id":"0000002d:00000580:001d"}"#)
        #expect(try codec.decodeTransaction(codec.encodeTransaction(begin).value!) == begin)
        #expect(try codec.decodeTransaction(codec.encodeTransaction(end).value!) == end)
        #expect(end.totalEventCount == 3)
    }

    @Test func transactionErrors() throws {
        for bad in [#"{"status":"COMMIT","id":"x","ts_ms":1,"event_count":null,"data_collections":null}"#,
                    #"{"status":"END","id":"x","ts_ms":1,"event_count":2,"data_collections":[{"data_collection":"a.b.c","event_count":1}]}"#,
                    #"{"status":"END","id":"x","ts_ms":1,"event_count":1,"data_collections":[{"data_collection":"a.b","event_count":1}]}"#,
                    #"{"status":"END","id":"x","ts_ms":1,"event_count":1,"data_collections":null}"#,
                    #"{"status":"BEGIN","ts_ms":1}"#] {
            #expect(throws: FerryCoreError.self) { try codec.decodeTransaction(Array(bad.utf8)) }
        }
    }
}
