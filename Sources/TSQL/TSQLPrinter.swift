/// Prints the AST back to canonical T-SQL.
///
/// The output parses back to the same tree (`parse(print(parse(x))) == parse(x)`, ignoring source
/// positions and texts): names are bracketed only when needed, parentheses are added where T-SQL's
/// precedence needs them, keywords are upper-case, statements in a list end with `;`.
public enum TSQLPrinter {
    /// A batch: each statement on its own line(s), ending with `;`.
    public static func print(_ batch: TSQLBatch) -> String {
        print(batch.statements.map(\.kind))
    }

    /// Statements, each ending with `;` and a newline.
    public static func print(_ statements: [Statement]) -> String {
        statements.map { print($0) + ";\n" }.joined()
    }

    /// One statement, without a terminating `;`.
    public static func print(_ statement: Statement) -> String {
        var printer = Writer()
        printer.statement(statement)
        return printer.output
    }

    /// One expression.
    public static func print(_ expression: Expression) -> String {
        var printer = Writer()
        printer.expression(expression)
        return printer.output
    }

    /// One query.
    public static func print(_ query: Query) -> String {
        var printer = Writer()
        printer.query(query)
        return printer.output
    }

    /// One data type: `nvarchar(max)`, `decimal(18, 2)`, `dbo.Name`.
    public static func print(_ type: DataType) -> String {
        var printer = Writer()
        printer.dataType(type)
        return printer.output
    }

    /// `name` if it is a regular, non-reserved identifier, else `[name]` with `]` doubled.
    public static func quote(_ name: String) -> String {
        if isRegularIdentifier(name), !TSQLKeywords.isReserved(name) { return name }
        return "[" + name.split(separator: "]", omittingEmptySubsequences: false).joined(separator: "]]") + "]"
    }

    /// A string constant: `'it''s'`, or `N'…'` when `isUnicode`.
    public static func stringLiteral(_ value: String, isUnicode: Bool) -> String {
        (isUnicode ? "N'" : "'")
            + value.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    /// Whether `name` can be written without delimiters (ignoring reserved words).
    static func isRegularIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, TSQLLexer.isIdentifierStart(first) else { return false }
        // `N'…'` would lex as a string; a lone `N` is fine.
        return bytes.dropFirst().allSatisfy(TSQLLexer.isIdentifierPart)
    }
}
