import TSQL

/// A parameter of a remote procedure call (a TDS RPC request).
public struct RPCParameter: Hashable, Sendable {
    /// The parameter name with its `@`, or nil for a positional parameter.
    public var name: String?
    /// The value.
    public var value: SQLServerValue
    /// The value's type as the client declared it.
    public var type: SQLServerType
    /// Whether the client wants the parameter's final value back.
    public var isOutput: Bool

    /// Creates a parameter.
    public init(name: String? = nil, value: SQLServerValue, type: SQLServerType, isOutput: Bool = false) {
        self.name = name
        self.value = value
        self.type = type
        self.isOutput = isOutput
    }
}

/// What a remote procedure call returns: its results, its return status and OUTPUT parameters.
public struct RPCOutcome: Hashable, Sendable {
    /// An OUTPUT parameter's final value.
    public struct OutputParameter: Hashable, Sendable {
        /// The parameter name with its `@`.
        public var name: String
        /// The final value.
        public var value: SQLServerValue
        /// The parameter's type.
        public var type: SQLServerType

        /// Creates an output parameter.
        public init(name: String, value: SQLServerValue, type: SQLServerType) {
            self.name = name
            self.value = value
            self.type = type
        }
    }

    /// Result sets, row counts, messages and errors, in order.
    public var results: [EngineResult]
    /// The procedure's RETURN value (0 when it returns none); nil when the call failed before running.
    public var returnStatus: Int?
    /// OUTPUT parameters, in the order the client sent them.
    public var outputParameters: [OutputParameter]
}

extension EngineSession {
    /// Runs a remote procedure call: `sp_executesql` (statement, parameter declarations, values) or
    /// a stored procedure, with every result set materialized.
    ///
    /// - Throws: ``PostgresError`` only when PostgreSQL itself fails.
    public func execute(procedure: String, parameters: [RPCParameter]) async throws -> RPCOutcome {
        var results: [EngineResult] = []
        var outcome = try await runRPC(procedure, parameters: parameters, into: &results)
        outcome.results = results.filter { if case .transaction = $0 { false } else { true } }
        return outcome
    }

    /// Runs a remote procedure call, streaming its results to `output` (see ``EngineOutput``); the
    /// outcome's `results` is then empty.
    ///
    /// - Throws: whatever `output` throws (a cancelled client); ``PostgresError`` when PostgreSQL
    ///   itself fails.
    public func execute(procedure: String, parameters: [RPCParameter], output: any EngineOutput) async throws -> RPCOutcome {
        self.output = output
        defer { self.output = nil }
        var results: [EngineResult] = []
        let outcome = try await runRPC(procedure, parameters: parameters, into: &results)
        try await flush(&results)
        return outcome
    }

    private func runRPC(_ procedure: String, parameters: [RPCParameter], into results: inout [EngineResult]) async throws -> RPCOutcome {
        defer { noteTransactionState(into: &results) }
        let name: ObjectName
        do {
            // A procedure name parses like a (possibly schema-qualified) type name.
            let parsed = try TSQLParser.parseDataType(procedure)
            name = parsed.name
        } catch {
            results.append(.error(SQLServerError(syntaxError: error)))
            return RPCOutcome(results: [], returnStatus: nil, outputParameters: [])
        }
        do {
            if Self.isExecuteSQL(name) {
                let outputs = try await executeSQL(parameters, into: &results)
                return RPCOutcome(results: [], returnStatus: 0, outputParameters: outputs)
            }
            let arguments = parameters.map { parameter in
                ProcedureArgument(
                    name: parameter.name, value: .value(Variable(type: parameter.type, text: parameter.value.postgresText)),
                    isOutput: parameter.isOutput)
            }
            let outcome = try await runProcedure(name, arguments: arguments, into: &results)
            var outputs: [RPCOutcome.OutputParameter] = []
            for (index, parameter) in parameters.enumerated() where parameter.isOutput {
                let variable = outcome.outputs[index]
                let value = variable.flatMap { v in v.text.flatMap { SQLServerValue.decode(postgresText: $0, as: v.type) } } ?? .null
                outputs.append(.init(name: parameter.name ?? "", value: value, type: variable?.type ?? parameter.type))
            }
            return RPCOutcome(results: [], returnStatus: outcome.returnStatus, outputParameters: outputs)
        } catch var error as SQLServerError {
            if !error.isLocated { error.procedure = procedureStack.last }
            results.append(.error(error))
        } catch is BatchAbort {
        }
        return RPCOutcome(results: [], returnStatus: nil, outputParameters: [])
    }

    /// `sp_executesql @stmt, @params, @p1 = …`: runs the statement with the declared parameters as
    /// its variables.
    private func executeSQL(_ parameters: [RPCParameter], into results: inout [EngineResult]) async throws
        -> [RPCOutcome.OutputParameter]
    {
        guard case .string(let statementText)? = parameters.first?.value else {
            throw SQLServerError(
                code: .init(214), message: "Procedure expects parameter '@statement' of type 'ntext/nchar/nvarchar'.",
                abortsBatch: true)
        }
        var declared: [ProcedureParameter] = []
        if parameters.count > 1, case .string(let definitions) = parameters[1].value, !definitions.isEmpty {
            // The declarations read like a procedure's parameter list (`@a int, @b int OUTPUT`).
            let parsed: TSQLBatch
            do {
                parsed = try TSQLParser.parse("CREATE PROCEDURE sp_executesql_parameters " + definitions + " AS RETURN")
            } catch {
                throw SQLServerError(syntaxError: error)
            }
            guard case .createProcedure(let declaration)? = parsed.statements.first?.kind else {
                throw SQLServerError.notSupported("sp_executesql parameters")
            }
            declared = declaration.parameters
        }
        let batch: TSQLBatch
        do {
            batch = try TSQLParser.parse(statementText)
        } catch {
            throw SQLServerError(syntaxError: error)
        }
        var scoped: [String: Variable] = [:]
        let translator = self.translator
        let values = Array(parameters.dropFirst(2))
        var outputNames: [(String, Int)] = []
        for (index, declaration) in declared.enumerated() {
            let type = try await translator.resolveType(declaration.type)
            let valueIndex = values.firstIndex { $0.name?.lowercased() == declaration.name.lowercased() }
                ?? (index < values.count && values[index].name == nil ? index : nil)
            guard let valueIndex else {
                throw SQLServerError(
                    code: .init(8178),
                    message: "The parameterized query '(\(parameters[1].value))' expects the parameter '\(declaration.name)', which was not supplied.")
            }
            scoped[declaration.name.lowercased()] = Variable(type: type, text: values[valueIndex].value.postgresText)
            if values[valueIndex].isOutput, declaration.isOutput { outputNames.append((declaration.name, valueIndex)) }
        }
        let final = try await runScoped(batch.statements, variables: scoped, procedure: nil, into: &results)
        return outputNames.map { name, _ in
            let variable = final.variables[name.lowercased()]
            let value = variable.flatMap { v in v.text.flatMap { SQLServerValue.decode(postgresText: $0, as: v.type) } } ?? .null
            return .init(name: name, value: value, type: variable?.type ?? .int)
        }
    }
}
