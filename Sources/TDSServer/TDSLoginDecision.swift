/// The handler's answer to a login.
public enum TDSLoginDecision: Sendable {
    /// Accept: the session starts in `database` with `language`, and `collation` is the server's
    /// default collation reported to the client (ENVCHANGE 7).
    /// `state` becomes the new session's ``TDSSessionContext/state``: whatever the handler opened
    /// to check the login (an engine session) is kept for the session's requests, not opened twice.
    case accept(
        database: String, collation: TDSCollation = .sqlLatin1GeneralCP1CIAS, language: String = "us_english",
        state: (any Sendable)? = nil)
    /// Refuse: `message` is sent as an ERROR token (with DONE status 0x02) and the connection closes.
    /// Use ``TDSServerMessage/loginFailed(user:)`` for SQL Server's usual 18456.
    case reject(TDSServerMessage)
}
