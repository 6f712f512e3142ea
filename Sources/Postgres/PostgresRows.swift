import CLibPQ

/// The outcome of one statement: its rows (if it returns any), column descriptions and counts.
///
/// Values stay in libpq's result buffer until decoded, so reading a large result copies nothing
/// up front. `PostgresRows` is a random-access collection of ``PostgresRow``.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// The result columns, in order.
    public let columns: [PostgresColumn]
    /// The command tag, such as `INSERT 0 3` or `SELECT 2`.
    public let commandTag: String
    /// The rows a command affected (`PQcmdTuples`): inserted, updated, deleted, copied or selected.
    /// Nil for commands that report no count, such as `CREATE TABLE`.
    public let affectedRowCount: Int?

    let result: PostgresResultHandle
    let columnIndexes: [String: Int]
    private let rowCount: Int

    init(result: PostgresResultHandle) {
        self.result = result
        var columns: [PostgresColumn] = []
        var indexes: [String: Int] = [:]
        var tag = ""
        var affected: Int?
        var rows = 0
        result.withResult { pointer in
            let count = Int(PQnfields(pointer))
            columns.reserveCapacity(count)
            for index in 0..<count {
                let name = PQfname(pointer, Int32(index)).map { String(cString: $0) } ?? ""
                let column = PostgresColumn(
                    name: name,
                    dataType: PostgresDataType(rawValue: PQftype(pointer, Int32(index))),
                    format: PQfformat(pointer, Int32(index)) == 1 ? .binary : .text)
                columns.append(column)
                // The first column of a given name wins, as in SQL's own resolution of `SELECT *`.
                if indexes[name] == nil {
                    indexes[name] = index
                }
            }
            tag = PQcmdStatus(pointer).map { String(cString: $0) } ?? ""
            affected = PQcmdTuples(pointer).flatMap { Int(String(cString: $0)) }
            rows = Int(PQntuples(pointer))
        }
        self.columns = columns
        self.columnIndexes = indexes
        self.commandTag = tag
        self.affectedRowCount = affected
        self.rowCount = rows
    }

    /// The position of the first row.
    public var startIndex: Int { 0 }
    /// The position after the last row.
    public var endIndex: Int { rowCount }

    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < rowCount, "row index \(position) out of range 0..<\(rowCount)")
        return PostgresRow(rows: self, index: position)
    }

    /// The column names, in order.
    public var columnNames: [String] { columns.map(\.name) }
}
