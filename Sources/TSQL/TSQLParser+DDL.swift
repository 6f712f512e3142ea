extension Parser {
    func parseCreate(isFirstInBatch: Bool) throws(TSQLSyntaxError) -> Statement {
        let startIndex = index
        let createToken = advance()
        if accept("OR") {
            try expect("ALTER")
            return try parseModule(creation: .createOrAlter, isFirstInBatch: isFirstInBatch, at: createToken, startIndex: startIndex)
        }
        if accept("DATABASE") {
            return .createDatabase(name: try parseIdentifier())
        }
        if isWord("SCHEMA") {
            guard isFirstInBatch else { throw .mustBeFirst("CREATE SCHEMA", at: createToken.location) }
            advance()
            let name = try parseIdentifier()
            let owner = accept("AUTHORIZATION") ? try parseIdentifier() : nil
            return .createSchema(name: name, authorization: owner)
        }
        if accept("TYPE") {
            let name = try parseObjectName()
            try expect("FROM")
            let base = try parseDataType()
            return .createType(CreateTypeStatement(name: name, baseType: base, isNullable: try parseNullability()))
        }
        if accept("TABLE") {
            return .createTable(try parseCreateTable())
        }
        if isWord("UNIQUE") || isWord("CLUSTERED") || isWord("NONCLUSTERED") || isWord("INDEX") {
            return .createIndex(try parseCreateIndex())
        }
        if accept("SEQUENCE") {
            return .createSequence(try parseCreateSequence())
        }
        return try parseModule(creation: .create, isFirstInBatch: isFirstInBatch, at: createToken, startIndex: startIndex)
    }

    func parseAlter(isFirstInBatch: Bool) throws(TSQLSyntaxError) -> Statement {
        let startIndex = index
        let alterToken = advance()
        if accept("TABLE") { return .alterTable(try parseAlterTable()) }
        if accept("DATABASE") { return .alterDatabase(try parseAlterDatabase()) }
        return try parseModule(creation: .alter, isFirstInBatch: isFirstInBatch, at: alterToken, startIndex: startIndex)
    }

    /// `VIEW …` or `PROC[EDURE] …` after CREATE, ALTER or CREATE OR ALTER.
    private func parseModule(
        creation: ModuleCreation, isFirstInBatch: Bool, at start: TSQLToken, startIndex: Int
    ) throws(TSQLSyntaxError) -> Statement {
        if isWord("VIEW") {
            guard isFirstInBatch else {
                throw .mustBeFirst(creation == .alter ? "ALTER VIEW" : "CREATE VIEW", at: start.location)
            }
            advance()
            var view = CreateViewStatement(creation: creation, name: try parseObjectName(), query: Query(QuerySpecification(items: [])))
            if isSymbol("(") { view.columns = try parseIdentifierList() }
            if accept("WITH") { view.options = try parseModuleOptions() }
            try expect("AS")
            view.query = try parseQuery()
            if isWord("WITH"), peek().isWord("CHECK") {
                advance()
                advance()
                try expect("OPTION")
                view.withCheckOption = true
            }
            view.definition = text(fromToken: startIndex)
            // A view must be the only statement of its batch.
            var next = index
            while tokens[next].isSymbol(";") { next += 1 }
            guard tokens[next].kind == .endOfInput else { throw .near(tokens[next]) }
            return .createView(view)
        }
        if isWord("PROC") || isWord("PROCEDURE") {
            guard isFirstInBatch else { throw .mustBeFirst("CREATE/ALTER PROCEDURE", at: start.location) }
            advance()
            var procedure = CreateProcedureStatement(creation: creation, name: try parseObjectName(), body: [])
            procedure.parameters = try parseProcedureParameters()
            if accept("WITH") { procedure.options = try parseModuleOptions() }
            if accept("FOR") {
                try expect("REPLICATION")
                procedure.options.append("FOR REPLICATION")
            }
            try expect("AS")
            procedure.body = try parseStatementList()
            if !atEnd { throw .near(current) }
            procedure.definition = text(fromToken: startIndex)
            return .createProcedure(procedure)
        }
        if isWord("TRIGGER") {
            guard isFirstInBatch else {
                throw .mustBeFirst(creation == .alter ? "ALTER TRIGGER" : "CREATE TRIGGER", at: start.location)
            }
            advance()
            return .createTrigger(try parseTrigger(creation: creation, startIndex: startIndex))
        }
        if isWord("FUNCTION") {
            guard isFirstInBatch else {
                throw .mustBeFirst(creation == .alter ? "ALTER FUNCTION" : "CREATE FUNCTION", at: start.location)
            }
            advance()
            return .createFunction(try parseFunction(creation: creation, startIndex: startIndex))
        }
        throw syntaxError()
    }

    /// The rest of `CREATE TRIGGER name ON table …`, after TRIGGER. Only DML triggers (on a table
    /// or view) parse; a DDL trigger (`ON DATABASE`, `ON ALL SERVER`) is a syntax error here.
    private func parseTrigger(creation: ModuleCreation, startIndex: Int) throws(TSQLSyntaxError) -> CreateTriggerStatement {
        let name = try parseObjectName()
        try expect("ON")
        if isWord("DATABASE") || isWord("ALL") { throw syntaxError() }
        var trigger = CreateTriggerStatement(creation: creation, name: name, table: try parseObjectName(), events: [], body: [])
        if accept("WITH") { trigger.options = try parseModuleOptions() }
        if accept("AFTER") || accept("FOR") {
            trigger.timing = .after
        } else {
            try expect("INSTEAD")
            try expect("OF")
            trigger.timing = .insteadOf
        }
        repeat {
            guard current.kind == .word, let event = CreateTriggerStatement.Event(rawValue: current.value.uppercased()) else {
                throw syntaxError()
            }
            advance()
            trigger.events.append(event)
        } while acceptSymbol(",")
        trigger.notForReplication = try parseNotForReplication()
        try expect("AS")
        trigger.body = try parseStatementList()
        if !atEnd { throw .near(current) }
        trigger.definition = text(fromToken: startIndex)
        return trigger
    }

    /// The rest of `CREATE FUNCTION name (…) RETURNS …`, after FUNCTION.
    private func parseFunction(creation: ModuleCreation, startIndex: Int) throws(TSQLSyntaxError) -> CreateFunctionStatement {
        let name = try parseObjectName()
        guard isSymbol("(") else { throw syntaxError() }
        let parameters = try parseProcedureParameters()
        try expect("RETURNS")
        let returns: CreateFunctionStatement.Returns
        if current.kind == .variable {
            let variable = advance().value
            try expect("TABLE")
            returns = .tableVariable(variable, try parseTableElements())
        } else if accept("TABLE") {
            returns = .table
        } else {
            returns = .scalar(try parseDataType())
        }
        var function = CreateFunctionStatement(creation: creation, name: name, parameters: parameters, returns: returns)
        if accept("WITH") { function.options = try parseFunctionOptions() }
        _ = accept("AS")
        if case .table = returns {
            try expect("RETURN")
            if acceptSymbol("(") {
                function.query = try parseQuery()
                try expectSymbol(")")
            } else {
                function.query = try parseQuery()
            }
        } else {
            guard isWord("BEGIN") else { throw syntaxError() }
            let block = try parseStatement()
            guard case .block(let statements) = block.kind else { throw syntaxError() }
            function.body = statements
        }
        while acceptSymbol(";") {}
        if !atEnd { throw .near(current) }
        function.definition = text(fromToken: startIndex)
        return function
    }

    /// Function options after WITH: `SCHEMABINDING`, `RETURNS NULL ON NULL INPUT`, `INLINE = ON`,
    /// `EXECUTE AS CALLER`…, each upper-cased as one entry.
    private func parseFunctionOptions() throws(TSQLSyntaxError) -> [String] {
        var options: [String] = []
        repeat {
            if isWord("EXECUTE") || isWord("EXEC") {
                advance()
                try expect("AS")
                if current.kind == .string || current.kind == .unicodeString {
                    options.append("EXECUTE AS " + TSQLPrinter.stringLiteral(advance().value, isUnicode: false))
                } else {
                    options.append("EXECUTE AS \(try parseAnyWord().uppercased())")
                }
                continue
            }
            var words: [String] = []
            while current.kind == .word || isSymbol("="), !isWord("AS"), !isWord("BEGIN"), !isWord("RETURN") {
                words.append(advance().value.uppercased())
            }
            guard !words.isEmpty else { throw syntaxError() }
            options.append(words.joined(separator: " "))
        } while acceptSymbol(",")
        return options
    }

    /// The options of `CREATE SEQUENCE name …`, after the name, in any order.
    private func parseCreateSequence() throws(TSQLSyntaxError) -> CreateSequenceStatement {
        var sequence = CreateSequenceStatement(name: try parseObjectName())
        while true {
            if accept("AS") {
                sequence.dataType = try parseDataType()
            } else if accept("START") {
                try expect("WITH")
                sequence.start = try parseUnary()
            } else if accept("INCREMENT") {
                try expect("BY")
                sequence.increment = try parseUnary()
            } else if accept("MINVALUE") {
                sequence.minimum = try parseUnary()
            } else if accept("MAXVALUE") {
                sequence.maximum = try parseUnary()
            } else if accept("CYCLE") {
                sequence.isCycling = true
            } else if accept("CACHE") {
                sequence.cache = .cache(current.kind == .integer ? try parseUnary() : nil)
            } else if isWord("NO"), peek().isWord("MINVALUE") || peek().isWord("MAXVALUE") || peek().isWord("CYCLE") || peek().isWord("CACHE") {
                advance()
                let word = advance().value.uppercased()
                switch word {
                case "MINVALUE": sequence.minimum = nil
                case "MAXVALUE": sequence.maximum = nil
                case "CYCLE": sequence.isCycling = false
                default: sequence.cache = .noCache
                }
            } else {
                return sequence
            }
        }
    }

    /// `SCHEMABINDING, RECOMPILE, EXECUTE AS OWNER, …` after WITH.
    private func parseModuleOptions() throws(TSQLSyntaxError) -> [String] {
        var options: [String] = []
        repeat {
            var option = try parseAnyWord().uppercased()
            if option == "EXECUTE" || option == "EXEC" {
                try expect("AS")
                if current.kind == .string || current.kind == .unicodeString {
                    option = "EXECUTE AS " + TSQLPrinter.stringLiteral(advance().value, isUnicode: false)
                } else {
                    option = "EXECUTE AS \(try parseAnyWord().uppercased())"
                }
            }
            options.append(option)
        } while acceptSymbol(",")
        return options
    }

    private func parseProcedureParameters() throws(TSQLSyntaxError) -> [ProcedureParameter] {
        let parenthesized = acceptSymbol("(")
        var parameters: [ProcedureParameter] = []
        if current.kind == .variable {
            repeat {
                guard current.kind == .variable else { throw syntaxError() }
                let name = advance().value
                _ = accept("AS")
                var parameter = ProcedureParameter(name: name, type: try parseDataType())
                _ = accept("VARYING")
                if accept("NULL") {
                    // Accepted, as SQL Server does; parameters are always nullable.
                } else if isWord("NOT"), peek().isWord("NULL") {
                    advance()
                    advance()
                }
                if acceptSymbol("=") {
                    if current.kind == .word, !current.isReservedKeyword {
                        parameter.defaultValue = .literal(.string(advance().value, isUnicode: true))
                    } else {
                        parameter.defaultValue = try parseUnary()
                    }
                }
                parameter.isOutput = accept("OUTPUT") || accept("OUT")
                parameter.isReadOnly = accept("READONLY")
                parameters.append(parameter)
            } while acceptSymbol(",")
        }
        if parenthesized { try expectSymbol(")") }
        return parameters
    }

    /// `NULL` → true, `NOT NULL` → false, neither → nil.
    func parseNullability() throws(TSQLSyntaxError) -> Bool? {
        if accept("NULL") { return true }
        if isWord("NOT"), peek().isWord("NULL") {
            advance()
            advance()
            return false
        }
        return nil
    }

    // MARK: - CREATE TABLE

    private func parseCreateTable() throws(TSQLSyntaxError) -> CreateTableStatement {
        let name = try parseObjectName()
        var statement = CreateTableStatement(name: name, elements: try parseTableElements())
        while true {
            if accept("ON") {
                statement.fileGroup = try parseFileGroup()
            } else if accept("TEXTIMAGE_ON") {
                statement.textImageFileGroup = try parseFileGroup()
            } else {
                return statement
            }
        }
    }

    /// `(element, …)`.
    func parseTableElements() throws(TSQLSyntaxError) -> [TableElement] {
        try expectSymbol("(")
        var elements: [TableElement] = []
        repeat {
            if isSymbol(")") { break }  // SQL Server tolerates a trailing comma
            elements.append(try parseTableElement())
        } while acceptSymbol(",")
        try expectSymbol(")")
        return elements
    }

    private func parseTableElement() throws(TSQLSyntaxError) -> TableElement {
        if isWord("CONSTRAINT") || isWord("PRIMARY") || isWord("UNIQUE") || isWord("FOREIGN") || isWord("CHECK") {
            return .constraint(try parseConstraint(isTableLevel: true))
        }
        return .column(try parseColumnDefinition())
    }

    /// A filegroup name: a name, `[PRIMARY]`, `PRIMARY` or `"default"`.
    private func parseFileGroup() throws(TSQLSyntaxError) -> Identifier {
        if current.kind == .word, isWord("PRIMARY") || isWord("DEFAULT") { return Identifier(advance().value) }
        return try parseIdentifier()
    }

    func parseColumnDefinition() throws(TSQLSyntaxError) -> ColumnDefinition {
        let name = try parseIdentifier()
        var column = ColumnDefinition(name: name, dataType: nil)
        if accept("AS") {
            column.computedExpression = try parseExpression()
        } else {
            column.dataType = try parseDataType()
        }
        while true {
            if accept("COLLATE") {
                column.collation = try parseIdentifier()
            } else if let nullable = try parseNullability() {
                column.isNullable = nullable
            } else if accept("IDENTITY") {
                var identity = ColumnDefinition.Identity()
                if acceptSymbol("(") {
                    identity.seed = try parseUnary()
                    try expectSymbol(",")
                    identity.increment = try parseUnary()
                    try expectSymbol(")")
                }
                identity.notForReplication = try parseNotForReplication()
                column.identity = identity
            } else if accept("ROWGUIDCOL") {
                column.isRowGuidCol = true
            } else if accept("SPARSE") {
                column.isSparse = true
            } else if accept("PERSISTED") {
                column.isPersisted = true
            } else if isWord("CONSTRAINT") || isWord("DEFAULT") || isWord("PRIMARY") || isWord("UNIQUE")
                || isWord("REFERENCES") || isWord("FOREIGN") || isWord("CHECK")
            {
                column.constraints.append(try parseConstraint(isTableLevel: false))
            } else {
                return column
            }
        }
    }

    private func parseNotForReplication() throws(TSQLSyntaxError) -> Bool {
        guard isWord("NOT"), peek().isWord("FOR") else { return false }
        advance()
        advance()
        try expect("REPLICATION")
        return true
    }

    /// `[CONSTRAINT name] PRIMARY KEY|UNIQUE|FOREIGN KEY|REFERENCES|CHECK|DEFAULT …`.
    func parseConstraint(isTableLevel: Bool) throws(TSQLSyntaxError) -> TableConstraint {
        let name = accept("CONSTRAINT") ? try parseIdentifier() : nil
        if accept("PRIMARY") {
            try expect("KEY")
            return TableConstraint(name: name, kind: .primaryKey(try parseKey(isTableLevel: isTableLevel)))
        }
        if accept("UNIQUE") {
            return TableConstraint(name: name, kind: .unique(try parseKey(isTableLevel: isTableLevel)))
        }
        if accept("CHECK") {
            let notForReplication = try parseNotForReplication()
            try expectSymbol("(")
            let condition = try parseExpression()
            try expectSymbol(")")
            return TableConstraint(name: name, kind: .check(condition, notForReplication: notForReplication))
        }
        if accept("DEFAULT") {
            let value = try parseExpression()
            let column = isTableLevel && accept("FOR") ? try parseIdentifier() : nil
            var withValues = false
            if isWord("WITH"), peek().isWord("VALUES") {
                advance()
                advance()
                withValues = true
            }
            return TableConstraint(name: name, kind: .default(value, forColumn: column, withValues: withValues))
        }
        var columns: [Identifier] = []
        if accept("FOREIGN") {
            try expect("KEY")
            if isSymbol("(") {
                columns = try parseIdentifierList()
            } else if isTableLevel {
                throw syntaxError()
            }
        }
        try expect("REFERENCES")
        var key = ForeignKeyConstraint(columns: columns, referencedTable: try parseObjectName())
        if isSymbol("(") { key.referencedColumns = try parseIdentifierList() }
        while isWord("ON"), peek().isWord("DELETE") || peek().isWord("UPDATE") {
            advance()
            let isDelete = advance().isWord("DELETE")
            let action: ReferentialAction
            if accept("CASCADE") {
                action = .cascade
            } else if accept("NO") {
                try expect("ACTION")
                action = .noAction
            } else {
                try expect("SET")
                if accept("NULL") {
                    action = .setNull
                } else {
                    try expect("DEFAULT")
                    action = .setDefault
                }
            }
            if isDelete { key.onDelete = action } else { key.onUpdate = action }
        }
        key.notForReplication = try parseNotForReplication()
        return TableConstraint(name: name, kind: .foreignKey(key))
    }

    /// The rest of a PRIMARY KEY or UNIQUE constraint.
    private func parseKey(isTableLevel: Bool) throws(TSQLSyntaxError) -> KeyConstraint {
        var key = KeyConstraint()
        if accept("CLUSTERED") {
            key.clustering = .clustered
        } else if accept("NONCLUSTERED") {
            key.clustering = .nonclustered
        }
        if isSymbol("(") {
            key.columns = try parseIndexColumns()
        } else if isTableLevel {
            throw syntaxError()
        }
        key.options = try parseIndexOptions()
        if isWord("ON"), !(peek().isWord("DELETE") || peek().isWord("UPDATE")) {
            advance()
            key.fileGroup = try parseFileGroup()
        }
        return key
    }

    private func parseIndexColumns() throws(TSQLSyntaxError) -> [IndexColumn] {
        try expectSymbol("(")
        var columns: [IndexColumn] = []
        repeat {
            let name = try parseIdentifier()
            let direction: SortDirection? = accept("ASC") ? .ascending : accept("DESC") ? .descending : nil
            columns.append(IndexColumn(name, direction: direction))
        } while acceptSymbol(",")
        try expectSymbol(")")
        return columns
    }

    /// `WITH (name = value, …)` or the legacy `WITH FILLFACTOR = n`.
    private func parseIndexOptions() throws(TSQLSyntaxError) -> [IndexOption] {
        guard isWord("WITH"), peek().isSymbol("(") || peek().isWord("FILLFACTOR") else { return [] }
        advance()
        if accept("FILLFACTOR") {
            try expectSymbol("=")
            return [IndexOption(name: "FILLFACTOR", value: try parseOptionValue())]
        }
        try expectSymbol("(")
        var options: [IndexOption] = []
        repeat {
            let name = try parseAnyWord()
            try expectSymbol("=")
            options.append(IndexOption(name: name, value: try parseOptionValue()))
        } while acceptSymbol(",")
        try expectSymbol(")")
        return options
    }

    /// `ON`, `OFF`, a word, or a constant.
    func parseOptionValue() throws(TSQLSyntaxError) -> OptionValue {
        if accept("ON") { return .on }
        if accept("OFF") { return .off }
        if current.kind == .word, !["NULL", "DEFAULT"].contains(current.value.uppercased()),
            !peek().isSymbol("(")
        {
            return .word(advance().value.uppercased())
        }
        return .expression(try parseAdditive())
    }

    // MARK: - CREATE INDEX

    private func parseCreateIndex() throws(TSQLSyntaxError) -> CreateIndexStatement {
        let isUnique = accept("UNIQUE")
        let clustering: IndexClustering? =
            accept("CLUSTERED") ? .clustered : accept("NONCLUSTERED") ? .nonclustered : nil
        try expect("INDEX")
        let name = try parseIdentifier()
        try expect("ON")
        let table = try parseObjectName()
        var statement = CreateIndexStatement(
            isUnique: isUnique, clustering: clustering, name: name, table: table, columns: try parseIndexColumns())
        if accept("INCLUDE") { statement.includedColumns = try parseIdentifierList() }
        if accept("WHERE") { statement.filter = try parseExpression() }
        statement.options = try parseIndexOptions()
        if accept("ON") { statement.fileGroup = try parseFileGroup() }
        return statement
    }

    // MARK: - ALTER

    private func parseAlterTable() throws(TSQLSyntaxError) -> AlterTableStatement {
        let table = try parseObjectName()
        var withCheck: Bool?
        if isWord("WITH"), peek().isWord("CHECK") || peek().isWord("NOCHECK") {
            advance()
            withCheck = advance().isWord("CHECK")
        }
        if accept("ADD") {
            var elements: [TableElement] = []
            repeat {
                if isWord("CONSTRAINT") || isWord("PRIMARY") || isWord("UNIQUE") || isWord("FOREIGN")
                    || isWord("CHECK") || isWord("DEFAULT")
                {
                    elements.append(.constraint(try parseConstraint(isTableLevel: true)))
                } else {
                    elements.append(.column(try parseColumnDefinition()))
                }
            } while acceptSymbol(",")
            return AlterTableStatement(table: table, action: .add(elements, withCheck: withCheck))
        }
        if isWord("CHECK") || isWord("NOCHECK") {
            let enable = advance().isWord("CHECK")
            try expect("CONSTRAINT")
            var names: [Identifier] = []
            if !accept("ALL") {
                repeat { names.append(try parseIdentifier()) } while acceptSymbol(",")
            }
            return AlterTableStatement(
                table: table, action: .setConstraintsEnabled(enable, names: names, withCheck: withCheck))
        }
        guard withCheck == nil else { throw syntaxError() }
        if accept("DROP") {
            var kind = AlterTableStatement.DropElement.Kind.constraint
            var elements: [AlterTableStatement.DropElement] = []
            repeat {
                if accept("COLUMN") {
                    kind = .column
                } else if accept("CONSTRAINT") {
                    kind = .constraint
                }
                var ifExists = false
                if isWord("IF"), peek().isWord("EXISTS") {
                    advance()
                    advance()
                    ifExists = true
                }
                elements.append(.init(kind: kind, ifExists: ifExists, name: try parseIdentifier()))
            } while acceptSymbol(",")
            return AlterTableStatement(table: table, action: .drop(elements))
        }
        if accept("ALTER") {
            try expect("COLUMN")
            let name = try parseIdentifier()
            let type = try parseDataType()
            let collation = accept("COLLATE") ? try parseIdentifier() : nil
            return AlterTableStatement(
                table: table,
                action: .alterColumn(name: name, type: type, collation: collation, isNullable: try parseNullability()))
        }
        throw syntaxError()
    }

    private func parseAlterDatabase() throws(TSQLSyntaxError) -> AlterDatabaseStatement {
        let database: Identifier? = accept("CURRENT") ? nil : try parseIdentifier()
        try expect("SET")
        var statement = AlterDatabaseStatement(database: database, options: [])
        repeat {
            let name = try parseAnyWord()
            var value: OptionValue?
            _ = acceptSymbol("=")  // DELAYED_DURABILITY = FORCED
            if !(isSymbol(",") || isSymbol(";") || isWord("WITH") || atEnd || startsStatement) {
                value = try parseOptionValue()
            }
            statement.options.append(.init(name: name, value: value))
        } while acceptSymbol(",")
        if accept("WITH") {
            var words: [String] = []
            while current.kind == .word || current.kind == .integer, !startsStatement || words.isEmpty {
                words.append(advance().value.uppercased())
            }
            guard !words.isEmpty else { throw syntaxError() }
            statement.termination = words.joined(separator: " ")
        }
        return statement
    }

    /// Whether the current word begins a statement (ends a list of option words).
    private var startsStatement: Bool {
        guard current.kind == .word else { return false }
        return [
            "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE", "USE", "EXEC",
            "EXECUTE", "SET", "DECLARE", "IF", "BEGIN", "WHILE", "RETURN", "PRINT", "RAISERROR", "THROW", "COMMIT",
            "ROLLBACK", "SAVE", "WAITFOR", "WITH", "GO", "END", "ELSE",
        ].contains(current.value.uppercased())
    }

    // MARK: - DROP

    func parseDrop() throws(TSQLSyntaxError) -> DropStatement {
        try expect("DROP")
        let word = try parseAnyWord().uppercased()
        let kind: DropStatement.ObjectKind
        switch word {
        case "PROC", "PROCEDURE": kind = .procedure
        default:
            guard let known = DropStatement.ObjectKind(rawValue: word) else { throw .near(tokens[index - 1]) }
            kind = known
        }
        var statement = DropStatement(kind: kind, targets: [])
        if isWord("IF"), peek().isWord("EXISTS") {
            advance()
            advance()
            statement.ifExists = true
        }
        repeat {
            let name = kind == .schema || kind == .database
                ? ObjectName(name: try parseIdentifier()) : try parseObjectName()
            var target = DropStatement.Target(name: name)
            if kind == .index, accept("ON") {
                target.table = try parseObjectName()
            }
            statement.targets.append(target)
        } while acceptSymbol(",")
        return statement
    }
}
