import TSQL

extension ExpressionTranslator {
    /// Function calls with a rule: same-named functions, renamed ones, and rewrites.
    mutating func function(_ call: FunctionCall, scope: TranslationScope) throws(Untranslatable) -> TranslatedExpression {
        let name = call.name.name.value.lowercased()
        guard call.name.schema == nil || call.name.schema?.value.lowercased() == "sys" else {
            throw Untranslatable("the user function \(call.name) must be converted first; Ferry does not convert functions")
        }
        guard call.withinGroup.isEmpty else { throw Untranslatable("WITHIN GROUP has no rule") }
        var arguments: [TranslatedExpression] = []
        let takesDatePart = ["datepart", "dateadd", "datediff"].contains(name)
        for (index, argument) in call.arguments.enumerated() {
            // The date part (`year`, `dd`) is a keyword, not a column.
            if takesDatePart, index == 0 {
                arguments.append(TranslatedExpression(sql: "", kind: .unknown, isAtomic: true))
                continue
            }
            arguments.append(try translate(argument, scope: scope))
        }
        func args() -> String { arguments.map(\.sql).joined(separator: ", ") }
        func result(_ sql: String, _ kind: ValueKind) -> TranslatedExpression { TranslatedExpression(sql: sql, kind: kind, isAtomic: true) }
        func arity(_ counts: ClosedRange<Int>) throws(Untranslatable) {
            guard counts.contains(arguments.count) else { throw Untranslatable("\(name) with \(arguments.count) arguments has no rule") }
        }
        if call.over != nil || call.isStar || call.isDistinct || ["count", "count_big", "sum", "avg", "min", "max"].contains(name) {
            return try aggregate(call, name: name, arguments: arguments, scope: scope)
        }
        switch name {
        case "getdate", "sysdatetime":
            try arity(0...0)
            return result("LOCALTIMESTAMP", .dateTime)
        case "getutcdate", "sysutcdatetime":
            try arity(0...0)
            return result("(now() AT TIME ZONE 'UTC')", .dateTime)
        case "sysdatetimeoffset":
            try arity(0...0)
            return result("now()", .dateTimeOffset)
        case "newid":
            try arity(0...0)
            return result("gen_random_uuid()", .uuid)
        case "newsequentialid":
            try arity(0...0)
            warnings.append("NEWSEQUENTIALID() became gen_random_uuid(): new values are random, not increasing")
            return result("gen_random_uuid()", .uuid)
        case "suser_sname", "suser_name", "original_login":
            try arity(0...0)
            return result("SESSION_USER", .string)
        case "user_name", "current_user":
            try arity(0...0)
            return result("CURRENT_USER", .string)
        case "db_name":
            try arity(0...0)
            return result("current_database()", .string)
        case "app_name":
            try arity(0...0)
            return result("current_setting('application_name')", .string)
        case "host_name":
            try arity(0...0)
            warnings.append("HOST_NAME() became the client's address (inet_client_addr()); PostgreSQL does not know the client's host name")
            return result("CAST(inet_client_addr() AS text)", .string)
        case "isnull":
            try arity(2...2)
            let second = try operand(call.arguments[1], against: arguments[0].kind, scope: scope)
            return result("COALESCE(\(arguments[0].sql), \(second.sql))", arguments[0].kind)
        case "coalesce", "nullif":
            return result("\(name.uppercased())(\(args()))", arguments.first?.kind ?? .unknown)
        case "iif":
            try arity(3...3)
            return result("CASE WHEN \(arguments[0].sql) THEN \(arguments[1].sql) ELSE \(arguments[2].sql) END", arguments[1].kind)
        case "len":
            try arity(1...1)
            // LEN ignores trailing spaces.
            return result("length(rtrim(\(arguments[0].sql)))", .integer)
        case "datalength":
            try arity(1...1)
            warnings.append("DATALENGTH became octet_length: nvarchar counts UTF-16 bytes in SQL Server, UTF-8 bytes in PostgreSQL")
            return result("octet_length(\(arguments[0].sql))", .integer)
        case "upper", "lower", "ltrim", "rtrim", "reverse", "replace", "left", "right", "concat":
            return result("\(name)(\(args()))", .string)
        case "trim":
            return result("btrim(\(args()))", .string)
        case "substring":
            try arity(3...3)
            return result("substring(\(arguments[0].sql) FROM \(arguments[1].sql) FOR \(arguments[2].sql))", .string)
        case "charindex":
            try arity(2...2)
            return result("strpos(\(arguments[1].sql), \(arguments[0].sql))", .integer)
        case "replicate":
            try arity(2...2)
            return result("repeat(\(args()))", .string)
        case "space":
            try arity(1...1)
            return result("repeat(' ', \(arguments[0].sql))", .string)
        case "abs", "round", "floor", "sign", "sqrt", "power", "exp":
            if name == "round" { try arity(2...2) }
            return result("\(name)(\(args()))", arguments.first?.kind ?? .unknown)
        case "ceiling":
            return result("ceil(\(args()))", arguments.first?.kind ?? .unknown)
        case "log":
            try arity(1...1)
            return result("ln(\(args()))", .approximateNumber)
        case "year", "month", "day":
            try arity(1...1)
            return result("CAST(EXTRACT(\(name.uppercased()) FROM \(arguments[0].sql)) AS integer)", .integer)
        case "datepart", "dateadd", "datediff":
            return try dateFunction(name, call, arguments: arguments)
        case "eomonth":
            try arity(1...1)
            return result("CAST(date_trunc('month', \(arguments[0].sql)) + interval '1 month' - interval '1 day' AS date)", .date)
        default:
            throw Untranslatable("\(call.name.name.value.uppercased())() has no PostgreSQL rule")
        }
    }

    private static func datePart(_ expression: Expression) -> String? {
        guard case .column(let reference) = expression, reference.table == nil else { return nil }
        let parts = [
            "year": "year", "yy": "year", "yyyy": "year", "quarter": "quarter", "qq": "quarter", "q": "quarter",
            "month": "month", "mm": "month", "m": "month", "day": "day", "dd": "day", "d": "day",
            "week": "week", "wk": "week", "ww": "week", "hour": "hour", "hh": "hour", "minute": "minute", "mi": "minute",
            "n": "minute", "second": "second", "ss": "second", "s": "second", "dayofyear": "doy", "dy": "doy", "y": "doy",
            "weekday": "dow", "dw": "dow",
        ]
        return parts[reference.column.value.lowercased()]
    }

    private mutating func dateFunction(_ name: String, _ call: FunctionCall, arguments: [TranslatedExpression]) throws(Untranslatable) -> TranslatedExpression {
        guard let first = call.arguments.first, let part = Self.datePart(first) else {
            throw Untranslatable("\(name.uppercased()) needs a date part as its first argument")
        }
        switch name {
        case "datepart":
            guard arguments.count == 2, part != "week", part != "dow" else { throw Untranslatable("DATEPART(\(part), …) numbers weeks and week days differently in PostgreSQL") }
            return TranslatedExpression(sql: "CAST(EXTRACT(\(part.uppercased()) FROM \(arguments[1].sql)) AS integer)", kind: .integer, isAtomic: true)
        case "dateadd":
            guard arguments.count == 3, !["doy", "dow"].contains(part) else { throw Untranslatable("DATEADD(\(part), …) has no rule") }
            let unit = part == "quarter" ? "3 months" : "1 \(part)"
            return TranslatedExpression(
                sql: "(\(arguments[2].sql) + \(arguments[1].parenthesized) * interval '\(unit)')", kind: arguments[2].kind, isAtomic: true)
        default:
            guard arguments.count == 3 else { throw Untranslatable("DATEDIFF needs three arguments") }
            let (a, b) = (arguments[1].sql, arguments[2].sql)
            switch part {
            case "year":
                return TranslatedExpression(sql: "CAST(EXTRACT(YEAR FROM \(b)) - EXTRACT(YEAR FROM \(a)) AS integer)", kind: .integer, isAtomic: true)
            case "month":
                return TranslatedExpression(
                    sql: "CAST((EXTRACT(YEAR FROM \(b)) - EXTRACT(YEAR FROM \(a))) * 12 + EXTRACT(MONTH FROM \(b)) - EXTRACT(MONTH FROM \(a)) AS integer)",
                    kind: .integer, isAtomic: true)
            case "day":
                return TranslatedExpression(sql: "(CAST(\(b) AS date) - CAST(\(a) AS date))", kind: .integer, isAtomic: true)
            default:
                throw Untranslatable("DATEDIFF(\(part), …) counts boundaries crossed; PostgreSQL has no direct rule")
            }
        }
    }

    private mutating func aggregate(_ call: FunctionCall, name: String, arguments: [TranslatedExpression], scope: TranslationScope) throws(Untranslatable) -> TranslatedExpression {
        let known: Set<String> = ["count", "sum", "avg", "min", "max", "row_number", "rank", "dense_rank", "ntile", "lag", "lead", "first_value", "last_value", "count_big"]
        guard known.contains(name) else { throw Untranslatable("\(name.uppercased()) has no PostgreSQL rule") }
        var sql = (name == "count_big" ? "count" : name) + "("
        if call.isDistinct { sql += "DISTINCT " }
        sql += call.isStar ? "*" : arguments.map(\.sql).joined(separator: ", ")
        sql += ")"
        if let over = call.over {
            var parts: [String] = []
            if !over.partitionBy.isEmpty {
                var items: [String] = []
                for expression in over.partitionBy { items.append(try translate(expression, scope: scope).sql) }
                parts.append("PARTITION BY " + items.joined(separator: ", "))
            }
            if !over.orderBy.isEmpty { parts.append("ORDER BY " + (try orderBy(over.orderBy, scope: scope))) }
            guard over.frame == nil else { throw Untranslatable("window frames have no rule yet") }
            sql += " OVER (\(parts.joined(separator: " ")))"
        }
        let kind: ValueKind = ["count", "count_big", "row_number", "rank", "dense_rank", "ntile"].contains(name) ? .integer : (arguments.first?.kind ?? .unknown)
        if name == "avg", arguments.first?.kind == .integer {
            warnings.append("AVG of an integer truncates in SQL Server and is exact in PostgreSQL")
        }
        return TranslatedExpression(sql: sql, kind: kind, isAtomic: true)
    }

    mutating func orderBy(_ items: [OrderByItem], scope: TranslationScope) throws(Untranslatable) -> String {
        var parts: [String] = []
        for item in items {
            let translated = try translate(item.expression, scope: scope)
            // SQL Server sorts NULLs first ascending; PostgreSQL last.
            let direction = item.direction == .descending ? " DESC NULLS LAST" : " NULLS FIRST"
            parts.append(translated.sql + direction)
        }
        return parts.joined(separator: ", ")
    }
}
