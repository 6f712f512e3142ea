extension Parser {
    // MARK: - SET

    func parseSet() throws(TSQLSyntaxError) -> Statement {
        try expect("SET")
        if current.kind == .variable {
            let variable = advance().value
            guard current.kind == .symbol, let op = AssignmentOperator(rawValue: current.value) else {
                throw syntaxError()
            }
            advance()
            return .setVariable(variable: variable, op, try parseExpression())
        }
        if accept("TRANSACTION") {
            try expect("ISOLATION")
            try expect("LEVEL")
            return .setTransactionIsolationLevel(try parseIsolationLevel())
        }
        if accept("IDENTITY_INSERT") {
            let table = try parseObjectName()
            if accept("ON") { return .setIdentityInsert(table: table, isOn: true) }
            try expect("OFF")
            return .setIdentityInsert(table: table, isOn: false)
        }
        var names: [String] = []
        repeat {
            var name = try parseAnyWord().uppercased()
            if name == "STATISTICS" || name == "OFFSETS" && !isSymbol(",") {
                name += " " + (try parseAnyWord().uppercased())
            }
            names.append(name)
        } while acceptSymbol(",")
        return .setOption(names: names, value: try parseOptionValue())
    }

    private func parseIsolationLevel() throws(TSQLSyntaxError) -> IsolationLevel {
        if accept("READ") {
            if accept("UNCOMMITTED") { return .readUncommitted }
            try expect("COMMITTED")
            return .readCommitted
        }
        if accept("REPEATABLE") {
            try expect("READ")
            return .repeatableRead
        }
        if accept("SNAPSHOT") { return .snapshot }
        try expect("SERIALIZABLE")
        return .serializable
    }

    // MARK: - DECLARE

    func parseDeclare() throws(TSQLSyntaxError) -> Statement {
        try expect("DECLARE")
        var declarations: [VariableDeclaration] = []
        repeat {
            guard current.kind == .variable else { throw syntaxError() }
            let name = advance().value
            _ = accept("AS")
            if declarations.isEmpty, accept("TABLE") {
                return .declareTable(variable: name, elements: try parseTableElements())
            }
            let type = try parseDataType()
            let initial = acceptSymbol("=") ? try parseExpression() : nil
            declarations.append(VariableDeclaration(name: name, type: type, initialValue: initial))
        } while acceptSymbol(",")
        return .declare(declarations)
    }

    // MARK: - Control of flow

    func parseIf() throws(TSQLSyntaxError) -> Statement {
        try expect("IF")
        let condition = try parseExpression()
        let then = try parseStatement()
        // `IF c SELECT 1; ELSE SELECT 2` is valid: the `;` ends the THEN statement only.
        var lookahead = index
        while tokens[lookahead].isSymbol(";") { lookahead += 1 }
        if tokens[lookahead].isWord("ELSE") {
            index = lookahead + 1
            return .if(condition: condition, then: then, else: try parseStatement())
        }
        return .if(condition: condition, then: then, else: nil)
    }

    func parseBegin() throws(TSQLSyntaxError) -> Statement {
        try expect("BEGIN")
        if accept("TRAN") || accept("TRANSACTION") {
            return .beginTransaction(name: try parseTransactionName())
        }
        if accept("TRY") {
            let tryBody = try parseStatementList()
            try expect("END")
            try expect("TRY")
            try expect("BEGIN")
            try expect("CATCH")
            let catchBody = try parseStatementList()
            try expect("END")
            try expect("CATCH")
            return .tryCatch(try: tryBody, catch: catchBody)
        }
        let body = try parseStatementList()
        try expect("END")
        return .block(body)
    }

    /// A transaction or savepoint name: a word or a variable.
    func parseTransactionName() throws(TSQLSyntaxError) -> String? {
        if current.kind == .variable { return advance().value }
        if isIdentifier, !isBatchSeparator, !Self.unreservedStatementWords.contains(current.value.uppercased()) {
            return advance().value
        }
        return nil
    }

    /// `[TRAN|TRANSACTION [name] | WORK]` after COMMIT or ROLLBACK.
    func parseTransactionTail() throws(TSQLSyntaxError) -> String? {
        if accept("WORK") { return nil }
        if accept("TRAN") || accept("TRANSACTION") { return try parseTransactionName() }
        return nil
    }

    /// COMMIT's `WITH (DELAYED_DURABILITY = ON|OFF)`; nil when absent (a `WITH` not followed by
    /// `(` starts the next statement's common table expression).
    func parseDelayedDurability() throws(TSQLSyntaxError) -> Bool? {
        guard isWord("WITH"), peek().isSymbol("(") else { return nil }
        advance()
        try expectSymbol("(")
        try expect("DELAYED_DURABILITY")
        try expectSymbol("=")
        let value: Bool
        if accept("ON") {
            value = true
        } else {
            try expect("OFF")
            value = false
        }
        try expectSymbol(")")
        return value
    }

    func parseRaiserror() throws(TSQLSyntaxError) -> RaiserrorStatement {
        try expect("RAISERROR")
        try expectSymbol("(")
        let message = try parseExpression()
        try expectSymbol(",")
        let severity = try parseExpression()
        try expectSymbol(",")
        var statement = RaiserrorStatement(message: message, severity: severity, state: try parseExpression())
        while acceptSymbol(",") { statement.arguments.append(try parseExpression()) }
        try expectSymbol(")")
        if accept("WITH") {
            repeat {
                statement.options.append(try parseAnyWord().uppercased())
            } while acceptSymbol(",")
        }
        return statement
    }

    func parseThrow() throws(TSQLSyntaxError) -> Statement {
        advance()  // THROW
        guard canStartExpression else { return .throw(nil) }
        let number = try parseExpression()
        try expectSymbol(",")
        let message = try parseExpression()
        try expectSymbol(",")
        return .throw(ThrowArguments(number: number, message: message, state: try parseExpression()))
    }
}
