import TSQL

extension Translator {
    /// How many user-defined function calls enclose the one being translated (SQL Server stops at 32).
    @TaskLocal static var userFunctionDepth = 0

    /// A call of a user-defined function, or nil when `call` names none.
    ///
    /// A scalar function whose body is `RETURN expression` (in `BEGIN … END`), over its parameters
    /// and constants only, runs: the call is replaced by that expression, each parameter by its
    /// argument converted to the parameter's type, the result converted to the return type — what
    /// SQL Server computes. Any other body (statements, queries, table access) and table-valued
    /// functions are refused with Msg 40517: their text is kept, not run.
    func userFunction(_ call: FunctionCall, scope: Scope, ctes: [String: TranslatedQuery]) async throws -> TranslatedExpression? {
        guard let database = try? await self.database(of: call.name),
            let schema = try await catalog.schema(in: database, named: call.name.schema?.value ?? "dbo"),
            let object = try await catalog.object(in: schema, named: call.name.name.value),
            ["FN", "IF", "TF"].contains(object.type)
        else { return nil }
        let refused = SQLServerError.notSupported("user-defined function \(call.name.description)")
        guard object.type == "FN", let text = try await catalog.module(databaseID: database.id, objectID: object.objectID),
            case .createFunction(let function)? = try? TSQLParser.parse(text).statements.first?.kind,
            case .scalar(let returnType) = function.returns, let body = Self.singleReturn(function.body)
        else { throw refused }
        guard Self.userFunctionDepth < 32 else {
            throw SQLServerError(
                code: .init(217), message: "Maximum stored procedure, function, trigger, or view nesting level exceeded (limit 32).",
                abortsBatch: true)
        }
        if call.arguments.count < function.parameters.count {
            throw SQLServerError(
                code: .init(313),
                message: "An insufficient number of arguments were supplied for the procedure or function \(call.name.description).",
                abortsBatch: true)
        }
        if call.arguments.count > function.parameters.count {
            throw SQLServerError(
                code: .init(8144), message: "Procedure or function \(object.name) has too many arguments specified.", abortsBatch: true)
        }
        var bindings: [String: TSQL.Expression] = [:]
        for (parameter, argument) in zip(function.parameters, call.arguments) {
            var value = argument
            if case .default = argument {
                guard let defaultValue = parameter.defaultValue else {
                    throw SQLServerError(
                        code: .init(313),
                        message: "An insufficient number of arguments were supplied for the procedure or function \(call.name.description).",
                        abortsBatch: true)
                }
                value = defaultValue
            }
            bindings[parameter.name.lowercased()] = .cast(value, as: parameter.type, isTry: false)
        }
        guard let inlined = Self.substitute(body, bindings) else { throw refused }
        return try await Self.$userFunctionDepth.withValue(Self.userFunctionDepth + 1) {
            try await expression(.cast(inlined, as: returnType, isTry: false), scope: scope, ctes: ctes)
        }
    }

    /// The expression of a body that is only `RETURN expression`, possibly in nested `BEGIN … END`.
    static func singleReturn(_ body: [TSQLStatement]) -> TSQL.Expression? {
        guard body.count == 1 else { return nil }
        switch body[0].kind {
        case .return(let value?): return value
        case .block(let inner): return singleReturn(inner)
        default: return nil
        }
    }

    /// `expression` with each parameter replaced by its binding; nil if it reads anything else
    /// (a column, an unbound variable, a query, a window).
    static func substitute(_ expression: TSQL.Expression, _ bindings: [String: TSQL.Expression]) -> TSQL.Expression? {
        func sub(_ e: TSQL.Expression) -> TSQL.Expression? { substitute(e, bindings) }
        func subAll(_ list: [TSQL.Expression]) -> [TSQL.Expression]? {
            var result: [TSQL.Expression] = []
            for item in list {
                guard let replaced = sub(item) else { return nil }
                result.append(replaced)
            }
            return result
        }
        switch expression {
        case .literal, .systemVariable, .niladic:
            return expression
        case .variable(let name):
            return bindings[name.lowercased()]
        case .column, .default, .inSubquery, .exists, .quantified, .subquery:
            return nil
        case .unary(let op, let e):
            return sub(e).map { .unary(op, $0) }
        case .binary(let l, let op, let r):
            guard let l = sub(l), let r = sub(r) else { return nil }
            return .binary(l, op, r)
        case .not(let e):
            return sub(e).map { .not($0) }
        case .and(let l, let r):
            guard let l = sub(l), let r = sub(r) else { return nil }
            return .and(l, r)
        case .or(let l, let r):
            guard let l = sub(l), let r = sub(r) else { return nil }
            return .or(l, r)
        case .isNull(let e, let negated):
            return sub(e).map { .isNull($0, negated: negated) }
        case .between(let v, let low, let high, let negated):
            guard let v = sub(v), let low = sub(low), let high = sub(high) else { return nil }
            return .between(v, low: low, high: high, negated: negated)
        case .like(let v, let pattern, let escape, let negated):
            guard let v = sub(v), let pattern = sub(pattern) else { return nil }
            var escaped: TSQL.Expression?
            if let escape {
                guard let replaced = sub(escape) else { return nil }
                escaped = replaced
            }
            return .like(v, pattern: pattern, escape: escaped, negated: negated)
        case .inList(let v, let list, let negated):
            guard let v = sub(v), let list = subAll(list) else { return nil }
            return .inList(v, list, negated: negated)
        case .case(var caseExpression):
            if let operand = caseExpression.operand {
                guard let replaced = sub(operand) else { return nil }
                caseExpression.operand = replaced
            }
            var clauses: [CaseExpression.WhenClause] = []
            for clause in caseExpression.whenClauses {
                guard let when = sub(clause.when), let then = sub(clause.then) else { return nil }
                clauses.append(.init(when: when, then: then))
            }
            caseExpression.whenClauses = clauses
            if let elseResult = caseExpression.elseResult {
                guard let replaced = sub(elseResult) else { return nil }
                caseExpression.elseResult = replaced
            }
            return .case(caseExpression)
        case .cast(let e, let type, let isTry):
            return sub(e).map { .cast($0, as: type, isTry: isTry) }
        case .convert(let type, let e, let style, let isTry):
            guard let e = sub(e) else { return nil }
            var replacedStyle: TSQL.Expression?
            if let style {
                guard let replaced = sub(style) else { return nil }
                replacedStyle = replaced
            }
            return .convert(type, e, style: replacedStyle, isTry: isTry)
        case .function(var call):
            guard call.over == nil, call.withinGroup.isEmpty, call.nextValueSequence == nil, !call.isStar else { return nil }
            // DATEADD(day, …) and its kin take a bare date part first, written like a column.
            let datePart = ["DATEADD", "DATEDIFF", "DATEPART", "DATENAME"].contains(call.name.name.value.uppercased())
            var rest = call.arguments
            var first: [TSQL.Expression] = []
            if datePart, case .column(let reference)? = rest.first, reference.table == nil {
                first = [rest.removeFirst()]
            }
            guard let arguments = subAll(rest) else { return nil }
            call.arguments = first + arguments
            return .function(call)
        case .collate(let e, let collation):
            return sub(e).map { .collate($0, collation: collation) }
        }
    }
}
