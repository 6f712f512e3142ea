/// A message from SQL Server (an ERROR or INFO token, or `PRINT` output), as db-lib's message handler
/// receives it.
public struct TDSMessage: Hashable, Sendable, CustomStringConvertible {
    /// The SQL Server message number (e.g. 1205 for a deadlock victim, 0 for `PRINT`).
    public var number: Int
    /// The message state.
    public var state: Int
    /// The severity (class); above 10 is an error, 10 or less is information.
    public var severity: Int
    /// The message text.
    public var text: String
    /// The server's name, if it sent one.
    public var server: String?
    /// The stored procedure that raised it, if any.
    public var procedure: String?
    /// The line in the batch or procedure.
    public var line: Int

    /// Makes a message.
    public init(number: Int, state: Int, severity: Int, text: String, server: String? = nil, procedure: String? = nil, line: Int = 0) {
        self.number = number
        self.state = state
        self.severity = severity
        self.text = text
        self.server = server
        self.procedure = procedure
        self.line = line
    }

    /// Whether SQL Server counts this as an error (severity above 10).
    public var isError: Bool { severity > 10 }

    /// `Msg 208, Level 16, State 1, Procedure p, Line 3: text`, like SQL Server's tools print it.
    public var description: String {
        var head = "Msg \(number), Level \(severity), State \(state)"
        if let procedure, !procedure.isEmpty { head += ", Procedure \(procedure)" }
        head += ", Line \(line)"
        return "\(head): \(text)"
    }
}

/// An error that db-lib itself reports through its error handler (network, timeout, conversion…).
public struct TDSLibraryError: Hashable, Sendable, CustomStringConvertible {
    /// The db-lib error number (`SYBE…`, e.g. 20009 for "unable to connect").
    public var number: Int
    /// db-lib's severity (`EX…` constants).
    public var severity: Int
    /// The operating-system error number, 0 if none.
    public var osError: Int
    /// db-lib's text.
    public var text: String
    /// The operating-system text, if any.
    public var osText: String?

    /// Makes a db-lib error.
    public init(number: Int, severity: Int, osError: Int = 0, text: String, osText: String? = nil) {
        self.number = number
        self.severity = severity
        self.osError = osError
        self.text = text
        self.osText = osText
    }

    /// The text, with the operating-system text in parentheses when there is one.
    public var description: String {
        guard let osText, !osText.isEmpty, osError != 0 else { return text }
        return "\(text) (\(osText))"
    }

    // db-lib error numbers this module acts on (sybdb.h).
    static let timedOut = 20003
    static let connectionFailed = 20002
    static let connectFailed = 20009
    static let readFailed = 20004
    static let writeFailed = 20006
    static let unexpectedEOF = 20017
    static let serverMessageFollows = 20018
    static let deadProcess = 20047
    static let conversionLossy: Set<Int> = [2400, 2402, 2403, 2404]
}
