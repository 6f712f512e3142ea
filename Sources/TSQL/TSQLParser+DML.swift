extension Parser {
    /// A table name with optional hints, or a table variable.
    private func parseDMLTarget() throws(TSQLSyntaxError) -> DMLTarget {
        if current.kind == .variable { return .variable(advance().value) }
        let name = try parseObjectName()
        return .table(name, hints: try parseTableHints())
    }

    private func parseOptionalTop() throws(TSQLSyntaxError) -> TopClause? {
        isWord("TOP") ? try parseTop(allowBareNumber: false) : nil
    }

    /// `OUTPUT items [INTO target [(columns)]]`.
    private func parseOutput() throws(TSQLSyntaxError) -> OutputClause? {
        guard accept("OUTPUT") else { return nil }
        var clause = OutputClause(items: try parseSelectItems())
        if accept("INTO") {
            clause.into = try parseDMLTarget()
            if isSymbol("("), !peek().isWord("SELECT") {
                clause.intoColumns = try parseIdentifierList()
            }
        }
        return clause
    }

    func parseInsert(commonTableExpressions: [CommonTableExpression]) throws(TSQLSyntaxError) -> InsertStatement {
        try expect("INSERT")
        let top = try parseOptionalTop()
        _ = accept("INTO")
        let target = try parseDMLTarget()
        var columns: [Identifier] = []
        if isSymbol("("), !(peek().isWord("SELECT") || peek().isWord("WITH")) {
            columns = try parseIdentifierList()
        }
        let output = try parseOutput()
        let source: InsertStatement.Source
        if accept("VALUES") {
            source = .values(try parseValueRows())
        } else if accept("DEFAULT") {
            try expect("VALUES")
            source = .defaultValues
        } else if isWord("EXEC") || isWord("EXECUTE") {
            advance()
            source = .execute(try parseExecuteBody(isImplicit: false))
        } else if isWord("SELECT") || isWord("WITH") || isSymbol("(") {
            source = .query(try parseQuery())
        } else {
            throw syntaxError()
        }
        return InsertStatement(
            commonTableExpressions: commonTableExpressions, top: top, target: target, columns: columns,
            output: output, source: source)
    }

    /// `col = value`, `t.col += value`, `@v = value`.
    private func parseSetClauses() throws(TSQLSyntaxError) -> [SetClause] {
        var clauses: [SetClause] = []
        repeat {
            let target: SetClause.Target
            if current.kind == .variable {
                target = .variable(advance().value)
            } else {
                let name = try parseObjectName()
                let table = name.partCount > 1 ? try objectName(from: Array(name.parts.dropLast())) : nil
                target = .column(ColumnReference(table: table, column: name.name))
            }
            guard current.kind == .symbol, let op = AssignmentOperator(rawValue: current.value) else {
                throw syntaxError()
            }
            advance()
            clauses.append(SetClause(target: target, operation: op, value: try parseExpressionOrDefault()))
        } while acceptSymbol(",")
        return clauses
    }

    func parseUpdate(commonTableExpressions: [CommonTableExpression]) throws(TSQLSyntaxError) -> UpdateStatement {
        try expect("UPDATE")
        let top = try parseOptionalTop()
        let target = try parseDMLTarget()
        try expect("SET")
        var statement = UpdateStatement(
            commonTableExpressions: commonTableExpressions, top: top, target: target,
            assignments: try parseSetClauses())
        statement.output = try parseOutput()
        if accept("FROM") { statement.from = try parseTableSources() }
        if accept("WHERE") { statement.whereClause = try parseExpression() }
        return statement
    }

    func parseDelete(commonTableExpressions: [CommonTableExpression]) throws(TSQLSyntaxError) -> DeleteStatement {
        try expect("DELETE")
        let top = try parseOptionalTop()
        _ = accept("FROM")
        var statement = DeleteStatement(
            commonTableExpressions: commonTableExpressions, top: top, target: try parseDMLTarget())
        statement.output = try parseOutput()
        if accept("FROM") { statement.from = try parseTableSources() }
        if accept("WHERE") { statement.whereClause = try parseExpression() }
        return statement
    }

    func parseMerge(commonTableExpressions: [CommonTableExpression]) throws(TSQLSyntaxError) -> MergeStatement {
        try expect("MERGE")
        _ = accept("INTO")
        let target = try parseObjectName()
        let alias = try parseAlias()
        try expect("USING")
        let source = try parseTableSources()
        guard source.count == 1 else { throw syntaxError() }
        try expect("ON")
        let condition = try parseExpression()
        var clauses: [MergeStatement.WhenClause] = []
        while accept("WHEN") {
            let match: MergeStatement.MatchKind
            if accept("MATCHED") {
                match = .matched
            } else {
                try expect("NOT")
                try expect("MATCHED")
                if accept("BY") {
                    if accept("SOURCE") {
                        match = .notMatchedBySource
                    } else {
                        try expect("TARGET")
                        match = .notMatchedByTarget
                    }
                } else {
                    match = .notMatchedByTarget
                }
            }
            let extra = accept("AND") ? try parseExpression() : nil
            try expect("THEN")
            let action: MergeStatement.Action
            if accept("UPDATE") {
                try expect("SET")
                action = .update(try parseSetClauses())
            } else if accept("DELETE") {
                action = .delete
            } else {
                try expect("INSERT")
                let columns = isSymbol("(") ? try parseIdentifierList() : []
                if accept("DEFAULT") {
                    try expect("VALUES")
                    action = .insert(columns: columns, values: nil)
                } else {
                    try expect("VALUES")
                    let rows = try parseValueRows()
                    guard rows.count == 1 else { throw syntaxError() }
                    action = .insert(columns: columns, values: rows[0])
                }
            }
            clauses.append(MergeStatement.WhenClause(match: match, condition: extra, action: action))
        }
        guard !clauses.isEmpty else { throw syntaxError() }
        return MergeStatement(
            commonTableExpressions: commonTableExpressions, target: target, targetAlias: alias, source: source[0],
            condition: condition, whenClauses: clauses, output: try parseOutput())
    }

    // MARK: - EXEC

    func parseExecute() throws(TSQLSyntaxError) -> Statement {
        advance()  // EXEC or EXECUTE
        if acceptSymbol("(") {
            let sql = try parseExpression()
            try expectSymbol(")")
            return .executeString(sql)
        }
        return .execute(try parseExecuteBody(isImplicit: false))
    }

    /// `[@rc =] procedure [argument, …]` after `EXEC`.
    func parseExecuteBody(isImplicit: Bool) throws(TSQLSyntaxError) -> ExecuteStatement {
        var returnVariable: String?
        if current.kind == .variable, peek().isSymbol("=") {
            returnVariable = advance().value
            advance()
        }
        let procedure: ExecuteStatement.Procedure
        if current.kind == .variable {
            procedure = .variable(advance().value)
        } else {
            procedure = .name(try parseObjectName())
        }
        var statement = ExecuteStatement(
            returnVariable: returnVariable, procedure: procedure, isImplicit: isImplicit)
        if canStartArgument {
            repeat {
                statement.arguments.append(try parseExecuteArgument())
            } while acceptSymbol(",")
        }
        return statement
    }

    private var canStartArgument: Bool {
        if isWord("DEFAULT") || isWord("NULL") { return true }
        if isBatchSeparator { return false }
        return canStartExpression && !isSymbol("(")
    }

    private func parseExecuteArgument() throws(TSQLSyntaxError) -> ExecuteArgument {
        var name: String?
        if current.kind == .variable, peek().isSymbol("=") {
            name = advance().value
            advance()
        }
        let value: Expression
        if accept("DEFAULT") {
            value = .default
        } else if (isIdentifier && current.kind == .word) || current.kind == .quotedIdentifier,
            !peek().isSymbol("."), !peek().isSymbol("(")
        {
            // SQL Server takes a bare name as a character string.
            value = .literal(.string(advance().value, isUnicode: true))
        } else {
            value = try parseUnary()
        }
        let isOutput = accept("OUTPUT") || accept("OUT")
        return ExecuteArgument(name: name, value: value, isOutput: isOutput)
    }
}
