import Foundation
import Postgres

/// A SQL Server database known to the catalog.
struct DatabaseRecord: Hashable, Sendable {
    var id: Int
    var name: String
}

/// A schema of a database, with the PostgreSQL schema its tables live in.
struct SchemaRecord: Hashable, Sendable {
    var databaseID: Int
    var id: Int
    var name: String
    var pgSchema: String
}

/// A catalog object (table, view, procedure or constraint).
struct ObjectRecord: Hashable, Sendable {
    var objectID: Int
    var name: String
    /// `U` table, `V` view, `P` procedure, `FN`/`IF`/`TF` functions, `TR` trigger, `SO` sequence,
    /// `PK`, `UQ`, `F`, `C`, `D` constraints.
    var type: String
    var pgName: String?
}

/// A user table: where it is in SQL Server's namespace and in PostgreSQL, and its structure.
struct TableRecord: Hashable, Sendable {
    var database: DatabaseRecord
    var schema: SchemaRecord
    var objectID: Int
    var name: String
    var pgName: String
    var definition: TableDefinition
    /// `U` for a table, `V` for a view.
    var type: String = "U"

    /// `"pg_schema"."pg_table"`.
    var pgQualifiedName: String { PostgresIdentifier.qualified(schema: schema.pgSchema, pgName) }
    /// `schema.table`, as SQL Server names the object in Msg 2627 and 2601.
    var twoPartName: String { "\(schema.name).\(name)" }
    /// `database.schema.table`, as SQL Server names the table in Msg 515 and 2628.
    var threePartName: String { "\(database.name).\(schema.name).\(name)" }
}

/// PostgreSQL names for SQL Server objects.
enum CatalogNames {
    /// PostgreSQL truncates identifiers to 63 bytes.
    static let maximumLength = 63

    /// `<database>.<schema>` lower-cased; `d<id>.s<id>` when that is too long.
    static func pgSchema(database: DatabaseRecord, schemaName: String, schemaID: Int) -> String {
        let name = "\(database.name.lowercased()).\(schemaName.lowercased())"
        return name.utf8.count <= maximumLength ? name : "d\(database.id).s\(schemaID)"
    }

    /// A table, column or constraint name lower-cased; `prefix<id>` when too long.
    static func pgName(_ name: String, fallback: String) -> String {
        let lowered = name.lowercased()
        return lowered.utf8.count <= maximumLength ? lowered : fallback
    }
}

/// Reads and writes the emulator's catalog (see ``CatalogSchema``) through a session's connection.
///
/// Names compare case-insensitively (through a lower-cased `name_key`), as under SQL Server's
/// default collation.
struct Catalog: Sendable {
    let connection: PostgresConnection

    // MARK: Databases and schemas

    func database(named name: String) async throws -> DatabaseRecord? {
        let rows = try await connection.query(
            "SELECT database_id, name FROM sqlserver_catalog.databases WHERE name_key = $1", [.text(name.lowercased())])
        guard let row = rows.first else { return nil }
        return DatabaseRecord(id: try row.decode(Int.self, at: 0), name: try row.decode(String.self, at: 1))
    }

    func database(id: Int) async throws -> DatabaseRecord? {
        let rows = try await connection.query(
            "SELECT database_id, name FROM sqlserver_catalog.databases WHERE database_id = $1", [.int64(Int64(id))])
        guard let row = rows.first else { return nil }
        return DatabaseRecord(id: try row.decode(Int.self, at: 0), name: try row.decode(String.self, at: 1))
    }

    /// Creates a database with its `dbo` schema.
    func createDatabase(named name: String) async throws -> DatabaseRecord {
        let rows = try await connection.query(
            """
            INSERT INTO sqlserver_catalog.databases (database_id, name, name_key)
            VALUES (nextval('sqlserver_catalog.database_ids'), $1, $2) RETURNING database_id
            """, [.text(name), .text(name.lowercased())])
        let database = DatabaseRecord(id: try rows[0].decode(Int.self, at: 0), name: name)
        _ = try await createSchema(in: database, named: "dbo", id: 1)
        return database
    }

    /// Drops a database and every PostgreSQL schema holding its tables.
    func dropDatabase(_ database: DatabaseRecord) async throws {
        let rows = try await connection.query(
            "SELECT pg_schema FROM sqlserver_catalog.schemas WHERE database_id = $1", [.int64(Int64(database.id))])
        for row in rows {
            let schema = try row.decode(String.self, at: 0)
            try await connection.execute("DROP SCHEMA IF EXISTS \(PostgresIdentifier.quote(schema)) CASCADE")
        }
        try await connection.query(
            "DELETE FROM sqlserver_catalog.databases WHERE database_id = $1", [.int64(Int64(database.id))])
    }

    func schema(in database: DatabaseRecord, named name: String) async throws -> SchemaRecord? {
        let rows = try await connection.query(
            "SELECT schema_id, name, pg_schema FROM sqlserver_catalog.schemas WHERE database_id = $1 AND name_key = $2",
            [.int64(Int64(database.id)), .text(name.lowercased())])
        guard let row = rows.first else { return nil }
        return SchemaRecord(
            databaseID: database.id, id: try row.decode(Int.self, at: 0), name: try row.decode(String.self, at: 1),
            pgSchema: try row.decode(String.self, at: 2))
    }

    func schema(in database: DatabaseRecord, id: Int) async throws -> SchemaRecord? {
        let rows = try await connection.query(
            "SELECT schema_id, name, pg_schema FROM sqlserver_catalog.schemas WHERE database_id = $1 AND schema_id = $2",
            [.int64(Int64(database.id)), .int64(Int64(id))])
        guard let row = rows.first else { return nil }
        return SchemaRecord(
            databaseID: database.id, id: try row.decode(Int.self, at: 0), name: try row.decode(String.self, at: 1),
            pgSchema: try row.decode(String.self, at: 2))
    }

    /// Creates a schema and its PostgreSQL schema; user schemas get ids from 5 up, as in SQL Server.
    func createSchema(in database: DatabaseRecord, named name: String, id: Int? = nil) async throws -> SchemaRecord {
        let schemaID: Int
        if let id {
            schemaID = id
        } else {
            let rows = try await connection.query(
                "SELECT greatest(coalesce(max(schema_id), 0) + 1, 5) FROM sqlserver_catalog.schemas WHERE database_id = $1",
                [.int64(Int64(database.id))])
            schemaID = try rows[0].decode(Int.self, at: 0)
        }
        let pgSchema = CatalogNames.pgSchema(database: database, schemaName: name, schemaID: schemaID)
        try await connection.query(
            "INSERT INTO sqlserver_catalog.schemas (database_id, schema_id, name, name_key, pg_schema) VALUES ($1, $2, $3, $4, $5)",
            [.int64(Int64(database.id)), .int64(Int64(schemaID)), .text(name), .text(name.lowercased()), .text(pgSchema)])
        try await connection.execute("CREATE SCHEMA IF NOT EXISTS \(PostgresIdentifier.quote(pgSchema))")
        return SchemaRecord(databaseID: database.id, id: schemaID, name: name, pgSchema: pgSchema)
    }

    // MARK: Alias types

    /// An alias type's base type (carrying the alias name) and default nullability.
    func aliasType(in database: DatabaseRecord, schema: SchemaRecord, named name: String) async throws
        -> (type: SQLServerType, isNullable: Bool)?
    {
        let rows = try await connection.query(
            """
            SELECT name, base_type, is_nullable FROM sqlserver_catalog.types
            WHERE database_id = $1 AND schema_id = $2 AND name_key = $3
            """, [.int64(Int64(database.id)), .int64(Int64(schema.id)), .text(name.lowercased())])
        guard let row = rows.first, var type = SQLServerType(declaration: try row.decode(String.self, at: 1)) else {
            return nil
        }
        type.aliasName = "\(schema.name).\(try row.decode(String.self, at: 0))"
        return (type, try row.decode(Bool.self, at: 2))
    }

    func createAliasType(in database: DatabaseRecord, schema: SchemaRecord, name: String, base: SQLServerType, isNullable: Bool)
        async throws
    {
        try await connection.query(
            """
            INSERT INTO sqlserver_catalog.types (database_id, user_type_id, schema_id, name, name_key, base_type, is_nullable)
            SELECT $1, greatest(coalesce(max(user_type_id), 0) + 1, 257), $2, $3, $4, $5, $6
            FROM sqlserver_catalog.types WHERE database_id = $1
            """,
            [
                .int64(Int64(database.id)), .int64(Int64(schema.id)), .text(name), .text(name.lowercased()),
                .text(base.systemDeclaration), .bool(isNullable),
            ])
    }

    // MARK: Objects

    func object(in schema: SchemaRecord, named name: String) async throws -> ObjectRecord? {
        let rows = try await connection.query(
            """
            SELECT object_id, name, type, pg_name FROM sqlserver_catalog.objects
            WHERE database_id = $1 AND schema_id = $2 AND name_key = $3
            """, [.int64(Int64(schema.databaseID)), .int64(Int64(schema.id)), .text(name.lowercased())])
        guard let row = rows.first else { return nil }
        return ObjectRecord(
            objectID: try row.decode(Int.self, at: 0), name: try row.decode(String.self, at: 1),
            type: try row.decode(String.self, at: 2), pgName: try row.decode(String?.self, at: 3))
    }

    /// A new `object_id`.
    func nextObjectID() async throws -> Int {
        try await connection.query("SELECT nextval('sqlserver_catalog.object_ids')")[0].decode(Int.self, at: 0)
    }

    func insertObject(
        in schema: SchemaRecord, objectID: Int, name: String, type: String, parentObjectID: Int = 0, pgName: String? = nil,
        definition: TableDefinition? = nil
    ) async throws {
        try await connection.query(
            """
            INSERT INTO sqlserver_catalog.objects
                (database_id, object_id, schema_id, name, name_key, type, parent_object_id, pg_name, definition)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
            """,
            [
                .int64(Int64(schema.databaseID)), .int64(Int64(objectID)), .int64(Int64(schema.id)), .text(name),
                .text(name.lowercased()), .text(type), .int64(Int64(parentObjectID)), pgName.map { .text($0) } ?? .null,
                try definition.map { .text(try Self.encode($0)) } ?? .null,
            ])
    }

    func updateDefinition(of table: TableRecord) async throws {
        try await connection.query(
            """
            UPDATE sqlserver_catalog.objects SET definition = $3::jsonb, modify_date = localtimestamp
            WHERE database_id = $1 AND object_id = $2
            """,
            [.int64(Int64(table.database.id)), .int64(Int64(table.objectID)), .text(try Self.encode(table.definition))])
    }

    /// Gives an object a new name (`sp_rename`); its PostgreSQL storage keeps its own name.
    func renameObject(databaseID: Int, objectID: Int, to name: String) async throws {
        try await connection.query(
            """
            UPDATE sqlserver_catalog.objects SET name = $3, name_key = $4, modify_date = localtimestamp
            WHERE database_id = $1 AND object_id = $2
            """,
            [.int64(Int64(databaseID)), .int64(Int64(objectID)), .text(name), .text(name.lowercased())])
    }

    /// The tables whose foreign keys reference the table `objectID` (not the table itself).
    func referencingTableRecords(in database: DatabaseRecord, objectID: Int) async throws -> [TableRecord] {
        let rows = try await connection.query(
            """
            SELECT DISTINCT p.object_id FROM sqlserver_catalog.objects p
            WHERE p.database_id = $1 AND p.type = 'U' AND p.object_id <> $2
              AND (p.definition -> 'foreignKeys') @> jsonb_build_array(jsonb_build_object('referencedObjectID', $2::integer))
            """, [.int64(Int64(database.id)), .int64(Int64(objectID))])
        var tables: [TableRecord] = []
        for row in rows {
            if let table = try await self.table(in: database, objectID: try row.decode(Int.self, at: 0)) { tables.append(table) }
        }
        return tables
    }

    /// Deletes an object and the objects whose parent it is (a table's constraints).
    func deleteObject(databaseID: Int, objectID: Int) async throws {
        try await connection.query(
            "DELETE FROM sqlserver_catalog.objects WHERE database_id = $1 AND (object_id = $2 OR parent_object_id = $2)",
            [.int64(Int64(databaseID)), .int64(Int64(objectID))])
    }

    func deleteObjects(databaseID: Int, objectIDs: [Int]) async throws {
        for id in objectIDs {
            try await connection.query(
                "DELETE FROM sqlserver_catalog.objects WHERE database_id = $1 AND object_id = $2",
                [.int64(Int64(databaseID)), .int64(Int64(id))])
        }
    }

    func saveModule(databaseID: Int, objectID: Int, definition: String) async throws {
        try await connection.query(
            """
            INSERT INTO sqlserver_catalog.modules (database_id, object_id, definition) VALUES ($1, $2, $3)
            ON CONFLICT (database_id, object_id) DO UPDATE SET definition = excluded.definition
            """, [.int64(Int64(databaseID)), .int64(Int64(objectID)), .text(definition)])
    }

    // MARK: Tables

    /// The table (or, with `includingViews`, the view) `name` in `schema`, or nil if there is none.
    func table(in database: DatabaseRecord, schema: SchemaRecord, named name: String, includingViews: Bool = false)
        async throws -> TableRecord?
    {
        let rows = try await connection.query(
            """
            SELECT object_id, name, pg_name, definition::text, type FROM sqlserver_catalog.objects
            WHERE database_id = $1 AND schema_id = $2 AND name_key = $3 AND (type = 'U' OR ($4 AND type = 'V'))
            """, [.int64(Int64(database.id)), .int64(Int64(schema.id)), .text(name.lowercased()), .bool(includingViews)])
        guard let row = rows.first else { return nil }
        return TableRecord(
            database: database, schema: schema, objectID: try row.decode(Int.self, at: 0),
            name: try row.decode(String.self, at: 1), pgName: try row.decode(String.self, at: 2),
            definition: try Self.decode(try row.decode(String.self, at: 3)), type: try row.decode(String.self, at: 4))
    }

    /// A stored module's text (`sys.sql_modules.definition`).
    func module(databaseID: Int, objectID: Int) async throws -> String? {
        let rows = try await connection.query(
            "SELECT definition FROM sqlserver_catalog.modules WHERE database_id = $1 AND object_id = $2",
            [.int64(Int64(databaseID)), .int64(Int64(objectID))])
        return try rows.first?.decode(String.self, at: 0)
    }

    /// The table stored in PostgreSQL as `pgSchema.pgName`, for mapping PostgreSQL errors back.
    func table(pgSchema: String, pgName: String) async throws -> TableRecord? {
        let rows = try await connection.query(
            """
            SELECT d.database_id, d.name, s.schema_id, s.name, o.object_id, o.name, o.definition::text
            FROM sqlserver_catalog.objects o
            JOIN sqlserver_catalog.schemas s ON s.database_id = o.database_id AND s.schema_id = o.schema_id
            JOIN sqlserver_catalog.databases d ON d.database_id = o.database_id
            WHERE s.pg_schema = $1 AND o.pg_name = $2 AND o.type = 'U'
            """, [.text(pgSchema), .text(pgName)])
        guard let row = rows.first else { return nil }
        let database = DatabaseRecord(id: try row.decode(Int.self, at: 0), name: try row.decode(String.self, at: 1))
        return TableRecord(
            database: database,
            schema: SchemaRecord(
                databaseID: database.id, id: try row.decode(Int.self, at: 2), name: try row.decode(String.self, at: 3),
                pgSchema: pgSchema),
            objectID: try row.decode(Int.self, at: 4), name: try row.decode(String.self, at: 5), pgName: pgName,
            definition: try Self.decode(try row.decode(String.self, at: 6)))
    }

    /// The table with `objectID`.
    func table(in database: DatabaseRecord, objectID: Int) async throws -> TableRecord? {
        let rows = try await connection.query(
            "SELECT schema_id, name FROM sqlserver_catalog.objects WHERE database_id = $1 AND object_id = $2 AND type = 'U'",
            [.int64(Int64(database.id)), .int64(Int64(objectID))])
        guard let row = rows.first,
            let schema = try await schema(in: database, id: try row.decode(Int.self, at: 0))
        else { return nil }
        return try await table(in: database, schema: schema, named: try row.decode(String.self, at: 1))
    }

    /// The tables whose foreign keys reference `objectID`.
    func referencingTables(in database: DatabaseRecord, objectID: Int) async throws -> [String] {
        let rows = try await connection.query(
            """
            SELECT f.name, p.name FROM sqlserver_catalog.objects f
            JOIN sqlserver_catalog.objects p ON p.database_id = f.database_id AND p.object_id = f.parent_object_id
            WHERE f.database_id = $1 AND f.type = 'F' AND p.object_id <> $2
              AND (p.definition -> 'foreignKeys') @> jsonb_build_array(jsonb_build_object('referencedObjectID', $2::integer))
            """, [.int64(Int64(database.id)), .int64(Int64(objectID))])
        return try rows.map { try $0.decode(String.self, at: 0) }
    }

    /// One row of `sqlserver_catalog.objects`, for the system views.
    struct ObjectRow: Sendable {
        var objectID: Int
        var schemaID: Int
        var name: String
        var type: String
        var parentObjectID: Int
        var createDate: String
        var modifyDate: String
        var definition: TableDefinition?
    }

    /// Every object of a database, in object_id order.
    func objects(in database: DatabaseRecord) async throws -> [ObjectRow] {
        let rows = try await connection.query(
            """
            SELECT object_id, schema_id, name, type, parent_object_id, create_date::text, modify_date::text, definition::text
            FROM sqlserver_catalog.objects WHERE database_id = $1 ORDER BY object_id
            """, [.int64(Int64(database.id))])
        return try rows.map { row in
            ObjectRow(
                objectID: try row.decode(Int.self, at: 0), schemaID: try row.decode(Int.self, at: 1),
                name: try row.decode(String.self, at: 2), type: try row.decode(String.self, at: 3),
                parentObjectID: try row.decode(Int.self, at: 4), createDate: try row.decode(String.self, at: 5),
                modifyDate: try row.decode(String.self, at: 6),
                definition: try row.decode(String?.self, at: 7).map { try Self.decode($0) })
        }
    }

    /// Every schema of a database.
    func schemas(in database: DatabaseRecord) async throws -> [SchemaRecord] {
        let rows = try await connection.query(
            "SELECT schema_id, name, pg_schema FROM sqlserver_catalog.schemas WHERE database_id = $1 ORDER BY schema_id",
            [.int64(Int64(database.id))])
        return try rows.map {
            SchemaRecord(
                databaseID: database.id, id: try $0.decode(Int.self, at: 0), name: try $0.decode(String.self, at: 1),
                pgSchema: try $0.decode(String.self, at: 2))
        }
    }

    /// Every database, with its creation time.
    func databases() async throws -> [(DatabaseRecord, String)] {
        let rows = try await connection.query(
            "SELECT database_id, name, create_date::text FROM sqlserver_catalog.databases ORDER BY database_id")
        return try rows.map {
            (DatabaseRecord(id: try $0.decode(Int.self, at: 0), name: try $0.decode(String.self, at: 1)), try $0.decode(String.self, at: 2))
        }
    }

    /// Alias types of a database: user_type_id, schema_id, name, base declaration, nullability.
    func aliasTypes(in database: DatabaseRecord) async throws -> [(id: Int, schemaID: Int, name: String, base: String, isNullable: Bool)] {
        let rows = try await connection.query(
            "SELECT user_type_id, schema_id, name, base_type, is_nullable FROM sqlserver_catalog.types WHERE database_id = $1 ORDER BY user_type_id",
            [.int64(Int64(database.id))])
        return try rows.map {
            (
                try $0.decode(Int.self, at: 0), try $0.decode(Int.self, at: 1), try $0.decode(String.self, at: 2),
                try $0.decode(String.self, at: 3), try $0.decode(Bool.self, at: 4)
            )
        }
    }

    static func encode(_ definition: TableDefinition) throws -> String {
        String(decoding: try JSONEncoder().encode(definition), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> TableDefinition {
        try JSONDecoder().decode(TableDefinition.self, from: Data(text.utf8))
    }
}
