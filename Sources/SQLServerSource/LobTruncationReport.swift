import FerryCore
import Logging

/// Counts and logs a LOB value cut to `LobMaxSize`: never silent. The first cut of each column is
/// a warning with the row's key; later ones are counted and logged again every 1,000th.
enum LobTruncationReport {
    static func record(table: TableIdentity, column: String, key values: [ColumnValue], schema: TableSchema, policy: LobPolicy,
                       statistics: SourceStatistics, logger: Logger) async {
        let count = await statistics.recordLobTruncation(table, column: column)
        guard count == 1 || count % 1000 == 0 else { return }
        var key: [String] = []
        for name in schema.keyColumns {
            if let index = schema.columns.firstIndex(where: { $0.name == name }), index < values.count { key.append("\(name)=\(values[index])") }
        }
        var limit = "-"
        if case .truncate(let maxBytes) = policy.mode { limit = "\(maxBytes / 1024) KB" }
        logger.warning("LOB value longer than LobMaxSize truncated (limited LOB mode)",
                       metadata: ["table": "\(table)", "column": "\(column)", "key": "\(key.joined(separator: ", "))",
                                  "lob_max_size": "\(limit)", "truncated_in_column": "\(count)"])
    }
}
