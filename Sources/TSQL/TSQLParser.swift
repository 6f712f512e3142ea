/// Parses T-SQL batches into ``TSQLStatement``s.
///
/// A batch is what a client sends in one request: the client, not the server, splits scripts on
/// `GO`. So `GO` is not T-SQL here either: where a statement would start, it is refused with
/// Msg 102 "Incorrect syntax near 'GO'.", as is a `GO` alone at the start of a line where SQL Server
/// would otherwise take it for a column or table alias.
///
/// Statements may be separated by `;` or by nothing. As in SQL Server, a batch's first statement may
/// be a bare procedure name (an implicit `EXEC`), and a procedure's body runs to the end of the batch.
public enum TSQLParser {
    /// Parses one batch.
    ///
    /// - Throws: ``TSQLSyntaxError`` with SQL Server's message number and text (102, 105, 111, 113,
    ///   156) and the line of the offending token.
    public static func parse(_ source: String) throws(TSQLSyntaxError) -> TSQLBatch {
        let parser = try Parser(source)
        let statements = try parser.parseBatch()
        return TSQLBatch(statements: statements, source: source)
    }

    /// Parses a lone expression (`getdate()`, `([Rate] * 2)`), as stored in a default or a
    /// computed column definition.
    public static func parseExpression(_ source: String) throws(TSQLSyntaxError) -> Expression {
        let parser = try Parser(source)
        let expression = try parser.parseExpression()
        try parser.expectEnd()
        return expression
    }

    /// Parses a lone data type (`nvarchar(50)`, `dbo.Name`).
    public static func parseDataType(_ source: String) throws(TSQLSyntaxError) -> DataType {
        let parser = try Parser(source)
        let type = try parser.parseDataType()
        try parser.expectEnd()
        return type
    }
}

/// The recursive-descent parser over one batch's tokens.
final class Parser {
    let tokens: [TSQLToken]
    let utf8: [UInt8]
    var index = 0

    init(_ source: String) throws(TSQLSyntaxError) {
        var lexer = TSQLLexer(source)
        self.tokens = try lexer.tokenize()
        self.utf8 = Array(source.utf8)
    }

    // MARK: - Token access

    var current: TSQLToken { tokens[index] }

    func peek(_ ahead: Int = 1) -> TSQLToken {
        tokens[min(index + ahead, tokens.count - 1)]
    }

    var atEnd: Bool { current.kind == .endOfInput }

    @discardableResult
    func advance() -> TSQLToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func isWord(_ keyword: String) -> Bool { current.isWord(keyword) }

    func isSymbol(_ symbol: String) -> Bool { current.isSymbol(symbol) }

    func accept(_ keyword: String) -> Bool {
        guard isWord(keyword) else { return false }
        advance()
        return true
    }

    func acceptSymbol(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        advance()
        return true
    }

    func expect(_ keyword: String) throws(TSQLSyntaxError) {
        guard accept(keyword) else { throw syntaxError() }
    }

    func expectSymbol(_ symbol: String) throws(TSQLSyntaxError) {
        guard acceptSymbol(symbol) else { throw syntaxError() }
    }

    func expectEnd() throws(TSQLSyntaxError) {
        while acceptSymbol(";") {}
        guard atEnd else { throw syntaxError() }
    }

    /// Msg 102/156 near the current token; at the end of the batch, near the last token, as SQL
    /// Server reports an incomplete statement.
    func syntaxError() -> TSQLSyntaxError {
        if atEnd, index > 0 { return .near(tokens[index - 1]) }
        return .near(current)
    }

    /// The exact source text from token `start` through the last consumed token.
    func text(fromToken start: Int) -> String {
        let end = index > start ? tokens[index - 1].endOffset : tokens[start].location.offset
        let from = tokens[start].location.offset
        return String(decoding: utf8[from..<max(from, end)], as: UTF8.self)
    }

    // MARK: - Names

    /// `GO` alone at the start of a line: a client-side batch separator that reached the server.
    var isBatchSeparator: Bool { isWord("GO") && current.isFirstOnLine }

    /// Whether the current token can be a name: a delimited identifier or a non-reserved word.
    var isIdentifier: Bool {
        current.kind == .quotedIdentifier || (current.kind == .word && !current.isReservedKeyword)
    }

    func parseIdentifier() throws(TSQLSyntaxError) -> Identifier {
        guard isIdentifier, !isBatchSeparator else { throw syntaxError() }
        return Identifier(advance().value)
    }

    /// A name where SQL Server also accepts a reserved word (option names, `ON [PRIMARY]`).
    func parseAnyWord() throws(TSQLSyntaxError) -> String {
        guard current.kind == .word || current.kind == .quotedIdentifier else { throw syntaxError() }
        return advance().value
    }

    /// `a`, `a.b`, `a.b.c`, `a.b.c.d`, with empty middle parts (`db..t`).
    func parseObjectName() throws(TSQLSyntaxError) -> ObjectName {
        var parts: [Identifier?] = [try parseIdentifier()]
        while isSymbol("."), !peek().isSymbol("*"), parts.count < 4 {
            advance()
            if isSymbol(".") {
                parts.append(nil)
            } else {
                parts.append(try parseIdentifier())
            }
        }
        return try objectName(from: parts)
    }

    func objectName(from parts: [Identifier?]) throws(TSQLSyntaxError) -> ObjectName {
        guard let last = parts.last, let name = last else { throw syntaxError() }
        let padded = Array(repeating: nil, count: 4 - parts.count) + parts
        return ObjectName(
            server: padded[0], database: padded[1], schema: padded[2], name: name, partCount: parts.count)
    }

    func parseIdentifierList() throws(TSQLSyntaxError) -> [Identifier] {
        try expectSymbol("(")
        var names = [try parseIdentifier()]
        while acceptSymbol(",") { names.append(try parseIdentifier()) }
        try expectSymbol(")")
        return names
    }

    /// An optional alias: `[AS] name`, or `[AS] 'name'` where `allowString`.
    func parseAlias(allowString: Bool = false) throws(TSQLSyntaxError) -> Identifier? {
        if accept("AS") {
            if allowString, current.kind == .string || current.kind == .unicodeString {
                return Identifier(advance().value)
            }
            return try parseIdentifier()
        }
        if allowString, current.kind == .string || current.kind == .unicodeString {
            return Identifier(advance().value)
        }
        if isIdentifier, !isBatchSeparator, !isWord("USING") {
            return Identifier(advance().value)
        }
        return nil
    }

    // MARK: - Batches and statements

    func parseBatch() throws(TSQLSyntaxError) -> [TSQLStatement] {
        var statements: [TSQLStatement] = []
        while true {
            while acceptSymbol(";") {}
            if atEnd { return statements }
            statements.append(try parseStatement(isFirstInBatch: statements.isEmpty))
        }
    }

    /// Statements up to (not including) `END` or the end of the batch.
    func parseStatementList() throws(TSQLSyntaxError) -> [TSQLStatement] {
        var statements: [TSQLStatement] = []
        while true {
            while acceptSymbol(";") {}
            if atEnd || isWord("END") { return statements }
            statements.append(try parseStatement())
        }
    }

    func parseStatement(isFirstInBatch: Bool = false) throws(TSQLSyntaxError) -> TSQLStatement {
        let start = index
        let location = current.location
        let kind = try parseStatementKind(isFirstInBatch: isFirstInBatch)
        return TSQLStatement(kind: kind, location: location, sourceText: text(fromToken: start))
    }

    private func parseStatementKind(isFirstInBatch: Bool) throws(TSQLSyntaxError) -> Statement {
        let token = current
        if token.kind == .word {
            switch token.value.uppercased() {
            case "SELECT": return .select(try parseQuery())
            case "WITH": return try parseWithStatement()
            case "INSERT": return .insert(try parseInsert(commonTableExpressions: []))
            case "UPDATE": return .update(try parseUpdate(commonTableExpressions: []))
            case "DELETE": return .delete(try parseDelete(commonTableExpressions: []))
            case "MERGE": return .merge(try parseMerge(commonTableExpressions: []))
            case "CREATE": return try parseCreate(isFirstInBatch: isFirstInBatch)
            case "ALTER": return try parseAlter(isFirstInBatch: isFirstInBatch)
            case "DROP": return .drop(try parseDrop())
            case "TRUNCATE":
                advance()
                try expect("TABLE")
                return .truncateTable(try parseObjectName())
            case "USE":
                advance()
                return .use(database: try parseIdentifier())
            case "EXEC", "EXECUTE": return try parseExecute()
            case "SET": return try parseSet()
            case "DECLARE": return try parseDeclare()
            case "IF": return try parseIf()
            case "BEGIN": return try parseBegin()
            case "WHILE":
                advance()
                let condition = try parseExpression()
                return .while(condition: condition, body: try parseStatement())
            case "BREAK":
                advance()
                return .break
            case "CONTINUE":
                advance()
                return .continue
            case "RETURN":
                advance()
                return .return(canStartExpression ? try parseExpression() : nil)
            case "PRINT":
                advance()
                return .print(try parseExpression())
            case "RAISERROR": return .raiserror(try parseRaiserror())
            case "THROW": return try parseThrow()
            case "WAITFOR":
                advance()
                let isDelay: Bool
                if accept("DELAY") {
                    isDelay = true
                } else {
                    try expect("TIME")
                    isDelay = false
                }
                return .waitFor(isDelay: isDelay, try parseExpression())
            case "COMMIT":
                advance()
                let name = try parseTransactionTail()
                return .commitTransaction(name: name, delayedDurability: try parseDelayedDurability())
            case "ROLLBACK":
                advance()
                return .rollbackTransaction(name: try parseTransactionTail())
            case "SAVE":
                advance()
                guard accept("TRAN") || accept("TRANSACTION") else { throw syntaxError() }
                guard let name = try parseTransactionName() else { throw syntaxError() }
                return .saveTransaction(name: name)
            case "GO":
                throw .near(token)
            default:
                break
            }
        }
        if isSymbol("("), startsQueryAhead() {
            return .select(try parseQuery())
        }
        if isFirstInBatch, isIdentifier {
            return .execute(try parseExecuteBody(isImplicit: true))
        }
        throw syntaxError()
    }

    /// `WITH cte AS (…), … SELECT|INSERT|UPDATE|DELETE|MERGE …`.
    private func parseWithStatement() throws(TSQLSyntaxError) -> Statement {
        let ctes = try parseCommonTableExpressions()
        if isWord("SELECT") {
            var query = try parseQuery()
            query.commonTableExpressions = ctes
            return .select(query)
        }
        if isWord("INSERT") { return .insert(try parseInsert(commonTableExpressions: ctes)) }
        if isWord("UPDATE") { return .update(try parseUpdate(commonTableExpressions: ctes)) }
        if isWord("DELETE") { return .delete(try parseDelete(commonTableExpressions: ctes)) }
        if isWord("MERGE") { return .merge(try parseMerge(commonTableExpressions: ctes)) }
        throw syntaxError()
    }

    /// Words that begin a statement without being reserved; never taken as names or values.
    static let unreservedStatementWords: Set<String> = ["THROW", "GO"]

    /// Whether the current token can begin an expression (for optional operands: `RETURN`, `THROW`).
    var canStartExpression: Bool {
        switch current.kind {
        case .variable, .systemVariable, .string, .unicodeString, .integer, .decimal, .float, .money, .binary:
            return true
        case .quotedIdentifier:
            return true
        case .word:
            let word = current.value.uppercased()
            if Self.unreservedStatementWords.contains(word) { return false }
            if !current.isReservedKeyword { return true }
            return ["NULL", "CASE", "CONVERT", "TRY_CONVERT", "COALESCE", "NULLIF", "CURRENT_TIMESTAMP",
                    "CURRENT_USER", "SESSION_USER", "SYSTEM_USER", "USER", "EXISTS", "NOT", "LEFT", "RIGHT"]
                .contains(word)
        case .symbol:
            return isSymbol("(") || isSymbol("-") || isSymbol("+") || isSymbol("~")
        case .endOfInput:
            return false
        }
    }
}
