/// An ERROR or INFO token's content: what SQL Server reports as `Msg n, Level c, State s, Line l`.
public struct TDSServerMessage: Hashable, Sendable, CustomStringConvertible {
    /// The message number (e.g. 208 for an invalid object name, 18456 for a failed login).
    public var number: Int32
    /// The state, which tells apart different causes of the same number.
    public var state: UInt8
    /// The class (severity): above 10 is an error (ERROR token), 10 or less information (INFO token).
    public var severity: UInt8
    /// The text.
    public var text: String
    /// The server name to report, or nil for the server's configured name.
    public var serverName: String?
    /// The procedure that raised it (empty if none).
    public var procedure: String
    /// The line in the batch or procedure (1-based; 0 if none).
    public var line: Int32

    /// Makes a message.
    public init(number: Int32, state: UInt8 = 1, severity: UInt8, text: String, serverName: String? = nil, procedure: String = "", line: Int32 = 1) {
        self.number = number
        self.state = state
        self.severity = severity
        self.text = text
        self.serverName = serverName
        self.procedure = procedure
        self.line = line
    }

    /// Whether this is an error (class above 10).
    public var isError: Bool { severity > 10 }

    /// SQL Server's message for a refused login: 18456, class 14, state 1, "Login failed for user '…'.".
    public static func loginFailed(user: String) -> TDSServerMessage {
        TDSServerMessage(number: 18456, state: 1, severity: 14, text: "Login failed for user '\(user)'.")
    }

    /// `Msg 208, Level 16, State 1, Line 1: text`.
    public var description: String {
        var head = "Msg \(number), Level \(severity), State \(state)"
        if !procedure.isEmpty { head += ", Procedure \(procedure)" }
        return "\(head), Line \(line): \(text)"
    }
}
