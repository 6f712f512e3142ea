/// A complete query: optional CTEs, a query expression, and its `ORDER BY`/`OFFSET`/`FETCH`.
public struct Query: Hashable, Sendable {
    /// `WITH name [(cols)] AS (…), …`.
    public var commonTableExpressions: [CommonTableExpression]
    /// The `SELECT`s and set operators.
    public var body: QueryExpression
    /// `ORDER BY` with its optional `OFFSET … FETCH …`.
    public var orderBy: OrderByClause?
    /// `OPTION (…)` query hints, kept as written (upper-cased words).
    public var options: [String]

    /// Creates a query.
    public init(
        commonTableExpressions: [CommonTableExpression] = [], body: QueryExpression,
        orderBy: OrderByClause? = nil, options: [String] = []
    ) {
        self.commonTableExpressions = commonTableExpressions
        self.body = body
        self.orderBy = orderBy
        self.options = options
    }

    /// A query of one `SELECT`.
    public init(_ specification: QuerySpecification) {
        self.init(body: .select(specification))
    }
}

/// `name [(columns)] AS (query)`.
public struct CommonTableExpression: Hashable, Sendable {
    /// The CTE's name.
    public var name: Identifier
    /// Explicit column names.
    public var columns: [Identifier]
    /// The defining query.
    public var query: Query

    /// Creates a CTE.
    public init(name: Identifier, columns: [Identifier] = [], query: Query) {
        self.name = name
        self.columns = columns
        self.query = query
    }
}

/// `ORDER BY items [OFFSET n ROWS [FETCH NEXT m ROWS ONLY]]`.
public struct OrderByClause: Hashable, Sendable {
    /// The sort keys.
    public var items: [OrderByItem]
    /// `OFFSET n ROWS`.
    public var offset: Expression?
    /// `FETCH NEXT m ROWS ONLY`.
    public var fetch: Expression?

    /// Creates the clause.
    public init(items: [OrderByItem], offset: Expression? = nil, fetch: Expression? = nil) {
        self.items = items
        self.offset = offset
        self.fetch = fetch
    }
}

/// SELECTs combined by set operators.
public indirect enum QueryExpression: Hashable, Sendable {
    /// One `SELECT`.
    case select(QuerySpecification)
    /// `left UNION [ALL]|EXCEPT|INTERSECT right`.
    case setOperation(QueryExpression, SetOperator, QueryExpression)
    /// A parenthesised query used as a set-operation operand.
    case parenthesized(Query)
}

/// A set operator.
public enum SetOperator: String, Hashable, Sendable {
    case union = "UNION", unionAll = "UNION ALL", except = "EXCEPT", intersect = "INTERSECT"
}

/// `SELECT [ALL|DISTINCT] [TOP …] list [INTO t] [FROM …] [WHERE …] [GROUP BY …] [HAVING …]`.
public struct QuerySpecification: Hashable, Sendable {
    /// `DISTINCT`.
    public var isDistinct: Bool
    /// `TOP (n) [PERCENT] [WITH TIES]`.
    public var top: TopClause?
    /// The select list.
    public var items: [SelectItem]
    /// `INTO new_table`.
    public var into: ObjectName?
    /// The `FROM` clause's comma-separated table sources.
    public var from: [TableSource]
    /// `WHERE`.
    public var whereClause: Expression?
    /// `GROUP BY`.
    public var groupBy: [Expression]
    /// `HAVING`.
    public var having: Expression?

    /// Creates a SELECT.
    public init(
        isDistinct: Bool = false, top: TopClause? = nil, items: [SelectItem], into: ObjectName? = nil,
        from: [TableSource] = [], whereClause: Expression? = nil, groupBy: [Expression] = [],
        having: Expression? = nil
    ) {
        self.isDistinct = isDistinct
        self.top = top
        self.items = items
        self.into = into
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
    }
}

/// `TOP (n) [PERCENT] [WITH TIES]`.
public struct TopClause: Hashable, Sendable {
    /// The row count or percentage.
    public var count: Expression
    /// `PERCENT`.
    public var isPercent: Bool
    /// `WITH TIES`.
    public var withTies: Bool

    /// Creates the clause.
    public init(count: Expression, isPercent: Bool = false, withTies: Bool = false) {
        self.count = count
        self.isPercent = isPercent
        self.withTies = withTies
    }
}

/// One entry of a select list (or an `OUTPUT` list).
public enum SelectItem: Hashable, Sendable {
    /// `*` or `t.*` (`inserted.*` in OUTPUT).
    case star(qualifier: ObjectName?)
    /// `expr [AS alias]`; `alias = expr` and `expr 'alias'` parse to this too.
    case expression(Expression, alias: Identifier?)
    /// `@v = expr` (or `@v += expr`…): assigns instead of returning a column.
    case assignment(variable: String, AssignmentOperator, Expression)
}

/// `=` or a compound assignment.
public enum AssignmentOperator: String, Hashable, Sendable {
    case assign = "=", add = "+=", subtract = "-=", multiply = "*=", divide = "/=", modulo = "%=",
        bitwiseAnd = "&=", bitwiseOr = "|=", bitwiseXor = "^="
}

/// An item of a `FROM` clause.
public indirect enum TableSource: Hashable, Sendable {
    /// A table or view: `HumanResources.Employee AS e WITH (NOLOCK)`.
    case table(ObjectName, alias: Identifier?, hints: [TableHint])
    /// A table variable: `@t AS t`.
    case variable(String, alias: Identifier?)
    /// A table-valued function: `cdc.fn_cdc_get_all_changes_dbo_T(@from, @to, N'all') AS c`.
    case function(FunctionCall, alias: Identifier?, columns: [Identifier])
    /// A derived table: `(SELECT …) AS d (cols)`.
    case derived(Query, alias: Identifier, columns: [Identifier])
    /// A table value constructor: `(VALUES (1, 'a'), (2, 'b')) AS v (id, name)`.
    case values([[Expression]], alias: Identifier, columns: [Identifier])
    /// `left [INNER|LEFT|RIGHT|FULL] JOIN right ON condition` and `left CROSS JOIN right`.
    case join(TableSource, JoinKind, TableSource, on: Expression?)
    /// `left CROSS APPLY right` and `left OUTER APPLY right`.
    case apply(TableSource, isOuter: Bool, TableSource)
}

/// The kind of a join.
public enum JoinKind: String, Hashable, Sendable {
    case inner = "INNER JOIN", left = "LEFT OUTER JOIN", right = "RIGHT OUTER JOIN",
        full = "FULL OUTER JOIN", cross = "CROSS JOIN"
}

/// A table hint: `NOLOCK`, `HOLDLOCK`, `INDEX(ix)`, `UPDLOCK`…
public struct TableHint: Hashable, Sendable {
    /// The hint, upper-cased.
    public var name: String
    /// Arguments, for `INDEX(…)`.
    public var arguments: [Expression]

    /// Creates a hint.
    public init(_ name: String, arguments: [Expression] = []) {
        self.name = name.uppercased()
        self.arguments = arguments
    }
}
