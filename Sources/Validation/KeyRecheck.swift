import FerryCore
import FreeTDS
import Postgres

/// Reads one row by key on both sides again, to tell a real difference from a change that was
/// still on its way through replication when the table was first compared.
struct KeyRecheck: Sendable {
    let source: TDSConnection
    let target: PostgresConnection
    let table: ValidationTable
    let columns: [ValidationTable.Column]
    let keyCount: Int

    /// The mismatch as it stands now, or `nil` when both sides agree.
    func compare(_ mismatch: RowMismatch) async throws -> RowMismatch? {
        let keys = Array(columns.prefix(keyCount))
        let sourceNames = try columns.map { try TDSLiteral.identifier($0.sourceName) }
        let sourceWhere = try keys.map { column in
            try TDSLiteral.identifier(column.sourceName) + " = " + sourceLiteral(mismatch.key[column.sourceName], type: column.type)
        }.joined(separator: " AND ")
        let sourceSQL = "SELECT \(sourceNames.joined(separator: ", ")) FROM \(try TDSLiteral.qualifiedIdentifier(table.source.schema, table.source.table)) WHERE \(sourceWhere)"
        let sourceRow = try await source.query(sourceSQL).first.map { row in
            try columns.enumerated().map { index, column in try CanonicalValue.source(row[index], column: column) }
        }

        var parameters: [PostgresValue] = []
        var targetWhere: [String] = []
        for column in keys {
            var text = mismatch.key[column.sourceName] ?? ""
            if column.type.category == .binaryString { text = "\\x" + text }
            parameters.append(.text(text))
            targetWhere.append("\(PostgresIdentifier.quote(column.targetName)) = CAST($\(parameters.count) AS \(column.type.postgreSQLType.declaration))")
        }
        let targetSQL = "SELECT \(columns.map { PostgresIdentifier.quote($0.targetName) + "::text" }.joined(separator: ", ")) FROM \(PostgresIdentifier.qualified(schema: table.targetSchema, table.targetTable)) WHERE \(targetWhere.joined(separator: " AND "))"
        let keyValues = parameters
        let rows = try await target.withTransaction { connection in
            try connection.execute("SET LOCAL TimeZone = 'UTC'")
            return try connection.query(targetSQL, keyValues)
        }
        let targetRow = try rows.first.map { row in
            try columns.enumerated().map { index, column in try CanonicalValue.target(try row.decode(String?.self, at: index), column: column) }
        }

        switch (sourceRow, targetRow) {
        case (nil, nil): return nil
        case (_?, nil): return RowMismatch(key: mismatch.key, kind: .missingOnTarget)
        case (nil, _?): return RowMismatch(key: mismatch.key, kind: .missingOnSource)
        case let (sourceValues?, targetValues?):
            let differing = (keyCount..<columns.count).filter { sourceValues[$0] != targetValues[$0] }.map { columns[$0].sourceName }
            return differing.isEmpty ? nil : RowMismatch(key: mismatch.key, kind: .different(columns: differing))
        }
    }

    /// A T-SQL literal for a canonical key value.
    private func sourceLiteral(_ canonical: String?, type: SQLServerDataType) -> String {
        guard let canonical, canonical != "NULL" else { return "NULL" }
        switch type.category {
        case .boolean, .integer, .exactNumeric, .approximateNumeric: return canonical
        case .binaryString: return "0x" + canonical
        case .dateTimeOffset: return TDSLiteral.string(canonical + " +00:00")
        default: return TDSLiteral.string(canonical)
        }
    }
}
