import struct Foundation.UUID

/// An `add-column` expression in the subset of DMS's (SQLite) expression language Ferry evaluates:
/// column references `$COLUMN`, string literals `'it''s'`, number literals `42`, `-1.5`, `NULL`,
/// and `||` concatenation, e.g. `$FirstName||' '||$LastName`.
///
/// Names after `$` are source column names (letters, digits, `_`, `@`, `#`), or DMS's metadata and
/// header variables: `$AR_M_SOURCE_SCHEMA`, `$AR_M_SOURCE_TABLE_NAME` (known from the table), and
/// `$AR_H_*` headers (`$AR_H_OPERATION`, `$AR_H_STREAM_POSITION`, `$AR_H_COMMIT_TIMESTAMP`,
/// `$AR_H_TIMESTAMP`, `$AR_H_TRANSACTION_ID`, `$AR_H_USER`, `$AR_H_CHANGE_SEQ`) which the caller
/// supplies per change. SQLite functions and other operators are refused when the rules are read.
///
/// Evaluation follows SQLite: a single term keeps its value and type; a concatenation is text, and
/// `NULL` if any operand is `NULL`. If an operand is a large value the change did not carry
/// (``ColumnValue/unchanged``), the result is `.unchanged` too: the target keeps its value.
public struct ColumnExpression: Hashable, Sendable, CustomStringConvertible {
    /// One operand.
    public enum Term: Hashable, Sendable {
        /// `$Name`: a source column.
        case column(String)
        /// `$AR_M_SOURCE_SCHEMA` / `$AR_M_SOURCE_TABLE_NAME`.
        case metadata(String)
        /// `$AR_H_…`: a change header supplied at evaluation.
        case header(String)
        /// A literal.
        case literal(ColumnValue)
    }

    /// The expression as written.
    public let text: String
    /// The operands of the `||` chain, in order.
    public let terms: [Term]

    /// The `$AR_H_` headers DMS documents.
    public static let headerNames: Set<String> = [
        "AR_H_OPERATION", "AR_H_STREAM_POSITION", "AR_H_COMMIT_TIMESTAMP", "AR_H_TIMESTAMP",
        "AR_H_TRANSACTION_ID", "AR_H_USER", "AR_H_CHANGE_SEQ",
    ]

    /// Parses an expression; the error message describes the problem and its position (the caller adds rule and field).
    public init(parsing text: String) throws(ExpressionSyntaxError) {
        self.text = text
        let chars = Array(text)
        var i = 0
        var terms: [Term] = []
        func skipSpace() { while i < chars.count, chars[i] == " " || chars[i] == "\t" || chars[i] == "\n" || chars[i] == "\r" { i += 1 } }
        func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "@" || c == "#" }
        while true {
            skipSpace()
            guard i < chars.count else {
                throw ExpressionSyntaxError(message: terms.isEmpty ? "the expression is empty" : "an operand is missing after '||' at the end", position: i)
            }
            let start = i
            let c = chars[i]
            if c == "$" {
                i += 1
                while i < chars.count, isNameCharacter(chars[i]) { i += 1 }
                let name = String(chars[(start + 1)..<i])
                guard !name.isEmpty else { throw ExpressionSyntaxError(message: "'$' must be followed by a column name", position: start) }
                if name.hasPrefix("AR_M_") {
                    guard name == "AR_M_SOURCE_SCHEMA" || name == "AR_M_SOURCE_TABLE_NAME" else {
                        throw ExpressionSyntaxError(message: "'$\(name)' is not a metadata variable Ferry knows ($AR_M_SOURCE_SCHEMA, $AR_M_SOURCE_TABLE_NAME)", position: start)
                    }
                    terms.append(.metadata(name))
                } else if name.hasPrefix("AR_H_") {
                    guard Self.headerNames.contains(name) else {
                        throw ExpressionSyntaxError(message: "'$\(name)' is not a DMS header variable (\(Self.headerNames.sorted().map { "$" + $0 }.joined(separator: ", ")))", position: start)
                    }
                    terms.append(.header(name))
                } else {
                    terms.append(.column(name))
                }
            } else if c == "'" {
                i += 1
                var literal = ""
                var closed = false
                while i < chars.count {
                    if chars[i] == "'" {
                        if i + 1 < chars.count, chars[i + 1] == "'" { literal.append("'"); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    literal.append(chars[i])
                    i += 1
                }
                guard closed else { throw ExpressionSyntaxError(message: "the string literal is not closed", position: start) }
                terms.append(.literal(.string(literal)))
            } else if c.isNumber || ((c == "-" || c == "+") && i + 1 < chars.count && chars[i + 1].isNumber) {
                i += 1
                while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
                let number = String(chars[start..<i])
                if let integer = Int64(number) {
                    terms.append(.literal(.int(integer)))
                } else if let decimal = ExactDecimal(number) {
                    terms.append(.literal(.decimal(decimal)))
                } else {
                    throw ExpressionSyntaxError(message: "'\(number)' is not a number", position: start)
                }
            } else if c.isLetter {
                while i < chars.count, isNameCharacter(chars[i]) { i += 1 }
                let word = String(chars[start..<i])
                skipSpace()
                if word.uppercased() == "NULL" {
                    terms.append(.literal(.null))
                } else if i < chars.count, chars[i] == "(" {
                    throw ExpressionSyntaxError(message: "the function \(word)() is not supported: Ferry evaluates column references, literals and ||", position: start)
                } else {
                    throw ExpressionSyntaxError(message: "'\(word)' is not an operand: write $\(word) for a column or '\(word)' for text", position: start)
                }
            } else {
                throw ExpressionSyntaxError(message: "unexpected '\(c)': Ferry evaluates column references, literals and ||", position: start)
            }
            skipSpace()
            if i == chars.count { break }
            guard i + 1 < chars.count, chars[i] == "|", chars[i + 1] == "|" else {
                throw ExpressionSyntaxError(message: "expected '||' at '\(chars[i])': Ferry evaluates column references, literals and ||", position: i)
            }
            i += 2
        }
        self.terms = terms
    }

    /// The source columns the expression reads.
    public var referencedColumns: [String] {
        terms.compactMap { if case .column(let name) = $0 { return name } else { return nil } }
    }

    /// Evaluates the expression on a source row (see the type's documentation for the rules).
    /// - Parameters:
    ///   - row: the source row image, keyed by source column names.
    ///   - table: the source table, for `$AR_M_` variables.
    ///   - headers: `$AR_H_` values by name without `$` (`AR_H_OPERATION`); absent ones are `NULL`.
    public func evaluate(on row: Row, table: TableIdentity, headers: [String: ColumnValue] = [:]) -> ColumnValue {
        let values = terms.map { term -> ColumnValue in
            switch term {
            case .column(let name): return row[name] ?? .null
            case .metadata("AR_M_SOURCE_SCHEMA"): return .string(table.schema)
            case .metadata: return .string(table.table)
            case .header(let name): return headers[name] ?? .null
            case .literal(let value): return value
            }
        }
        if values.count == 1 { return values[0] }
        if values.contains(.unchanged) { return .unchanged }
        if values.contains(.null) { return .null }
        return .string(values.map(Self.text).joined())
    }

    /// A value's text as SQLite would concatenate it.
    static func text(_ value: ColumnValue) -> String {
        switch value {
        case .null, .unchanged: return ""
        case .bool(let b): return b ? "1" : "0"
        case .int(let i): return String(i)
        case .real(let f): return Double(f).description
        case .float(let d): return d.description
        case .decimal(let d): return d.description
        case .date(let d): return d.description
        case .time(let t): return t.description
        case .dateTime(let dt): return dt.description
        case .dateTimeOffset(let dto): return dto.description
        case .guid(let g): return g.uuidString
        case .bytes(let bytes):
            let digits = Array("0123456789ABCDEF")
            return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
        case .string(let s): return s
        case .spatial(_, let wkb): return text(.bytes(wkb))
        case .variant(_, let inner): return text(inner)
        }
    }

    public var description: String { text }
}

/// Why an `add-column` expression does not parse, and where.
public struct ExpressionSyntaxError: Error, Hashable, Sendable {
    /// The problem.
    public var message: String
    /// The character offset in the expression.
    public var position: Int
}
