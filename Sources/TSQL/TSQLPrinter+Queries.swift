extension Writer {
    mutating func query(_ query: Query) {
        commonTableExpressions(query.commonTableExpressions)
        queryExpression(query.body)
        if let orderBy = query.orderBy {
            write(" ORDER BY ")
            orderByItems(orderBy.items)
            if let offset = orderBy.offset {
                write(" OFFSET ")
                expression(offset, minimum: 5)
                write(" ROWS")
                if let fetch = orderBy.fetch {
                    write(" FETCH NEXT ")
                    expression(fetch, minimum: 5)
                    write(" ROWS ONLY")
                }
            }
        }
        if !query.options.isEmpty {
            write(" OPTION (" + query.options.joined(separator: ", ") + ")")
        }
    }

    mutating func commonTableExpressions(_ ctes: [CommonTableExpression]) {
        guard !ctes.isEmpty else { return }
        write("WITH ")
        list(ctes) { writer, cte in
            writer.write(cte.name.description)
            if !cte.columns.isEmpty {
                writer.write(" ")
                writer.names(cte.columns)
            }
            writer.write(" AS (")
            writer.query(cte.query)
            writer.write(")")
        }
        write(" ")
    }

    mutating func queryExpression(_ expression: QueryExpression) {
        switch expression {
        case .select(let specification):
            querySpecification(specification)
        case .setOperation(let left, let op, let right):
            queryExpression(left)
            write(" \(op.rawValue) ")
            queryExpression(right)
        case .parenthesized(let inner):
            write("(")
            query(inner)
            write(")")
        }
    }

    mutating func top(_ top: TopClause) {
        write("TOP (")
        expression(top.count)
        write(")")
        if top.isPercent { write(" PERCENT") }
        if top.withTies { write(" WITH TIES") }
    }

    mutating func querySpecification(_ specification: QuerySpecification) {
        write("SELECT ")
        if specification.isDistinct { write("DISTINCT ") }
        if let top = specification.top {
            self.top(top)
            write(" ")
        }
        selectItems(specification.items)
        if let into = specification.into { write(" INTO \(into)") }
        if !specification.from.isEmpty {
            write(" FROM ")
            list(specification.from) { $0.tableSource($1) }
        }
        if let condition = specification.whereClause {
            write(" WHERE ")
            expression(condition)
        }
        if !specification.groupBy.isEmpty {
            write(" GROUP BY ")
            list(specification.groupBy) { $0.expression($1) }
        }
        if let having = specification.having {
            write(" HAVING ")
            expression(having)
        }
    }

    mutating func selectItems(_ items: [SelectItem]) {
        list(items) { writer, item in
            switch item {
            case .star(let qualifier):
                writer.write(qualifier.map { "\($0).*" } ?? "*")
            case .expression(let expression, let alias):
                writer.expression(expression)
                if let alias { writer.write(" AS \(alias)") }
            case .assignment(let variable, let op, let expression):
                writer.write("\(variable) \(op.rawValue) ")
                writer.expression(expression)
            }
        }
    }

    mutating func alias(_ alias: Identifier?) {
        if let alias { write(" AS \(alias)") }
    }

    mutating func tableHints(_ hints: [TableHint]) {
        guard !hints.isEmpty else { return }
        write(" WITH (")
        list(hints) { writer, hint in
            writer.write(hint.name)
            if !hint.arguments.isEmpty {
                writer.write("(")
                writer.list(hint.arguments) { $0.expression($1) }
                writer.write(")")
            }
        }
        write(")")
    }

    mutating func valueRows(_ rows: [[Expression]]) {
        list(rows) { writer, row in
            writer.write("(")
            writer.list(row) { $0.expression($1) }
            writer.write(")")
        }
    }

    mutating func tableSource(_ source: TableSource) {
        switch source {
        case .table(let name, let alias, let hints):
            write(name.description)
            self.alias(alias)
            tableHints(hints)
        case .variable(let name, let alias):
            write(name)
            self.alias(alias)
        case .function(let call, let alias, let columns):
            functionCall(call)
            self.alias(alias)
            if !columns.isEmpty {
                write(" ")
                names(columns)
            }
        case .derived(let inner, let alias, let columns):
            write("(")
            query(inner)
            write(")")
            self.alias(alias)
            if !columns.isEmpty {
                write(" ")
                names(columns)
            }
        case .values(let rows, let alias, let columns):
            write("(VALUES ")
            valueRows(rows)
            write(")")
            self.alias(alias)
            if !columns.isEmpty {
                write(" ")
                names(columns)
            }
        case .join(let left, let kind, let right, let condition):
            tableSource(left)
            write(" \(kind.rawValue) ")
            joinOperand(right)
            if let condition {
                write(" ON ")
                expression(condition)
            }
        case .apply(let left, let isOuter, let right):
            tableSource(left)
            write(isOuter ? " OUTER APPLY " : " CROSS APPLY ")
            joinOperand(right)
        }
    }

    /// The right side of a join: nested joins need parentheses to keep their shape.
    private mutating func joinOperand(_ source: TableSource) {
        switch source {
        case .join, .apply:
            write("(")
            tableSource(source)
            write(")")
        default:
            tableSource(source)
        }
    }
}
