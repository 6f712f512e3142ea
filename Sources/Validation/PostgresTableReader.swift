import FerryCore
import Postgres

/// Reads a target table in key order through a PostgreSQL cursor, a batch of canonical rows at a
/// time, inside one read-only repeatable-read transaction (a consistent view of the table).
struct PostgresTableReader: Sendable {
    private let connection: PostgresConnection
    private let columns: [ValidationTable.Column]
    private let batchSize: Int
    private static let cursor = "ferry_validation_rows"

    /// Opens the cursor over `SELECT <columns>::text FROM <table> AS t [WHERE <filter>] ORDER BY <key>`.
    init(connection: PostgresConnection, schema: String, table: String, columns: [ValidationTable.Column], keyCount: Int, batchSize: Int, filter: String? = nil) async throws {
        self.connection = connection
        self.columns = columns
        self.batchSize = batchSize
        // Qualified by the alias: an unqualified ORDER BY name would sort by the ::text output
        // column of that name (PostgreSQL prefers output names), i.e. 10 before 2.
        let names = columns.map { "t." + PostgresIdentifier.quote($0.targetName) }
        let select = "SELECT \(names.map { "\($0)::text" }.joined(separator: ", ")) FROM \(PostgresIdentifier.qualified(schema: schema, table)) AS t\(filter.map { " WHERE \($0)" } ?? "") ORDER BY \(names.prefix(keyCount).joined(separator: ", "))"
        try await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            try await connection.execute("SET LOCAL TimeZone = 'UTC'")
            try await connection.execute("SET LOCAL DateStyle = 'ISO, YMD'")
            try await connection.execute("SET LOCAL extra_float_digits = 1")
            try await connection.execute("SET LOCAL bytea_output = 'hex'")
            try await connection.execute("DECLARE \(Self.cursor) NO SCROLL CURSOR FOR \(select)")
        } catch {
            _ = try? await connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Up to `batchSize` rows; fewer only at the end.
    func next() async throws -> [[String?]] {
        let rows = try await connection.query("FETCH FORWARD \(batchSize) FROM \(Self.cursor)")
        var batch: [[String?]] = []
        batch.reserveCapacity(rows.count)
        for row in rows {
            var values: [String?] = []
            values.reserveCapacity(columns.count)
            for (index, column) in columns.enumerated() {
                values.append(try CanonicalValue.target(try row.decode(String?.self, at: index), column: column))
            }
            batch.append(values)
        }
        return batch
    }

    /// Ends the read-only transaction.
    func close() async throws {
        try await connection.execute("COMMIT")
    }
}
