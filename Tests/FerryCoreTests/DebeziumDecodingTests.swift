import FerryCore
import Foundation
import Testing

/// An update event as Debezium 2.7's SQL Server connector writes it with the JSON converter and
/// `schemas.enable=true`: decimals in precise mode (base64 two's complement), adaptive time precision.
let debeziumUpdateWithSchema = #"""
{
  "schema": {
    "type": "struct",
    "fields": [
      {"type": "struct", "fields": [
        {"type": "int32", "optional": false, "field": "id"},
        {"type": "string", "optional": false, "parameters": {"__debezium.source.column.type": "NVARCHAR", "__debezium.source.column.length": "255"}, "field": "name"},
        {"type": "bytes", "optional": true, "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": {"scale": "2", "connect.decimal.precision": "10"}, "field": "price"},
        {"type": "bytes", "optional": true, "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": {"scale": "4", "connect.decimal.precision": "19"}, "field": "weight"},
        {"type": "int64", "optional": true, "name": "io.debezium.time.NanoTimestamp", "version": 1, "field": "created"},
        {"type": "string", "optional": true, "name": "io.debezium.time.ZonedTimestamp", "version": 1, "field": "modified"},
        {"type": "int32", "optional": true, "name": "io.debezium.time.Date", "version": 1, "field": "available"},
        {"type": "int32", "optional": true, "name": "io.debezium.time.Time", "version": 1, "field": "opens"},
        {"type": "string", "optional": true, "parameters": {"__debezium.source.column.type": "UNIQUEIDENTIFIER", "__debezium.source.column.length": "36"}, "field": "code"},
        {"type": "bytes", "optional": true, "field": "photo"},
        {"type": "int64", "optional": true, "name": "io.debezium.time.Timestamp", "version": 1, "field": "legacy"}
      ], "optional": true, "name": "server1.testDB.dbo.products.Value", "field": "before"},
      {"type": "struct", "fields": [
        {"type": "int32", "optional": false, "field": "id"},
        {"type": "string", "optional": false, "parameters": {"__debezium.source.column.type": "NVARCHAR", "__debezium.source.column.length": "255"}, "field": "name"},
        {"type": "bytes", "optional": true, "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": {"scale": "2", "connect.decimal.precision": "10"}, "field": "price"},
        {"type": "bytes", "optional": true, "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": {"scale": "4", "connect.decimal.precision": "19"}, "field": "weight"},
        {"type": "int64", "optional": true, "name": "io.debezium.time.NanoTimestamp", "version": 1, "field": "created"},
        {"type": "string", "optional": true, "name": "io.debezium.time.ZonedTimestamp", "version": 1, "field": "modified"},
        {"type": "int32", "optional": true, "name": "io.debezium.time.Date", "version": 1, "field": "available"},
        {"type": "int32", "optional": true, "name": "io.debezium.time.Time", "version": 1, "field": "opens"},
        {"type": "string", "optional": true, "parameters": {"__debezium.source.column.type": "UNIQUEIDENTIFIER", "__debezium.source.column.length": "36"}, "field": "code"},
        {"type": "bytes", "optional": true, "field": "photo"},
        {"type": "int64", "optional": true, "name": "io.debezium.time.Timestamp", "version": 1, "field": "legacy"}
      ], "optional": true, "name": "server1.testDB.dbo.products.Value", "field": "after"},
      {"type": "struct", "fields": [
        {"type": "string", "optional": false, "field": "version"},
        {"type": "string", "optional": false, "field": "connector"},
        {"type": "string", "optional": false, "field": "name"},
        {"type": "int64", "optional": false, "field": "ts_ms"},
        {"type": "string", "optional": true, "name": "io.debezium.data.Enum", "version": 1, "parameters": {"allowed": "true,last,false,incremental"}, "default": "false", "field": "snapshot"},
        {"type": "string", "optional": false, "field": "db"},
        {"type": "string", "optional": true, "field": "sequence"},
        {"type": "int64", "optional": true, "field": "ts_us"},
        {"type": "int64", "optional": true, "field": "ts_ns"},
        {"type": "string", "optional": false, "field": "schema"},
        {"type": "string", "optional": false, "field": "table"},
        {"type": "string", "optional": true, "field": "change_lsn"},
        {"type": "string", "optional": true, "field": "commit_lsn"},
        {"type": "int64", "optional": true, "field": "event_serial_no"}
      ], "optional": false, "name": "io.debezium.connector.sqlserver.Source", "field": "source"},
      {"type": "string", "optional": false, "field": "op"},
      {"type": "int64", "optional": true, "field": "ts_ms"},
      {"type": "int64", "optional": true, "field": "ts_us"},
      {"type": "int64", "optional": true, "field": "ts_ns"},
      {"type": "struct", "fields": [
        {"type": "string", "optional": false, "field": "id"},
        {"type": "int64", "optional": false, "field": "total_order"},
        {"type": "int64", "optional": false, "field": "data_collection_order"}
      ], "optional": true, "name": "event.block", "version": 1, "field": "transaction"}
    ],
    "optional": false,
    "name": "server1.testDB.dbo.products.Envelope",
    "version": 1
  },
  "payload": {
    "before": {"id": 101, "name": "scooter", "price": "BNI=", "weight": null, "created": 1715367601604805300, "modified": "2024-05-10T16:00:01.6048053Z",
               "available": 19853, "opens": 30600250, "code": "6f9619ff-8b86-d011-b42d-00c04fc964ff", "photo": "AQID", "legacy": 1715367601997},
    "after": {"id": 101, "name": "scooter", "price": "+KQy6w==", "weight": "f/////////8=", "created": -62135596800000000000, "modified": "2024-05-10T19:00:01.6048053+03:00",
              "available": -719162, "opens": 0, "code": "6F9619FF-8B86-D011-B42D-00C04FC964FF", "photo": "", "legacy": 1715367601997},
    "source": {"version": "2.7.0.Final", "connector": "sqlserver", "name": "server1", "ts_ms": 1715367601604, "snapshot": "false", "db": "testDB",
               "sequence": null, "ts_us": 1715367601604000, "ts_ns": 1715367601604000000, "schema": "dbo", "table": "products",
               "change_lsn": "00000027:00000758:0003", "commit_lsn": "00000027:00000758:0005", "event_serial_no": 2},
    "op": "u",
    "ts_ms": 1715367603210,
    "ts_us": 1715367603210412,
    "ts_ns": 1715367603210412000,
    "transaction": null
  }
}
"""#

@Suite struct DebeziumDecodingTests {
    @Test func decodesDebeziumsOwnUpdateUsingItsSchemaPart() throws {
        // created = year 0001 does not fit Debezium's NanoTimestamp; swap in a value that does.
        let sample = debeziumUpdateWithSchema.replacingOccurrences(of: "-62135596800000000000", with: "-6213559680000000000")
        let decoded = try EnvelopeCodec().decode(key: nil, value: Array(sample.utf8), schema: nil)
        guard case .change(let event) = decoded else { Issue.record("expected a change, got \(decoded)"); return }
        #expect(event.operation == .update)
        #expect(event.source.version == "2.7.0.Final")
        #expect(event.source.name == "server1")
        #expect(event.source.table == TableIdentity(database: "testDB", schema: "dbo", table: "products"))
        #expect(event.source.changeLSN == LSN("00000027:00000758:0003"))
        #expect(event.source.commitLSN == LSN("00000027:00000758:0005"))
        #expect(event.source.eventSerialNumber == 2)
        #expect(event.source.snapshot == .false)
        #expect(event.timestampMilliseconds == 1_715_367_603_210)
        let before = try #require(event.before)
        let after = try #require(event.after)
        #expect(before["price"] == .decimal(ExactDecimal("12.34")!))
        #expect(after["price"] == .decimal(ExactDecimal("-1234567.89")!))
        #expect(after["weight"] == .decimal(ExactDecimal("922337203685477.5807")!))
        #expect(before["weight"] == .null)
        #expect(before["created"] == .dateTime(SQLDateTime("2024-05-10T19:00:01.6048053")!))
        #expect(after["created"] == .dateTime(SQLDateTime("1773-02-05T19:12:00")!))
        #expect(before["modified"] == .dateTimeOffset(SQLDateTimeOffset("2024-05-10T16:00:01.6048053+00:00")!))
        #expect(after["modified"] == .dateTimeOffset(SQLDateTimeOffset("2024-05-10T19:00:01.6048053+03:00")!))
        #expect(before["available"] == .date(SQLDate(year: 2024, month: 5, day: 10)!))
        #expect(after["available"] == .date(.min))
        #expect(before["opens"] == .time(SQLTime("08:30:00.25")!))
        #expect(before["code"] == .guid(UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!))
        #expect(before["code"] == after["code"])
        #expect(before["photo"] == .bytes([1, 2, 3]))
        #expect(after["photo"] == .bytes([]))
        #expect(before["legacy"] == .dateTime(SQLDateTime("2024-05-10T19:00:01.997")!))
        #expect(after.names == ["id", "name", "price", "weight", "created", "modified", "available", "opens", "code", "photo", "legacy"])
    }

    @Test func aNanoTimestampOutsideSQLServersRangeIsAnErrorNamingTheField() throws {
        let error = try #require(throws: FerryCoreError.self) {
            try EnvelopeCodec().decode(key: nil, value: Array(debeziumUpdateWithSchema.utf8), schema: nil)
        }
        #expect(error.context["field"] == "payload.after.created")
        #expect(error.message.contains("payload.after.created"))
    }

    /// The same connector without schemas: types come from the table schema, units from Debezium's
    /// adaptive defaults; the unavailable-value placeholder reads as unchanged.
    @Test func decodesSchemalessDebeziumEventsWithATableSchema() throws {
        let schema = try TableSchema(
            identity: TableIdentity(database: "testDB", schema: "dbo", table: "docs"),
            columns: [
                ColumnDefinition(name: "id", type: try SQLServerDataType(declaration: "bigint"), isNullable: false),
                ColumnDefinition(name: "amount", type: try SQLServerDataType(declaration: "decimal(38,4)")),
                ColumnDefinition(name: "at", type: try SQLServerDataType(declaration: "datetime2(3)")),
                ColumnDefinition(name: "at6", type: try SQLServerDataType(declaration: "datetime2(6)")),
                ColumnDefinition(name: "t7", type: try SQLServerDataType(declaration: "time(7)")),
                ColumnDefinition(name: "body", type: try SQLServerDataType(declaration: "nvarchar(max)")),
                ColumnDefinition(name: "blob", type: try SQLServerDataType(declaration: "varbinary(max)")),
            ],
            keyColumns: ["id"])
        let value = #"{"before":null,"after":{"id":9223372036854775807,"amount":"SztMqFqGxHoJiiI//////w==","at":1715367601604,"at6":1715367601604805,"t7":86399999999900,"body":"__debezium_unavailable_value","blob":"X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ=="},"source":{"version":"1.9.7.Final","connector":"sqlserver","name":"server1","ts_ms":1,"snapshot":"true","db":"testDB","sequence":null,"schema":"dbo","table":"docs","change_lsn":null,"commit_lsn":"00000027:00000758:0005","event_serial_no":null},"op":"r","ts_ms":2,"transaction":null}"#
        let decoded = try EnvelopeCodec().decode(key: Array(#"{"id":9223372036854775807}"#.utf8), value: Array(value.utf8), schema: schema)
        guard case .change(let event) = decoded else { Issue.record("expected a change"); return }
        let after = try #require(event.after)
        #expect(after["id"] == .int(.max))
        #expect(after["amount"] == .decimal(ExactDecimal("9999999999999999999999999999999999.9999")!))
        #expect(after["at"] == .dateTime(SQLDateTime("2024-05-10T19:00:01.604")!))
        #expect(after["at6"] == .dateTime(SQLDateTime("2024-05-10T19:00:01.604805")!))
        #expect(after["t7"] == .time(SQLTime("23:59:59.9999999")!))
        #expect(after["body"] == .unchanged)
        #expect(after["blob"] == .unchanged)
        #expect(event.source.snapshot == .true)
        #expect(try EnvelopeCodec().decodeKey(Array(#"{"id":9223372036854775807}"#.utf8), schema: schema, writtenByDebezium: true) == ["id": .int(.max)])
    }
}

@Suite struct DebeziumSchemaPartTests {
    /// A field Ferry cannot map from its Connect schema alone is fine when the table schema names its type.
    @Test func aTableSchemaCoversFieldsTheSchemaPartCannotName() throws {
        let value = #"{"schema":{"type":"struct","fields":[{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"struct","fields":[{"type":"bytes","optional":false,"field":"wkb"},{"type":"int32","optional":true,"field":"srid"}],"optional":true,"name":"io.debezium.data.geometry.Geometry","field":"shape"}],"optional":true,"name":"s.db.dbo.t.Value","field":"after"}],"optional":false,"name":"s.db.dbo.t.Envelope"},"payload":{"before":null,"after":{"id":1,"shape":{"wkb":"AQEAAAA=","srid":0}},"source":{"version":"3.0.0.Final","connector":"sqlserver","name":"s","ts_ms":1,"snapshot":"false","db":"db","schema":"dbo","table":"t","change_lsn":"00000027:00000758:0003","commit_lsn":"00000027:00000758:0005","event_serial_no":1},"op":"c","ts_ms":2}}"#
        #expect(throws: FerryCoreError.self) { try EnvelopeCodec().decode(key: nil, value: Array(value.utf8), schema: nil) }
        let schema = try TableSchema(identity: TableIdentity(database: "db", schema: "dbo", table: "t"),
                                     columns: [ColumnDefinition(name: "id", type: try SQLServerDataType(declaration: "int")),
                                               ColumnDefinition(name: "shape", type: try SQLServerDataType(declaration: "geometry"))],
                                     keyColumns: ["id"])
        let decoded = try EnvelopeCodec().decode(key: nil, value: Array(value.utf8), schema: schema)
        guard case .change(let event) = decoded else { Issue.record("expected a change"); return }
        #expect(event.after?["shape"] == .spatial(srid: 0, wellKnownBinary: [1, 1, 0, 0, 0]))
        #expect(event.transaction == nil)
    }
}
