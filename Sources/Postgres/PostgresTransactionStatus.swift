import CLibPQ

/// Where a connection is with respect to transactions (`PQtransactionStatus`).
public enum PostgresTransactionStatus: Sendable, Hashable {
    /// Not in a transaction.
    case idle
    /// A statement is running.
    case active
    /// Inside a transaction block.
    case inTransaction
    /// Inside a transaction block that failed; only ROLLBACK is accepted.
    case inFailedTransaction
    /// The connection is closed or broken.
    case unknown

    init(_ status: PGTransactionStatusType) {
        switch status {
        case PQTRANS_IDLE: self = .idle
        case PQTRANS_ACTIVE: self = .active
        case PQTRANS_INTRANS: self = .inTransaction
        case PQTRANS_INERROR: self = .inFailedTransaction
        default: self = .unknown
        }
    }
}
