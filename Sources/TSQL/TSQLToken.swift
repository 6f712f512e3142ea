/// One lexical token of T-SQL source.
public struct TSQLToken: Hashable, Sendable, CustomStringConvertible {
    /// What kind of token this is.
    public enum Kind: Hashable, Sendable {
        /// A regular identifier or keyword: `SELECT`, `name`, `#temp`, `sp_rename`.
        case word
        /// A delimited identifier: `[order]` or `"order"`; ``TSQLToken/value`` holds the name.
        case quotedIdentifier
        /// A local variable or parameter: `@id`.
        case variable
        /// A system function written as a global variable: `@@VERSION`.
        case systemVariable
        /// A character string `'…'`; ``TSQLToken/value`` holds the content with `''` undoubled.
        case string
        /// A Unicode character string `N'…'`.
        case unicodeString
        /// An integer constant: `42`.
        case integer
        /// A decimal constant: `4.2`, `.5`, `5.`.
        case decimal
        /// A float constant: `1e5`, `2.5E-3`.
        case float
        /// A money constant: `$12.50`.
        case money
        /// A binary constant: `0x0A1B` (``TSQLToken/value`` holds the hex digits).
        case binary
        /// Punctuation or an operator: `(`, `,`, `<=`, `+=`, `!<`.
        case symbol
        /// The end of the source.
        case endOfInput
    }

    /// The token kind.
    public var kind: Kind
    /// The exact source text of the token.
    public var text: String
    /// The decoded value: a word as written, a delimited name without its quotes, a string's
    /// content, a variable's name with its `@`, a number's text, a binary's hex digits.
    public var value: String
    /// Where the token starts.
    public var location: SourcePosition
    /// UTF-8 offset just after the token.
    public var endOffset: Int
    /// Whether no other token precedes this one on its line (used to recognise `GO`).
    public var isFirstOnLine: Bool

    /// Creates a token.
    public init(
        kind: Kind, text: String, value: String, location: SourcePosition, endOffset: Int,
        isFirstOnLine: Bool = false
    ) {
        self.kind = kind
        self.text = text
        self.value = value
        self.location = location
        self.endOffset = endOffset
        self.isFirstOnLine = isFirstOnLine
    }

    /// Whether this is a word (regular identifier) spelling `keyword`, case-insensitively.
    public func isWord(_ keyword: String) -> Bool {
        kind == .word && value.count == keyword.count && value.uppercased() == keyword
    }

    /// Whether this is the symbol `symbol`.
    public func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && value == symbol
    }

    /// Whether this is a word SQL Server reserves (see ``TSQLKeywords/reserved``).
    public var isReservedKeyword: Bool {
        kind == .word && TSQLKeywords.isReserved(value)
    }

    /// The kind and text, for diagnostics.
    public var description: String { "\(kind) \(text) at \(location)" }
}
