/// `CREATE SEQUENCE name [AS type] [START WITH n] [INCREMENT BY n] [MINVALUE n | NO MINVALUE]
/// [MAXVALUE n | NO MAXVALUE] [CYCLE | NO CYCLE] [CACHE [n] | NO CACHE]`, options in any order.
public struct CreateSequenceStatement: Hashable, Sendable {
    /// `CACHE [n]` or `NO CACHE`.
    public enum Cache: Hashable, Sendable {
        /// `CACHE` with an optional size.
        case cache(Expression?)
        /// `NO CACHE`.
        case noCache
    }

    /// The sequence.
    public var name: ObjectName
    /// `AS type`; SQL Server's default is `bigint`.
    public var dataType: DataType?
    /// `START WITH`; defaults to the minimum of an ascending sequence, the maximum of a descending one.
    public var start: Expression?
    /// `INCREMENT BY`; defaults to 1.
    public var increment: Expression?
    /// `MINVALUE n`; nil for `NO MINVALUE` or omitted (the type's minimum).
    public var minimum: Expression?
    /// `MAXVALUE n`; nil for `NO MAXVALUE` or omitted (the type's maximum).
    public var maximum: Expression?
    /// `CYCLE`.
    public var isCycling: Bool
    /// `CACHE`/`NO CACHE` as written.
    public var cache: Cache?

    /// Creates the statement.
    public init(
        name: ObjectName, dataType: DataType? = nil, start: Expression? = nil, increment: Expression? = nil,
        minimum: Expression? = nil, maximum: Expression? = nil, isCycling: Bool = false, cache: Cache? = nil
    ) {
        self.name = name
        self.dataType = dataType
        self.start = start
        self.increment = increment
        self.minimum = minimum
        self.maximum = maximum
        self.isCycling = isCycling
        self.cache = cache
    }
}

/// `CREATE|ALTER TRIGGER name ON table [WITH options] {FOR | AFTER | INSTEAD OF}
/// {[INSERT] [,] [UPDATE] [,] [DELETE]} [NOT FOR REPLICATION] AS body` (a DML trigger).
///
/// As with a procedure, the body runs to the end of the batch.
public struct CreateTriggerStatement: Hashable, Sendable {
    /// When the trigger fires.
    public enum Timing: String, Hashable, Sendable {
        /// `AFTER`, or its older spelling `FOR`.
        case after = "AFTER"
        /// `INSTEAD OF`.
        case insteadOf = "INSTEAD OF"
    }
    /// A statement kind that fires the trigger.
    public enum Event: String, Hashable, Sendable, CaseIterable {
        case insert = "INSERT", update = "UPDATE", delete = "DELETE"
    }

    /// Create, alter, or create-or-alter.
    public var creation: ModuleCreation
    /// The trigger (schema-scoped, in its table's schema).
    public var name: ObjectName
    /// The table or view it is defined on.
    public var table: ObjectName
    /// `WITH ENCRYPTION, EXECUTE AS …`, upper-cased.
    public var options: [String]
    /// AFTER or INSTEAD OF.
    public var timing: Timing
    /// The firing statements, in the order written.
    public var events: [Event]
    /// `NOT FOR REPLICATION`.
    public var notForReplication: Bool
    /// The body's statements.
    public var body: [TSQLStatement]
    /// The whole statement's source text, as SQL Server keeps it in `sys.sql_modules.definition`.
    public var definition: String

    /// Creates the statement.
    public init(
        creation: ModuleCreation = .create, name: ObjectName, table: ObjectName, options: [String] = [],
        timing: Timing = .after, events: [Event], notForReplication: Bool = false, body: [TSQLStatement],
        definition: String = ""
    ) {
        self.creation = creation
        self.name = name
        self.table = table
        self.options = options
        self.timing = timing
        self.events = events
        self.notForReplication = notForReplication
        self.body = body
        self.definition = definition
    }
}

/// `CREATE|ALTER FUNCTION name ([parameters]) RETURNS … [WITH options] [AS] …`: a scalar function
/// (`RETURNS type AS BEGIN … RETURN value END`), an inline table-valued function (`RETURNS TABLE AS
/// RETURN (query)`) or a multi-statement table-valued function (`RETURNS @t TABLE (…) AS BEGIN … END`).
public struct CreateFunctionStatement: Hashable, Sendable {
    /// What the function returns.
    public enum Returns: Hashable, Sendable {
        /// A scalar of this type (`sys.objects.type` `FN`).
        case scalar(DataType)
        /// `TABLE`: an inline table-valued function (`IF`).
        case table
        /// `@variable TABLE (…)`: a multi-statement table-valued function (`TF`).
        case tableVariable(String, [TableElement])
    }

    /// Create, alter, or create-or-alter.
    public var creation: ModuleCreation
    /// The function.
    public var name: ObjectName
    /// The parameters (always parenthesized, possibly none).
    public var parameters: [ProcedureParameter]
    /// The return type.
    public var returns: Returns
    /// `WITH SCHEMABINDING, RETURNS NULL ON NULL INPUT, …`, upper-cased.
    public var options: [String]
    /// The statements of a scalar or multi-statement function's `BEGIN … END` body.
    public var body: [TSQLStatement]
    /// The query of an inline table-valued function's `RETURN`.
    public var query: Query?
    /// The whole statement's source text, as SQL Server keeps it in `sys.sql_modules.definition`.
    public var definition: String

    /// Creates the statement.
    public init(
        creation: ModuleCreation = .create, name: ObjectName, parameters: [ProcedureParameter] = [],
        returns: Returns, options: [String] = [], body: [TSQLStatement] = [], query: Query? = nil,
        definition: String = ""
    ) {
        self.creation = creation
        self.name = name
        self.parameters = parameters
        self.returns = returns
        self.options = options
        self.body = body
        self.query = query
        self.definition = definition
    }

    /// The `sys.objects.type` code: `FN`, `IF` or `TF`.
    public var objectType: String {
        switch returns {
        case .scalar: "FN"
        case .table: "IF"
        case .tableVariable: "TF"
        }
    }
}

extension FunctionCall {
    /// The name `NEXT VALUE FOR sequence` parses to: a call with this (unqualified) name whose one
    /// argument is the sequence's name as a column reference. Kept as a call so that code switching
    /// over ``Expression`` needs no new case.
    public static let nextValueForName = "NEXT VALUE FOR"

    /// `NEXT VALUE FOR sequence`.
    public static func nextValue(for sequence: ObjectName) -> FunctionCall {
        let prefix = Array(sequence.parts.dropLast())
        var qualifier: ObjectName?
        if !prefix.isEmpty {
            let padded = Array(repeating: nil, count: 4 - prefix.count) + prefix
            qualifier = ObjectName(
                server: padded[0], database: padded[1], schema: padded[2], name: padded[3] ?? Identifier(""),
                partCount: prefix.count)
        }
        return FunctionCall(
            name: ObjectName(name: Identifier(nextValueForName)),
            arguments: [.column(ColumnReference(table: qualifier, column: sequence.name))])
    }

    /// The sequence of a `NEXT VALUE FOR` call, or nil for any other call.
    public var nextValueSequence: ObjectName? {
        guard name.partCount == 1, name.name.value == Self.nextValueForName, arguments.count == 1,
            case .column(let reference) = arguments[0]
        else { return nil }
        guard let table = reference.table else { return ObjectName(name: reference.column) }
        let parts = table.parts + [Optional(reference.column)]
        let padded = Array(repeating: nil, count: 4 - parts.count) + parts
        return ObjectName(server: padded[0], database: padded[1], schema: padded[2], name: reference.column, partCount: parts.count)
    }

}
