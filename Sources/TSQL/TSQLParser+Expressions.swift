extension Parser {
    /// A full expression, boolean or scalar, by T-SQL precedence: OR < AND < NOT < comparisons and
    /// predicates < `+ - & ^ |` < `* / %` < unary `- + ~` < COLLATE.
    func parseExpression() throws(TSQLSyntaxError) -> Expression {
        var left = try parseAnd()
        while accept("OR") {
            left = .or(left, try parseAnd())
        }
        return left
    }

    /// An expression, or `DEFAULT` where a value list allows it.
    func parseExpressionOrDefault() throws(TSQLSyntaxError) -> Expression {
        if accept("DEFAULT") { return .default }
        return try parseExpression()
    }

    func parseExpressionList() throws(TSQLSyntaxError) -> [Expression] {
        var expressions = [try parseExpression()]
        while acceptSymbol(",") { expressions.append(try parseExpression()) }
        return expressions
    }

    private func parseAnd() throws(TSQLSyntaxError) -> Expression {
        var left = try parseNot()
        while accept("AND") {
            left = .and(left, try parseNot())
        }
        return left
    }

    private func parseNot() throws(TSQLSyntaxError) -> Expression {
        if accept("NOT") { return .not(try parseNot()) }
        return try parsePredicate()
    }

    private static let comparisonOperators: [String: BinaryOperator] = [
        "=": .equal, "<>": .notEqual, "!=": .notEqualBang, "<": .less, "<=": .lessOrEqual, ">": .greater,
        ">=": .greaterOrEqual, "!<": .notLess, "!>": .notGreater,
    ]

    private func parsePredicate() throws(TSQLSyntaxError) -> Expression {
        if accept("EXISTS") {
            return .exists(try parseParenthesizedQuery())
        }
        let left = try parseAdditive()
        if current.kind == .symbol, let op = Self.comparisonOperators[current.value] {
            advance()
            for quantifier in [Quantifier.all, .any, .some] where accept(quantifier.rawValue) {
                return .quantified(left, op, quantifier, try parseParenthesizedQuery())
            }
            return .binary(left, op, try parseAdditive())
        }
        if accept("IS") {
            let negated = accept("NOT")
            try expect("NULL")
            return .isNull(left, negated: negated)
        }
        var negated = false
        if isWord("NOT"), peek().isWord("BETWEEN") || peek().isWord("IN") || peek().isWord("LIKE") {
            advance()
            negated = true
        }
        if accept("BETWEEN") {
            let low = try parseAdditive()
            try expect("AND")
            return .between(left, low: low, high: try parseAdditive(), negated: negated)
        }
        if accept("IN") {
            try expectSymbol("(")
            if isWord("SELECT") || isWord("WITH") {
                let query = try parseQuery()
                try expectSymbol(")")
                return .inSubquery(left, query, negated: negated)
            }
            let list = try parseExpressionList()
            try expectSymbol(")")
            return .inList(left, list, negated: negated)
        }
        if accept("LIKE") {
            let pattern = try parseAdditive()
            let escape = accept("ESCAPE") ? try parseAdditive() : nil
            return .like(left, pattern: pattern, escape: escape, negated: negated)
        }
        return left
    }

    private static let additiveOperators: [String: BinaryOperator] = [
        "+": .add, "-": .subtract, "&": .bitwiseAnd, "|": .bitwiseOr, "^": .bitwiseXor,
    ]
    private static let multiplicativeOperators: [String: BinaryOperator] = [
        "*": .multiply, "/": .divide, "%": .modulo,
    ]

    func parseAdditive() throws(TSQLSyntaxError) -> Expression {
        var left = try parseMultiplicative()
        while current.kind == .symbol, let op = Self.additiveOperators[current.value] {
            advance()
            left = .binary(left, op, try parseMultiplicative())
        }
        return left
    }

    private func parseMultiplicative() throws(TSQLSyntaxError) -> Expression {
        var left = try parseUnary()
        while current.kind == .symbol, let op = Self.multiplicativeOperators[current.value] {
            advance()
            left = .binary(left, op, try parseUnary())
        }
        return left
    }

    func parseUnary() throws(TSQLSyntaxError) -> Expression {
        if current.kind == .symbol, let op = UnaryOperator(rawValue: current.value) {
            advance()
            return .unary(op, try parseUnary())
        }
        var expression = try parsePrimary()
        while accept("COLLATE") {
            expression = .collate(expression, collation: try parseIdentifier())
        }
        return expression
    }

    private static let niladicFunctions: Set<String> = [
        "CURRENT_TIMESTAMP", "CURRENT_USER", "SESSION_USER", "SYSTEM_USER", "USER",
    ]
    /// Reserved words that are nonetheless function names when followed by `(`.
    private static let reservedFunctionNames: Set<String> = ["COALESCE", "NULLIF", "LEFT", "RIGHT"]

    private func parsePrimary() throws(TSQLSyntaxError) -> Expression {
        let token = current
        switch token.kind {
        case .integer:
            advance()
            return .literal(.integer(token.value))
        case .decimal:
            advance()
            return .literal(.decimal(token.value))
        case .float:
            advance()
            return .literal(.float(token.value))
        case .money:
            advance()
            return .literal(.money(String(token.value.dropFirst())))
        case .binary:
            advance()
            return .literal(.binary(token.value))
        case .string:
            advance()
            return .literal(.string(token.value, isUnicode: false))
        case .unicodeString:
            advance()
            return .literal(.string(token.value, isUnicode: true))
        case .variable:
            advance()
            return .variable(token.value)
        case .systemVariable:
            advance()
            return .systemVariable(token.value)
        case .symbol where token.value == "(":
            advance()
            if isWord("SELECT") || isWord("WITH") {
                let query = try parseQuery()
                try expectSymbol(")")
                return .subquery(query)
            }
            let expression = try parseExpression()
            try expectSymbol(")")
            return expression
        case .quotedIdentifier:
            return try parseNameExpression()
        case .word:
            let word = token.value.uppercased()
            switch word {
            case "NULL":
                advance()
                return .literal(.null)
            case "CASE":
                return .case(try parseCase())
            case "CAST" where peek().isSymbol("("), "TRY_CAST" where peek().isSymbol("("):
                advance()
                advance()
                let value = try parseExpression()
                try expect("AS")
                let type = try parseDataType()
                try expectSymbol(")")
                return .cast(value, as: type, isTry: word == "TRY_CAST")
            case "NEXT" where peek().isWord("VALUE"):
                advance()
                advance()
                try expect("FOR")
                return .function(FunctionCall.nextValue(for: try parseObjectName()))
            case "CONVERT", "TRY_CONVERT":
                advance()
                try expectSymbol("(")
                let type = try parseDataType()
                try expectSymbol(",")
                let value = try parseExpression()
                let style = acceptSymbol(",") ? try parseExpression() : nil
                try expectSymbol(")")
                return .convert(type, value, style: style, isTry: word == "TRY_CONVERT")
            default:
                if Self.niladicFunctions.contains(word), !peek().isSymbol("(") {
                    advance()
                    return .niladic(word)
                }
                if Self.reservedFunctionNames.contains(word), peek().isSymbol("(") {
                    advance()
                    return .function(try parseFunctionCall(name: ObjectName(name: Identifier(token.value))))
                }
                if token.isReservedKeyword || Self.unreservedStatementWords.contains(word) {
                    throw syntaxError()
                }
                return try parseNameExpression()
            }
        default:
            throw syntaxError()
        }
    }

    /// A column reference or a function call, starting at a name.
    private func parseNameExpression() throws(TSQLSyntaxError) -> Expression {
        let name = try parseObjectName()
        if isSymbol("(") {
            return try parseMethodCalls(on: .function(try parseFunctionCall(name: name)))
        }
        // `hierarchyid::Parse('/1/')`, `geography::Point(47.6, -122.3, 4326)`: a static method of a CLR type.
        if name.partCount == 1, acceptSymbol("::") {
            let method = try parseIdentifier()
            var call = try parseFunctionCall(name: ObjectName(schema: name.name, name: method))
            call.isStaticMethod = true
            return try parseMethodCalls(on: .function(call))
        }
        guard name.partCount > 1 else { return .column(ColumnReference(column: name.name)) }
        let parts = name.parts.dropLast()
        let table = try objectName(from: Array(parts))
        return .column(ColumnReference(table: table, column: name.name))
    }

    /// `.Method(…)` calls chained on a call's result (`node.GetAncestor(1).ToString()`): each is
    /// a call with ``FunctionCall/isMethodCall`` set and the target as its first argument.
    private func parseMethodCalls(on target: Expression) throws(TSQLSyntaxError) -> Expression {
        var result = target
        while isSymbol("."), peek().isSymbol("(") == false {
            advance()
            let method = try parseIdentifier()
            guard isSymbol("(") else { throw syntaxError() }
            var call = try parseFunctionCall(name: ObjectName(name: method))
            call.arguments.insert(result, at: 0)
            call.isMethodCall = true
            result = .function(call)
        }
        return result
    }

    /// Arguments and trailing `WITHIN GROUP`/`OVER` of a call whose name was read.
    func parseFunctionCall(name: ObjectName) throws(TSQLSyntaxError) -> FunctionCall {
        try expectSymbol("(")
        var call = FunctionCall(name: name)
        if acceptSymbol("*") {
            call.isStar = true
        } else if !isSymbol(")") {
            if accept("DISTINCT") {
                call.isDistinct = true
            } else {
                _ = accept("ALL")
            }
            // A user-defined function's argument may be DEFAULT (its parameter's default value).
            repeat {
                if isWord("DEFAULT"), peek().isSymbol(",") || peek().isSymbol(")") {
                    advance()
                    call.arguments.append(.default)
                } else {
                    call.arguments.append(try parseExpression())
                }
            } while acceptSymbol(",")
        }
        try expectSymbol(")")
        if isWord("WITHIN"), peek().isWord("GROUP") {
            advance()
            advance()
            try expectSymbol("(")
            try expect("ORDER")
            try expect("BY")
            call.withinGroup = try parseOrderByItems()
            try expectSymbol(")")
        }
        if accept("OVER") {
            call.over = try parseWindow()
        }
        return call
    }

    private func parseWindow() throws(TSQLSyntaxError) -> WindowSpecification {
        try expectSymbol("(")
        var window = WindowSpecification()
        if accept("PARTITION") {
            try expect("BY")
            window.partitionBy = try parseExpressionList()
        }
        if accept("ORDER") {
            try expect("BY")
            window.orderBy = try parseOrderByItems()
        }
        if isWord("ROWS") || isWord("RANGE") {
            let unit: WindowFrame.Unit = advance().isWord("ROWS") ? .rows : .range
            if accept("BETWEEN") {
                let start = try parseFrameBound()
                try expect("AND")
                window.frame = WindowFrame(unit: unit, start: start, end: try parseFrameBound())
            } else {
                window.frame = WindowFrame(unit: unit, start: try parseFrameBound())
            }
        }
        try expectSymbol(")")
        return window
    }

    private func parseFrameBound() throws(TSQLSyntaxError) -> WindowFrame.Bound {
        if accept("UNBOUNDED") {
            if accept("PRECEDING") { return .unboundedPreceding }
            try expect("FOLLOWING")
            return .unboundedFollowing
        }
        if accept("CURRENT") {
            try expect("ROW")
            return .currentRow
        }
        let offset = try parseAdditive()
        if accept("PRECEDING") { return .preceding(offset) }
        try expect("FOLLOWING")
        return .following(offset)
    }

    private func parseCase() throws(TSQLSyntaxError) -> CaseExpression {
        try expect("CASE")
        var result = CaseExpression(whenClauses: [])
        if !isWord("WHEN") { result.operand = try parseExpression() }
        while accept("WHEN") {
            let when = try parseExpression()
            try expect("THEN")
            result.whenClauses.append(.init(when: when, then: try parseExpression()))
        }
        guard !result.whenClauses.isEmpty else { throw syntaxError() }
        if accept("ELSE") { result.elseResult = try parseExpression() }
        try expect("END")
        return result
    }

    /// `(query)`.
    func parseParenthesizedQuery() throws(TSQLSyntaxError) -> Query {
        try expectSymbol("(")
        let query = try parseQuery()
        try expectSymbol(")")
        return query
    }

    /// A type: `int`, `decimal(18, 2)`, `nvarchar(max)`, `dbo.Name`, `double precision`.
    func parseDataType() throws(TSQLSyntaxError) -> DataType {
        if isWord("DOUBLE"), peek().isWord("PRECISION") {
            advance()
            advance()
            return DataType("float")
        }
        let name = try parseObjectName()
        guard name.partCount <= 2 else { throw syntaxError() }
        var arguments: [DataType.Argument] = []
        if acceptSymbol("(") {
            repeat {
                if accept("MAX") {
                    arguments.append(.max)
                } else if current.kind == .integer, let value = Int(current.value) {
                    advance()
                    arguments.append(.value(value))
                } else {
                    throw syntaxError()
                }
            } while acceptSymbol(",")
            try expectSymbol(")")
        }
        return DataType(name: name, arguments: arguments)
    }
}
