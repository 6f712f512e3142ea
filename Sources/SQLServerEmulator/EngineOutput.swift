/// Where a session sends a request's results while it runs, so that a large result set is
/// streamed instead of held in memory.
///
/// With an output (``EngineSession/execute(batch:output:)``), a SELECT reads its rows from a
/// PostgreSQL cursor ``EngineSession/streamingChunkSize`` rows at a time and hands each chunk to
/// ``writeRows(_:)`` before fetching the next; everything else arrives through ``write(_:)`` in
/// the order SQL Server sends it. An output that suspends in ``writeRows(_:)`` (because its client
/// reads slowly) holds the query back, so memory stays bounded by one chunk plus the output's own
/// buffer. Throwing from any method, or returning true from ``isCancelled``, stops the request: the
/// statement's PostgreSQL work is rolled back (to its savepoint inside an explicit transaction, as
/// an attention does in SQL Server) and the error is rethrown to the caller.
///
/// Calls come one at a time, from the session, in result order.
public protocol EngineOutput: Sendable {
    /// A complete result: a row count, a message, an error, a transaction change, or a result set
    /// that was materialized (small system results).
    ///
    /// A streamed result set is open from ``beginResultSet(_:)`` until the next `write`; when
    /// that write is a ``EngineResult/rowCount(_:)`` it is the result set's row count.
    func write(_ result: EngineResult) async throws
    /// Starts a streamed result set.
    func beginResultSet(_ columns: [ResultColumn]) async throws
    /// The next rows of the streamed result set, each with one value per column.
    func writeRows(_ rows: [[SQLServerValue]]) async throws
    /// Whether the client has cancelled the request; the session checks it between chunks.
    var isCancelled: Bool { get }
}

/// A change of the session's transaction state, reported where it happens among the results (a
/// TDS server turns it into ENVCHANGE 8, 9 or 10).
public enum TransactionChange: Hashable, Sendable {
    /// `@@TRANCOUNT` went from 0 to 1.
    case began
    /// The outermost transaction committed.
    case committed
    /// The transaction was rolled back (ROLLBACK, or a commit PostgreSQL turned into a rollback).
    case rolledBack
}
