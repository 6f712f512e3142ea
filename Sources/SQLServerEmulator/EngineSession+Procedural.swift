import Postgres
import TSQL

extension EngineSession {
    // MARK: Variables and expressions

    func declare(_ declarations: [VariableDeclaration]) async throws {
        for declaration in declarations {
            let key = declaration.name.lowercased()
            if variables[key] != nil {
                throw SQLServerError(
                    code: .variableRedeclared, severity: 15,
                    message: "The variable name '\(declaration.name)' has already been declared. Variable names must be unique within a query batch or stored procedure.",
                    abortsBatch: true)
            }
            let type = try await translator.resolveType(declaration.type)
            variables[key] = Variable(type: type, text: nil)
            if let initial = declaration.initialValue {
                // Evaluate before mutating: the evaluation reads `variables`.
                let value = try await evaluate(initial, as: type)
                variables[key]?.text = value
            }
        }
    }

    func assign(_ name: String, _ op: AssignmentOperator, _ value: Expression) async throws {
        let key = name.lowercased()
        guard let variable = variables[key] else { throw SQLServerError.undeclaredVariable(name) }
        var expression = value
        if op != .assign {
            let binary: BinaryOperator
            switch op {
            case .add: binary = .add
            case .subtract: binary = .subtract
            case .multiply: binary = .multiply
            case .divide: binary = .divide
            case .modulo: binary = .modulo
            case .bitwiseAnd: binary = .bitwiseAnd
            case .bitwiseOr: binary = .bitwiseOr
            case .bitwiseXor: binary = .bitwiseXor
            case .assign: binary = .add
            }
            expression = .binary(.variable(name), binary, value)
        }
        let newValue = try await evaluate(expression, as: variable.type)
        variables[key]?.text = newValue
    }

    /// Evaluates a scalar expression in PostgreSQL, converted to `type`; returns PostgreSQL's text
    /// of the value (nil for NULL).
    func evaluate(_ expression: Expression, as type: SQLServerType) async throws -> String? {
        let translator = self.translator
        let scope = Scope(sources: [], parent: nil)
        let translated = try await translator.expression(expression, scope: scope)
        var sql = translator.convert(translated, to: type, style: nil, implicit: true).sql
        if type.isCharacter, let limit = type.characterLimit {
            sql = "left(\(sql), \(limit))"
        }
        if type.base == .datetimeoffset { sql = "sqlserver_catalog.datetimeoffset_text(\(sql))" }
        let finalSQL = "SELECT (\(sql))::text"
        let rows = try await atomically { try await self.connection.query(finalSQL) }
        return try rows.first?.decode(String?.self, at: 0)
    }

    /// Evaluates an IF or WHILE condition; unknown counts as false.
    func evaluateCondition(_ condition: Expression) async throws -> Bool {
        let translator = self.translator
        let sql = try await translator.condition(condition, scope: Scope(sources: [], parent: nil))
        let rows = try await atomically { try await self.connection.query("SELECT coalesce((\(sql)), false)") }
        return try rows[0].decode(Bool.self, at: 0)
    }

    // MARK: Errors raised by the batch

    /// RAISERROR: an error for severity 11 and up; for 10 and below, the informational message
    /// to report (substitution arguments are not applied).
    func raise(_ statement: RaiserrorStatement) async throws -> SQLServerError? {
        let format = try await evaluate(statement.message, as: .nvarchar(2047)) ?? ""
        var arguments: [String?] = []
        for argument in statement.arguments { arguments.append(try await evaluate(argument, as: .nvarcharMax)) }
        let message = String(RaiserrorFormat.format(format, arguments: arguments).prefix(2047))
        let severity = Int(try await evaluate(statement.severity, as: .int) ?? "16") ?? 16
        let state = Int(try await evaluate(statement.state, as: .int) ?? "1") ?? 1
        let error = SQLServerError(code: .init(50000), severity: severity, state: state, message: message)
        if severity <= 10 { return error }
        throw error
    }

    func throwError(_ arguments: ThrowArguments?) async throws {
        guard let arguments else {
            guard var error = caughtErrors.last else {
                throw SQLServerError(
                    code: .init(10704), severity: 15,
                    message: "To rethrow an error, a THROW statement must be used inside a CATCH block.", abortsBatch: true)
            }
            error.abortsBatch = true
            throw error
        }
        let number = Int(try await evaluate(arguments.number, as: .int) ?? "50000") ?? 50000
        let message = try await evaluate(arguments.message, as: .nvarchar(2048)) ?? ""
        let state = Int(try await evaluate(arguments.state, as: .int) ?? "1") ?? 1
        throw SQLServerError(code: .init(number), severity: 16, state: state, message: message, abortsBatch: true)
    }

    // MARK: SELECT

    func select(_ query: Query, into results: inout [EngineResult]) async throws {
        if case .select(let specification) = query.body,
            !specification.items.isEmpty,
            specification.items.allSatisfy({ if case .assignment = $0 { true } else { false } })
        {
            try await selectIntoVariables(specification, query: query)
            return
        }
        tableLocks.reset()
        let translator = self.translator
        let translated = try await translator.query(query, parent: nil, topLevel: true)
        if let output {
            try await flush(&results)
            let count = try await atomically { try await self.withTableHintLocks(readOnly: true) { try await self.stream(translated, to: output) } }
            reportRowCount(count, into: &results)
            return
        }
        let rows = try await atomically { try await self.withTableHintLocks(readOnly: true) { try await self.connection.query(translated.sql) } }
        let resultSet = try Self.resultSet(rows, columns: translated.columns)
        results.append(.resultSet(resultSet))
        reportRowCount(resultSet.rows.count, into: &results)
    }

    /// Streams a query's rows to `output` through a PostgreSQL cursor, a chunk at a time, inside
    /// the statement's transaction; returns the row count.
    private func stream(_ translated: TranslatedQuery, to output: any EngineOutput) async throws -> Int {
        let cursor = "sqlserver_result"
        try await connection.execute("DECLARE \(cursor) NO SCROLL CURSOR FOR \(translated.sql)")
        let fetch = "FETCH FORWARD \(Self.streamingChunkSize) FROM \(cursor)"
        var columns: [ResultColumn]?
        var count = 0
        while true {
            if output.isCancelled { throw CancellationError() }
            let rows = try await connection.execute(fetch)
            let resultColumns: [ResultColumn]
            if let columns {
                resultColumns = columns
            } else {
                resultColumns = Self.resultColumns(rows, columns: translated.columns)
                columns = resultColumns
                try await output.beginResultSet(resultColumns)
            }
            if !rows.isEmpty { try await output.writeRows(try Self.decodeRows(rows, columns: resultColumns)) }
            count += rows.count
            if rows.count < Self.streamingChunkSize { break }
        }
        try await connection.execute("CLOSE \(cursor)")
        return count
    }

    /// `SELECT @a = x, @b = y FROM …`: the variables take the last row's values.
    private func selectIntoVariables(_ specification: QuerySpecification, query: Query) async throws {
        var itemQuery = query
        var plain = specification
        var targets: [(String, AssignmentOperator)] = []
        plain.items = specification.items.map { item in
            guard case .assignment(let variable, let op, let expression) = item else { return item }
            targets.append((variable, op))
            if op == .assign { return .expression(expression, alias: nil) }
            return .expression(.binary(.variable(variable), Self.binaryOperator(op), expression), alias: nil)
        }
        itemQuery.body = .select(plain)
        let translator = self.translator
        let translated = try await translator.query(itemQuery, parent: nil)
        var casts: [String] = []
        for (index, target) in targets.enumerated() {
            guard let variable = variables[target.0.lowercased()] else { throw SQLServerError.undeclaredVariable(target.0) }
            let column = TranslatedExpression(sql: "s.c\(index + 1)", type: translated.columns[index].type)
            var sql = translator.convert(column, to: variable.type, style: nil, implicit: true).sql
            if variable.type.base == .datetimeoffset { sql = "sqlserver_catalog.datetimeoffset_text(\(sql))" }
            casts.append("(\(sql))::text")
        }
        let sql = "SELECT \(casts.joined(separator: ", ")) FROM (\(translated.sql)) AS s"
        let rows = try await atomically { try await self.connection.query(sql) }
        rowCount = rows.count
        guard let last = rows.last else { return }
        for (index, target) in targets.enumerated() {
            variables[target.0.lowercased()]?.text = try last.decode(String?.self, at: index)
        }
    }

    static func binaryOperator(_ op: AssignmentOperator) -> BinaryOperator {
        switch op {
        case .add, .assign: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        case .modulo: .modulo
        case .bitwiseAnd: .bitwiseAnd
        case .bitwiseOr: .bitwiseOr
        case .bitwiseXor: .bitwiseXor
        }
    }

    /// Decodes PostgreSQL rows into a result set; columns PostgreSQL alone typed get a SQL Server
    /// type from the PostgreSQL type.
    static func resultSet(_ rows: PostgresRows, columns: [BoundColumn]) throws -> ResultSet {
        let resultColumns = resultColumns(rows, columns: columns)
        return ResultSet(columns: resultColumns, rows: try decodeRows(rows, columns: resultColumns))
    }

    /// The result columns of a query; a column only PostgreSQL typed takes its type from `rows`
    /// (for a streamed result, its first chunk).
    static func resultColumns(_ rows: PostgresRows, columns: [BoundColumn]) -> [ResultColumn] {
        columns.enumerated().map { index, column in
            ResultColumn(
                name: column.name, type: column.type ?? inferredType(rows, column: index), isNullable: column.isNullable,
                isIdentity: column.isIdentity)
        }
    }

    /// Decodes PostgreSQL's text values as the columns' SQL Server types.
    static func decodeRows(_ rows: PostgresRows, columns resultColumns: [ResultColumn]) throws -> [[SQLServerValue]] {
        var values: [[SQLServerValue]] = []
        values.reserveCapacity(rows.count)
        for row in rows {
            var rowValues: [SQLServerValue] = []
            rowValues.reserveCapacity(resultColumns.count)
            for (index, column) in resultColumns.enumerated() {
                guard let text = try row.decode(String?.self, at: index) else {
                    rowValues.append(.null)
                    continue
                }
                rowValues.append(SQLServerValue.decode(postgresText: text, as: column.type) ?? .string(text))
            }
            values.append(rowValues)
        }
        return values
    }

    /// A SQL Server type for a column only PostgreSQL typed (NULL literals, some functions).
    static func inferredType(_ rows: PostgresRows, column: Int) -> SQLServerType {
        switch rows.columns[column].dataType {
        case .int2: return SQLServerType(.smallint)
        case .int4: return .int
        case .int8: return .bigint
        case .bool: return .bit
        case .float4: return SQLServerType(.real)
        case .float8: return .float
        case .numeric:
            var scale = 0
            for row in rows {
                if let text = try? row.decode(String?.self, at: column), let dot = text.firstIndex(of: ".") {
                    scale = max(scale, text.distance(from: dot, to: text.endIndex) - 1)
                }
            }
            return .decimal(38, min(scale, 38))
        case .date: return SQLServerType(.date)
        case .time: return SQLServerType(.time, scale: 7)
        case .timestamp, .timestamptz: return SQLServerType(.datetime2, scale: 7)
        case .uuid: return .uniqueidentifier
        case .bytea: return SQLServerType(.varbinary, length: .max)
        case .xml: return SQLServerType(.xml)
        default: return SQLServerType(.int)
        }
    }

    // MARK: SET IDENTITY_INSERT

    func setIdentityInsert(_ name: ObjectName, isOn: Bool) async throws {
        let translator = self.translator
        let table = try await atomically { try await translator.resolveTable(name) }
        guard table.definition.identityColumn != nil else {
            throw SQLServerError(
                code: .init(8106),
                message: "Table '\(table.twoPartName)' does not have the identity property. Cannot perform SET operation.")
        }
        if isOn {
            if let current = identityInsertTable, current.objectID != table.objectID || current.databaseID != table.database.id {
                throw SQLServerError(
                    code: .identityInsertAlreadyOn,
                    message: "IDENTITY_INSERT is already ON for table '\(current.name)'. Cannot perform SET operation for table '\(table.threePartName)'.")
            }
            identityInsertTable = (table.database.id, table.objectID, table.threePartName)
        } else if identityInsertTable?.objectID == table.objectID {
            identityInsertTable = nil
        }
    }

    // MARK: Databases

    func createDatabase(_ name: String) async throws {
        try await atomically {
            if try await self.catalog.database(named: name) != nil { throw SQLServerError.databaseAlreadyExists(name) }
            _ = try await self.catalog.createDatabase(named: name)
        }
    }

    func use(_ name: String, into results: inout [EngineResult], line: Int) async throws {
        guard let record = try await atomically({ try await self.catalog.database(named: name) }) else {
            throw SQLServerError.databaseDoesNotExist(name)
        }
        databaseRecord = record
        database = SessionDatabase(id: record.id, name: record.name)
        results.append(
            .message(InfoMessage(number: 5701, severity: 0, text: "Changed database context to '\(record.name)'.", line: line)))
    }
}
