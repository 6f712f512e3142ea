/// Kafka Connect JSON schemas (`{"type":"struct","fields":[…]}`) for keys and envelopes, written
/// the way Debezium writes them, plus the exact column declaration in a `ferry.column.type` parameter.
enum ConnectSchema {
    /// The parameter that carries the column's SQL Server declaration (`decimal(38,4)`).
    static let columnTypeParameter = "ferry.column.type"

    static func keyStruct(_ schema: TableSchema, name: String) -> JSONValue {
        let fields = schema.keyColumns.map { column(schema.column(named: $0)!) }
        return .object([.init("type", .string("struct")), .init("fields", .array(fields)), .init("optional", .bool(false)), .init("name", .string(name))])
    }

    static func envelope(_ schema: TableSchema, baseName: String) -> JSONValue {
        let row: (String) -> JSONValue = { field in
            .object([.init("type", .string("struct")), .init("fields", .array(schema.columns.map(column))),
                     .init("optional", .bool(true)), .init("name", .string(baseName + ".Value")), .init("field", .string(field))])
        }
        func simple(_ type: String, _ field: String, optional: Bool, name: String? = nil) -> JSONValue {
            var members: [JSONValue.Member] = [.init("type", .string(type)), .init("optional", .bool(optional))]
            if let name { members.append(.init("name", .string(name))) }
            members.append(.init("field", .string(field)))
            return .object(members)
        }
        let snapshotField: JSONValue = .object([
            .init("type", .string("string")), .init("optional", .bool(true)), .init("name", .string("io.debezium.data.Enum")), .init("version", .integer(1)),
            .init("parameters", .object([.init("allowed", .string(SourceInfo.Snapshot.allCases.map(\.rawValue).joined(separator: ",")))])),
            .init("default", .string("false")), .init("field", .string("snapshot")),
        ])
        let source: JSONValue = .object([
            .init("type", .string("struct")),
            .init("fields", .array([
                simple("string", "version", optional: false), simple("string", "connector", optional: false), simple("string", "name", optional: false),
                simple("int64", "ts_ms", optional: false), snapshotField, simple("string", "db", optional: false), simple("string", "schema", optional: false),
                simple("string", "table", optional: false), simple("string", "change_lsn", optional: true), simple("string", "commit_lsn", optional: true),
                simple("int64", "event_serial_no", optional: true),
            ])),
            .init("optional", .bool(false)), .init("name", .string("io.debezium.connector.sqlserver.Source")), .init("field", .string("source")),
        ])
        let transaction: JSONValue = .object([
            .init("type", .string("struct")),
            .init("fields", .array([simple("string", "id", optional: false), simple("int64", "total_order", optional: false),
                                    simple("int64", "data_collection_order", optional: false)])),
            .init("optional", .bool(true)), .init("name", .string("event.block")), .init("version", .integer(1)), .init("field", .string("transaction")),
        ])
        return .object([
            .init("type", .string("struct")),
            .init("fields", .array([row("before"), row("after"), source, simple("string", "op", optional: false),
                                    simple("int64", "ts_ms", optional: true), transaction])),
            .init("optional", .bool(false)), .init("name", .string(baseName + ".Envelope")), .init("version", .integer(1)),
        ])
    }

    /// One column's field schema: the Connect type Ferry's encoding uses, a semantic name where one
    /// applies, and the declaration.
    static func column(_ column: ColumnDefinition) -> JSONValue {
        let type = column.type
        let (connectType, name): (String, String?) = switch type.name {
        case .bit: ("boolean", nil)
        case .tinyint, .smallint: ("int16", nil)
        case .int: ("int32", nil)
        case .bigint: ("int64", nil)
        case .real: ("float32", nil)
        case .float: ("float64", nil)
        case .decimal, .numeric, .money, .smallmoney: ("string", "io.ferry.data.Decimal")
        case .date: ("string", "io.ferry.time.Date")
        case .time: ("string", "io.ferry.time.Time")
        case .datetime2, .datetime, .smalldatetime: ("string", "io.ferry.time.Timestamp")
        case .datetimeoffset: ("string", "io.debezium.time.ZonedTimestamp")
        case .char, .varchar, .nchar, .nvarchar, .text, .ntext: ("string", nil)
        case .xml: ("string", "io.debezium.data.Xml")
        case .binary, .varbinary, .image, .rowversion: ("bytes", nil)
        case .uniqueidentifier: ("string", "io.ferry.data.Uuid")
        case .hierarchyid: ("string", "io.ferry.data.HierarchyId")
        case .geography: ("struct", "io.debezium.data.geometry.Geography")
        case .geometry: ("struct", "io.debezium.data.geometry.Geometry")
        case .sqlVariant: ("struct", "io.ferry.data.Variant")
        }
        var members: [JSONValue.Member] = [.init("type", .string(connectType))]
        if type.category == .spatial {
            members.append(.init("fields", .array([
                .object([.init("type", .string("bytes")), .init("optional", .bool(false)), .init("field", .string("wkb"))]),
                .object([.init("type", .string("int32")), .init("optional", .bool(true)), .init("field", .string("srid"))]),
            ])))
        }
        members.append(.init("optional", .bool(column.isNullable || type.isLargeObject)))
        if let name { members.append(.init("name", .string(name))) }
        members.append(.init("parameters", .object([.init(columnTypeParameter, .string(type.description))])))
        members.append(.init("field", .string(column.name)))
        return .object(members)
    }
}
