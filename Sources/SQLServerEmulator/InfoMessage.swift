/// An informational message (INFO token, class 0 to 10).
public struct InfoMessage: Hashable, Sendable {
    /// The message number (0 for PRINT).
    public var number: Int
    /// The class.
    public var severity: Int
    /// The state.
    public var state: Int
    /// The text.
    public var text: String
    /// The line of the statement.
    public var line: Int

    /// Creates a message.
    public init(number: Int, severity: Int = 0, state: Int = 1, text: String, line: Int = 1) {
        self.number = number
        self.severity = severity
        self.state = state
        self.text = text
        self.line = line
    }
}
