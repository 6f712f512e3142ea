import Postgres

/// A sequence object (`CREATE SEQUENCE`): what `sys.sequences` reports, and the PostgreSQL
/// sequence behind it.
struct SequenceRecord: Hashable, Sendable {
    var objectID: Int
    /// `"pg_schema"."seq<object_id>"`.
    var pgSequence: String
    /// The declared type (`bigint`, `int`, `decimal(10,0)`…).
    var typeDeclaration: String
    var start: String
    var increment: String
    var minimum: String
    var maximum: String
    var isCycling: Bool
    var isCached: Bool
    var cacheSize: Int?
    /// The last value `NEXT VALUE FOR` gave, or nil before the first.
    var lastValue: String?
}

/// A DML trigger (`CREATE TRIGGER`): what `sys.triggers` reports beside `sys.objects`.
struct TriggerRecord: Hashable, Sendable {
    var objectID: Int
    var isInsteadOf: Bool
    var isNotForReplication: Bool
    var isDisabled: Bool
    /// `INSERT,UPDATE,DELETE` as declared.
    var events: String
}

extension Catalog {
    func insertSequence(databaseID: Int, _ sequence: SequenceRecord) async throws {
        try await connection.query(
            """
            INSERT INTO sqlserver_catalog.sequences (database_id, object_id, pg_sequence, type_declaration, start_value,
                increment, minimum_value, maximum_value, is_cycling, is_cached, cache_size)
            VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, $7::numeric, $8::numeric, $9, $10, $11)
            """,
            [
                .int64(Int64(databaseID)), .int64(Int64(sequence.objectID)), .text(sequence.pgSequence),
                .text(sequence.typeDeclaration), .text(sequence.start), .text(sequence.increment), .text(sequence.minimum),
                .text(sequence.maximum), .bool(sequence.isCycling), .bool(sequence.isCached),
                sequence.cacheSize.map { .int64(Int64($0)) } ?? .null,
            ])
    }

    /// The sequences of a database, by object_id, with their last values.
    func sequences(in database: DatabaseRecord) async throws -> [Int: SequenceRecord] {
        let rows = try await connection.query(
            """
            SELECT object_id, pg_sequence, type_declaration, start_value::text, increment::text, minimum_value::text,
                maximum_value::text, is_cycling, is_cached, cache_size, pg_sequence_last_value(pg_sequence::regclass)::text
            FROM sqlserver_catalog.sequences WHERE database_id = $1
            """, [.int64(Int64(database.id))])
        var result: [Int: SequenceRecord] = [:]
        for row in rows {
            let record = SequenceRecord(
                objectID: try row.decode(Int.self, at: 0), pgSequence: try row.decode(String.self, at: 1),
                typeDeclaration: try row.decode(String.self, at: 2), start: try row.decode(String.self, at: 3),
                increment: try row.decode(String.self, at: 4), minimum: try row.decode(String.self, at: 5),
                maximum: try row.decode(String.self, at: 6), isCycling: try row.decode(Bool.self, at: 7),
                isCached: try row.decode(Bool.self, at: 8), cacheSize: try row.decode(Int?.self, at: 9),
                lastValue: try row.decode(String?.self, at: 10))
            result[record.objectID] = record
        }
        return result
    }

    func insertTrigger(databaseID: Int, _ trigger: TriggerRecord) async throws {
        try await connection.query(
            """
            INSERT INTO sqlserver_catalog.triggers (database_id, object_id, is_instead_of, is_not_for_replication, is_disabled, events)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (database_id, object_id) DO UPDATE SET is_instead_of = excluded.is_instead_of,
                is_not_for_replication = excluded.is_not_for_replication, events = excluded.events
            """,
            [
                .int64(Int64(databaseID)), .int64(Int64(trigger.objectID)), .bool(trigger.isInsteadOf),
                .bool(trigger.isNotForReplication), .bool(trigger.isDisabled), .text(trigger.events),
            ])
    }

    /// The DML triggers of a database, by object_id.
    func triggers(in database: DatabaseRecord) async throws -> [Int: TriggerRecord] {
        let rows = try await connection.query(
            """
            SELECT object_id, is_instead_of, is_not_for_replication, is_disabled, events
            FROM sqlserver_catalog.triggers WHERE database_id = $1
            """, [.int64(Int64(database.id))])
        var result: [Int: TriggerRecord] = [:]
        for row in rows {
            let record = TriggerRecord(
                objectID: try row.decode(Int.self, at: 0), isInsteadOf: try row.decode(Bool.self, at: 1),
                isNotForReplication: try row.decode(Bool.self, at: 2), isDisabled: try row.decode(Bool.self, at: 3),
                events: try row.decode(String.self, at: 4))
            result[record.objectID] = record
        }
        return result
    }

    /// The last value of each identity column (nil before the first), by (table object_id, column name).
    func identityLastValues(in database: DatabaseRecord) async throws -> [ColumnKey: String] {
        let rows = try await connection.query(
            """
            SELECT o.object_id, c->>'name', pg_sequence_last_value(pg_get_serial_sequence(
                quote_ident(s.pg_schema) || '.' || quote_ident(o.pg_name), c->>'pgName')::regclass)::text
            FROM sqlserver_catalog.objects o
            JOIN sqlserver_catalog.schemas s ON s.database_id = o.database_id AND s.schema_id = o.schema_id
            CROSS JOIN LATERAL jsonb_array_elements(o.definition->'columns') AS c
            WHERE o.database_id = $1 AND o.type = 'U' AND jsonb_typeof(c->'identity') = 'object'
            """, [.int64(Int64(database.id))])
        var result: [ColumnKey: String] = [:]
        for row in rows {
            guard let value = try row.decode(String?.self, at: 2) else { continue }
            result[ColumnKey(objectID: try row.decode(Int.self, at: 0), column: try row.decode(String.self, at: 1))] = value
        }
        return result
    }

    /// Every stored module text of a database (views, procedures, functions, triggers), by object_id.
    func modules(in database: DatabaseRecord) async throws -> [Int: String] {
        let rows = try await connection.query(
            "SELECT object_id, definition FROM sqlserver_catalog.modules WHERE database_id = $1", [.int64(Int64(database.id))])
        var result: [Int: String] = [:]
        for row in rows { result[try row.decode(Int.self, at: 0)] = try row.decode(String.self, at: 1) }
        return result
    }

    /// `(object_id, column name)` of a table's column.
    struct ColumnKey: Hashable, Sendable {
        var objectID: Int
        var column: String
    }
}
