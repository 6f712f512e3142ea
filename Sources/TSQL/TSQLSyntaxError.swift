/// A T-SQL batch SQL Server would refuse to compile, with the message SQL Server gives for it.
///
/// `description` reads like SQL Server's own output:
/// `Msg 102, Level 15, State 1, Line 3` then `Incorrect syntax near 'x'.`
public struct TSQLSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SQL Server's message number for the error, as a stable, matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The number SQL Server reports (`sys.messages.message_id`).
        public let number: Int
        private init(_ number: Int) { self.number = number }

        /// Msg 102: "Incorrect syntax near '%.*ls'." — the offending token is not a reserved keyword.
        public static let incorrectSyntax = Code(102)
        /// Msg 105: "Unclosed quotation mark after the character string '%.*ls'."
        public static let unclosedQuotationMark = Code(105)
        /// Msg 111: "'%ls' must be the first statement in a query batch."
        public static let mustBeFirstInBatch = Code(111)
        /// Msg 113: "Missing end comment mark '*/'."
        public static let missingEndComment = Code(113)
        /// Msg 156: "Incorrect syntax near the keyword '%.*ls'." — the offending token is reserved.
        public static let incorrectSyntaxNearKeyword = Code(156)

        /// `Msg <number>`.
        public var description: String { "Msg \(number)" }
    }

    /// SQL Server's message number.
    public var code: Code
    /// The message text exactly as SQL Server words it.
    public var message: String
    /// Where the error was found (SQL Server reports the line).
    public var location: SourcePosition
    /// The token or text the message quotes, if any.
    public var context: String?

    /// Creates an error.
    public init(code: Code, message: String, location: SourcePosition, context: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.context = context
    }

    /// SQL Server's severity: every compile error here is level 15.
    public var severity: Int { 15 }
    /// SQL Server's state: 1 for these messages.
    public var state: Int { 1 }
    /// The 1-based line SQL Server reports.
    public var line: Int { location.line }
    /// A syntax error never goes away by retrying the same text.
    public var isRetriable: Bool { false }

    /// `Msg N, Level 15, State 1, Line L` followed by the message on a new line.
    public var description: String {
        "Msg \(code.number), Level \(severity), State \(state), Line \(line)\n\(message)"
    }
}

extension TSQLSyntaxError {
    /// Msg 102 or 156 for `token`, chosen by whether the token is a reserved keyword.
    static func near(_ token: TSQLToken) -> TSQLSyntaxError {
        if token.isReservedKeyword {
            return TSQLSyntaxError(
                code: .incorrectSyntaxNearKeyword,
                message: "Incorrect syntax near the keyword '\(token.text)'.",
                location: token.location, context: token.text)
        }
        return TSQLSyntaxError(
            code: .incorrectSyntax, message: "Incorrect syntax near '\(token.text)'.",
            location: token.location, context: token.text)
    }

    /// Msg 105 for a string or delimited identifier still open at the end of the batch.
    static func unclosedQuotation(after text: String, at location: SourcePosition) -> TSQLSyntaxError {
        TSQLSyntaxError(
            code: .unclosedQuotationMark,
            message: "Unclosed quotation mark after the character string '\(text)'.",
            location: location, context: text)
    }

    /// Msg 113 for a block comment still open at the end of the batch.
    static func missingEndComment(at location: SourcePosition) -> TSQLSyntaxError {
        TSQLSyntaxError(
            code: .missingEndComment, message: "Missing end comment mark '*/'.", location: location)
    }

    /// Msg 111 for `CREATE VIEW` and friends after another statement of the batch.
    static func mustBeFirst(_ statement: String, at location: SourcePosition) -> TSQLSyntaxError {
        TSQLSyntaxError(
            code: .mustBeFirstInBatch,
            message: "'\(statement)' must be the first statement in a query batch.",
            location: location, context: statement)
    }
}
