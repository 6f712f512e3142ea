import FerryCore
import TSQL

/// Translates T-SQL queries (view bodies, subqueries) to PostgreSQL: names through the
/// conversion's naming, `TOP` to `LIMIT`, `APPLY` to `LATERAL`, hints dropped.
struct QueryTranslator {
    let catalog: SourceCatalog
    let naming: ConversionNaming
    /// The schema one-part names are looked up in first (the module's schema), then `dbo`.
    let defaultSchema: String
    /// Views already converted: lower-cased `schema.name` → target name and output columns.
    var views: [String: (target: String, columns: [String])]
    /// Lower-cased `schema.name` of every object the query referenced.
    var references: Set<String> = []

    init(catalog: SourceCatalog, naming: ConversionNaming, defaultSchema: String, views: [String: (target: String, columns: [String])] = [:]) {
        self.catalog = catalog
        self.naming = naming
        self.defaultSchema = defaultSchema
        self.views = views
    }

    /// A whole query, with its own expression translator collecting warnings.
    mutating func translate(_ query: Query, warnings: inout [String]) throws(Untranslatable) -> String {
        var expressions = ExpressionTranslator(queries: self)
        let sql = try translate(query, parent: nil, expressions: &expressions)
        warnings.append(contentsOf: expressions.warnings)
        if let inner = expressions.queries { references.formUnion(inner.references) }
        return sql
    }

    mutating func translate(_ query: Query, parent: TranslationScope?, expressions: inout ExpressionTranslator) throws(Untranslatable) -> String {
        guard query.options.isEmpty else { throw Untranslatable("OPTION (\(query.options.joined(separator: ", "))) query hints have no PostgreSQL equivalent") }
        var sql = ""
        let scope = TranslationScope(parent: parent)
        if !query.commonTableExpressions.isEmpty {
            var parts: [String] = []
            var recursive = false
            for cte in query.commonTableExpressions {
                let name = cte.name.value.lowercased()
                // A CTE that names itself is recursive.
                let body = TSQLPrinter.print(cte.query).lowercased()
                if body.contains(name) { recursive = true }
                scope.sources.append(.init(keys: [name], qualifier: PostgreSQLNames.quote(name), columns: nil))
                let columns = cte.columns.isEmpty ? "" : " (" + cte.columns.map { PostgreSQLNames.quote(naming.object($0.value)) }.joined(separator: ", ") + ")"
                parts.append("\(PostgreSQLNames.quote(name))\(columns) AS (\(try translate(cte.query, parent: scope, expressions: &expressions)))")
            }
            sql += "WITH \(recursive ? "RECURSIVE " : "")" + parts.joined(separator: ", ") + " "
        }
        var limit: String?
        sql += try body(query.body, scope: scope, limit: &limit, expressions: &expressions)
        if let orderBy = query.orderBy {
            // ORDER BY sees the select list's aliases and the FROM tables of the (single) SELECT.
            let orderScope = lastScope ?? scope
            sql += " ORDER BY " + (try expressions.orderBy(orderBy.items, scope: orderScope))
            if let offset = orderBy.offset { sql += " OFFSET \(try expressions.translate(offset, scope: orderScope).sql)" }
            if let fetch = orderBy.fetch { sql += " FETCH NEXT \(try expressions.translate(fetch, scope: orderScope).sql) ROWS ONLY" }
        }
        if let limit { sql += " " + limit }
        return sql
    }

    /// The scope of the last SELECT translated, for its ORDER BY.
    private var lastScope: TranslationScope? { _lastScope.value }
    private let _lastScope = Box()
    final class Box { var value: TranslationScope? }

    private mutating func body(_ body: QueryExpression, scope: TranslationScope, limit: inout String?, expressions: inout ExpressionTranslator) throws(Untranslatable) -> String {
        switch body {
        case .select(let specification):
            return try select(specification, parent: scope, limit: &limit, expressions: &expressions)
        case .setOperation(let left, let op, let right):
            var ignored: String?
            let l = try self.body(left, scope: scope, limit: &ignored, expressions: &expressions)
            let r = try self.body(right, scope: scope, limit: &ignored, expressions: &expressions)
            guard ignored == nil else { throw Untranslatable("TOP inside a set operation") }
            return "\(l) \(op.rawValue) \(r)"
        case .parenthesized(let query):
            return "(\(try translate(query, parent: scope, expressions: &expressions)))"
        }
    }

    private mutating func select(_ select: QuerySpecification, parent: TranslationScope, limit: inout String?, expressions: inout ExpressionTranslator) throws(Untranslatable) -> String {
        guard select.into == nil else { throw Untranslatable("SELECT … INTO creates a table") }
        let scope = TranslationScope(parent: parent)
        var from: [String] = []
        for source in select.from { from.append(try tableSource(source, scope: scope, expressions: &expressions)) }
        var items: [String] = []
        var aliases: [String: (name: String, kind: ValueKind)] = [:]
        for item in select.items {
            switch item {
            case .star(let qualifier):
                if let qualifier {
                    let key = qualifier.name.value.lowercased()
                    guard let source = scope.sources.first(where: { $0.keys.contains(key) }) else { throw Untranslatable("\(qualifier).* names no table of the FROM clause") }
                    items.append("\(source.qualifier ?? PostgreSQLNames.quote(key)).*")
                } else {
                    items.append("*")
                }
            case .expression(let expression, let alias):
                let translated = try expressions.translate(expression, scope: scope)
                if let alias {
                    let name = naming.object(alias.value)
                    aliases[alias.value.lowercased()] = (name, translated.kind)
                    items.append("\(translated.sql) AS \(PostgreSQLNames.quote(name))")
                } else {
                    items.append(translated.sql)
                }
            case .assignment:
                throw Untranslatable("a SELECT that assigns variables belongs in a procedure")
            }
        }
        var sql = "SELECT " + (select.isDistinct ? "DISTINCT " : "") + items.joined(separator: ", ")
        if !from.isEmpty { sql += " FROM " + from.joined(separator: ", ") }
        if let whereClause = select.whereClause { sql += " WHERE " + (try expressions.condition(whereClause, scope: scope).sql) }
        if !select.groupBy.isEmpty {
            var groups: [String] = []
            for expression in select.groupBy { groups.append(try expressions.translate(expression, scope: scope).sql) }
            sql += " GROUP BY " + groups.joined(separator: ", ")
        }
        if let having = select.having { sql += " HAVING " + (try expressions.condition(having, scope: scope).sql) }
        if let top = select.top {
            let count = try expressions.translate(top.count, scope: scope).sql
            if top.isPercent {
                guard count == "100" else { throw Untranslatable("TOP … PERCENT has no PostgreSQL equivalent") }
                expressions.warnings.append("TOP 100 PERCENT was dropped: it only let SQL Server accept ORDER BY in a view")
            } else {
                limit = top.withTies ? "FETCH FIRST \(count) ROWS WITH TIES" : "LIMIT \(count)"
            }
        }
        // ORDER BY may name select-list aliases.
        let orderScope = TranslationScope(parent: scope)
        orderScope.sources.append(.init(keys: [], qualifier: nil, columns: aliases))
        _lastScope.value = orderScope
        return sql
    }

    /// The target name and columns of a table or view the query names.
    private mutating func resolveTable(_ name: ObjectName) throws(Untranslatable) -> (target: String, columns: [String: (name: String, kind: ValueKind)]?) {
        if let database = name.database, database.value.lowercased() != catalog.database.lowercased() {
            throw Untranslatable("\(name) is in another database")
        }
        let schemas = name.schema.map { [$0.value] } ?? [defaultSchema, "dbo"]
        for schema in schemas {
            if let table = catalog.table(schema: schema, name: name.name.value) {
                references.insert("\(table.schema).\(table.name)".lowercased())
                let target = PostgreSQLNames.qualified(naming.schema(catalog.database, table.schema), naming.table(table.schema, table.name))
                var columns: [String: (name: String, kind: ValueKind)] = [:]
                for column in table.columns {
                    columns[column.name.lowercased()] = (naming.column(table.schema, table.name, column.name), ValueKind(column.type))
                }
                return (target, columns)
            }
            let key = "\(schema).\(name.name.value)".lowercased()
            if let view = views[key] {
                references.insert(key)
                var columns: [String: (name: String, kind: ValueKind)] = [:]
                for column in view.columns { columns[column.lowercased()] = (naming.object(column), .unknown) }
                return (view.target, columns.isEmpty ? nil : columns)
            }
        }
        throw Untranslatable("\(name) is not a converted table or view (not selected, or not converted)")
    }

    private mutating func tableSource(_ source: TableSource, scope: TranslationScope, expressions: inout ExpressionTranslator) throws(Untranslatable) -> String {
        switch source {
        case .table(let name, let alias, let hints):
            if !hints.isEmpty {
                expressions.warnings.append("table hints (\(hints.map(\.name).joined(separator: ", "))) were dropped: PostgreSQL has none")
            }
            // A CTE of an enclosing query.
            if name.partCount == 1, scope.parent?.findSource(name.name.value.lowercased()) != nil {
                let cte = PostgreSQLNames.quote(name.name.value.lowercased())
                let aliasName = alias.map { PostgreSQLNames.quote(naming.object($0.value)) }
                scope.sources.append(.init(keys: [alias?.value.lowercased() ?? name.name.value.lowercased()], qualifier: aliasName ?? cte, columns: nil))
                return cte + (aliasName.map { " AS \($0)" } ?? "")
            }
            let resolved = try resolveTable(name)
            if let alias {
                let aliasName = PostgreSQLNames.quote(naming.object(alias.value))
                scope.sources.append(.init(keys: [alias.value.lowercased()], qualifier: aliasName, columns: resolved.columns))
                return "\(resolved.target) AS \(aliasName)"
            }
            let keys: Set<String> = [name.name.value.lowercased(), name.parts.compactMap { $0?.value.lowercased() }.joined(separator: ".")]
            scope.sources.append(.init(keys: keys, qualifier: resolved.target, columns: resolved.columns))
            return resolved.target
        case .variable(let name, _):
            throw Untranslatable("the table variable \(name) exists only in a procedure")
        case .function(let call, _, _):
            throw Untranslatable("the table-valued function \(call.name) must be converted by hand")
        case .derived(let query, let alias, let columns):
            var inner = expressions
            let sql = try translate(query, parent: scope, expressions: &inner)
            expressions = inner
            let aliasName = PostgreSQLNames.quote(naming.object(alias.value))
            scope.sources.append(.init(keys: [alias.value.lowercased()], qualifier: aliasName, columns: nil))
            let list = columns.isEmpty ? "" : " (" + columns.map { PostgreSQLNames.quote(naming.object($0.value)) }.joined(separator: ", ") + ")"
            return "(\(sql)) AS \(aliasName)\(list)"
        case .values(let rows, let alias, let columns):
            var rendered: [String] = []
            for row in rows {
                var values: [String] = []
                for value in row { values.append(try expressions.translate(value, scope: scope).sql) }
                rendered.append("(" + values.joined(separator: ", ") + ")")
            }
            let aliasName = PostgreSQLNames.quote(naming.object(alias.value))
            scope.sources.append(.init(keys: [alias.value.lowercased()], qualifier: aliasName, columns: nil))
            let list = columns.isEmpty ? "" : " (" + columns.map { PostgreSQLNames.quote(naming.object($0.value)) }.joined(separator: ", ") + ")"
            return "(VALUES \(rendered.joined(separator: ", "))) AS \(aliasName)\(list)"
        case .join(let left, let kind, let right, let on):
            let l = try tableSource(left, scope: scope, expressions: &expressions)
            let r = try tableSource(right, scope: scope, expressions: &expressions)
            let join = kind == .inner ? "JOIN" : kind.rawValue
            guard let on else { return "\(l) \(join) \(r)" }
            return "\(l) \(join) \(r) ON \(try expressions.condition(on, scope: scope).sql)"
        case .apply(let left, let isOuter, let right):
            let l = try tableSource(left, scope: scope, expressions: &expressions)
            let r = try tableSource(right, scope: scope, expressions: &expressions)
            return isOuter ? "\(l) LEFT JOIN LATERAL \(r) ON true" : "\(l) CROSS JOIN LATERAL \(r)"
        }
    }
}

extension TranslationScope {
    func findSource(_ key: String) -> Source? {
        sources.first { $0.keys.contains(key) } ?? parent?.findSource(key)
    }
}
