/// What the server asks of the application behind it (the SQL Server emulator): decide logins and
/// answer requests by writing tokens to a ``TDSResponseWriter``. The server knows nothing of SQL.
///
/// Methods run on Swift's concurrency pool, one request of a session at a time; different sessions
/// run concurrently. When the client cancels (ATTENTION), the request's task is cancelled and the
/// writer's methods throw ``TDSServerError/Code-swift.struct/cancelled``: the handler should stop and
/// return (or rethrow). The server then acknowledges the attention. A handler must not keep
/// the writer after returning.
public protocol TDSRequestHandler: Sendable {
    /// Decides whether a client may log in. Called once per connection after LOGIN7 was parsed.
    /// Integrated-security (SSPI) logins are refused by the server before this is called.
    func login(_ request: TDSLoginRequest) async throws -> TDSLoginDecision

    /// Runs a SQL batch. Each statement's results end with a DONE (or DONEINPROC); if the handler
    /// writes no DONE-type token at the end, the server adds `DONE` (with the error bit when an
    /// ERROR token was written after the last DONE).
    func execute(batch: TDSSQLBatch, session: TDSSessionContext, response: TDSResponseWriter) async throws

    /// Runs one RPC. Several RPCs may arrive in one request: this is called for each in turn, and
    /// after each the server adds a DONEPROC unless the handler's last token was one. OUTPUT
    /// parameters are answered with ``TDSResponseWriter/writeReturnValue(_:type:value:)`` and the
    /// procedure's result with ``TDSResponseWriter/writeReturnStatus(_:)``.
    func execute(rpc: TDSRPCRequest, session: TDSSessionContext, response: TDSResponseWriter) async throws

    /// Called once when a session that logged in ends (client gone, protocol error, server shutdown),
    /// to release the handler's resources for it.
    func sessionEnded(_ session: TDSSessionContext) async
}

extension TDSRequestHandler {
    /// Does nothing.
    public func sessionEnded(_ session: TDSSessionContext) async {}
}
