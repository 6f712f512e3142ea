import Testing
import TSQL

/// The statements of `sql`, which must parse.
func parseStatements(_ sql: String) throws -> [Statement] {
    try TSQLParser.parse(sql).statements.map(\.kind)
}

/// The only statement of `sql`.
func parseOne(_ sql: String) throws -> Statement {
    let statements = try parseStatements(sql)
    try #require(statements.count == 1, "expected one statement in \(sql), got \(statements.count)")
    return statements[0]
}

/// Parses `sql`, prints it, parses the print, and checks both parses say the same; returns the print.
@discardableResult
func expectRoundTrip(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
    let first = try TSQLParser.parse(sql).statements.map { $0.strippingSourceInfo() }
    let printed = TSQLPrinter.print(first.map(\.kind))
    let second: [TSQLStatement]
    do {
        second = try TSQLParser.parse(printed).statements.map { $0.strippingSourceInfo() }
    } catch {
        Issue.record("printed text does not parse: \(error)\n\(printed)", sourceLocation: sourceLocation)
        return printed
    }
    #expect(first == second, "round trip changed the tree:\n\(printed)", sourceLocation: sourceLocation)
    return printed
}

/// The syntax error `sql` raises.
func syntaxError(_ sql: String) throws -> TSQLSyntaxError {
    try #require(throws: TSQLSyntaxError.self) { try TSQLParser.parse(sql) }
}

extension Expression {
    static func int(_ value: Int) -> Expression { .literal(.integer(String(value))) }
    static func col(_ name: String) -> Expression { .column(ColumnReference(column: Identifier(name))) }
    static func nstr(_ value: String) -> Expression { .literal(.string(value, isUnicode: true)) }
}
