extension EnvelopeCodec {
    // MARK: Schema changes (`<prefix>.schema-changes`)

    /// The record for a DDL event: key `{"db","schema","table"}`, value
    /// `{"version","db","schema","table","lsn","ts_ms","ddl","key_columns","old_columns","new_columns"}`.
    /// These records never carry a Connect `schema` part.
    public func encodeSchemaChange(_ event: SchemaChangeEvent) -> EncodedRecord {
        func columns(_ list: [ColumnDefinition]?) -> JSONValue {
            guard let list else { return .null }
            return .array(list.map { column in
                .object([.init("name", .string(column.name)), .init("type", .string(column.type.description)),
                         .init("alias", column.type.aliasName.map { .string($0) } ?? .null),
                         .init("nullable", .bool(column.isNullable)), .init("identity", .bool(column.isIdentity)), .init("computed", .bool(column.isComputed))])
            })
        }
        let key = JSONValue.object([.init("db", .string(event.table.database)), .init("schema", .string(event.table.schema)), .init("table", .string(event.table.table))])
        let value = JSONValue.object([
            .init("version", .string(SourceInfo.ferryVersion)),
            .init("db", .string(event.table.database)), .init("schema", .string(event.table.schema)), .init("table", .string(event.table.table)),
            .init("lsn", .string(event.lsn.description)), .init("ts_ms", .integer(event.timestampMilliseconds)), .init("ddl", .string(event.ddl)),
            .init("key_columns", .array(event.keyColumns.map { .string($0) })),
            .init("old_columns", columns(event.oldColumns)), .init("new_columns", columns(event.newColumns)),
        ])
        return EncodedRecord(key: key.bytes, value: value.bytes)
    }

    /// Reads a DDL event written by ``encodeSchemaChange(_:)``.
    public func decodeSchemaChange(_ value: [UInt8]) throws(FerryCoreError) -> SchemaChangeEvent {
        let reader = try JSONObjectReader(try JSONValue(parsing: value), path: "")
        try reader.rejectUnknown(["version", "db", "schema", "table", "lsn", "ts_ms", "ddl", "key_columns", "old_columns", "new_columns"])
        let version = try reader.string("version")
        guard version == SourceInfo.ferryVersion else {
            throw FerryCoreError(.unknownVersion, "'version' is \"\(version)\"; this build reads \"\(SourceInfo.ferryVersion)\" schema changes", context: ["field": "version", "version": version])
        }
        guard case .string(let lsnText) = try reader.required("lsn"), let lsn = LSN(lsnText) else {
            throw reader.invalid("lsn", expected: "an LSN such as \"0000002d:00000580:001d\"", found: reader.optional("lsn")!)
        }
        let keyColumns = try strings(reader, "key_columns")
        func columns(_ key: String) throws(FerryCoreError) -> [ColumnDefinition]? {
            let json = try reader.required(key)
            if json == .null { return nil }
            guard case .array(let items) = json else { throw reader.invalid(key, expected: "an array of columns or null", found: json) }
            var result: [ColumnDefinition] = []
            for (index, item) in items.enumerated() {
                let column = try JSONObjectReader(item, path: "\(key)[\(index)]")
                try column.rejectUnknown(["name", "type", "alias", "nullable", "identity", "computed"])
                let type: SQLServerDataType
                do {
                    type = try SQLServerDataType(declaration: try column.string("type"), aliasName: try column.optionalString("alias"))
                } catch {
                    throw error.adding(["field": column.fieldPath("type")])
                }
                result.append(ColumnDefinition(name: try column.string("name"), type: type, isNullable: try column.bool("nullable"),
                                               isIdentity: try column.bool("identity"), isComputed: try column.bool("computed")))
            }
            return result
        }
        let event = SchemaChangeEvent(table: TableIdentity(database: try reader.string("db"), schema: try reader.string("schema"), table: try reader.string("table")),
                                      oldColumns: try columns("old_columns"), newColumns: try columns("new_columns"), keyColumns: keyColumns,
                                      ddl: try reader.string("ddl"), lsn: lsn, timestampMilliseconds: try reader.int64("ts_ms"))
        _ = try event.newSchema()  // the key must name new columns, and names must not repeat
        return event
    }

    // MARK: Transactions (`<prefix>.transaction`)

    /// The record for a transaction boundary, in Debezium's format: key `{"id"}`, value
    /// `{"status","id","ts_ms","event_count","data_collections"}` (counts null for BEGIN).
    public func encodeTransaction(_ event: TransactionEvent) -> EncodedRecord {
        let isEnd = event.status == .end
        let collections: JSONValue = isEnd ? .array(event.eventCounts.map {
            .object([.init("data_collection", .string($0.table.description)), .init("event_count", .integer($0.count))])
        }) : .null
        let value = JSONValue.object([
            .init("status", .string(event.status.rawValue)), .init("id", .string(event.id)), .init("ts_ms", .integer(event.timestampMilliseconds)),
            .init("event_count", isEnd ? .integer(event.totalEventCount) : .null), .init("data_collections", collections),
        ])
        return EncodedRecord(key: JSONValue.object([.init("id", .string(event.id))]).bytes, value: value.bytes)
    }

    /// Reads a transaction boundary written by Ferry or Debezium; an END's `event_count` must equal
    /// the sum of its per-table counts.
    public func decodeTransaction(_ value: [UInt8]) throws(FerryCoreError) -> TransactionEvent {
        let (payload, _) = try EnvelopeCodec.splitSchema(try JSONValue(parsing: value))
        let reader = try JSONObjectReader(payload, path: "")
        try reader.rejectUnknown(["status", "id", "ts_ms", "event_count", "data_collections"])
        let statusText = try reader.string("status")
        guard let status = TransactionEvent.Status(rawValue: statusText) else {
            throw FerryCoreError(.invalidField, "'status' must be BEGIN or END, found \"\(statusText)\"", context: ["field": "status"])
        }
        var counts: [(table: TableIdentity, count: Int64)] = []
        if status == .end {
            guard case .array(let items) = try reader.required("data_collections") else {
                throw reader.invalid("data_collections", expected: "an array for END", found: reader.optional("data_collections")!)
            }
            for (index, item) in items.enumerated() {
                let entry = try JSONObjectReader(item, path: "data_collections[\(index)]")
                try entry.rejectUnknown(["data_collection", "event_count"])
                let name = try entry.string("data_collection")
                let parts = name.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count == 3, !parts.contains(where: \.isEmpty) else {
                    throw FerryCoreError(.invalidField, "'\(entry.fieldPath("data_collection"))' must be database.schema.table, found \"\(name)\"",
                                         context: ["field": entry.fieldPath("data_collection")])
                }
                counts.append((TableIdentity(database: String(parts[0]), schema: String(parts[1]), table: String(parts[2])), try entry.int64("event_count")))
            }
            let total = try reader.int64("event_count")
            guard total == counts.reduce(0, { $0 + $1.count }) else {
                throw FerryCoreError(.invalidField, "'event_count' is \(total) but 'data_collections' add up to \(counts.reduce(0) { $0 + $1.count })", context: ["field": "event_count"])
            }
        }
        return TransactionEvent(status: status, id: try reader.string("id"), timestampMilliseconds: try reader.int64("ts_ms"), eventCounts: counts)
    }

    private func strings(_ reader: JSONObjectReader, _ key: String) throws(FerryCoreError) -> [String] {
        let json = try reader.required(key)
        guard case .array(let items) = json else { throw reader.invalid(key, expected: "an array of strings", found: json) }
        var result: [String] = []
        for item in items {
            guard case .string(let s) = item else { throw reader.invalid(key, expected: "an array of strings", found: item) }
            result.append(s)
        }
        return result
    }
}
