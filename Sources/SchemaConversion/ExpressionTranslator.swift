import FerryCore
import TSQL

/// Why a T-SQL construct has no safe PostgreSQL translation; becomes an action item.
struct Untranslatable: Error, Sendable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// What kind of value an expression yields, as far as translation must know: `+` on strings is
/// `||`, and a `bit` compared with 1 is a boolean compared with `true`.
enum ValueKind: Sendable, Equatable {
    case boolean, integer, exactNumber, approximateNumber, string, date, time, dateTime, dateTimeOffset, uuid, binary, xml, unknown

    init(_ type: SQLServerDataType) {
        switch type.category {
        case .boolean: self = .boolean
        case .integer: self = .integer
        case .exactNumeric: self = .exactNumber
        case .approximateNumeric: self = .approximateNumber
        case .date: self = .date
        case .time: self = .time
        case .dateTime: self = .dateTime
        case .dateTimeOffset: self = .dateTimeOffset
        case .characterString: self = type.name == .xml ? .xml : .string
        case .binaryString: self = .binary
        case .uniqueIdentifier: self = .uuid
        case .hierarchyID: self = .string
        case .spatial, .variant: self = .unknown
        }
    }

    var isTemporal: Bool { self == .date || self == .dateTime || self == .dateTimeOffset || self == .time }
}

/// A translated expression: PostgreSQL text and the kind of value it yields.
struct TranslatedExpression {
    var sql: String
    var kind: ValueKind
    /// Whether the text is a single term (no operator at its top), so it needs no parentheses.
    var isAtomic: Bool

    var parenthesized: String { isAtomic ? sql : "(\(sql))" }
}

/// The columns an expression can see: the tables of a FROM clause (or the one table of a
/// default, check or computed column), with their target names and types; nested for subqueries.
final class TranslationScope {
    struct Source {
        /// Lower-cased names it is known by: its alias, or its name and `schema.name`.
        var keys: Set<String>
        /// What to write before `.column` for a qualified reference (alias or qualified target name).
        var qualifier: String?
        /// Lower-cased source column name → target name and kind; `nil` when the source's columns are unknown.
        var columns: [String: (name: String, kind: ValueKind)]?
    }

    var sources: [Source] = []
    let parent: TranslationScope?

    init(parent: TranslationScope? = nil) { self.parent = parent }

    /// A procedure variable or parameter (`@name`), from the scope that declares variables.
    func variable(_ name: String) -> (name: String, kind: ValueKind)? {
        if let source = sources.first(where: { $0.keys.contains("@variables") }), let found = source.columns?[name.lowercased()] {
            return found
        }
        return parent?.variable(name)
    }

    /// The column a reference names.
    func resolve(_ reference: ColumnReference) -> (qualifier: String?, name: String, kind: ValueKind)? {
        let column = reference.column.value.lowercased()
        if let table = reference.table {
            let key = table.name.value.lowercased()
            let full = table.parts.compactMap { $0?.value.lowercased() }.joined(separator: ".")
            if let source = sources.first(where: { $0.keys.contains(key) || $0.keys.contains(full) }) {
                if let columns = source.columns {
                    guard let found = columns[column] else { return nil }
                    return (source.qualifier, found.name, found.kind)
                }
                return (source.qualifier, column, .unknown)
            }
            return parent?.resolve(reference)
        }
        for source in sources {
            if let found = source.columns?[column] { return (nil, found.name, found.kind) }
        }
        if sources.contains(where: { $0.columns == nil }) { return (nil, column, .unknown) }
        return parent?.resolve(reference)
    }
}

/// Translates T-SQL expressions (defaults, checks, computed columns, index filters, view bodies)
/// to PostgreSQL, rule by rule; anything without a safe rule throws ``Untranslatable``.
struct ExpressionTranslator {
    /// Resolves table names in subqueries and view bodies.
    var queries: QueryTranslator?
    /// Things the user should know although the translation is correct for the usual case.
    var warnings: [String] = []

    init(queries: QueryTranslator? = nil) {
        self.queries = queries
    }

    mutating func translate(_ expression: Expression, scope: TranslationScope) throws(Untranslatable) -> TranslatedExpression {
        switch expression {
        case .literal(let literal):
            return Self.literal(literal)
        case .variable(let name):
            guard let variable = scope.variable(name) else {
                throw Untranslatable("the variable \(name) has no meaning outside a procedure")
            }
            return TranslatedExpression(sql: PostgreSQLNames.quote(variable.name), kind: variable.kind, isAtomic: true)
        case .systemVariable(let name):
            throw Untranslatable("\(name) has no PostgreSQL equivalent")
        case .column(let reference):
            guard let resolved = scope.resolve(reference) else {
                throw Untranslatable("the column \(reference.column.value) is not a column of the referenced tables")
            }
            let name = PostgreSQLNames.quote(resolved.name)
            return TranslatedExpression(sql: resolved.qualifier.map { "\($0).\(name)" } ?? name, kind: resolved.kind, isAtomic: true)
        case .default:
            return TranslatedExpression(sql: "DEFAULT", kind: .unknown, isAtomic: true)
        case .unary(let op, let operand):
            let inner = try translate(operand, scope: scope)
            return TranslatedExpression(sql: "\(op.rawValue)\(inner.parenthesized)", kind: inner.kind, isAtomic: false)
        case .binary(let left, let op, let right):
            return try binary(left, op, right, scope: scope)
        case .not(let inner):
            return TranslatedExpression(sql: "NOT \(try condition(inner, scope: scope).parenthesized)", kind: .boolean, isAtomic: false)
        case .and(let left, let right):
            return TranslatedExpression(
                sql: "\(try condition(left, scope: scope).parenthesized) AND \(try condition(right, scope: scope).parenthesized)",
                kind: .boolean, isAtomic: false)
        case .or(let left, let right):
            return TranslatedExpression(
                sql: "\(try condition(left, scope: scope).parenthesized) OR \(try condition(right, scope: scope).parenthesized)",
                kind: .boolean, isAtomic: false)
        case .isNull(let inner, let negated):
            return TranslatedExpression(
                sql: "\(try translate(inner, scope: scope).parenthesized) IS \(negated ? "NOT " : "")NULL", kind: .boolean, isAtomic: false)
        case .between(let value, let low, let high, let negated):
            let v = try translate(value, scope: scope)
            let l = try operand(low, against: v.kind, scope: scope)
            let h = try operand(high, against: v.kind, scope: scope)
            return TranslatedExpression(
                sql: "\(v.parenthesized) \(negated ? "NOT " : "")BETWEEN \(l.parenthesized) AND \(h.parenthesized)", kind: .boolean,
                isAtomic: false)
        case .like(let value, let pattern, let escape, let negated):
            if case .literal(.string(let text, _)) = pattern, text.contains("[") {
                throw Untranslatable("the LIKE pattern '\(text)' uses a [character class], which PostgreSQL's LIKE does not have")
            }
            let v = try translate(value, scope: scope)
            let p = try translate(pattern, scope: scope)
            var sql = "\(v.parenthesized) \(negated ? "NOT " : "")LIKE \(p.parenthesized)"
            if let escape { sql += " ESCAPE \(try translate(escape, scope: scope).parenthesized)" }
            warnings.append("LIKE is case-sensitive in PostgreSQL; SQL Server's default collation is not")
            return TranslatedExpression(sql: sql, kind: .boolean, isAtomic: false)
        case .inList(let value, let list, let negated):
            let v = try translate(value, scope: scope)
            var items: [String] = []
            for item in list { items.append(try operand(item, against: v.kind, scope: scope).sql) }
            return TranslatedExpression(
                sql: "\(v.parenthesized) \(negated ? "NOT " : "")IN (\(items.joined(separator: ", ")))", kind: .boolean, isAtomic: false)
        case .inSubquery(let value, let query, let negated):
            let v = try translate(value, scope: scope)
            return TranslatedExpression(
                sql: "\(v.parenthesized) \(negated ? "NOT " : "")IN (\(try subquery(query, scope: scope)))", kind: .boolean, isAtomic: false)
        case .exists(let query):
            return TranslatedExpression(sql: "EXISTS (\(try subquery(query, scope: scope)))", kind: .boolean, isAtomic: true)
        case .quantified(let value, let op, let quantifier, let query):
            let v = try translate(value, scope: scope)
            return TranslatedExpression(
                sql: "\(v.parenthesized) \(Self.comparison(op)) \(quantifier.rawValue) (\(try subquery(query, scope: scope)))",
                kind: .boolean, isAtomic: false)
        case .subquery(let query):
            return TranslatedExpression(sql: "(\(try subquery(query, scope: scope)))", kind: .unknown, isAtomic: true)
        case .case(let caseExpression):
            return try translateCase(caseExpression, scope: scope)
        case .cast(let value, let type, let isTry):
            guard !isTry else { throw Untranslatable("TRY_CAST has no PostgreSQL equivalent: a failing cast raises an error") }
            return try cast(value, to: type, scope: scope)
        case .convert(let type, let value, let style, let isTry):
            guard !isTry else { throw Untranslatable("TRY_CONVERT has no PostgreSQL equivalent: a failing cast raises an error") }
            guard let style else { return try cast(value, to: type, scope: scope) }
            return try convertWithStyle(type, value, style: style, scope: scope)
        case .function(let call):
            return try function(call, scope: scope)
        case .niladic(let name):
            switch name.uppercased() {
            case "CURRENT_TIMESTAMP": return TranslatedExpression(sql: "LOCALTIMESTAMP", kind: .dateTime, isAtomic: true)
            case "CURRENT_USER", "USER", "SESSION_USER": return TranslatedExpression(sql: "CURRENT_USER", kind: .string, isAtomic: true)
            case "SYSTEM_USER": return TranslatedExpression(sql: "SESSION_USER", kind: .string, isAtomic: true)
            default: throw Untranslatable("\(name) has no PostgreSQL equivalent")
            }
        case .collate:
            throw Untranslatable("COLLATE names a SQL Server collation; choose a PostgreSQL collation (ICU) by hand")
        }
    }

    /// A boolean condition: a bare `bit` value becomes `= true`-free boolean use as is.
    mutating func condition(_ expression: Expression, scope: TranslationScope) throws(Untranslatable) -> TranslatedExpression {
        try translate(expression, scope: scope)
    }

    /// An operand compared with a value of `kind`: the integer constants 0 and 1 become `false`
    /// and `true` next to a boolean (a `bit` column in SQL Server).
    mutating func operand(_ expression: Expression, against kind: ValueKind, scope: TranslationScope) throws(Untranslatable) -> TranslatedExpression {
        let translated = try translate(expression, scope: scope)
        if kind == .boolean, translated.kind == .integer, let value = Self.integerConstant(expression) {
            guard value == 0 || value == 1 else { throw Untranslatable("a bit value compared with \(value)") }
            return TranslatedExpression(sql: value == 1 ? "true" : "false", kind: .boolean, isAtomic: true)
        }
        return translated
    }

    static func integerConstant(_ expression: Expression) -> Int? {
        switch expression {
        case .literal(.integer(let text)): return Int(text)
        case .unary(.minus, .literal(.integer(let text))): return Int(text).map { -$0 }
        default: return nil
        }
    }

    static func literal(_ literal: Literal) -> TranslatedExpression {
        switch literal {
        case .null: return TranslatedExpression(sql: "NULL", kind: .unknown, isAtomic: true)
        case .integer(let text): return TranslatedExpression(sql: text, kind: .integer, isAtomic: true)
        case .decimal(let text), .money(let text): return TranslatedExpression(sql: text, kind: .exactNumber, isAtomic: true)
        case .float(let text): return TranslatedExpression(sql: text, kind: .approximateNumber, isAtomic: true)
        case .string(let text, _): return TranslatedExpression(sql: PostgreSQLNames.literal(text), kind: .string, isAtomic: true)
        case .binary(let hex): return TranslatedExpression(sql: "'\\x\(hex)'::bytea", kind: .binary, isAtomic: true)
        }
    }

    static func comparison(_ op: BinaryOperator) -> String {
        switch op {
        case .notEqualBang: "<>"
        case .notLess: ">="
        case .notGreater: "<="
        case .bitwiseXor: "#"
        default: op.rawValue
        }
    }

    private mutating func binary(_ left: Expression, _ op: BinaryOperator, _ right: Expression, scope: TranslationScope) throws(Untranslatable) -> TranslatedExpression {
        if op.isComparison {
            let l = try translate(left, scope: scope)
            let r = try operand(right, against: l.kind, scope: scope)
            let l2 = l.kind == .integer && r.kind == .boolean ? try operand(left, against: .boolean, scope: scope) : l
            return TranslatedExpression(sql: "\(l2.parenthesized) \(Self.comparison(op)) \(r.parenthesized)", kind: .boolean, isAtomic: false)
        }
        let l = try translate(left, scope: scope)
        let r = try translate(right, scope: scope)
        if op == .add, l.kind == .string || r.kind == .string {
            return TranslatedExpression(sql: "\(l.parenthesized) || \(r.parenthesized)", kind: .string, isAtomic: false)
        }
        if op == .add || op == .subtract, l.kind.isTemporal || r.kind.isTemporal {
            throw Untranslatable("date arithmetic with + and - counts days in SQL Server; write it with intervals in PostgreSQL")
        }
        if l.kind == .boolean || r.kind == .boolean {
            throw Untranslatable("arithmetic on a bit value; PostgreSQL's boolean needs an explicit ::integer")
        }
        let kind: ValueKind =
            l.kind == .approximateNumber || r.kind == .approximateNumber ? .approximateNumber
            : l.kind == .exactNumber || r.kind == .exactNumber ? .exactNumber
            : l.kind == .integer && r.kind == .integer ? .integer : .unknown
        if op == .divide, kind == .unknown {
            warnings.append("division: SQL Server truncates integer division as PostgreSQL does, but check the operand types")
        }
        return TranslatedExpression(sql: "\(l.parenthesized) \(Self.comparison(op)) \(r.parenthesized)", kind: kind, isAtomic: false)
    }

    private mutating func translateCase(_ expression: CaseExpression, scope: TranslationScope) throws(Untranslatable) -> TranslatedExpression {
        var sql = "CASE"
        var operandKind: ValueKind?
        if let operand = expression.operand {
            let translated = try translate(operand, scope: scope)
            operandKind = translated.kind
            sql += " \(translated.parenthesized)"
        }
        var kind: ValueKind = .unknown
        for clause in expression.whenClauses {
            let when: TranslatedExpression
            if let operandKind {
                when = try operand(clause.when, against: operandKind, scope: scope)
            } else {
                when = try condition(clause.when, scope: scope)
            }
            let then = try translate(clause.then, scope: scope)
            if kind == .unknown { kind = then.kind }
            sql += " WHEN \(when.sql) THEN \(then.sql)"
        }
        if let elseResult = expression.elseResult {
            let translated = try translate(elseResult, scope: scope)
            if kind == .unknown { kind = translated.kind }
            sql += " ELSE \(translated.sql)"
        }
        return TranslatedExpression(sql: sql + " END", kind: kind, isAtomic: true)
    }

    /// The PostgreSQL type for a T-SQL type named in CAST/CONVERT.
    static func targetType(_ type: DataType) throws(Untranslatable) -> (declaration: String, kind: ValueKind) {
        var text = TSQLPrinter.print(type)
        // CAST(x AS varchar) without a length is varchar(30) in SQL Server.
        if type.arguments.isEmpty, let system = type.systemType, [.char, .varchar, .nchar, .nvarchar, .binary, .varbinary].contains(system) {
            text += "(30)"
        }
        guard let parsed = try? SQLServerDataType(declaration: text) else {
            throw Untranslatable("the type \(text) is not a system type Ferry can map")
        }
        return (parsed.postgreSQLType.declaration, ValueKind(parsed))
    }

    private mutating func cast(_ value: Expression, to type: DataType, scope: TranslationScope) throws(Untranslatable) -> TranslatedExpression {
        let target = try Self.targetType(type)
        let inner = try translate(value, scope: scope)
        if inner.kind == .boolean, target.kind == .string {
            return TranslatedExpression(sql: "CAST(CAST(\(inner.sql) AS integer) AS \(target.declaration))", kind: .string, isAtomic: true)
        }
        if inner.kind.isTemporal, target.kind == .string {
            throw Untranslatable("a date/time converted to text without a style prints differently in PostgreSQL (ISO format); choose a to_char() format")
        }
        return TranslatedExpression(sql: "CAST(\(inner.sql) AS \(target.declaration))", kind: target.kind, isAtomic: true)
    }

    private mutating func convertWithStyle(_ type: DataType, _ value: Expression, style: Expression, scope: TranslationScope) throws(Untranslatable) -> TranslatedExpression {
        let target = try Self.targetType(type)
        let inner = try translate(value, scope: scope)
        guard target.kind == .string, inner.kind.isTemporal, let code = Self.integerConstant(style) else {
            throw Untranslatable("CONVERT with style \(TSQLPrinter.print(style)) has no rule")
        }
        let formats = [
            1: "MM/DD/YY", 101: "MM/DD/YYYY", 3: "DD/MM/YY", 103: "DD/MM/YYYY", 4: "DD.MM.YY", 104: "DD.MM.YYYY",
            12: "YYMMDD", 112: "YYYYMMDD", 8: "HH24:MI:SS", 108: "HH24:MI:SS", 23: "YYYY-MM-DD", 20: "YYYY-MM-DD HH24:MI:SS",
            120: "YYYY-MM-DD HH24:MI:SS", 21: "YYYY-MM-DD HH24:MI:SS.MS", 121: "YYYY-MM-DD HH24:MI:SS.MS",
            126: "YYYY-MM-DD\"T\"HH24:MI:SS.MS",
        ]
        guard let format = formats[code] else { throw Untranslatable("CONVERT style \(code) has no to_char() rule") }
        return TranslatedExpression(
            sql: "CAST(to_char(\(inner.sql), \(PostgreSQLNames.literal(format))) AS \(target.declaration))", kind: .string, isAtomic: true)
    }

    private mutating func subquery(_ query: Query, scope: TranslationScope) throws(Untranslatable) -> String {
        guard var queries else { throw Untranslatable("a subquery here cannot be translated") }
        let sql = try queries.translate(query, parent: scope, expressions: &self)
        self.queries = queries
        return sql
    }
}
