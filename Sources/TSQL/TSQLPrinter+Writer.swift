/// Accumulates printed text; one method per AST node kind.
struct Writer {
    var output = ""
    var indentation = 0

    mutating func write(_ text: String) { output += text }

    mutating func newline() {
        output += "\n" + String(repeating: "    ", count: indentation)
    }

    mutating func list<T>(_ items: [T], separator: String = ", ", _ body: (inout Writer, T) -> Void) {
        for (offset, item) in items.enumerated() {
            if offset > 0 { write(separator) }
            body(&self, item)
        }
    }

    mutating func names(_ names: [Identifier]) {
        write("(" + names.map(\.description).joined(separator: ", ") + ")")
    }

    // MARK: - Expressions

    /// Precedence of an expression's top operator: higher binds tighter; 9 is atomic.
    static func precedence(_ expression: Expression) -> Int {
        switch expression {
        case .or: 1
        case .and: 2
        case .not: 3
        case .binary(_, let op, _): op.precedence
        case .isNull, .between, .like, .inList, .inSubquery, .exists, .quantified: 4
        case .unary: 7
        case .collate: 8
        default: 9
        }
    }

    /// Writes `expression`, parenthesised when it binds looser than `minimum`.
    mutating func expression(_ expression: Expression, minimum: Int) {
        if Self.precedence(expression) < minimum {
            write("(")
            self.expression(expression)
            write(")")
        } else {
            self.expression(expression)
        }
    }

    mutating func expression(_ expression: Expression) {
        switch expression {
        case .literal(let literal):
            self.literal(literal)
        case .variable(let name), .systemVariable(let name):
            write(name)
        case .column(let column):
            columnReference(column)
        case .default:
            write("DEFAULT")
        case .unary(let op, let operand):
            write(op.rawValue)
            // `- -1` would print as a comment; nested prefixes get parentheses.
            self.expression(operand, minimum: 8)
        case .binary(let left, let op, let right):
            self.expression(left, minimum: op.isComparison ? 5 : op.precedence)
            write(" \(op.rawValue) ")
            self.expression(right, minimum: op.isComparison ? 5 : op.precedence + 1)
        case .not(let operand):
            write("NOT ")
            self.expression(operand, minimum: 3)
        case .and(let left, let right):
            self.expression(left, minimum: 2)
            write(" AND ")
            self.expression(right, minimum: 3)
        case .or(let left, let right):
            self.expression(left, minimum: 1)
            write(" OR ")
            self.expression(right, minimum: 2)
        case .isNull(let operand, let negated):
            self.expression(operand, minimum: 5)
            write(negated ? " IS NOT NULL" : " IS NULL")
        case .between(let operand, let low, let high, let negated):
            self.expression(operand, minimum: 5)
            write(negated ? " NOT BETWEEN " : " BETWEEN ")
            self.expression(low, minimum: 5)
            write(" AND ")
            self.expression(high, minimum: 5)
        case .like(let operand, let pattern, let escape, let negated):
            self.expression(operand, minimum: 5)
            write(negated ? " NOT LIKE " : " LIKE ")
            self.expression(pattern, minimum: 5)
            if let escape {
                write(" ESCAPE ")
                self.expression(escape, minimum: 5)
            }
        case .inList(let operand, let values, let negated):
            self.expression(operand, minimum: 5)
            write(negated ? " NOT IN (" : " IN (")
            list(values) { $0.expression($1) }
            write(")")
        case .inSubquery(let operand, let subquery, let negated):
            self.expression(operand, minimum: 5)
            write(negated ? " NOT IN (" : " IN (")
            query(subquery)
            write(")")
        case .exists(let subquery):
            write("EXISTS (")
            query(subquery)
            write(")")
        case .quantified(let operand, let op, let quantifier, let subquery):
            self.expression(operand, minimum: 5)
            write(" \(op.rawValue) \(quantifier.rawValue) (")
            query(subquery)
            write(")")
        case .subquery(let subquery):
            write("(")
            query(subquery)
            write(")")
        case .case(let caseExpression):
            write("CASE")
            if let operand = caseExpression.operand {
                write(" ")
                self.expression(operand)
            }
            for clause in caseExpression.whenClauses {
                write(" WHEN ")
                self.expression(clause.when)
                write(" THEN ")
                self.expression(clause.then)
            }
            if let elseResult = caseExpression.elseResult {
                write(" ELSE ")
                self.expression(elseResult)
            }
            write(" END")
        case .cast(let operand, let type, let isTry):
            write(isTry ? "TRY_CAST(" : "CAST(")
            self.expression(operand)
            write(" AS ")
            dataType(type)
            write(")")
        case .convert(let type, let operand, let style, let isTry):
            write(isTry ? "TRY_CONVERT(" : "CONVERT(")
            dataType(type)
            write(", ")
            self.expression(operand)
            if let style {
                write(", ")
                self.expression(style)
            }
            write(")")
        case .function(let call):
            functionCall(call)
        case .niladic(let name):
            write(name)
        case .collate(let operand, let collation):
            self.expression(operand, minimum: 9)
            write(" COLLATE \(collation)")
        }
    }

    mutating func literal(_ literal: Literal) {
        switch literal {
        case .null: write("NULL")
        case .integer(let text), .decimal(let text), .float(let text): write(text)
        case .money(let text): write("$" + text)
        case .string(let value, let isUnicode): write(TSQLPrinter.stringLiteral(value, isUnicode: isUnicode))
        case .binary(let digits): write("0x" + digits)
        }
    }

    mutating func columnReference(_ column: ColumnReference) {
        if let table = column.table { write(table.description + ".") }
        write(column.column.description)
    }

    mutating func functionCall(_ call: FunctionCall) {
        if let sequence = call.nextValueSequence {
            write("NEXT VALUE FOR \(sequence)")
            return
        }
        // Built-ins that are reserved words (LEFT, COALESCE…) must stay bare to remain built-ins.
        if call.isMethodCall, let target = call.arguments.first {
            expression(target)
            write(".\(call.name.name.description)(")
            list(Array(call.arguments.dropFirst())) { $0.expression($1) }
            write(")")
            return
        }
        if call.isStaticMethod, let type = call.name.schema {
            write("\(type.description)::\(call.name.name.description)")
        } else if call.name.partCount == 1, TSQLPrinter.isRegularIdentifier(call.name.name.value) {
            write(call.name.name.value)
        } else {
            write(call.name.description)
        }
        write("(")
        if call.isStar {
            write("*")
        } else {
            if call.isDistinct { write("DISTINCT ") }
            list(call.arguments) { $0.expression($1) }
        }
        write(")")
        if !call.withinGroup.isEmpty {
            write(" WITHIN GROUP (ORDER BY ")
            orderByItems(call.withinGroup)
            write(")")
        }
        if let window = call.over {
            write(" OVER (")
            var parts: [String] = []
            if !window.partitionBy.isEmpty {
                parts.append("PARTITION BY " + window.partitionBy.map(TSQLPrinter.print).joined(separator: ", "))
            }
            if !window.orderBy.isEmpty {
                var writer = Writer()
                writer.orderByItems(window.orderBy)
                parts.append("ORDER BY " + writer.output)
            }
            if let frame = window.frame {
                if let end = frame.end {
                    parts.append("\(frame.unit.rawValue) BETWEEN \(Self.bound(frame.start)) AND \(Self.bound(end))")
                } else {
                    parts.append("\(frame.unit.rawValue) \(Self.bound(frame.start))")
                }
            }
            write(parts.joined(separator: " ") + ")")
        }
    }

    static func bound(_ bound: WindowFrame.Bound) -> String {
        switch bound {
        case .unboundedPreceding: "UNBOUNDED PRECEDING"
        case .unboundedFollowing: "UNBOUNDED FOLLOWING"
        case .currentRow: "CURRENT ROW"
        case .preceding(let offset): TSQLPrinter.print(offset) + " PRECEDING"
        case .following(let offset): TSQLPrinter.print(offset) + " FOLLOWING"
        }
    }

    mutating func orderByItems(_ items: [OrderByItem]) {
        list(items) { writer, item in
            writer.expression(item.expression)
            if let direction = item.direction { writer.write(" " + direction.rawValue) }
        }
    }

    mutating func dataType(_ type: DataType) {
        write(type.name.description)
        if !type.arguments.isEmpty {
            write("(")
            list(type.arguments) { writer, argument in
                switch argument {
                case .value(let value): writer.write(String(value))
                case .max: writer.write("max")
                }
            }
            write(")")
        }
    }

    mutating func optionValue(_ value: OptionValue) {
        switch value {
        case .on: write("ON")
        case .off: write("OFF")
        case .word(let word): write(word)
        case .expression(let expression): self.expression(expression, minimum: 5)
        }
    }
}
