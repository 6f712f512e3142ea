/// Splits T-SQL source into ``TSQLToken``s, the way SQL Server reads a batch.
///
/// Keywords are not told apart from identifiers here: both are `.word` tokens, and the parser
/// decides from context (see ``TSQLKeywords``). Comments and white space are skipped. Delimited
/// identifiers follow `QUOTED_IDENTIFIER ON` (the default for every modern client): `"x"` is a name,
/// never a string.
public struct TSQLLexer: Sendable {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private var lastTokenLine = 0

    /// Creates a lexer over `source`.
    public init(_ source: String) {
        self.bytes = Array(source.utf8)
    }

    /// Every token of the source, ending with one `.endOfInput` token.
    ///
    /// - Throws: Msg 105 for an unterminated string or delimited identifier, Msg 113 for an
    ///   unterminated block comment.
    public mutating func tokenize() throws(TSQLSyntaxError) -> [TSQLToken] {
        var tokens: [TSQLToken] = []
        while true {
            let token = try nextToken()
            tokens.append(token)
            if token.kind == .endOfInput { return tokens }
        }
    }

    /// Convenience: the tokens of `source`.
    public static func tokenize(_ source: String) throws(TSQLSyntaxError) -> [TSQLToken] {
        var lexer = TSQLLexer(source)
        return try lexer.tokenize()
    }

    // MARK: - Scanning

    private func peek(_ ahead: Int = 0) -> UInt8? {
        let index = position + ahead
        return index < bytes.count ? bytes[index] : nil
    }

    private var location: SourcePosition {
        var column = 1
        var index = lineStart
        while index < position {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourcePosition(line: line, column: column, offset: position)
    }

    /// Advances one byte, keeping line numbers.
    private mutating func advance() {
        let byte = bytes[position]
        position += 1
        if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && peek() != UInt8(ascii: "\n")) {
            line += 1
            lineStart = position
        }
    }

    private mutating func advance(_ count: Int) {
        for _ in 0..<count { advance() }
    }

    private func text(from start: Int) -> String {
        String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func skipTrivia() throws(TSQLSyntaxError) {
        while let byte = peek() {
            if Self.isWhitespace(byte) {
                advance()
            } else if byte == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                while let next = peek(), next != UInt8(ascii: "\n"), next != UInt8(ascii: "\r") { advance() }
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                let start = location
                advance(2)
                var depth = 1
                while depth > 0 {
                    guard let next = peek() else { throw .missingEndComment(at: start) }
                    if next == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                        depth += 1
                        advance(2)
                    } else if next == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                        depth -= 1
                        advance(2)
                    } else {
                        advance()
                    }
                }
            } else {
                return
            }
        }
    }

    private mutating func nextToken() throws(TSQLSyntaxError) -> TSQLToken {
        try skipTrivia()
        let start = position
        let startLocation = location
        let firstOnLine = line != lastTokenLine
        lastTokenLine = line
        func make(_ kind: TSQLToken.Kind, value: String? = nil) -> TSQLToken {
            let text = self.text(from: start)
            return TSQLToken(
                kind: kind, text: text, value: value ?? text, location: startLocation,
                endOffset: position, isFirstOnLine: firstOnLine)
        }
        guard let byte = peek() else { return make(.endOfInput, value: "") }

        switch byte {
        case UInt8(ascii: "N") where peek(1) == UInt8(ascii: "'"),
            UInt8(ascii: "n") where peek(1) == UInt8(ascii: "'"):
            advance()
            let value = try quoted(closing: UInt8(ascii: "'"), openedAt: startLocation)
            return make(.unicodeString, value: value)
        case UInt8(ascii: "'"):
            let value = try quoted(closing: UInt8(ascii: "'"), openedAt: startLocation)
            return make(.string, value: value)
        case UInt8(ascii: "["):
            let value = try quoted(closing: UInt8(ascii: "]"), openedAt: startLocation)
            return make(.quotedIdentifier, value: value)
        case UInt8(ascii: "\""):
            let value = try quoted(closing: UInt8(ascii: "\""), openedAt: startLocation)
            return make(.quotedIdentifier, value: value)
        case UInt8(ascii: "0") where peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "X"):
            advance(2)
            let digitsStart = position
            while let next = peek(), Self.isHexDigit(next) { advance() }
            return make(.binary, value: text(from: digitsStart))
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return make(scanNumber())
        case UInt8(ascii: ".") where peek(1).map(Self.isDigit) == true:
            return make(scanNumber())
        case UInt8(ascii: "$") where peek(1).map { Self.isDigit($0) || $0 == UInt8(ascii: ".") } == true:
            advance()
            while let next = peek(), Self.isDigit(next) || next == UInt8(ascii: ".") { advance() }
            return make(.money)
        case UInt8(ascii: "@"):
            advance()
            var kind = TSQLToken.Kind.variable
            if peek() == UInt8(ascii: "@") {
                advance()
                kind = .systemVariable
            }
            while let next = peek(), Self.isIdentifierPart(next) { advance() }
            if position - start == (kind == .variable ? 1 : 2) { return make(.symbol) }
            return make(kind)
        default:
            if Self.isIdentifierStart(byte) {
                while let next = peek(), Self.isIdentifierPart(next) { advance() }
                return make(.word)
            }
            return make(.symbol, value: scanSymbol())
        }
    }

    /// Reads a quoted run whose closing quote is doubled inside it; returns the undoubled content.
    private mutating func quoted(closing: UInt8, openedAt: SourcePosition) throws(TSQLSyntaxError) -> String {
        advance()  // opening quote
        var content: [UInt8] = []
        let contentStart = position
        while true {
            guard let next = peek() else {
                throw .unclosedQuotation(
                    after: String(decoding: bytes[contentStart..<position], as: UTF8.self), at: openedAt)
            }
            advance()
            if next == closing {
                if peek() == closing {
                    content.append(closing)
                    advance()
                } else {
                    return String(decoding: content, as: UTF8.self)
                }
            } else {
                content.append(next)
            }
        }
    }

    private mutating func scanNumber() -> TSQLToken.Kind {
        var kind = TSQLToken.Kind.integer
        while let next = peek(), Self.isDigit(next) { advance() }
        if peek() == UInt8(ascii: ".") {
            kind = .decimal
            advance()
            while let next = peek(), Self.isDigit(next) { advance() }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            // An exponent needs digits after the optional sign; otherwise `e` starts a new token.
            var ahead = 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { ahead = 2 }
            if let digit = peek(ahead), Self.isDigit(digit) {
                kind = .float
                advance(ahead)
                while let next = peek(), Self.isDigit(next) { advance() }
            }
        }
        return kind
    }

    private static let twoCharacterSymbols: Set<String> = [
        "<=", ">=", "<>", "!=", "!<", "!>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "::",
    ]

    private mutating func scanSymbol() -> String {
        if let second = peek(1) {
            let pair = String(decoding: [bytes[position], second], as: UTF8.self)
            if Self.twoCharacterSymbols.contains(pair) {
                advance(2)
                return pair
            }
        }
        // One character (a whole scalar, for stray non-ASCII punctuation).
        let start = position
        advance()
        while let next = peek(), next & 0xC0 == 0x80 { advance() }
        return text(from: start)
    }

    // MARK: - Character classes

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte >= 0x80
    }

    /// First character of a regular identifier: a letter, `_` or `#` (temporary objects).
    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        isLetter(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "#")
    }

    /// Later characters of a regular identifier: letters, digits, `_`, `@`, `$`, `#`.
    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "$")
    }
}
