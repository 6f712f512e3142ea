/// Encodes change events as Debezium-compatible SQL Server envelopes (record key and value), and
/// decodes them back — Ferry's own events and Debezium's — with strict validation.
///
/// The value is `{"before","after","source","op","ts_ms","transaction"}`, optionally wrapped as
/// `{"schema": …, "payload": …}` like Kafka Connect's JSON converter with schemas enabled. The key
/// is the key columns as a JSON object (`null` for a keyless table). Column values follow
/// `docs/types.md`.
public struct EnvelopeCodec: Sendable {
    /// Choices that change what is written.
    public struct Configuration: Hashable, Sendable {
        /// Whether keys and values carry the Kafka Connect `schema` part.
        public var includeSchema: Bool
        /// Whether a delete is followed by a tombstone (same key, null value) so compaction can drop the key.
        public var tombstonesOnDelete: Bool

        /// Makes a configuration; the defaults match Debezium's (`tombstones.on.delete=true`), without schemas.
        public init(includeSchema: Bool = false, tombstonesOnDelete: Bool = true) {
            self.includeSchema = includeSchema
            self.tombstonesOnDelete = tombstonesOnDelete
        }
    }

    /// One record to append to a topic: key and value bytes (`nil` value: a tombstone).
    public struct EncodedRecord: Hashable, Sendable {
        /// The key bytes; `nil` for a keyless table.
        public var key: [UInt8]?
        /// The value bytes; `nil` for a tombstone.
        public var value: [UInt8]?
        /// Makes a record.
        public init(key: [UInt8]?, value: [UInt8]?) {
            self.key = key
            self.value = value
        }
    }

    /// What a decoded record holds.
    public enum DecodedRecord: Hashable, Sendable {
        /// A change event.
        case change(ChangeEvent)
        /// A tombstone: the key whose earlier records compaction may drop (`nil` key: keyless).
        case tombstone(key: Row?)
    }

    /// The configuration.
    public var configuration: Configuration

    /// Makes a codec.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: Encoding

    /// The records for one event: the event, then a tombstone after a delete (unless disabled or
    /// the table has no key, where compaction cannot use it).
    public func encode(_ event: ChangeEvent, schema: TableSchema) throws(FerryCoreError) -> [EncodedRecord] {
        let value = try encodeValue(event, schema: schema)
        let key = try encodeKey(for: event, schema: schema)
        var records = [EncodedRecord(key: key, value: value)]
        if event.operation == .delete, configuration.tombstonesOnDelete, key != nil {
            records.append(EncodedRecord(key: key, value: nil))
        }
        return records
    }

    /// The record key: the key columns of `after` (of `before` for a delete) as a JSON object;
    /// `nil` for a keyless table.
    public func encodeKey(for event: ChangeEvent, schema: TableSchema) throws(FerryCoreError) -> [UInt8]? {
        guard !schema.keyColumns.isEmpty else { return nil }
        guard let image = event.keyImage else {
            throw FerryCoreError(.invalidEvent, "the event has no row image to take the key from", context: ["table": schema.identity.description])
        }
        var members: [JSONValue.Member] = []
        for name in schema.keyColumns {
            let column = schema.column(named: name)!
            guard let value = image[name] else {
                throw FerryCoreError(.invalidEvent, "key column '\(name)' is missing from the row", context: ["table": schema.identity.description, "column": name])
            }
            guard value != .unchanged else {
                throw FerryCoreError(.invalidEvent, "key column '\(name)' cannot be unchanged", context: ["table": schema.identity.description, "column": name])
            }
            members.append(JSONValue.Member(name, try encodeColumn(value, column, table: schema.identity, field: "key")))
        }
        let payload = JSONValue.object(members)
        guard configuration.includeSchema else { return payload.bytes }
        let keySchema = ConnectSchema.keyStruct(schema, name: "\(try topicBaseName(event.source.name, schema.identity)).Key")
        return JSONValue.object([JSONValue.Member("schema", keySchema), JSONValue.Member("payload", payload)]).bytes
    }

    /// The record value: the envelope JSON.
    public func encodeValue(_ event: ChangeEvent, schema: TableSchema) throws(FerryCoreError) -> [UInt8] {
        guard event.source.table == schema.identity else {
            throw FerryCoreError(.invalidEvent, "an event of \(event.source.table) cannot be encoded with the schema of \(schema.identity)",
                                 context: ["table": event.source.table.description])
        }
        let source = event.source
        let sourceJSON = JSONValue.object([
            .init("version", .string(source.version)),
            .init("connector", .string(SourceInfo.connector)),
            .init("name", .string(source.name)),
            .init("ts_ms", .integer(source.timestampMilliseconds)),
            .init("snapshot", .string(source.snapshot.rawValue)),
            .init("db", .string(source.table.database)),
            .init("schema", .string(source.table.schema)),
            .init("table", .string(source.table.table)),
            .init("change_lsn", source.changeLSN.map { .string(EnvelopeCodec.text(of: $0)) } ?? .null),
            .init("commit_lsn", source.commitLSN.map { .string(EnvelopeCodec.text(of: $0)) } ?? .null),
            .init("event_serial_no", source.eventSerialNumber.map { .integer($0) } ?? .null),
        ])
        let transactionJSON: JSONValue = event.transaction.map {
            .object([.init("id", .string($0.id)), .init("total_order", .integer($0.totalOrder)),
                     .init("data_collection_order", .integer($0.dataCollectionOrder))])
        } ?? .null
        let payload = JSONValue.object([
            .init("before", try encodeRow(event.before, schema: schema, field: "before")),
            .init("after", try encodeRow(event.after, schema: schema, field: "after")),
            .init("source", sourceJSON),
            .init("op", .string(event.operation.rawValue)),
            .init("ts_ms", .integer(event.timestampMilliseconds)),
            .init("transaction", transactionJSON),
        ])
        guard configuration.includeSchema else { return payload.bytes }
        let envelopeSchema = ConnectSchema.envelope(schema, baseName: try topicBaseName(source.name, schema.identity))
        return JSONValue.object([JSONValue.Member("schema", envelopeSchema), JSONValue.Member("payload", payload)]).bytes
    }

    /// One column value alone as Ferry writes it in events, e.g. `"12.3400"` for `decimal(10,4)`.
    public static func encodeColumnValue(_ value: ColumnValue, as type: SQLServerDataType) throws(FerryCoreError) -> String {
        try ValueJSONCoder.encode(value, as: type).serialized
    }

    /// Reads one column value written by ``encodeColumnValue(_:as:)``.
    public static func decodeColumnValue(_ json: String, as type: SQLServerDataType) throws(FerryCoreError) -> ColumnValue {
        try ValueJSONCoder.decode(try JSONValue(parsing: Array(json.utf8)), as: type, flavor: .ferry)
    }

    private func encodeRow(_ row: Row?, schema: TableSchema, field: String) throws(FerryCoreError) -> JSONValue {
        guard let row else { return .null }
        for column in row where schema.column(named: column.name) == nil {
            throw FerryCoreError(.invalidEvent, "'\(field)' has column '\(column.name)', which \(schema.identity) does not have",
                                 context: ["table": schema.identity.description, "column": column.name, "field": field])
        }
        var members: [JSONValue.Member] = []
        for column in schema.columns {
            guard let value = row[column.name] else { continue }
            members.append(JSONValue.Member(column.name, try encodeColumn(value, column, table: schema.identity, field: field)))
        }
        return .object(members)
    }

    private func encodeColumn(_ value: ColumnValue, _ column: ColumnDefinition, table: TableIdentity, field: String) throws(FerryCoreError) -> JSONValue {
        do {
            return try ValueJSONCoder.encode(value, as: column.type)
        } catch {
            throw error.adding(["table": table.description, "column": column.name, "field": "\(field).\(column.name)"])
        }
    }

    /// `LSN.description` (`0000002d:00000580:001d`) written in one step: every event carries two.
    static func text(of lsn: LSN) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 22) { buffer in
            var index = 0
            func put(_ value: UInt32, _ count: Int) {
                for shift in stride(from: 4 * (count - 1), through: 0, by: -4) {
                    buffer[index] = digits.utf8Start[Int((value >> UInt32(shift)) & 0xF)]
                    index += 1
                }
            }
            put(lsn.virtualLogFile, 8)
            buffer[index] = UInt8(ascii: ":")
            index += 1
            put(lsn.block, 8)
            buffer[index] = UInt8(ascii: ":")
            index += 1
            put(UInt32(lsn.slot), 4)
            return index
        }
    }

    /// `<prefix>.<db>.<schema>.<table>`: the record schemas' name stem, as Debezium names them.
    private func topicBaseName(_ prefix: String, _ table: TableIdentity) throws(FerryCoreError) -> String {
        try TopicNames(prefix: prefix).table(table)
    }
}
