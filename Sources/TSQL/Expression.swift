/// A T-SQL scalar or boolean expression.
///
/// Parentheses are not kept: the tree's shape carries grouping, and ``TSQLPrinter`` puts back the
/// parentheses T-SQL's precedence needs.
public indirect enum Expression: Hashable, Sendable {
    /// A constant.
    case literal(Literal)
    /// A local variable or parameter, with its `@`: `@id`.
    case variable(String)
    /// A system function written as a global variable, with its `@@`: `@@ROWCOUNT`.
    case systemVariable(String)
    /// A column, possibly qualified: `Name`, `e.Name`, `dbo.Employee.Name`.
    case column(ColumnReference)
    /// `DEFAULT`, where a value list or an `EXEC` argument allows it.
    case `default`
    /// A prefix operator: `-x`, `+x`, `~x`.
    case unary(UnaryOperator, Expression)
    /// An arithmetic, bitwise, string or comparison operator.
    case binary(Expression, BinaryOperator, Expression)
    /// `NOT condition`.
    case not(Expression)
    /// `a AND b`.
    case and(Expression, Expression)
    /// `a OR b`.
    case or(Expression, Expression)
    /// `x IS [NOT] NULL`.
    case isNull(Expression, negated: Bool)
    /// `x [NOT] BETWEEN low AND high`.
    case between(Expression, low: Expression, high: Expression, negated: Bool)
    /// `x [NOT] LIKE pattern [ESCAPE escape]`.
    case like(Expression, pattern: Expression, escape: Expression?, negated: Bool)
    /// `x [NOT] IN (a, b, …)`.
    case inList(Expression, [Expression], negated: Bool)
    /// `x [NOT] IN (SELECT …)`.
    case inSubquery(Expression, Query, negated: Bool)
    /// `EXISTS (SELECT …)`.
    case exists(Query)
    /// `x op ALL|ANY|SOME (SELECT …)`.
    case quantified(Expression, BinaryOperator, Quantifier, Query)
    /// A scalar subquery `(SELECT …)`.
    case subquery(Query)
    /// `CASE … END`, simple (with an operand) or searched.
    case `case`(CaseExpression)
    /// `CAST(x AS type)` or `TRY_CAST(x AS type)`.
    case cast(Expression, as: DataType, isTry: Bool)
    /// `CONVERT(type, x [, style])` or `TRY_CONVERT(…)`.
    case convert(DataType, Expression, style: Expression?, isTry: Bool)
    /// A function call, aggregate or window function.
    case function(FunctionCall)
    /// A niladic function written without parentheses: `CURRENT_TIMESTAMP`, `CURRENT_USER`,
    /// `SESSION_USER`, `SYSTEM_USER`, `USER` (upper-case).
    case niladic(String)
    /// `x COLLATE collation_name`.
    case collate(Expression, collation: Identifier)
}

/// A constant.
public enum Literal: Hashable, Sendable {
    /// `NULL`.
    case null
    /// An integer constant, as written (it may exceed `Int64`: SQL Server then types it numeric).
    case integer(String)
    /// A decimal constant as written: `4.20`.
    case decimal(String)
    /// A float constant as written: `1e5`.
    case float(String)
    /// A money constant as written, without `$`: `12.50`.
    case money(String)
    /// A character string; `isUnicode` for `N'…'`.
    case string(String, isUnicode: Bool)
    /// A binary constant, as its hex digits without `0x` (may be empty).
    case binary(String)
}

/// A possibly qualified column name: `[server.][database.][schema.][table.]column`.
public struct ColumnReference: Hashable, Sendable {
    /// The table, view, alias or `inserted`/`deleted` the column belongs to.
    public var table: ObjectName?
    /// The column.
    public var column: Identifier

    /// Creates a column reference.
    public init(table: ObjectName? = nil, column: Identifier) {
        self.table = table
        self.column = column
    }
}

/// A prefix operator.
public enum UnaryOperator: String, Hashable, Sendable {
    /// Negation.
    case minus = "-"
    /// Identity.
    case plus = "+"
    /// Bitwise NOT.
    case bitwiseNot = "~"
}

/// An infix operator.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case multiply = "*", divide = "/", modulo = "%"
    case add = "+", subtract = "-", bitwiseAnd = "&", bitwiseOr = "|", bitwiseXor = "^"
    case equal = "=", notEqual = "<>", notEqualBang = "!=", less = "<", lessOrEqual = "<=",
        greater = ">", greaterOrEqual = ">=", notLess = "!<", notGreater = "!>"

    /// Whether the operator compares (and so yields a boolean).
    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .notEqualBang, .less, .lessOrEqual, .greater, .greaterOrEqual,
            .notLess, .notGreater:
            true
        default: false
        }
    }

    /// T-SQL precedence: higher binds tighter.
    var precedence: Int {
        switch self {
        case .multiply, .divide, .modulo: 6
        case .add, .subtract, .bitwiseAnd, .bitwiseOr, .bitwiseXor: 5
        default: 4
        }
    }
}

/// `ALL`, `ANY` or `SOME` before a subquery.
public enum Quantifier: String, Hashable, Sendable {
    case all = "ALL", any = "ANY", some = "SOME"
}

/// `CASE [operand] WHEN … THEN … [ELSE …] END`.
public struct CaseExpression: Hashable, Sendable {
    /// The operand of a simple CASE; `nil` for a searched CASE.
    public var operand: Expression?
    /// The `WHEN value|condition THEN result` pairs.
    public var whenClauses: [WhenClause]
    /// The `ELSE` result.
    public var elseResult: Expression?

    /// One `WHEN … THEN …`.
    public struct WhenClause: Hashable, Sendable {
        /// The value (simple CASE) or condition (searched CASE).
        public var when: Expression
        /// The result.
        public var then: Expression
        /// Creates a clause.
        public init(when: Expression, then: Expression) {
            self.when = when
            self.then = then
        }
    }

    /// Creates a CASE expression.
    public init(operand: Expression? = nil, whenClauses: [WhenClause], elseResult: Expression? = nil) {
        self.operand = operand
        self.whenClauses = whenClauses
        self.elseResult = elseResult
    }
}

/// A function call: `GETDATE()`, `sys.fn_cdc_get_max_lsn()`, `COUNT(DISTINCT x)`,
/// `ROW_NUMBER() OVER (…)`, `STRING_AGG(x, ',') WITHIN GROUP (ORDER BY y)`.
public struct FunctionCall: Hashable, Sendable {
    /// The function name, possibly schema-qualified.
    public var name: ObjectName
    /// The arguments.
    public var arguments: [Expression]
    /// `COUNT(*)`: the argument is `*`.
    public var isStar: Bool
    /// `f(DISTINCT x)`.
    public var isDistinct: Bool
    /// `WITHIN GROUP (ORDER BY …)`.
    public var withinGroup: [OrderByItem]
    /// `OVER (…)`.
    public var over: WindowSpecification?
    /// A static method of a CLR type, `hierarchyid::GetRoot()`: ``name``'s schema is then the
    /// type and its name the method.
    public var isStaticMethod: Bool = false
    /// A method called on the result of an expression, `node.GetAncestor(1).ToString()`: the
    /// first argument is the expression the method is called on.
    public var isMethodCall: Bool = false

    /// Creates a call.
    public init(
        name: ObjectName, arguments: [Expression] = [], isStar: Bool = false, isDistinct: Bool = false,
        withinGroup: [OrderByItem] = [], over: WindowSpecification? = nil
    ) {
        self.name = name
        self.arguments = arguments
        self.isStar = isStar
        self.isDistinct = isDistinct
        self.withinGroup = withinGroup
        self.over = over
    }
}

/// `OVER ([PARTITION BY …] [ORDER BY …] [ROWS|RANGE …])`.
public struct WindowSpecification: Hashable, Sendable {
    /// `PARTITION BY` expressions.
    public var partitionBy: [Expression]
    /// `ORDER BY` items.
    public var orderBy: [OrderByItem]
    /// The frame.
    public var frame: WindowFrame?

    /// Creates a window.
    public init(partitionBy: [Expression] = [], orderBy: [OrderByItem] = [], frame: WindowFrame? = nil) {
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }
}

/// `ROWS|RANGE start` or `ROWS|RANGE BETWEEN start AND end`.
public struct WindowFrame: Hashable, Sendable {
    /// `ROWS` or `RANGE`.
    public enum Unit: String, Hashable, Sendable { case rows = "ROWS", range = "RANGE" }
    /// One end of the frame.
    public enum Bound: Hashable, Sendable {
        case unboundedPreceding, preceding(Expression), currentRow, following(Expression),
            unboundedFollowing
    }
    /// Rows or range.
    public var unit: Unit
    /// The start bound.
    public var start: Bound
    /// The end bound, for the `BETWEEN` form.
    public var end: Bound?

    /// Creates a frame.
    public init(unit: Unit, start: Bound, end: Bound? = nil) {
        self.unit = unit
        self.start = start
        self.end = end
    }
}

/// One `ORDER BY` item.
public struct OrderByItem: Hashable, Sendable {
    /// The sort key.
    public var expression: Expression
    /// `ASC`/`DESC` as written; `nil` when omitted (ascending).
    public var direction: SortDirection?

    /// Creates an item.
    public init(_ expression: Expression, direction: SortDirection? = nil) {
        self.expression = expression
        self.direction = direction
    }
}

/// `ASC` or `DESC`.
public enum SortDirection: String, Hashable, Sendable {
    case ascending = "ASC", descending = "DESC"
}
