extension TSQLStatement {
    /// The statement with every source position and source text cleared, recursively (nested
    /// statements, view and procedure definitions): two statements compare equal this way when they
    /// say the same thing, wherever and however they were written.
    public func strippingSourceInfo() -> TSQLStatement {
        TSQLStatement(kind: kind.strippingSourceInfo(), location: .start, sourceText: "")
    }
}

extension Statement {
    /// The statement with nested statements' positions and texts cleared (see
    /// ``TSQLStatement/strippingSourceInfo()``).
    public func strippingSourceInfo() -> Statement {
        func strip(_ statements: [TSQLStatement]) -> [TSQLStatement] {
            statements.map { $0.strippingSourceInfo() }
        }
        switch self {
        case .if(let condition, let then, let otherwise):
            return .if(condition: condition, then: then.strippingSourceInfo(), else: otherwise?.strippingSourceInfo())
        case .block(let statements):
            return .block(strip(statements))
        case .while(let condition, let body):
            return .while(condition: condition, body: body.strippingSourceInfo())
        case .tryCatch(let tryBody, let catchBody):
            return .tryCatch(try: strip(tryBody), catch: strip(catchBody))
        case .createView(var view):
            view.definition = ""
            return .createView(view)
        case .createProcedure(var procedure):
            procedure.definition = ""
            procedure.body = strip(procedure.body)
            return .createProcedure(procedure)
        case .createTrigger(var trigger):
            trigger.definition = ""
            trigger.body = strip(trigger.body)
            return .createTrigger(trigger)
        case .createFunction(var function):
            function.definition = ""
            function.body = strip(function.body)
            return .createFunction(function)
        default:
            return self
        }
    }
}
