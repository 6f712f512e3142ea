import Postgres
import TSQL

extension EngineSession {
    /// CREATE / ALTER / CREATE OR ALTER PROCEDURE: a `P` object whose module text is kept and
    /// parsed again at each EXEC (as SQL Server recompiles, names in the body resolve at run time).
    func createProcedure(_ create: CreateProcedureStatement) async throws {
        let (database, schema) = try await resolveContainer(create.name)
        let name = create.name.name.value
        let existing = try await catalog.object(in: schema, named: name)
        switch create.creation {
        case .create:
            if existing != nil { throw SQLServerError.objectAlreadyExists(name) }
        case .alter:
            guard existing?.type == "P" else {
                throw SQLServerError(code: .init(208), message: "Invalid object name '\(create.name.description)'.")
            }
        case .createOrAlter:
            if let existing, existing.type != "P" { throw SQLServerError.objectAlreadyExists(name) }
        }
        let translator = self.translator
        for parameter in create.parameters { _ = try await translator.resolveType(parameter.type) }
        let objectID: Int
        if let existing {
            objectID = existing.objectID
        } else {
            objectID = try await catalog.nextObjectID()
            try await catalog.insertObject(in: schema, objectID: objectID, name: name, type: "P")
        }
        try await catalog.saveModule(databaseID: database.id, objectID: objectID, definition: create.definition)
    }

    /// EXEC [@rc =] procedure arguments: evaluates the arguments, runs the procedure, and copies
    /// OUTPUT parameters and the return status back to the caller's variables.
    func executeProcedure(_ execute: ExecuteStatement, into results: inout [EngineResult]) async throws {
        guard case .name(let name) = execute.procedure else { throw SQLServerError.notSupported("EXECUTE @variable") }
        if Self.isExecuteSQL(name) {
            throw SQLServerError.notSupported("sp_executesql in a batch")
        }
        let arguments = execute.arguments.map { argument in
            ProcedureArgument(
                name: argument.name, value: argument.value == .default ? .default : .expression(argument.value),
                isOutput: argument.isOutput)
        }
        let outcome = try await runProcedure(name, arguments: arguments, into: &results)
        for (index, argument) in execute.arguments.enumerated() where argument.isOutput {
            guard case .variable(let caller) = argument.value, let value = outcome.outputs[index] else { continue }
            variables[caller.lowercased()]?.text = value.text
        }
        if let returnVariable = execute.returnVariable {
            guard variables[returnVariable.lowercased()] != nil else { throw SQLServerError.undeclaredVariable(returnVariable) }
            variables[returnVariable.lowercased()]?.text = String(outcome.returnStatus)
        }
    }

    static func isExecuteSQL(_ name: ObjectName) -> Bool {
        name.name.value.lowercased() == "sp_executesql" && (name.schema == nil || name.schema?.value.lowercased() == "sys")
    }

    /// An argument of a procedure call: a T-SQL expression (EXEC) or a value (RPC).
    struct ProcedureArgument {
        enum Value {
            case expression(Expression)
            case value(Variable)
            case `default`
        }
        var name: String?
        var value: Value
        var isOutput: Bool
    }

    /// Runs a stored procedure: binds arguments (positional first, then by name; DEFAULT or an
    /// omitted argument takes the parameter's default), runs the body with the parameters as its
    /// only variables, and returns the return status and, by argument index, the final values of
    /// OUTPUT parameters.
    func runProcedure(_ name: ObjectName, arguments: [ProcedureArgument], into results: inout [EngineResult]) async throws
        -> (returnStatus: Int, outputs: [Int: Variable])
    {
        // Change data capture's sys.sp_cdc_* procedures (CDC/EngineSession+CDCProcedures.swift).
        if let outcome = try await runCDCProcedure(name, arguments: arguments, into: &results) { return outcome }
        if let outcome = try await runRename(name, arguments: arguments, into: &results) { return outcome }
        let notFound = SQLServerError(
            code: .storedProcedureNotFound, message: "Could not find stored procedure '\(name.description)'.", abortsBatch: true)
        let definition: String? = try await atomically {
            guard let (database, schema) = try? await self.resolveContainer(name),
                let object = try await self.catalog.object(in: schema, named: name.name.value), object.type == "P"
            else { return nil }
            return try await self.catalog.module(databaseID: database.id, objectID: object.objectID)
        }
        guard let definition, case .createProcedure(let procedure)? = try? TSQLParser.parse(definition).statements.first?.kind
        else { throw notFound }
        let procedureName = procedure.name.name.value
        if arguments.count > procedure.parameters.count {
            throw SQLServerError(
                code: .init(8144), message: "Procedure or function \(procedureName) has too many arguments specified.")
        }
        var bound: [String: Variable] = [:]
        var outputIndexes: [(argument: Int, parameter: String)] = []
        let translator = self.translator
        for (index, parameter) in procedure.parameters.enumerated() {
            let type = try await translator.resolveType(parameter.type)
            let argumentIndex =
                arguments.firstIndex { $0.name?.lowercased() == parameter.name.lowercased() }
                ?? (index < arguments.count && arguments[index].name == nil ? index : nil)
            var value = argumentIndex.map { arguments[$0].value } ?? .default
            if case .default = value, let defaultValue = parameter.defaultValue { value = .expression(defaultValue) }
            switch value {
            case .default:
                throw SQLServerError(
                    code: .init(201),
                    message: "Procedure or function '\(procedureName)' expects parameter '\(parameter.name)', which was not supplied.")
            case .expression(let expression):
                bound[parameter.name.lowercased()] = Variable(type: type, text: try await evaluate(expression, as: type))
            case .value(let variable):
                bound[parameter.name.lowercased()] = Variable(type: type, text: variable.text)
            }
            if let argumentIndex, arguments[argumentIndex].isOutput, parameter.isOutput {
                outputIndexes.append((argumentIndex, parameter.name.lowercased()))
            }
        }
        let body = try await runScoped(procedure.body, variables: bound, procedure: procedureName, into: &results)
        var outputs: [Int: Variable] = [:]
        for output in outputIndexes { outputs[output.argument] = body.variables[output.parameter] }
        return (body.returnStatus, outputs)
    }

    /// Runs statements with their own variables (a procedure body or sp_executesql), restoring the
    /// caller's variables and SET NOCOUNT afterwards.
    func runScoped(_ statements: [TSQLStatement], variables scoped: [String: Variable], procedure: String?, into results: inout [EngineResult])
        async throws -> (variables: [String: Variable], returnStatus: Int)
    {
        let callerVariables = variables
        let callerNoCount = noCount
        let callerStatus = returnStatus
        variables = scoped
        returnStatus = 0
        if let procedure { procedureStack.append(procedure) }
        defer {
            if procedure != nil { procedureStack.removeLast() }
        }
        do {
            _ = try await run(statements, into: &results)
        } catch {
            variables = callerVariables
            noCount = callerNoCount
            returnStatus = callerStatus
            throw error
        }
        let final = (variables, returnStatus)
        variables = callerVariables
        noCount = callerNoCount
        returnStatus = callerStatus
        return final
    }
}
