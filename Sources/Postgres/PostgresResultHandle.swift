import CLibPQ

/// Owns one `PGresult` and frees it with `PQclear`.
///
/// A `PGresult` is read-only once libpq has built it and independent of its connection, so it may
/// be read from any thread; that is what makes sharing this class across tasks sound.
final class PostgresResultHandle: @unchecked Sendable {
    private let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        PQclear(pointer)
    }

    /// Runs `body` with the raw result; the pointer must not escape the closure.
    func withResult<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try body(pointer)
    }

    var status: ExecStatusType { PQresultStatus(pointer) }

    /// One diagnostic field (`PG_DIAG_*`), or nil when the server did not send it.
    func errorField(_ field: UInt8) -> String? {
        guard let value = PQresultErrorField(pointer, Int32(field)) else { return nil }
        return String(cString: value)
    }
}
