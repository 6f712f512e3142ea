import Postgres

extension Catalog {
    /// The databases with change data capture enabled (`sys.databases.is_cdc_enabled`).
    func cdcEnabledDatabases() async throws -> Set<Int> {
        let rows = try await connection.query("SELECT database_id FROM sqlserver_catalog.cdc_databases")
        return Set(try rows.map { try $0.decode(Int.self, at: 0) })
    }

    /// The tables of a database with a capture instance (`sys.tables.is_tracked_by_cdc`).
    func cdcTrackedTables(in database: DatabaseRecord) async throws -> Set<Int> {
        let rows = try await connection.query(
            "SELECT source_object_id FROM sqlserver_catalog.cdc_instances WHERE database_id = $1", [.int64(Int64(database.id))])
        return Set(try rows.map { try $0.decode(Int.self, at: 0) })
    }
}
