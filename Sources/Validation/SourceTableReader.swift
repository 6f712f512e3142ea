import FerryCore
import FreeTDS

/// Reads a source table in key order through FreeTDS, a batch of canonical rows at a time.
/// Used by one task only (the validator's), so it needs no isolation of its own.
final class SourceTableReader {
    private let stream: TDSResultStream
    private var iterator: TDSResultStream.AsyncIterator?
    private let columns: [ValidationTable.Column]
    private let batchSize: Int

    /// Sends `SELECT <columns> FROM <table> [WHERE <filter>] ORDER BY <key>`; `columns` start with
    /// the `keyCount` key columns.
    init(connection: TDSConnection, table: TableIdentity, columns: [ValidationTable.Column], keyCount: Int, batchSize: Int, filter: String? = nil) async throws {
        let names = try columns.map { try TDSLiteral.identifier($0.sourceName) }
        let tableName = try TDSLiteral.qualifiedIdentifier(table.schema, table.table)
        let condition = filter.map { " WHERE \($0)" } ?? ""
        let sql = "SELECT \(names.joined(separator: ", ")) FROM \(tableName)\(condition) ORDER BY \(names.prefix(keyCount).joined(separator: ", "))"
        self.stream = try await connection.stream(sql, chunkSize: min(batchSize, 2000))
        self.iterator = stream.makeAsyncIterator()
        self.columns = columns
        self.batchSize = batchSize
    }

    /// Up to `batchSize` rows; fewer only at the end.
    func next() async throws -> [[String?]] {
        guard var iterator else { return [] }
        var rows: [[String?]] = []
        rows.reserveCapacity(batchSize)
        while rows.count < batchSize, let event = try await iterator.next() {
            guard case .row(let row) = event else { continue }
            var values: [String?] = []
            values.reserveCapacity(columns.count)
            for (index, column) in columns.enumerated() {
                values.append(try CanonicalValue.source(row[index], column: column))
            }
            rows.append(values)
        }
        self.iterator = rows.count < batchSize ? nil : iterator
        return rows
    }

    /// Stops reading early.
    func cancel() async {
        guard iterator != nil else { return }
        iterator = nil
        await stream.cancel()
    }
}
