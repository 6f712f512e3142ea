extension Parser {
    /// `[WITH ctes] query_expression [ORDER BY …] [OPTION (…)]`.
    func parseQuery() throws(TSQLSyntaxError) -> Query {
        let ctes = isWord("WITH") ? try parseCommonTableExpressions() : []
        let body = try parseQueryExpression()
        var query = Query(commonTableExpressions: ctes, body: body)
        if isWord("ORDER") {
            query.orderBy = try parseOrderByClause()
        }
        if accept("OPTION") {
            query.options = try parseQueryHints()
        }
        return query
    }

    func parseCommonTableExpressions() throws(TSQLSyntaxError) -> [CommonTableExpression] {
        try expect("WITH")
        var ctes: [CommonTableExpression] = []
        repeat {
            let name = try parseIdentifier()
            let columns = isSymbol("(") ? try parseIdentifierList() : []
            try expect("AS")
            ctes.append(CommonTableExpression(name: name, columns: columns, query: try parseParenthesizedQuery()))
        } while acceptSymbol(",")
        return ctes
    }

    private func parseQueryExpression() throws(TSQLSyntaxError) -> QueryExpression {
        var left = try parseQueryTerm()
        while true {
            let op: SetOperator
            if accept("UNION") {
                op = accept("ALL") ? .unionAll : .union
            } else if accept("EXCEPT") {
                op = .except
            } else {
                return left
            }
            left = .setOperation(left, op, try parseQueryTerm())
        }
    }

    /// INTERSECT binds tighter than UNION and EXCEPT.
    private func parseQueryTerm() throws(TSQLSyntaxError) -> QueryExpression {
        var left = try parseQueryPrimary()
        while accept("INTERSECT") {
            left = .setOperation(left, .intersect, try parseQueryPrimary())
        }
        return left
    }

    private func parseQueryPrimary() throws(TSQLSyntaxError) -> QueryExpression {
        if isSymbol("(") {
            return .parenthesized(try parseParenthesizedQuery())
        }
        return .select(try parseQuerySpecification())
    }

    private func parseQuerySpecification() throws(TSQLSyntaxError) -> QuerySpecification {
        try expect("SELECT")
        var specification = QuerySpecification(items: [])
        if accept("DISTINCT") {
            specification.isDistinct = true
        } else {
            _ = accept("ALL")
        }
        if isWord("TOP") {
            specification.top = try parseTop(allowBareNumber: true)
        }
        specification.items = try parseSelectItems()
        if accept("INTO") {
            specification.into = try parseObjectName()
        }
        if accept("FROM") {
            specification.from = try parseTableSources()
        }
        if accept("WHERE") {
            specification.whereClause = try parseExpression()
        }
        if accept("GROUP") {
            try expect("BY")
            specification.groupBy = try parseExpressionList()
        }
        if accept("HAVING") {
            specification.having = try parseExpression()
        }
        return specification
    }

    /// `TOP (n) [PERCENT] [WITH TIES]`; SELECT also takes the legacy `TOP n`.
    func parseTop(allowBareNumber: Bool) throws(TSQLSyntaxError) -> TopClause {
        try expect("TOP")
        let count: Expression
        if acceptSymbol("(") {
            count = try parseExpression()
            try expectSymbol(")")
        } else if allowBareNumber, current.kind == .integer || current.kind == .decimal || current.kind == .variable {
            count = try parseUnary()
        } else {
            throw syntaxError()
        }
        var top = TopClause(count: count)
        top.isPercent = accept("PERCENT")
        if isWord("WITH"), peek().isWord("TIES") {
            advance()
            advance()
            top.withTies = true
        }
        return top
    }

    func parseSelectItems() throws(TSQLSyntaxError) -> [SelectItem] {
        var items = [try parseSelectItem()]
        while acceptSymbol(",") { items.append(try parseSelectItem()) }
        return items
    }

    private func parseSelectItem() throws(TSQLSyntaxError) -> SelectItem {
        if acceptSymbol("*") { return .star(qualifier: nil) }
        if current.kind == .variable, peek().kind == .symbol,
            let op = AssignmentOperator(rawValue: peek().value)
        {
            let variable = advance().value
            advance()
            return .assignment(variable: variable, op, try parseExpression())
        }
        // `alias = expression` (also with a string alias).
        if isIdentifier || current.kind == .string || current.kind == .unicodeString, peek().isSymbol("="),
            !current.isReservedKeyword
        {
            let alias = Identifier(advance().value)
            advance()
            return .expression(try parseExpression(), alias: alias)
        }
        if let qualifier = try parseQualifiedStar() { return .star(qualifier: qualifier) }
        let expression = try parseExpression()
        return .expression(expression, alias: try parseAlias(allowString: true))
    }

    /// `name.*`, `schema.table.*`: the qualifier, when the tokens ahead have that shape.
    private func parseQualifiedStar() throws(TSQLSyntaxError) -> ObjectName? {
        func isName(_ token: TSQLToken) -> Bool {
            token.kind == .quotedIdentifier || (token.kind == .word && !token.isReservedKeyword)
        }
        guard isName(current) else { return nil }
        var ahead = 0  // at a name, or at the first dot of an empty part
        while true {
            guard peek(ahead + 1).isSymbol(".") else { return nil }
            let after = peek(ahead + 2)
            if after.isSymbol("*") { break }
            if after.isSymbol(".") {
                ahead += 1
                continue
            }
            guard isName(after) else { return nil }
            ahead += 2
        }
        let qualifier = try parseObjectName()
        try expectSymbol(".")
        try expectSymbol("*")
        return qualifier
    }

    func parseOrderByClause() throws(TSQLSyntaxError) -> OrderByClause {
        try expect("ORDER")
        try expect("BY")
        var clause = OrderByClause(items: try parseOrderByItems())
        if accept("OFFSET") {
            clause.offset = try parseAdditive()
            guard accept("ROWS") || accept("ROW") else { throw syntaxError() }
            if accept("FETCH") {
                guard accept("NEXT") || accept("FIRST") else { throw syntaxError() }
                clause.fetch = try parseAdditive()
                guard accept("ROWS") || accept("ROW") else { throw syntaxError() }
                try expect("ONLY")
            }
        }
        return clause
    }

    func parseOrderByItems() throws(TSQLSyntaxError) -> [OrderByItem] {
        var items: [OrderByItem] = []
        repeat {
            let expression = try parseExpression()
            let direction: SortDirection? =
                accept("ASC") ? .ascending : accept("DESC") ? .descending : nil
            items.append(OrderByItem(expression, direction: direction))
        } while acceptSymbol(",")
        return items
    }

    /// `OPTION (hint, …)`: each hint kept as its upper-cased words.
    private func parseQueryHints() throws(TSQLSyntaxError) -> [String] {
        try expectSymbol("(")
        var hints: [String] = []
        var words: [String] = []
        var depth = 0
        while true {
            if atEnd { throw syntaxError() }
            if depth == 0, isSymbol(")") || isSymbol(",") {
                guard !words.isEmpty else { throw syntaxError() }
                hints.append(words.joined(separator: " "))
                words = []
                if advance().value == ")" { return hints }
                continue
            }
            if isSymbol("(") { depth += 1 }
            if isSymbol(")") { depth -= 1 }
            words.append(current.kind == .word ? current.value.uppercased() : current.text)
            advance()
        }
    }

    // MARK: - FROM

    func parseTableSources() throws(TSQLSyntaxError) -> [TableSource] {
        var sources = [try parseJoinedTable()]
        while acceptSymbol(",") { sources.append(try parseJoinedTable()) }
        return sources
    }

    private func parseJoinedTable() throws(TSQLSyntaxError) -> TableSource {
        var left = try parseTablePrimary()
        while true {
            if isWord("CROSS"), peek().isWord("APPLY") || peek().isWord("JOIN") {
                advance()
                if accept("APPLY") {
                    left = .apply(left, isOuter: false, try parseTablePrimary())
                } else {
                    try expect("JOIN")
                    left = .join(left, .cross, try parseTablePrimary(), on: nil)
                }
                continue
            }
            if isWord("OUTER"), peek().isWord("APPLY") {
                advance()
                advance()
                left = .apply(left, isOuter: true, try parseTablePrimary())
                continue
            }
            let kind: JoinKind
            if accept("JOIN") {
                kind = .inner
            } else if accept("INNER") {
                try expect("JOIN")
                kind = .inner
            } else if isWord("LEFT") || isWord("RIGHT") || isWord("FULL") {
                let word = advance().value.uppercased()
                _ = accept("OUTER")
                try expect("JOIN")
                kind = word == "LEFT" ? .left : word == "RIGHT" ? .right : .full
            } else {
                return left
            }
            let right = try parseTablePrimary()
            try expect("ON")
            left = .join(left, kind, right, on: try parseExpression())
        }
    }

    private func parseTablePrimary() throws(TSQLSyntaxError) -> TableSource {
        if acceptSymbol("(") {
            if isWord("SELECT") || isWord("WITH") || isSymbol("(") && startsQueryAhead() {
                let query = try parseQuery()
                try expectSymbol(")")
                guard let alias = try parseAlias() else { throw syntaxError() }
                let columns = isSymbol("(") ? try parseIdentifierList() : []
                return .derived(query, alias: alias, columns: columns)
            }
            if accept("VALUES") {
                let rows = try parseValueRows()
                try expectSymbol(")")
                guard let alias = try parseAlias() else { throw syntaxError() }
                let columns = isSymbol("(") ? try parseIdentifierList() : []
                return .values(rows, alias: alias, columns: columns)
            }
            let inner = try parseJoinedTable()
            try expectSymbol(")")
            return inner
        }
        if current.kind == .variable {
            let variable = advance().value
            return .variable(variable, alias: try parseAlias())
        }
        let name = try parseObjectName()
        if isSymbol("(") {
            let call = try parseFunctionCall(name: name)
            let alias = try parseAlias()
            let columns = alias != nil && isSymbol("(") ? try parseIdentifierList() : []
            return .function(call, alias: alias, columns: columns)
        }
        let alias = try parseAlias()
        return .table(name, alias: alias, hints: try parseTableHints())
    }

    /// Whether the tokens after one or more `(` begin a query.
    func startsQueryAhead() -> Bool {
        var ahead = 0
        while peek(ahead).isSymbol("(") { ahead += 1 }
        return peek(ahead).isWord("SELECT") || peek(ahead).isWord("WITH")
    }

    /// `WITH (NOLOCK, INDEX(ix), …)`; a `WITH` not followed by `(` is left alone (it may start a CTE).
    func parseTableHints() throws(TSQLSyntaxError) -> [TableHint] {
        guard isWord("WITH"), peek().isSymbol("(") else { return [] }
        advance()
        advance()
        var hints: [TableHint] = []
        repeat {
            let name = try parseAnyWord()
            var arguments: [Expression] = []
            if acceptSymbol("(") {
                arguments = try parseExpressionList()
                try expectSymbol(")")
            } else if acceptSymbol("=") {
                arguments = [try parseExpression()]
            }
            hints.append(TableHint(name, arguments: arguments))
        } while acceptSymbol(",")
        try expectSymbol(")")
        return hints
    }

    /// `(a, b), (c, DEFAULT), …` after `VALUES`.
    func parseValueRows() throws(TSQLSyntaxError) -> [[Expression]] {
        var rows: [[Expression]] = []
        repeat {
            try expectSymbol("(")
            var row = [try parseExpressionOrDefault()]
            while acceptSymbol(",") { row.append(try parseExpressionOrDefault()) }
            try expectSymbol(")")
            rows.append(row)
        } while acceptSymbol(",")
        return rows
    }
}
