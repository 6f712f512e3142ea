/// A statement prepared on one connection with ``PostgresConnection/prepare(name:sql:)``, to be
/// run many times with different parameters.
///
/// It is only a handle: valid on the connection that prepared it, until deallocated or the
/// connection closes.
public struct PostgresPreparedStatement: Sendable, Hashable {
    /// The server-side name of the statement.
    public let name: String
    /// The statement's text.
    public let sql: String
    /// The parameter types the server resolved, one per `$n`.
    public let parameterTypes: [PostgresDataType]
    let connectionID: Int
}
