/// One step of a batch's results, in the order the server produced them.
public enum TDSResultEvent: Hashable, Sendable {
    /// A result set begins; its rows follow, then ``done(rowCount:)``.
    case resultSet([TDSColumn])
    /// A row of the current result set.
    case row(TDSRow)
    /// A statement finished: the rows it returned or affected (`DBCOUNT`), nil when the server gave
    /// no count (e.g. with `SET NOCOUNT ON`).
    case done(rowCount: Int?)
    /// The return status of the last procedure the batch executed (`dbretstatus`).
    case returnStatus(Int)
    /// An informational message (severity 10 or less), e.g. `PRINT` output. Errors are thrown instead.
    case message(TDSMessage)
}
