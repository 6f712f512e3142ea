extension EnvelopeCodec {
    /// Decodes one record of a table topic: a change event, or a tombstone when `value` is `nil`.
    ///
    /// Column types come from `schema` when given, else from the record's own `schema` part;
    /// without either, decoding throws ``FerryCoreError/Code/missingTypeInformation``. Accepts
    /// Ferry's events (`source.version` `ferry-1`) and Debezium's SQL Server events (1.x–3.x).
    /// Anything malformed, unknown or inconsistent throws a ``FerryCoreError`` naming the field.
    public func decode(key: [UInt8]?, value: [UInt8]?, schema: TableSchema?) throws(FerryCoreError) -> DecodedRecord {
        guard let value else {
            guard let key else { return .tombstone(key: nil) }
            return .tombstone(key: try decodeKey(key, schema: schema))
        }
        // Ferry's own events with a known schema (the sink's case) are read without a JSON tree.
        if let schema, let event = EnvelopeCodec.decodeDirectly(value, schema: schema) { return .change(event) }
        return try decodeWithTree(value, schema: schema)
    }

    /// The general decoder: any envelope, through a `JSONValue` tree, with errors naming the field.
    func decodeWithTree(_ value: [UInt8], schema: TableSchema?) throws(FerryCoreError) -> DecodedRecord {
        let document = try JSONValue(parsing: value)
        let (payloadJSON, schemaPart) = try EnvelopeCodec.splitSchema(document)
        let payload = try JSONObjectReader(payloadJSON, path: schemaPart == nil ? "" : "payload")
        let sourceReader = try JSONObjectReader(try payload.required("source"), path: payload.fieldPath("source"))
        let version = try sourceReader.string("version")
        let flavor = try EnvelopeCodec.flavor(ofVersion: version, field: sourceReader.fieldPath("version"))
        let isDebezium = flavor == .debezium

        try payload.rejectUnknown(isDebezium ? ["before", "after", "source", "op", "ts_ms", "ts_us", "ts_ns", "transaction"]
                                             : ["before", "after", "source", "op", "ts_ms", "transaction"])
        try sourceReader.rejectUnknown(isDebezium
            ? ["version", "connector", "name", "ts_ms", "ts_us", "ts_ns", "snapshot", "db", "sequence", "schema", "table", "change_lsn", "commit_lsn", "event_serial_no"]
            : ["version", "connector", "name", "ts_ms", "snapshot", "db", "schema", "table", "change_lsn", "commit_lsn", "event_serial_no"])
        let connector = try sourceReader.string("connector")
        guard connector == SourceInfo.connector else {
            throw FerryCoreError(.invalidField, "'\(sourceReader.fieldPath("connector"))' must be \"sqlserver\", found \"\(connector)\"", context: ["field": sourceReader.fieldPath("connector")])
        }
        let table = TableIdentity(database: try sourceReader.string("db"), schema: try sourceReader.string("schema"), table: try sourceReader.string("table"))
        let snapshot: SourceInfo.Snapshot
        switch sourceReader.optional("snapshot") {
        case .string(let text)?:
            guard let s = SourceInfo.Snapshot(rawValue: text) else {
                throw FerryCoreError(.invalidField, "'\(sourceReader.fieldPath("snapshot"))' must be one of \(SourceInfo.Snapshot.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\"",
                                     context: ["field": sourceReader.fieldPath("snapshot")])
            }
            snapshot = s
        case .bool(let b)? where isDebezium: snapshot = b ? .true : .false  // Debezium before 1.0 wrote a boolean
        case nil where isDebezium, .null? where isDebezium: snapshot = .false
        case let other:
            throw sourceReader.invalid("snapshot", expected: "a string", found: other ?? .null)
        }
        let source = SourceInfo(version: version, name: try sourceReader.string("name"), table: table,
                                changeLSN: try sourceReader.optionalLSN("change_lsn"), commitLSN: try sourceReader.optionalLSN("commit_lsn"),
                                eventSerialNumber: try sourceReader.optionalInt64("event_serial_no"),
                                timestampMilliseconds: try sourceReader.int64("ts_ms"), snapshot: snapshot)

        let opText = try payload.string("op")
        guard let operation = ChangeEvent.Operation(rawValue: opText) else {
            throw FerryCoreError(.invalidField, "'\(payload.fieldPath("op"))' must be one of c, u, d, r, found \"\(opText)\"", context: ["field": payload.fieldPath("op")])
        }

        let columns = try EnvelopeCodec.columnTypes(schema: schema, schemaPart: schemaPart, table: table, isDebezium: isDebezium)
        let before = try EnvelopeCodec.decodeRow(payload, "before", columns: columns, isDebezium: isDebezium)
        let after = try EnvelopeCodec.decodeRow(payload, "after", columns: columns, isDebezium: isDebezium)

        var transaction: ChangeEvent.TransactionPosition? = nil
        if let block = payload.optional("transaction"), block != .null {
            let reader = try JSONObjectReader(block, path: payload.fieldPath("transaction"))
            try reader.rejectUnknown(["id", "total_order", "data_collection_order"])
            transaction = ChangeEvent.TransactionPosition(id: try reader.string("id"), totalOrder: try reader.int64("total_order"),
                                                          dataCollectionOrder: try reader.int64("data_collection_order"))
        }
        do {
            return .change(try ChangeEvent(operation: operation, before: before, after: after, source: source,
                                           timestampMilliseconds: try payload.int64("ts_ms"), transaction: transaction))
        } catch {
            throw error.adding(["table": table.description])
        }
    }

    /// Decodes a record key into the key columns' values.
    ///
    /// Types come from `schema` or the key's own `schema` part. A key with a `schema` part tells
    /// whether Ferry or Debezium wrote it; a bare key is read as Ferry's unless `writtenByDebezium`.
    public func decodeKey(_ key: [UInt8], schema: TableSchema?, writtenByDebezium: Bool = false) throws(FerryCoreError) -> Row {
        let document = try JSONValue(parsing: key)
        let (payloadJSON, schemaPart) = try EnvelopeCodec.splitSchema(document)
        let reader = try JSONObjectReader(payloadJSON, path: schemaPart == nil ? "key" : "key.payload")
        var fields: [String: FieldType] = [:]
        var debeziumSchema = writtenByDebezium
        if let schemaPart {
            for field in try EnvelopeCodec.fieldSchemas(schemaPart, path: "key.schema") {
                fields[field.name] = field
                if field.connect != nil { debeziumSchema = true }
            }
        }
        if let schema {
            guard Set(reader.keys) == Set(schema.keyColumns) else {
                throw FerryCoreError(.invalidField, "the key has columns \(reader.keys) but \(schema.identity)'s key is \(schema.keyColumns)",
                                     context: ["field": "key", "table": schema.identity.description])
            }
            for name in schema.keyColumns { fields[name] = FieldType(name: name, type: schema.column(named: name)!.type, connect: fields[name]?.connect) }
        } else if schemaPart == nil {
            throw FerryCoreError(.missingTypeInformation, "the key carries no schema and no table schema was given", context: ["field": "key"])
        }
        var row = Row()
        for name in reader.keys {
            let path = reader.fieldPath(name)
            guard let field = fields[name] else {
                throw FerryCoreError(.invalidField, "'\(path)' is not a key column", context: ["field": path])
            }
            do {
                row[name] = try ValueJSONCoder.decode(try reader.required(name), as: field.type, flavor: debeziumSchema ? .debezium(field.connect) : .ferry)
            } catch {
                throw FerryCoreError(error.code, "'\(path)': \(error.message)", context: error.context.merging(["field": path, "column": name]) { _, new in new })
            }
        }
        return row
    }

    // MARK: Helpers

    enum Flavor { case ferry, debezium }

    /// Ferry's `ferry-1`, or a Debezium release `1.x`–`3.x` (`2.7.0.Final`); anything else is unknown.
    static func flavor(ofVersion version: String, field: String) throws(FerryCoreError) -> Flavor {
        if version == SourceInfo.ferryVersion { return .ferry }
        if version.hasPrefix("ferry-") {
            throw FerryCoreError(.unknownVersion, "'\(field)' is \"\(version)\"; this build reads \"\(SourceInfo.ferryVersion)\" and Debezium 1.x–3.x events",
                                 context: ["field": field, "version": version])
        }
        let parts = version.split(separator: ".")
        if parts.count >= 3, let major = Int(parts[0]), Int(parts[1]) != nil, Int(parts[2]) != nil {
            guard (1...3).contains(major) else {
                throw FerryCoreError(.unknownVersion, "'\(field)' is Debezium \"\(version)\"; this build reads Debezium 1.x–3.x events",
                                     context: ["field": field, "version": version])
            }
            return .debezium
        }
        throw FerryCoreError(.unknownVersion, "'\(field)' is \"\(version)\", neither \"\(SourceInfo.ferryVersion)\" nor a Debezium release",
                             context: ["field": field, "version": version])
    }

    /// `(payload, schema)` for `{"schema":…, "payload":…}`; `(document, nil)` otherwise.
    static func splitSchema(_ document: JSONValue) throws(FerryCoreError) -> (JSONValue, JSONValue?) {
        guard case .object(let members) = document else {
            throw FerryCoreError(.invalidField, "the record must be a JSON object, found \(document.kindName)", context: ["field": "(document)"])
        }
        let keys = Set(members.map(\.key))
        guard keys == ["schema", "payload"] else { return (document, nil) }
        return (document["payload"]!, document["schema"]!)
    }

    struct FieldType {
        var name: String
        var type: SQLServerDataType
        var connect: DebeziumFieldSchema?
    }

    /// The column types to decode with, from the table schema or the envelope's `schema` part.
    static func columnTypes(schema: TableSchema?, schemaPart: JSONValue?, table: TableIdentity, isDebezium: Bool) throws(FerryCoreError) -> [String: FieldType] {
        var byName: [String: FieldType] = [:]
        var hints: [String: DebeziumFieldSchema] = [:]
        if let schemaPart {
            let envelope = try JSONObjectReader(schemaPart, path: "schema")
            guard case .array(let fields) = try envelope.required("fields") else {
                throw envelope.invalid("fields", expected: "an array", found: envelope.optional("fields")!)
            }
            let rowStruct = fields.first { $0["field"] == .string("after") } ?? fields.first { $0["field"] == .string("before") }
            if let rowStruct {
                // With a table schema the `schema` part only refines Debezium's units; without one it must name every type.
                for field in try fieldSchemas(rowStruct, path: "schema.fields[after]", inferTypes: schema == nil) {
                    byName[field.name] = field
                    if let connect = field.connect { hints[field.name] = connect }
                }
            }
        }
        if let schema {
            guard schema.identity == table else {
                throw FerryCoreError(.invalidEvent, "the event is for \(table) but was decoded with the schema of \(schema.identity)", context: ["table": table.description])
            }
            byName = [:]
            for column in schema.columns { byName[column.name] = FieldType(name: column.name, type: column.type, connect: hints[column.name]) }
        }
        guard !byName.isEmpty else {
            throw FerryCoreError(.missingTypeInformation, "the event for \(table) carries no schema and no table schema was given", context: ["table": table.description])
        }
        return byName
    }

    /// The column types described by a Connect struct schema.
    static func fieldSchemas(_ structSchema: JSONValue, path: String, inferTypes: Bool = true) throws(FerryCoreError) -> [FieldType] {
        let reader = try JSONObjectReader(structSchema, path: path)
        guard case .array(let fields) = try reader.required("fields") else {
            throw reader.invalid("fields", expected: "an array", found: reader.optional("fields")!)
        }
        var result: [FieldType] = []
        for (index, field) in fields.enumerated() {
            let f = try JSONObjectReader(field, path: "\(reader.fieldPath("fields"))[\(index)]")
            let name = try f.string("field")
            let connectType = try f.string("type")
            let semantic = try f.optionalString("name")
            var parameters: [String: String] = [:]
            if let p = f.optional("parameters"), case .object(let members) = p {
                for member in members { if case .string(let s) = member.value { parameters[member.key] = s } }
            }
            let connect = DebeziumFieldSchema(type: connectType, name: semantic, parameters: parameters)
            let type: SQLServerDataType
            if let declaration = parameters[ConnectSchema.columnTypeParameter] {
                type = try SQLServerDataType(declaration: declaration)
                result.append(FieldType(name: name, type: type, connect: nil))
                continue
            }
            guard let inferred = inferType(connect) ?? (inferTypes ? nil : try? SQLServerDataType(.sqlVariant)) else {
                throw FerryCoreError(.missingTypeInformation, "'\(f.path)' (\(connectType) \(semantic ?? "")) does not say which SQL Server type column '\(name)' has",
                                     context: ["field": f.path, "column": name])
            }
            result.append(FieldType(name: name, type: inferred, connect: connect))
        }
        return result
    }

    /// The SQL Server type a Debezium field schema stands for: its `__debezium.source.column.type`
    /// parameter when present, else the Connect type and semantic name.
    static func inferType(_ field: DebeziumFieldSchema) -> SQLServerDataType? {
        if let name = field.parameters["__debezium.source.column.type"] {
            let length = field.parameters["__debezium.source.column.length"]
            let scale = field.parameters["__debezium.source.column.scale"]
            var declaration = name.lowercased()
            switch declaration {
            case "char", "varchar", "nchar", "nvarchar", "binary", "varbinary":
                if let length, let n = Int(length) { declaration += n > 8000 || n <= 0 ? "(max)" : "(\(n))" }
            case "decimal", "numeric":
                if let length { declaration += "(\(length),\(scale ?? "0"))" }
            case "time", "datetime2", "datetimeoffset":
                if let scale { declaration += "(\(scale))" }
            default: break
            }
            if let type = try? SQLServerDataType(declaration: declaration) { return type }
        }
        let decl: String? = switch (field.type, field.name) {
        case ("boolean", nil): "bit"
        case ("int16", nil): "smallint"
        case ("int32", nil): "int"
        case ("int64", nil): "bigint"
        case ("float32", nil): "real"
        case ("float64", nil): "float"
        case ("bytes", "org.apache.kafka.connect.data.Decimal"?):
            "decimal(\(field.parameters["connect.decimal.precision"] ?? "38"),\(field.parameters["scale"] ?? "0"))"
        case ("string", nil): "nvarchar(max)"
        case ("bytes", nil): "varbinary(max)"
        case ("string", "io.debezium.data.Xml"?): "xml"
        case ("int32", "io.debezium.time.Date"?), ("int32", "org.apache.kafka.connect.data.Date"?): "date"
        case ("int32", "io.debezium.time.Time"?), ("int32", "org.apache.kafka.connect.data.Time"?): "time(3)"
        case ("int64", "io.debezium.time.MicroTime"?): "time(6)"
        case ("int64", "io.debezium.time.NanoTime"?): "time(7)"
        case ("int64", "io.debezium.time.Timestamp"?), ("int64", "org.apache.kafka.connect.data.Timestamp"?): "datetime2(3)"
        case ("int64", "io.debezium.time.MicroTimestamp"?): "datetime2(6)"
        case ("int64", "io.debezium.time.NanoTimestamp"?): "datetime2(7)"
        case ("string", "io.debezium.time.ZonedTimestamp"?): "datetimeoffset(7)"
        default: nil
        }
        return decl.flatMap { try? SQLServerDataType(declaration: $0) }
    }

    static func decodeRow(_ payload: JSONObjectReader, _ key: String, columns: [String: FieldType], isDebezium: Bool) throws(FerryCoreError) -> Row? {
        guard let json = payload.optional(key), json != .null else { return nil }
        let reader = try JSONObjectReader(json, path: payload.fieldPath(key))
        var row = Row()
        for name in reader.keys {
            let path = reader.fieldPath(name)
            guard let column = columns[name] else {
                throw FerryCoreError(.invalidField, "'\(path)' is not a column of the table", context: ["field": path, "column": name])
            }
            do {
                row[name] = try ValueJSONCoder.decode(try reader.required(name), as: column.type, flavor: isDebezium ? .debezium(column.connect) : .ferry)
            } catch {
                throw FerryCoreError(error.code, "'\(path)': \(error.message)", context: error.context.merging(["field": path, "column": name]) { _, new in new })
            }
        }
        return row
    }
}
