import CFreeTDS

/// Owns a db-lib LOGINREC; `dbloginfree` runs when the last reference goes.
final class LoginRecord {
    private let login: OpaquePointer

    /// Allocates a LOGINREC (`dblogin()`); nil if db-lib is out of memory.
    init?() {
        guard let login = dblogin() else { return nil }
        self.login = login
    }

    deinit {
        dbloginfree(login)
    }

    /// Sets one of the `DBSET…` string fields (`dbsetlname`).
    func set(_ value: String, for field: Int32) -> Bool {
        dbsetlname(login, value, field) == SUCCEED
    }

    /// Sets the TDS version the login asks for (`dbsetlversion`).
    func setVersion(_ version: Int32) -> Bool {
        dbsetlversion(login, BYTE(version)) == SUCCEED
    }

    /// Runs `body` with the raw LOGINREC pointer, which must not escape.
    func withPointer<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result {
        try body(login)
    }
}
