import Foundation
import Postgres

/// A capture instance as the capture job needs it (`sqlserver_catalog.cdc_instances.definition`):
/// the source table, its change table, the captured columns and the net-changes key. The public
/// face of the same facts is `cdc.change_tables`, `cdc.captured_columns` and `cdc.index_columns`.
struct CaptureInstance: Codable, Hashable, Sendable {
    /// How large-value rules apply to a captured column.
    enum LargeValueKind: String, Codable, Hashable, Sendable {
        /// Captured as is.
        case none
        /// `varchar(max)`, `nvarchar(max)`, `varbinary(max)`, `xml`: NULL in the op-3 row when the
        /// update did not change it.
        case max
        /// `text`, `ntext`, `image`: NULL in op-1 and op-3 rows.
        case legacy
    }

    /// One captured column.
    struct Column: Codable, Hashable, Sendable {
        var name: String
        /// The key of the column in the row images (the source's PostgreSQL column name).
        var sourcePgName: String
        /// The change table's PostgreSQL column name.
        var changePgName: String
        /// `column_id` in the source table.
        var columnID: Int
        /// `column_ordinal` (1-based): the bit `ordinal − 1` of `__$update_mask`.
        var ordinal: Int
        /// The change table column's type declaration (`nvarchar(50)`, rowversion as `binary(8)`).
        var systemType: String
        /// `column_type` in `cdc.captured_columns` (the source type's name).
        var typeName: String
        var isComputed: Bool
        var largeValue: LargeValueKind
    }

    var name: String
    var databaseID: Int
    var sourceObjectID: Int
    var sourceSchema: String
    var sourceTable: String
    /// The object id of `cdc.<name>_CT`.
    var changeTableID: Int
    /// `"<db>.cdc"."<name>_ct"`.
    var changeTablePg: String
    /// The LSN (integer) allocated when the instance was created: it captures later commits only.
    var createdLSN: Int64
    var supportsNetChanges: Bool
    var roleName: String?
    var indexName: String?
    var filegroupName: String?
    var columns: [Column]
    /// The captured columns forming the unique key (primary key or `@index_name`), in key order.
    var keyColumns: [String]

    /// `cdc.fn_cdc_get_all_changes_<name>` / `…_net_changes_…` names are looked up case-insensitively.
    var nameKey: String { name.lowercased() }
}

extension CaptureInstance {
    /// The capture instances of a database (all, or those of one source table).
    static func load(_ connection: PostgresConnection, databaseID: Int, sourceObjectID: Int? = nil) async throws -> [CaptureInstance] {
        var sql = "SELECT definition::text FROM sqlserver_catalog.cdc_instances WHERE database_id = $1"
        var parameters: [PostgresValue] = [.int64(Int64(databaseID))]
        if let sourceObjectID {
            sql += " AND source_object_id = $2"
            parameters.append(.int64(Int64(sourceObjectID)))
        }
        sql += " ORDER BY created_lsn"
        let rows = try await connection.query(sql, parameters)
        return try rows.map { try JSONCoding.decode(CaptureInstance.self, from: try $0.decode(String.self, at: 0)) }
    }

    /// The capture instance `name` of a database, if any.
    static func load(_ connection: PostgresConnection, databaseID: Int, named name: String) async throws -> CaptureInstance? {
        let rows = try await connection.query(
            "SELECT definition::text FROM sqlserver_catalog.cdc_instances WHERE database_id = $1 AND name_key = $2",
            [.int64(Int64(databaseID)), .text(name.lowercased())])
        return try rows.first.map { try JSONCoding.decode(CaptureInstance.self, from: try $0.decode(String.self, at: 0)) }
    }

    func save(_ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO sqlserver_catalog.cdc_instances
                (database_id, name_key, capture_instance, source_object_id, change_table_id, created_lsn, definition)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
            ON CONFLICT (database_id, name_key) DO UPDATE SET definition = excluded.definition
            """,
            [
                .int64(Int64(databaseID)), .text(nameKey), .text(name), .int64(Int64(sourceObjectID)),
                .int64(Int64(changeTableID)), .int64(createdLSN), .text(try JSONCoding.encode(self)),
            ])
    }
}

/// JSON for the CDC bookkeeping rows (Foundation's coders, as the catalog uses).
enum JSONCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
