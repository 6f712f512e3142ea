import Postgres
import Synchronization
import TSQL

/// A translated scalar expression: PostgreSQL text plus what SQL Server would say about it.
struct TranslatedExpression: Sendable {
    var sql: String
    /// The SQL Server type, when known (nil for NULL and for values typed only by PostgreSQL).
    var type: SQLServerType?
    var isNullable: Bool = true
    /// Whether the PostgreSQL expression is a boolean condition, not a value.
    var isCondition: Bool = false
    /// The bound column, for a bare column reference.
    var column: BoundColumn? = nil
    /// For a `time(7)`/`datetime2(7)` column or value: the stored composite with the 7th digit,
    /// which ``sql`` (PostgreSQL's microsecond value, for use in expressions) lacks. Carried only
    /// by bare column references, variables and parameters, so that selecting or copying them
    /// keeps 100 ns.
    var seventhDigitSQL: String? = nil
}

/// A translated query: PostgreSQL text and its result columns.
struct TranslatedQuery: Sendable {
    var sql: String
    /// Result columns; `type` nil where only PostgreSQL knows the type.
    var columns: [BoundColumn]
}

/// The session state a translation reads.
struct TranslationContext: Sendable {
    var database: DatabaseRecord
    var variables: [String: Variable]
    var systemValues: [String: (value: String?, type: SQLServerType)]
    /// The error the enclosing CATCH block handles (ERROR_NUMBER() and friends).
    var caughtError: SQLServerError?
    /// Whether the session runs under SNAPSHOT isolation: reading a table of a database that does
    /// not allow it fails with Msg 3952.
    var isSnapshot = false
    /// Where table hints (`TABLOCK`, `HOLDLOCK`, …) record the locks the statement takes.
    var tableLocks: TableLockCollector? = nil
}

/// A local variable: its declared type and its value as PostgreSQL text (nil for NULL).
struct Variable: Sendable {
    var type: SQLServerType
    var text: String?
}

/// Translates T-SQL ASTs to PostgreSQL statements, binding names against the catalog.
///
/// Translation works on the tree only: every name is resolved through the catalog and re-emitted
/// as a quoted PostgreSQL identifier, every value as a PostgreSQL literal; T-SQL text is never
/// rewritten.
struct Translator: Sendable {
    let catalog: Catalog
    let context: TranslationContext
    /// Numbers PostgreSQL aliases (`t1`, `t2`, …) so that nested queries never clash.
    private let aliasCounter = AliasCounter()

    init(catalog: Catalog, context: TranslationContext) {
        self.catalog = catalog
        self.context = context
    }

    func nextAlias() -> String { "t\(aliasCounter.next())" }

    // MARK: Tables

    /// The table (or, with `includingViews`, view) an object name refers to, or Msg 208.
    func resolveTable(_ name: ObjectName, includingViews: Bool = false) async throws -> TableRecord {
        if name.server != nil { throw SQLServerError.invalidObjectName(name.description) }
        var database = context.database
        if let databaseName = name.database?.value {
            guard let named = try await catalog.database(named: databaseName) else {
                throw SQLServerError.invalidObjectName(name.description)
            }
            database = named
        }
        let schemaName = name.schema?.value ?? "dbo"
        guard let schema = try await catalog.schema(in: database, named: schemaName),
            let table = try await catalog.table(
                in: database, schema: schema, named: name.name.value, includingViews: includingViews)
        else { throw SQLServerError.invalidObjectName(name.description) }
        if context.isSnapshot, try await !catalog.snapshotIsolationAllowed(databaseID: database.id) {
            throw SQLServerError.snapshotNotAllowed(database.name)
        }
        return table
    }

    /// Records the table lock `hints` ask for (see ``TableLockRequest``), taken when the statement runs.
    func recordLock(_ hints: [TableHint], on table: TableRecord, isTarget: Bool) throws {
        guard let (mode, untilTransactionEnd) = try TableLockRequest.mode(for: hints, isTarget: isTarget) else { return }
        context.tableLocks?.add(TableLockRequest(table: table.pgQualifiedName, mode: mode, untilTransactionEnd: untilTransactionEnd))
    }

    /// The database a (possibly three-part) name points into, or Msg 208.
    func database(of name: ObjectName) async throws -> DatabaseRecord {
        guard let databaseName = name.database?.value else { return context.database }
        guard let named = try await catalog.database(named: databaseName) else {
            throw SQLServerError.invalidObjectName(name.description)
        }
        return named
    }

    /// A table's columns bound under `alias`.
    func bind(_ table: TableRecord, alias pgAlias: String, exposedName: String, nullable: Bool = false) -> BoundSource {
        BoundSource(
            exposedName: exposedName, schemaName: table.schema.name,
            columns: table.definition.columns.map { column in
                BoundColumn(
                    name: column.name, pgExpression: "\(pgAlias).\(PostgresIdentifier.quote(column.pgName))",
                    type: column.type, isNullable: column.isNullable || nullable, isIdentity: column.identity != nil,
                    isStoredComposite: table.type != "V")
            }, table: table, pgAlias: pgAlias)
    }

    // MARK: Queries

    /// Translates a query; `ctes` are the common table expressions in scope.
    func query(_ query: Query, parent: Scope?, ctes: [String: TranslatedQuery] = [:], topLevel: Bool = false) async throws
        -> TranslatedQuery
    {
        var ctes = ctes
        var withClauses: [String] = []
        for cte in query.commonTableExpressions {
            var translated = try await self.query(cte.query, parent: parent, ctes: ctes)
            if !cte.columns.isEmpty {
                guard cte.columns.count == translated.columns.count else {
                    throw SQLServerError(
                        code: .init(8158),
                        message: "'\(cte.name.value)' has more columns than were specified in the column list.",
                        abortsBatch: true)
                }
                for index in translated.columns.indices { translated.columns[index].name = cte.columns[index].value }
            }
            let names = translated.columns.indices.map { "c\($0 + 1)" }
            withClauses.append(
                "\(PostgresIdentifier.quote(cte.name.value.lowercased()))(\(names.joined(separator: ", "))) AS (\(translated.sql))")
            ctes[cte.name.value.lowercased()] = translated
        }
        var sql = withClauses.isEmpty ? "" : "WITH " + withClauses.joined(separator: ", ") + " "
        var topLimit: String?
        let body: TranslatedQuery
        var bodyScope: Scope?
        if case .select(let specification) = query.body {
            let (translated, scope, limit) = try await self.specification(
                specification, parent: parent, ctes: ctes, topLevel: topLevel)
            body = translated
            bodyScope = scope
            topLimit = limit
        } else {
            body = try await queryExpression(query.body, parent: parent, ctes: ctes, topLevel: topLevel)
        }
        sql += body.sql
        if let orderBy = query.orderBy {
            var items: [String] = []
            for item in orderBy.items {
                items.append(
                    try await orderByItem(item, outputs: body.columns, scope: bodyScope, ctes: ctes))
            }
            sql += " ORDER BY " + items.joined(separator: ", ")
            if let offset = orderBy.offset {
                sql += " OFFSET \(try await expression(offset, scope: bodyScope ?? Scope(sources: [], parent: parent), ctes: ctes).sql) ROWS"
            }
            if let fetch = orderBy.fetch {
                sql += " FETCH NEXT \(try await expression(fetch, scope: bodyScope ?? Scope(sources: [], parent: parent), ctes: ctes).sql) ROWS ONLY"
            }
        }
        if let topLimit {
            sql += topLimit
        }
        return TranslatedQuery(sql: sql, columns: body.columns)
    }

    private func orderByItem(_ item: OrderByItem, outputs: [BoundColumn], scope: Scope?, ctes: [String: TranslatedQuery])
        async throws -> String
    {
        let direction = item.direction == .descending ? " DESC" : ""
        switch item.expression {
        case .literal(.integer(let ordinal)):
            return ordinal + direction
        case .column(let reference) where reference.table == nil:
            // SQL Server lets ORDER BY name a select-list alias.
            if let index = outputs.firstIndex(where: { $0.name.lowercased() == reference.column.value.lowercased() }) {
                return "\(index + 1)\(direction)"
            }
        default:
            break
        }
        guard let scope else { throw SQLServerError.invalidColumnName(TSQLPrinter.print(item.expression)) }
        return try await expression(item.expression, scope: scope, ctes: ctes).sql + direction
    }

    private func queryExpression(_ body: QueryExpression, parent: Scope?, ctes: [String: TranslatedQuery], topLevel: Bool)
        async throws -> TranslatedQuery
    {
        switch body {
        case .select(let specification):
            let (translated, _, limit) = try await self.specification(
                specification, parent: parent, ctes: ctes, topLevel: topLevel)
            guard let limit else { return translated }
            return TranslatedQuery(sql: "(\(translated.sql)\(limit))", columns: translated.columns)
        case .parenthesized(let inner):
            let translated = try await query(inner, parent: parent, ctes: ctes, topLevel: topLevel)
            return TranslatedQuery(sql: "(\(translated.sql))", columns: translated.columns)
        case .setOperation(let left, let op, let right):
            let leftQuery = try await queryExpression(left, parent: parent, ctes: ctes, topLevel: topLevel)
            let rightQuery = try await queryExpression(right, parent: parent, ctes: ctes, topLevel: topLevel)
            guard leftQuery.columns.count == rightQuery.columns.count else {
                throw SQLServerError(
                    code: .init(205),
                    message: "All queries combined using a UNION, INTERSECT or EXCEPT operator must have an equal number of expressions in their target lists.",
                    abortsBatch: true)
            }
            var columns = leftQuery.columns
            for index in columns.indices {
                columns[index].type = Types.higher(columns[index].type, rightQuery.columns[index].type)
                columns[index].isNullable = columns[index].isNullable || rightQuery.columns[index].isNullable
                columns[index].isIdentity = false
            }
            return TranslatedQuery(sql: "\(leftQuery.sql) \(op.rawValue) \(rightQuery.sql)", columns: columns)
        }
    }

    /// A SELECT: its text, the scope of its FROM clause, and its TOP as a `LIMIT`/`FETCH` suffix.
    private func specification(
        _ specification: QuerySpecification, parent: Scope?, ctes: [String: TranslatedQuery], topLevel: Bool
    ) async throws -> (TranslatedQuery, Scope, String?) {
        if specification.into != nil { throw SQLServerError.notSupported("SELECT INTO") }
        var sources: [BoundSource] = []
        var fromParts: [String] = []
        for source in specification.from {
            fromParts.append(try await tableSource(source, into: &sources, parent: parent, ctes: ctes, nullable: false))
        }
        let scope = Scope(sources: sources, parent: parent)
        var items: [String] = []
        var columns: [BoundColumn] = []
        func add(_ translated: TranslatedExpression, name: String, isIdentity: Bool) {
            var sql = translated.sql
            if translated.isCondition {
                sql = "CASE WHEN \(sql) THEN 1 ELSE 0 END"
            }
            if topLevel, translated.type?.base == .datetimeoffset {
                sql = "sqlserver_catalog.datetimeoffset_text(\(sql))"
            }
            if topLevel, let exact = translated.seventhDigitSQL, let text = translated.type?.seventhDigitText(exact) {
                sql = text
            }
            let pgName = "c\(columns.count + 1)"
            items.append("\(sql) AS \(pgName)")
            columns.append(
                BoundColumn(
                    name: name, pgExpression: pgName, type: translated.type, isNullable: translated.isNullable,
                    isIdentity: isIdentity))
        }
        for item in specification.items {
            switch item {
            case .star(let qualifier):
                if specification.from.isEmpty {
                    throw SQLServerError(
                        code: .init(263), message: "Must specify table to select from.", abortsBatch: true)
                }
                for column in try scope.starColumns(qualifier: qualifier) {
                    add(
                        Self.reference(column),
                        name: column.name, isIdentity: column.isIdentity)
                }
            case .expression(let expression, let alias):
                let translated = try await self.expression(expression, scope: scope, ctes: ctes)
                let name = alias?.value ?? translated.column?.name ?? ""
                add(translated, name: name, isIdentity: alias == nil && (translated.column?.isIdentity ?? false))
            case .assignment:
                throw SQLServerError(
                    code: .init(141),
                    message: "A SELECT statement that assigns a value to a variable must not be combined with data-retrieval operations.",
                    abortsBatch: true)
            }
        }
        var sql = "SELECT " + (specification.isDistinct ? "DISTINCT " : "") + items.joined(separator: ", ")
        if !fromParts.isEmpty { sql += " FROM " + fromParts.joined(separator: ", ") }
        if let condition = specification.whereClause {
            sql += " WHERE " + (try await self.condition(condition, scope: scope, ctes: ctes))
        }
        if !specification.groupBy.isEmpty {
            var keys: [String] = []
            for key in specification.groupBy { keys.append(try await expression(key, scope: scope, ctes: ctes).sql) }
            sql += " GROUP BY " + keys.joined(separator: ", ")
        }
        if let having = specification.having {
            sql += " HAVING " + (try await condition(having, scope: scope, ctes: ctes))
        }
        var limit: String?
        if let top = specification.top {
            if top.isPercent { throw SQLServerError.notSupported("TOP PERCENT") }
            let count = try await expression(top.count, scope: Scope(sources: [], parent: parent), ctes: ctes).sql
            limit = top.withTies ? " FETCH FIRST (\(count)) ROWS WITH TIES" : " LIMIT (\(count))"
        }
        return (TranslatedQuery(sql: sql, columns: columns), scope, limit)
    }

    /// Translates a FROM item, appending the sources it makes visible.
    func tableSource(
        _ source: TableSource, into sources: inout [BoundSource], parent: Scope?, ctes: [String: TranslatedQuery],
        nullable: Bool
    ) async throws -> String {
        switch source {
        case .table(let name, let alias, let hints):
            let exposed = alias?.value ?? name.name.value
            if name.partCount == 1, let cte = ctes[name.name.value.lowercased()] {
                let pgAlias = nextAlias()
                sources.append(
                    BoundSource(
                        exposedName: exposed, schemaName: nil,
                        columns: cte.columns.enumerated().map { index, column in
                            BoundColumn(
                                name: column.name, pgExpression: "\(pgAlias).c\(index + 1)", type: column.type,
                                isNullable: column.isNullable || nullable, isIdentity: column.isIdentity)
                        }))
                return "\(PostgresIdentifier.quote(name.name.value.lowercased())) AS \(pgAlias)"
            }
            if SystemViews.isSystem(name),
                let contents = try await SystemViews.contents(of: name, catalog: catalog, database: try await database(of: name))
            {
                let pgAlias = nextAlias()
                sources.append(
                    BoundSource(
                        exposedName: exposed, schemaName: alias == nil ? name.schema?.value : nil,
                        columns: contents.columns.enumerated().map { index, column in
                            BoundColumn(
                                name: column.name, pgExpression: "\(pgAlias).c\(index + 1)", type: column.type,
                                isNullable: column.isNullable || nullable, isIdentity: false)
                        }))
                return SystemViews.fromItem(contents, alias: pgAlias)
            }
            let table = try await resolveTable(name, includingViews: true)
            try recordLock(hints, on: table, isTarget: false)
            let pgAlias = nextAlias()
            var bound = bind(table, alias: pgAlias, exposedName: exposed, nullable: nullable)
            if alias != nil { bound.schemaName = nil }
            sources.append(bound)
            return "\(table.pgQualifiedName) AS \(pgAlias)"
        case .derived(let query, let alias, let columnNames):
            let translated = try await self.query(query, parent: parent, ctes: ctes)
            let pgAlias = nextAlias()
            var columns: [BoundColumn] = []
            for (index, column) in translated.columns.enumerated() {
                let name = index < columnNames.count ? columnNames[index].value : column.name
                if name.isEmpty {
                    throw SQLServerError(
                        code: .init(8155),
                        message: "No column name was specified for column \(index + 1) of '\(alias.value)'.",
                        abortsBatch: true)
                }
                columns.append(
                    BoundColumn(
                        name: name, pgExpression: "\(pgAlias).c\(index + 1)", type: column.type,
                        isNullable: column.isNullable || nullable, isIdentity: column.isIdentity))
            }
            sources.append(BoundSource(exposedName: alias.value, schemaName: nil, columns: columns))
            return "(\(translated.sql)) AS \(pgAlias)"
        case .values(let rows, let alias, let columnNames):
            let pgAlias = nextAlias()
            var rowTexts: [String] = []
            var types: [SQLServerType?] = Array(repeating: nil, count: columnNames.count)
            let empty = Scope(sources: [], parent: parent)
            for row in rows {
                var values: [String] = []
                for (index, value) in row.enumerated() {
                    let translated = try await expression(value, scope: empty, ctes: ctes)
                    if index < types.count { types[index] = Types.higher(types[index], translated.type) }
                    values.append(translated.sql)
                }
                rowTexts.append("(" + values.joined(separator: ", ") + ")")
            }
            let names = columnNames.indices.map { "c\($0 + 1)" }
            sources.append(
                BoundSource(
                    exposedName: alias.value, schemaName: nil,
                    columns: columnNames.enumerated().map { index, name in
                        BoundColumn(
                            name: name.value, pgExpression: "\(pgAlias).c\(index + 1)", type: types[index],
                            isNullable: true, isIdentity: false)
                    }))
            return "(VALUES \(rowTexts.joined(separator: ", "))) AS \(pgAlias)(\(names.joined(separator: ", ")))"
        case .join(let left, let kind, let right, let on):
            let leftNullable = nullable || kind == .right || kind == .full
            let rightNullable = nullable || kind == .left || kind == .full
            let leftSQL = try await tableSource(left, into: &sources, parent: parent, ctes: ctes, nullable: leftNullable)
            let rightSQL = try await tableSource(right, into: &sources, parent: parent, ctes: ctes, nullable: rightNullable)
            var sql = "\(leftSQL) \(kind.rawValue) \(rightSQL)"
            if let on {
                sql += " ON " + (try await condition(on, scope: Scope(sources: sources, parent: parent), ctes: ctes))
            }
            return "(\(sql))"
        case .variable:
            throw SQLServerError.notSupported("table variables")
        case .function(let call, let alias, _):
            // cdc.fn_cdc_get_all_changes_<ci> / fn_cdc_get_net_changes_<ci> (CDC/Translator+CDC.swift).
            if let item = try await cdcTableFunction(call, alias: alias, into: &sources, parent: parent, ctes: ctes, nullable: nullable) {
                return item
            }
            throw SQLServerError.invalidObjectName(call.name.description)
        case .apply(let left, let isOuter, let right):
            // The right side is evaluated per left row and may refer to the left's columns: a
            // LATERAL item in PostgreSQL. OUTER APPLY keeps left rows the right side has no row for.
            let leftSQL = try await tableSource(left, into: &sources, parent: parent, ctes: ctes, nullable: nullable)
            let correlated = Scope(sources: sources, parent: parent)
            let rightSQL = try await tableSource(right, into: &sources, parent: correlated, ctes: ctes, nullable: nullable || isOuter)
            let lateral: String
            switch right {
            case .derived, .values, .function: lateral = "LATERAL " + rightSQL
            default: lateral = rightSQL
            }
            return isOuter ? "(\(leftSQL) LEFT JOIN \(lateral) ON TRUE)" : "(\(leftSQL) CROSS JOIN \(lateral))"
        }
    }

    // MARK: Conditions and expressions

    /// A boolean condition.
    func condition(_ expression: Expression, scope: Scope, ctes: [String: TranslatedQuery] = [:]) async throws -> String {
        let translated = try await self.expression(expression, scope: scope, ctes: ctes)
        guard translated.isCondition else {
            throw SQLServerError(
                code: .init(4145), severity: 15,
                message: "An expression of non-boolean type specified in a context where a condition is expected, near '\(TSQLPrinter.print(expression))'.",
                abortsBatch: true)
        }
        return translated.sql
    }

    /// A bound column as an expression; a stored `time(7)`/`datetime2(7)` reads as its microsecond
    /// value and carries the composite with the 7th digit.
    static func reference(_ column: BoundColumn) -> TranslatedExpression {
        if let type = column.type, type.hasSeventhDigit, column.isStoredComposite {
            return TranslatedExpression(
                sql: "(\(column.pgExpression)).v", type: type, isNullable: column.isNullable, column: column,
                seventhDigitSQL: column.pgExpression)
        }
        return TranslatedExpression(sql: column.pgExpression, type: column.type, isNullable: column.isNullable, column: column)
    }

    /// A scalar expression or condition.
    func expression(_ expression: Expression, scope: Scope, ctes: [String: TranslatedQuery] = [:]) async throws
        -> TranslatedExpression
    {
        switch expression {
        case .literal(let literal):
            return Self.literal(literal)
        case .variable(let name):
            guard let variable = context.variables[name.lowercased()] else {
                throw SQLServerError.undeclaredVariable(name)
            }
            var translated = TranslatedExpression(sql: Self.valueSQL(variable.text, type: variable.type), type: variable.type)
            if let text = variable.text { translated.seventhDigitSQL = variable.type.seventhDigitValue(fromText: PostgresLiteral.quote(text)) }
            return translated
        case .systemVariable(let name):
            guard let value = context.systemValues[name.uppercased()] else {
                throw SQLServerError(
                    code: .init(137), severity: 15, message: "Must declare the scalar variable \"\(name)\".",
                    abortsBatch: true)
            }
            var translated = TranslatedExpression(sql: Self.valueSQL(value.value, type: value.type), type: value.type)
            if let text = value.value { translated.seventhDigitSQL = value.type.seventhDigitValue(fromText: PostgresLiteral.quote(text)) }
            return translated
        case .column(let reference):
            do {
                return Self.reference(try scope.resolve(reference))
            } catch {
                // `node.Property`: a property of a CLR-typed column (Translator+CLRMethods.swift).
                if let property = try clrProperty(reference, scope: scope) { return property }
                throw error
            }
        case .default:
            throw SQLServerError(
                code: .incorrectSyntaxNearKeyword, severity: 15, message: "Incorrect syntax near the keyword 'DEFAULT'.",
                abortsBatch: true)
        case .unary(let op, let operand):
            let inner = try await self.expression(operand, scope: scope, ctes: ctes)
            switch op {
            case .minus: return TranslatedExpression(sql: "(-\(inner.sql))", type: inner.type)
            case .plus: return inner
            case .bitwiseNot: return TranslatedExpression(sql: "(~\(inner.sql))", type: inner.type)
            }
        case .binary(let left, let op, let right):
            return try await binary(left, op, right, scope: scope, ctes: ctes)
        case .not(let inner):
            return .condition("(NOT \(try await condition(inner, scope: scope, ctes: ctes)))")
        case .and(let left, let right):
            let l = try await condition(left, scope: scope, ctes: ctes)
            let r = try await condition(right, scope: scope, ctes: ctes)
            return .condition("(\(l) AND \(r))")
        case .or(let left, let right):
            let l = try await condition(left, scope: scope, ctes: ctes)
            let r = try await condition(right, scope: scope, ctes: ctes)
            return .condition("(\(l) OR \(r))")
        case .isNull(let inner, let negated):
            let value = try await self.expression(inner, scope: scope, ctes: ctes)
            return .condition("(\(value.sql) IS \(negated ? "NOT " : "")NULL)")
        case .between(let value, let low, let high, let negated):
            let v = try await self.expression(value, scope: scope, ctes: ctes)
            let l = try await self.expression(low, scope: scope, ctes: ctes)
            let h = try await self.expression(high, scope: scope, ctes: ctes)
            let (v1, l1) = coercePair(v, l)
            let (_, h1) = coercePair(v, h)
            return .condition("(\(v1.sql) \(negated ? "NOT " : "")BETWEEN \(l1.sql) AND \(h1.sql))")
        case .like(let value, let pattern, let escape, let negated):
            let v = try await self.expression(value, scope: scope, ctes: ctes)
            let p = try await self.expression(pattern, scope: scope, ctes: ctes)
            // The case-insensitive collation is nondeterministic, which PostgreSQL's LIKE refuses:
            // compare under "C" case-insensitively, as SQL Server's CI collation would. Patterns
            // with [set] classes (or not known until run time) go through a regular expression.
            let escapeSQL = try await escape.asyncMap { try await self.expression($0, scope: scope, ctes: ctes).sql }
            let subject = "(\(v.sql))::text COLLATE \"C\""
            if case .literal(.string(let text, _)) = pattern, !text.contains("[") {
                var sql = "(\(subject) \(negated ? "NOT " : "")ILIKE (\(p.sql))::text COLLATE \"C\""
                if let escapeSQL { sql += " ESCAPE \(escapeSQL)" }
                return .condition(sql + ")")
            }
            let regex = "sqlserver_catalog.like_regex((\(p.sql))::text, \(escapeSQL.map { "(\($0))::text" } ?? "NULL"))"
            return .condition("(\(subject) \(negated ? "!~*" : "~*") \(regex))")
        case .inList(let value, let list, let negated):
            let v = try await self.expression(value, scope: scope, ctes: ctes)
            var items: [String] = []
            for item in list {
                let translated = try await self.expression(item, scope: scope, ctes: ctes)
                items.append(coercePair(v, translated).1.sql)
            }
            return .condition("(\(v.sql) \(negated ? "NOT " : "")IN (\(items.joined(separator: ", "))))")
        case .inSubquery(let value, let query, let negated):
            let v = try await self.expression(value, scope: scope, ctes: ctes)
            let sub = try await self.query(query, parent: scope, ctes: ctes)
            return .condition("(\(v.sql) \(negated ? "NOT " : "")IN (\(sub.sql)))")
        case .exists(let query):
            let sub = try await self.query(query, parent: scope, ctes: ctes)
            return .condition("(EXISTS (\(sub.sql)))")
        case .quantified(let value, let op, let quantifier, let query):
            let v = try await self.expression(value, scope: scope, ctes: ctes)
            let sub = try await self.query(query, parent: scope, ctes: ctes)
            return .condition("(\(v.sql) \(Self.comparison(op)) \(quantifier.rawValue) (\(sub.sql)))")
        case .subquery(let query):
            let sub = try await self.query(query, parent: scope, ctes: ctes)
            guard sub.columns.count == 1 else {
                throw SQLServerError(
                    code: .init(116),
                    message: "Only one expression can be specified in the select list when the subquery is not introduced with EXISTS.",
                    abortsBatch: true)
            }
            return TranslatedExpression(sql: "(\(sub.sql))", type: sub.columns[0].type)
        case .case(let caseExpression):
            return try await caseTranslation(caseExpression, scope: scope, ctes: ctes)
        case .cast(let value, let type, let isTry):
            let target = try await resolveType(type, defaultLength: 30)
            let source = try await self.expression(value, scope: scope, ctes: ctes)
            return isTry ? tryConvert(source, to: target, style: nil) : convert(source, to: target, style: nil)
        case .convert(let type, let value, let style, let isTry):
            let target = try await resolveType(type, defaultLength: 30)
            var styleNumber: Int?
            if case .literal(.integer(let text)) = style { styleNumber = Int(text) }
            let source = try await self.expression(value, scope: scope, ctes: ctes)
            return isTry ? tryConvert(source, to: target, style: styleNumber) : convert(source, to: target, style: styleNumber)
        case .function(let call):
            return try await function(call, scope: scope, ctes: ctes)
        case .niladic(let name):
            switch name {
            case "CURRENT_TIMESTAMP":
                return TranslatedExpression(sql: "statement_timestamp()::timestamp(3)", type: .datetime, isNullable: false)
            case "SYSTEM_USER":
                return TranslatedExpression(sql: "'sa'::text", type: .nvarchar(128), isNullable: false)
            default:
                return TranslatedExpression(sql: "'dbo'::text", type: .nvarchar(128), isNullable: false)
            }
        case .collate(let inner, let collation):
            return try collated(try await self.expression(inner, scope: scope, ctes: ctes), collation: collation.value)
        }
    }

    private func caseTranslation(_ caseExpression: CaseExpression, scope: Scope, ctes: [String: TranslatedQuery])
        async throws -> TranslatedExpression
    {
        var results: [TranslatedExpression] = []
        var whens: [String] = []
        let operand = try await caseExpression.operand.asyncMap { try await self.expression($0, scope: scope, ctes: ctes) }
        for clause in caseExpression.whenClauses {
            let test: String
            if let operand {
                let value = try await self.expression(clause.when, scope: scope, ctes: ctes)
                let (o, v) = coercePair(operand, value)
                test = "\(o.sql) = \(v.sql)"
            } else {
                test = try await condition(clause.when, scope: scope, ctes: ctes)
            }
            whens.append(test)
            results.append(try await self.expression(clause.then, scope: scope, ctes: ctes))
        }
        if let elseResult = caseExpression.elseResult {
            results.append(try await self.expression(elseResult, scope: scope, ctes: ctes))
        }
        let type = results.map(\.type).reduce(nil, Types.higher)
        let converted = results.map { result in type.map { convert(result, to: $0, style: nil, implicit: true) } ?? result }
        var sql = "CASE"
        for (index, test) in whens.enumerated() { sql += " WHEN \(test) THEN \(converted[index].sql)" }
        if caseExpression.elseResult != nil { sql += " ELSE \(converted.last!.sql)" }
        return TranslatedExpression(sql: sql + " END", type: type)
    }

    /// A type named in CAST, CONVERT or DECLARE; alias types resolve through the catalog.
    func resolveType(_ type: DataType, defaultLength: Int = 1) async throws -> SQLServerType {
        if var system = try SQLServerType(systemType: type) {
            if type.arguments.isEmpty, [.char, .varchar, .nchar, .nvarchar, .binary, .varbinary].contains(system.base) {
                system.length = .bounded(defaultLength)
            }
            return system
        }
        let schemaName = type.name.schema?.value ?? "dbo"
        if let schema = try await catalog.schema(in: context.database, named: schemaName),
            let alias = try await catalog.aliasType(in: context.database, schema: schema, named: type.name.name.value)
        {
            return alias.type
        }
        throw SQLServerError.unknownDataType(type.name.description, position: 1)
    }

    private func binary(_ left: Expression, _ op: BinaryOperator, _ right: Expression, scope: Scope, ctes: [String: TranslatedQuery])
        async throws -> TranslatedExpression
    {
        let l = try await expression(left, scope: scope, ctes: ctes)
        let r = try await expression(right, scope: scope, ctes: ctes)
        if op.isComparison {
            let (cl, cr) = coercePair(l, r)
            if cl.type?.isCharacter == true, cr.type?.isCharacter == true {
                // SQL Server pads the shorter string with spaces before comparing (`'a' = 'a  '`
                // is true); trimming trailing spaces from both sides gives the same order.
                return .condition("(rtrim(\(cl.sql), ' ') \(Self.comparison(op)) rtrim(\(cr.sql), ' '))")
            }
            return .condition("(\(cl.sql) \(Self.comparison(op)) \(cr.sql))")
        }
        let type = Types.higher(l.type, r.type)
        if op == .add, type?.isCharacter == true || (l.type == nil && r.type?.isCharacter == true) {
            let resultType = Types.concatenation(l.type, r.type)
            return TranslatedExpression(sql: "((\(l.sql))::text || (\(r.sql))::text)", type: resultType)
        }
        let (cl, cr) = coercePair(l, r)
        let pgOperator: String
        switch op {
        case .bitwiseXor: pgOperator = "#"
        default: pgOperator = op.rawValue
        }
        var resultType = type
        if let t = type, t.base == .bit { resultType = .int }
        let sql = "(\(cl.sql) \(pgOperator) \(cr.sql))"
        // In decimal arithmetic SQL Server types an integer constant by its digits (4 → decimal(1,0)).
        func shape(_ expression: Expression, _ translated: TranslatedExpression) -> SQLServerType? {
            if case .literal(.integer(let digits)) = expression { return .decimal(min(digits.count, 38), 0) }
            return translated.type
        }
        if let t = type, t.base == .decimal || t.base == .numeric, let lt = shape(left, l), let rt = shape(right, r),
            let result = Types.decimalResult(op, lt, rt)
        {
            // PostgreSQL picks its own result scale; SQL Server's is fixed by the operand types.
            return TranslatedExpression(sql: "CAST(\(sql) AS \(result.postgresCastType))", type: result)
        }
        return TranslatedExpression(sql: sql, type: resultType)
    }

    static func comparison(_ op: BinaryOperator) -> String {
        switch op {
        case .notEqualBang: "<>"
        case .notLess: ">="
        case .notGreater: "<="
        default: op.rawValue
        }
    }

    /// Converts whichever operand has the lower type precedence to the other's type, as SQL
    /// Server's implicit conversion does (so `intColumn = '12'` converts the string).
    func coercePair(_ left: TranslatedExpression, _ right: TranslatedExpression) -> (TranslatedExpression, TranslatedExpression) {
        guard let lt = left.type, let rt = right.type else { return (left, right) }
        if lt.isCharacter && rt.isCharacter { return (left, right) }
        if lt.isNumeric && rt.isNumeric { return (left, right) }
        if lt.precedence >= rt.precedence {
            return (left, convert(right, to: lt, style: nil, implicit: true))
        }
        return (convert(left, to: rt, style: nil, implicit: true), right)
    }

    // MARK: Literals and values

    static func literal(_ literal: Literal) -> TranslatedExpression {
        switch literal {
        case .null:
            return TranslatedExpression(sql: "NULL", type: nil)
        case .integer(let text):
            if let value = Int64(text) {
                let type: SQLServerType = Int32(exactly: value) != nil ? .int : .bigint
                return TranslatedExpression(sql: text, type: type, isNullable: false)
            }
            return TranslatedExpression(sql: "\(text)::numeric", type: .decimal(min(38, text.count), 0), isNullable: false)
        case .decimal(let text):
            let digits = text.filter(\.isNumber)
            let scale = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
            return TranslatedExpression(
                sql: "\(text)::numeric", type: .decimal(max(min(38, digits.count), scale), scale), isNullable: false)
        case .float(let text):
            return TranslatedExpression(sql: "\(PostgresLiteral.quote(text))::double precision", type: .float, isNullable: false)
        case .money(let text):
            return TranslatedExpression(sql: "\(text)::numeric(19,4)", type: SQLServerType(.money), isNullable: false)
        case .string(let value, let isUnicode):
            // N'…' is as long as its UTF-16 code units (a character outside the BMP takes two).
            let length = max(isUnicode ? value.utf16.count : value.count, 1)
            let type = isUnicode ? SQLServerType.nvarchar(min(length, 4000)) : SQLServerType.varchar(min(length, 8000))
            return TranslatedExpression(sql: "\(PostgresLiteral.quote(value))::text", type: type, isNullable: false)
        case .binary(let hex):
            return TranslatedExpression(
                sql: "'\\x\(hex)'::bytea", type: SQLServerType(.varbinary, length: .bounded(max(hex.count / 2, 1))),
                isNullable: false)
        }
    }

    /// A stored value (PostgreSQL text, nil for NULL) as a typed PostgreSQL expression.
    static func valueSQL(_ text: String?, type: SQLServerType) -> String {
        guard let text else { return "CAST(NULL AS \(type.postgresCastType))" }
        if type.base == .datetimeoffset {
            return "sqlserver_catalog.to_datetimeoffset(\(PostgresLiteral.quote(text)))"
        }
        return "CAST(\(PostgresLiteral.quote(text)) AS \(type.postgresCastType))"
    }
}

extension TranslatedExpression {
    static func condition(_ sql: String) -> TranslatedExpression {
        TranslatedExpression(sql: sql, type: nil, isNullable: true, isCondition: true)
    }
}

/// Hands out increasing numbers; one per translator.
final class AliasCounter: Sendable {
    private let value = Mutex(0)

    func next() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
