/// All results of a batch, collected in memory by ``TDSConnection/execute(_:)`` or
/// ``TDSResultStream/collect()``.
public struct TDSBatchResult: Hashable, Sendable {
    /// One result set with its rows.
    public struct ResultSet: Hashable, Sendable {
        /// The columns.
        public var columns: [TDSColumn]
        /// The rows, in order.
        public var rows: [TDSRow]
        /// The row count the server reported at the end of the set, if any.
        public var rowCount: Int?
    }

    /// The result sets, in order (statements without rows have none).
    public var resultSets: [ResultSet] = []
    /// Every statement's row count in order (nil where the server sent none), including statements
    /// without result sets such as `INSERT`/`UPDATE`.
    public var rowCounts: [Int?] = []
    /// The return status of the last procedure executed, if any.
    public var returnStatus: Int?
    /// Informational messages and `PRINT` output, in order.
    public var messages: [TDSMessage] = []

    /// Whether the last result set still waits for its `done` event.
    private var isResultSetOpen = false

    /// Makes an empty result.
    public init() {}

    /// Every row of every result set, in order.
    public var rows: [TDSRow] { resultSets.flatMap(\.rows) }

    /// Adds one event to the collection.
    public mutating func append(_ event: TDSResultEvent) {
        switch event {
        case .resultSet(let columns):
            resultSets.append(ResultSet(columns: columns, rows: [], rowCount: nil))
            isResultSetOpen = true
        case .row(let row):
            if resultSets.isEmpty { resultSets.append(ResultSet(columns: row.columns, rows: [], rowCount: nil)) }
            resultSets[resultSets.count - 1].rows.append(row)
        case .done(let rowCount):
            rowCounts.append(rowCount)
            if isResultSetOpen {
                resultSets[resultSets.count - 1].rowCount = rowCount
                isResultSetOpen = false
            }
        case .returnStatus(let status):
            returnStatus = status
        case .message(let message):
            messages.append(message)
        }
    }
}
