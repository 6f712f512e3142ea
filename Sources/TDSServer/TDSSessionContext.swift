import Synchronization

/// One client session as the handler sees it: its SPID, what the client sent at login, the
/// negotiated settings, and a slot for the handler's own per-session state.
public final class TDSSessionContext: Sendable {
    /// The session id (SPID) sent in every reply packet header; user sessions start at 51 as on SQL Server.
    public let id: Int
    /// The client's address, `host:port`.
    public let peerAddress: String
    /// The decoded LOGIN7 (set before any request is handed to the handler).
    public let login: TDSLoginRequest
    /// The TDS version acknowledged to the client (`0x74000004` for 7.4).
    public let tdsVersion: UInt32
    /// The negotiated packet size in bytes.
    public let packetSize: Int
    private let handlerState = Mutex<(any Sendable)?>(nil)

    init(id: Int, peerAddress: String, login: TDSLoginRequest, tdsVersion: UInt32, packetSize: Int) {
        self.id = id
        self.peerAddress = peerAddress
        self.login = login
        self.tdsVersion = tdsVersion
        self.packetSize = packetSize
    }

    /// The handler's state for this session (current database, open transaction, temp tables…);
    /// nil until the handler stores something.
    public var state: (any Sendable)? {
        get { handlerState.withLock { $0 } }
        set { handlerState.withLock { $0 = newValue } }
    }

    /// Reads and changes the handler's state atomically.
    public func withState<Result>(_ body: (inout (any Sendable)?) throws -> Result) rethrows -> Result {
        try handlerState.withLock { try body(&$0) }
    }
}
