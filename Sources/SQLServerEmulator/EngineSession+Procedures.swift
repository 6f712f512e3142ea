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

    /// EXEC procedure arguments: binds the parameters as the body's variables and runs the body.
    func executeProcedure(_ execute: ExecuteStatement, into results: inout [EngineResult]) async throws {
        guard case .name(let name) = execute.procedure else { throw SQLServerError.notSupported("EXECUTE @variable") }
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

        // Bind arguments: positional first, then by name; DEFAULT or omitted takes the default.
        var bound: [String: Variable] = [:]
        var outputs: [(parameter: String, callerVariable: String)] = []
        if execute.arguments.count > procedure.parameters.count {
            throw SQLServerError(
                code: .init(8144), message: "Procedure or function \(procedureName) has too many arguments specified.")
        }
        let translator = self.translator
        for (index, parameter) in procedure.parameters.enumerated() {
            let type = try await translator.resolveType(parameter.type)
            let argument =
                execute.arguments.first { $0.name?.lowercased() == parameter.name.lowercased() }
                ?? (index < execute.arguments.count && execute.arguments[index].name == nil ? execute.arguments[index] : nil)
            var value: Expression? = argument?.value
            if value == .default || value == nil { value = parameter.defaultValue }
            guard let value else {
                throw SQLServerError(
                    code: .init(201),
                    message: "Procedure or function '\(procedureName)' expects parameter '\(parameter.name)', which was not supplied.")
            }
            bound[parameter.name.lowercased()] = Variable(type: type, text: try await evaluate(value, as: type))
            if let argument, argument.isOutput, parameter.isOutput, case .variable(let caller) = argument.value {
                outputs.append((parameter.name.lowercased(), caller.lowercased()))
            }
        }

        let callerVariables = variables
        let callerNoCount = noCount
        variables = bound
        procedureStack.append(procedureName)
        defer {
            procedureStack.removeLast()
        }
        do {
            _ = try await run(procedure.body, into: &results)
        } catch {
            variables = callerVariables
            noCount = callerNoCount
            throw error
        }
        let final = variables
        variables = callerVariables
        noCount = callerNoCount
        for output in outputs {
            if let value = final[output.parameter] { variables[output.callerVariable]?.text = value.text }
        }
    }
}
