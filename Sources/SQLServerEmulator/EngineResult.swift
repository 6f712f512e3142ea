/// One thing a batch produced, in the order SQL Server sends them.
public enum EngineResult: Hashable, Sendable {
    /// A result set (a SELECT's rows).
    case resultSet(ResultSet)
    /// "(n rows affected)": after each SELECT, INSERT, UPDATE and DELETE unless `SET NOCOUNT ON`.
    case rowCount(Int)
    /// An informational message (PRINT, "Changed database context to …").
    case message(InfoMessage)
    /// An error; when it aborts the batch it is the last result.
    case error(SQLServerError)
    /// The transaction began or ended at this point. Only an ``EngineOutput`` receives these;
    /// the materialized ``EngineSession/execute(batch:)`` leaves them out.
    case transaction(TransactionChange)
}
