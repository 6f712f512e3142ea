/// The table a DML statement changes: a table/view name with hints, or a table variable.
public enum DMLTarget: Hashable, Sendable {
    /// A table, view or alias from the FROM clause.
    case table(ObjectName, hints: [TableHint])
    /// A table variable.
    case variable(String)
}

/// `OUTPUT items [INTO target [(columns)]]`.
public struct OutputClause: Hashable, Sendable {
    /// The returned items (`inserted.*`, `deleted.Name`…).
    public var items: [SelectItem]
    /// `INTO` target.
    public var into: DMLTarget?
    /// `INTO` column list.
    public var intoColumns: [Identifier]

    /// Creates the clause.
    public init(items: [SelectItem], into: DMLTarget? = nil, intoColumns: [Identifier] = []) {
        self.items = items
        self.into = into
        self.intoColumns = intoColumns
    }
}

/// `[WITH …] INSERT [TOP (n)] [INTO] target [(columns)] [OUTPUT …] source`.
public struct InsertStatement: Hashable, Sendable {
    /// Where the rows come from.
    public enum Source: Hashable, Sendable {
        /// `VALUES (…), (…)`.
        case values([[Expression]])
        /// `SELECT …`.
        case query(Query)
        /// `DEFAULT VALUES`.
        case defaultValues
        /// `EXEC …`.
        case execute(ExecuteStatement)
    }

    /// Leading CTEs.
    public var commonTableExpressions: [CommonTableExpression]
    /// `TOP (n) [PERCENT]`.
    public var top: TopClause?
    /// The target.
    public var target: DMLTarget
    /// The column list.
    public var columns: [Identifier]
    /// `OUTPUT`.
    public var output: OutputClause?
    /// The rows.
    public var source: Source

    /// Creates the statement.
    public init(
        commonTableExpressions: [CommonTableExpression] = [], top: TopClause? = nil, target: DMLTarget,
        columns: [Identifier] = [], output: OutputClause? = nil, source: Source
    ) {
        self.commonTableExpressions = commonTableExpressions
        self.top = top
        self.target = target
        self.columns = columns
        self.output = output
        self.source = source
    }
}

/// `column = value` (or `@v = value`, or a compound operator) in `UPDATE … SET`.
public struct SetClause: Hashable, Sendable {
    /// What is assigned.
    public enum Target: Hashable, Sendable {
        case column(ColumnReference)
        case variable(String)
    }
    /// The column or variable.
    public var target: Target
    /// `=`, `+=`…
    public var operation: AssignmentOperator
    /// The new value (`.default` for `DEFAULT`).
    public var value: Expression

    /// Creates an assignment.
    public init(target: Target, operation: AssignmentOperator = .assign, value: Expression) {
        self.target = target
        self.operation = operation
        self.value = value
    }
}

/// `[WITH …] UPDATE [TOP (n)] target SET … [OUTPUT …] [FROM …] [WHERE …]`.
public struct UpdateStatement: Hashable, Sendable {
    /// Leading CTEs.
    public var commonTableExpressions: [CommonTableExpression]
    /// `TOP (n) [PERCENT]`.
    public var top: TopClause?
    /// The target.
    public var target: DMLTarget
    /// The assignments.
    public var assignments: [SetClause]
    /// `OUTPUT`.
    public var output: OutputClause?
    /// `FROM`.
    public var from: [TableSource]
    /// `WHERE`.
    public var whereClause: Expression?

    /// Creates the statement.
    public init(
        commonTableExpressions: [CommonTableExpression] = [], top: TopClause? = nil, target: DMLTarget,
        assignments: [SetClause], output: OutputClause? = nil, from: [TableSource] = [],
        whereClause: Expression? = nil
    ) {
        self.commonTableExpressions = commonTableExpressions
        self.top = top
        self.target = target
        self.assignments = assignments
        self.output = output
        self.from = from
        self.whereClause = whereClause
    }
}

/// `[WITH …] DELETE [TOP (n)] [FROM] target [OUTPUT …] [FROM …] [WHERE …]`.
public struct DeleteStatement: Hashable, Sendable {
    /// Leading CTEs.
    public var commonTableExpressions: [CommonTableExpression]
    /// `TOP (n) [PERCENT]`.
    public var top: TopClause?
    /// The target.
    public var target: DMLTarget
    /// `OUTPUT`.
    public var output: OutputClause?
    /// The second `FROM`.
    public var from: [TableSource]
    /// `WHERE`.
    public var whereClause: Expression?

    /// Creates the statement.
    public init(
        commonTableExpressions: [CommonTableExpression] = [], top: TopClause? = nil, target: DMLTarget,
        output: OutputClause? = nil, from: [TableSource] = [], whereClause: Expression? = nil
    ) {
        self.commonTableExpressions = commonTableExpressions
        self.top = top
        self.target = target
        self.output = output
        self.from = from
        self.whereClause = whereClause
    }
}

/// `MERGE [INTO] target [AS alias] USING source ON condition WHEN … [OUTPUT …]`.
public struct MergeStatement: Hashable, Sendable {
    /// Which rows a WHEN clause applies to.
    public enum MatchKind: Hashable, Sendable {
        /// `WHEN MATCHED`.
        case matched
        /// `WHEN NOT MATCHED [BY TARGET]`.
        case notMatchedByTarget
        /// `WHEN NOT MATCHED BY SOURCE`.
        case notMatchedBySource
    }
    /// What a WHEN clause does.
    public enum Action: Hashable, Sendable {
        case update([SetClause])
        case delete
        /// `INSERT [(columns)] VALUES (…)`, or `INSERT DEFAULT VALUES` with `values == nil`.
        case insert(columns: [Identifier], values: [Expression]?)
    }
    /// `WHEN [NOT] MATCHED [BY …] [AND condition] THEN action`.
    public struct WhenClause: Hashable, Sendable {
        /// The rows matched.
        public var match: MatchKind
        /// The extra `AND` condition.
        public var condition: Expression?
        /// The action.
        public var action: Action
        /// Creates a clause.
        public init(match: MatchKind, condition: Expression? = nil, action: Action) {
            self.match = match
            self.condition = condition
            self.action = action
        }
    }

    /// Leading CTEs.
    public var commonTableExpressions: [CommonTableExpression]
    /// The target table.
    public var target: ObjectName
    /// The target's alias.
    public var targetAlias: Identifier?
    /// The `USING` source.
    public var source: TableSource
    /// The `ON` condition.
    public var condition: Expression
    /// The WHEN clauses.
    public var whenClauses: [WhenClause]
    /// `OUTPUT`.
    public var output: OutputClause?

    /// Creates the statement.
    public init(
        commonTableExpressions: [CommonTableExpression] = [], target: ObjectName, targetAlias: Identifier? = nil,
        source: TableSource, condition: Expression, whenClauses: [WhenClause], output: OutputClause? = nil
    ) {
        self.commonTableExpressions = commonTableExpressions
        self.target = target
        self.targetAlias = targetAlias
        self.source = source
        self.condition = condition
        self.whenClauses = whenClauses
        self.output = output
    }
}
