/// A transaction isolation level for ``PostgresConnection/withTransaction(isolation:_:)``.
public enum PostgresIsolationLevel: String, Sendable, Hashable, CaseIterable {
    /// `READ COMMITTED`, PostgreSQL's default.
    case readCommitted = "READ COMMITTED"
    /// `REPEATABLE READ`: one snapshot for the whole transaction.
    case repeatableRead = "REPEATABLE READ"
    /// `SERIALIZABLE`: may fail with SQLSTATE 40001, which is retriable.
    case serializable = "SERIALIZABLE"
}
