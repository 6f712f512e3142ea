import Postgres
import TSQL

/// Result types of expressions, by SQL Server's rules.
enum Types {
    /// The operand type SQL Server's data type precedence picks (nil when both are unknown).
    static func higher(_ left: SQLServerType?, _ right: SQLServerType?) -> SQLServerType? {
        guard let left else { return right?.systemType }
        guard let right else { return left.systemType }
        if left.isCharacter && right.isCharacter {
            // CASE, COALESCE and UNION take the longer of two strings, Unicode if either is.
            let unicode = left.isUnicode || right.isUnicode
            let length: SQLServerType.Length =
                left.length == .max || right.length == .max || left.characterLimit == nil || right.characterLimit == nil
                ? .max : .bounded(max(left.characterLimit ?? 1, right.characterLimit ?? 1))
            return SQLServerType(unicode ? .nvarchar : .varchar, length: length)
        }
        return (left.precedence >= right.precedence ? left : right).systemType
    }

    /// An exact numeric operand as SQL Server sees it in decimal arithmetic: (precision, scale).
    static func decimalShape(_ type: SQLServerType) -> (p: Int, s: Int)? {
        switch type.base {
        case .decimal, .numeric: (type.precision ?? 18, type.scale ?? 0)
        case .money: (19, 4)
        case .smallmoney: (10, 4)
        case .bigint: (19, 0)
        case .int: (10, 0)
        case .smallint: (5, 0)
        case .tinyint: (3, 0)
        case .bit: (1, 0)
        default: nil
        }
    }

    /// The decimal(p,s) SQL Server gives `left op right` (precision capped at 38, keeping at least
    /// 6 digits of scale when reduced); nil for non-decimal arithmetic.
    static func decimalResult(_ op: BinaryOperator, _ left: SQLServerType, _ right: SQLServerType) -> SQLServerType? {
        guard let (p1, s1) = decimalShape(left), let (p2, s2) = decimalShape(right) else { return nil }
        var precision: Int
        var scale: Int
        switch op {
        case .add, .subtract:
            scale = max(s1, s2)
            precision = max(p1 - s1, p2 - s2) + scale + 1
        case .multiply:
            precision = p1 + p2 + 1
            scale = s1 + s2
        case .divide:
            scale = max(6, s1 + p2 + 1)
            precision = p1 - s1 + s2 + scale
        case .modulo:
            scale = max(s1, s2)
            precision = min(p1 - s1, p2 - s2) + scale
        default:
            return nil
        }
        if precision > 38 {
            let integral = precision - scale
            scale = max(min(scale, 38 - integral), min(scale, 6))
            precision = 38
        }
        return .decimal(precision, scale)
    }

    /// The type of `a + b` on strings: Unicode if either is, lengths added (max beyond the limit).
    static func concatenation(_ left: SQLServerType?, _ right: SQLServerType?) -> SQLServerType {
        let unicode = left?.isUnicode == true || right?.isUnicode == true
        let limit = unicode ? 4000 : 8000
        guard let l = left?.characterLimit ?? (left == nil ? 0 : nil), let r = right?.characterLimit ?? (right == nil ? 0 : nil),
            l + r <= limit
        else { return SQLServerType(unicode ? .nvarchar : .varchar, length: .max) }
        return SQLServerType(unicode ? .nvarchar : .varchar, length: .bounded(max(l + r, 1)))
    }
}

extension Translator {
    // MARK: Conversions

    /// `value` converted to `target`, raising SQL Server's conversion errors (245, 241, 8169, 8114)
    /// from the helper functions.
    func convert(_ value: TranslatedExpression, to target: SQLServerType, style: Int?, implicit: Bool = false)
        -> TranslatedExpression
    {
        var result = TranslatedExpression(sql: value.sql, type: target.systemType, isNullable: value.isNullable)
        if value.isCondition {
            result.sql = "(CASE WHEN \(value.sql) THEN 1 WHEN NOT \(value.sql) THEN 0 END)"
        }
        if value.sql == "NULL" {
            result.sql = "CAST(NULL AS \(target.postgresCastType))"
            return result
        }
        let source = value.type
        if let source, source.systemType == target.systemType {
            return result
        }
        // HASHBYTES' companions: conversions SQL Server defines on bytes (Translator+HashFunctions.swift).
        if let converted = byteConversion(value, to: target, style: style, implicit: implicit) { return converted }
        // hierarchyid and sql_variant (Translator+CLRMethods.swift); an impossible conversion is an error in the SQL.
        do {
            if let converted = try clrConversion(value, to: target, implicit: implicit) { return converted }
        } catch {
            result.sql = "(sqlserver_catalog.raise_value(\(error.number), \(error.severity), \(PostgresLiteral.quote(error.message))))::\(target.postgresCastType)"
            return result
        }
        if target.isCharacter {
            var text: String
            if let source, source.isDateTime, source.base != .datetimeoffset {
                text = "to_char(\(value.sql), \(PostgresLiteral.quote(Self.dateFormat(style: style, source: source))))"
            } else if source?.base == .datetimeoffset {
                text = "sqlserver_catalog.datetimeoffset_text(\(value.sql))"
            } else if source?.base == .uniqueidentifier {
                text = "upper((\(value.sql))::text)"
            } else if source?.isBinary == true {
                text = "convert_from(\(value.sql), 'UTF8')"
            } else {
                text = "(\(value.sql))::text"
            }
            // CAST to a shorter string truncates silently in SQL Server (assignment is checked elsewhere);
            // a number's text that always fits needs no cut.
            if !implicit, let limit = target.characterLimit, (source.flatMap(Self.longestNumberText) ?? .max) > limit {
                text = "left(\(text), \(limit))"
            }
            result.sql = text
            return result
        }
        if let source, source.isCharacter {
            switch target.base {
            case .bit:
                result.sql = "sqlserver_catalog.to_bit((\(value.sql))::text)"
            case .datetimeoffset:
                result.sql = "sqlserver_catalog.to_datetimeoffset((\(value.sql))::text)"
            case .binary, .varbinary, .image:
                result.sql = "convert_to((\(value.sql))::text, 'UTF8')"
            case .xml:
                result.sql = "(\(value.sql))::text::xml"
            default:
                let sourceName = source.base.rawValue
                result.sql =
                    "(sqlserver_catalog.convert_text((\(value.sql))::text, '\(sourceName)', '\(target.postgresCastType)', '\(target.base.rawValue)'))::\(target.postgresCastType)"
                // Text to time(7)/datetime2(7): also the exact composite, for those that keep 100 ns.
                result.seventhDigitSQL = target.seventhDigitValue(fromText: "(\(value.sql))::text")
            }
            return result
        }
        switch target.base {
        case .bit:
            result.sql = "sqlserver_catalog.to_bit((\(value.sql))::numeric)"
        case .tinyint:
            result.sql = "(sqlserver_catalog.check_range((\(value.sql))::numeric, 0, 255, 'tinyint'))::smallint"
        case .int, .smallint, .bigint:
            if let source, source.base == .decimal || source.base == .numeric || source.base == .money
                || source.base == .float || source.base == .real
            {
                // SQL Server truncates toward zero; PostgreSQL rounds.
                result.sql = "(trunc(\(value.sql)))::\(target.postgresCastType)"
            } else {
                result.sql = "(\(value.sql))::\(target.postgresCastType)"
            }
        case .datetimeoffset:
            result.sql = "sqlserver_catalog.to_datetimeoffset((\(value.sql))::text)"
        default:
            result.sql = "(\(value.sql))::\(target.postgresCastType)"
        }
        return result
    }

    /// TRY_CAST / TRY_CONVERT: NULL instead of a conversion error for strings that do not convert.
    func tryConvert(_ value: TranslatedExpression, to target: SQLServerType, style: Int?) -> TranslatedExpression {
        var converted = convert(value, to: target, style: style)
        guard let source = value.type, source.isCharacter, !target.isCharacter, target.base != .bit,
            target.base != .datetimeoffset, !target.isBinary, target.base != .xml
        else { return converted }
        converted.sql =
            "(CASE WHEN sqlserver_catalog.can_convert((\(value.sql))::text, '\(target.postgresCastType)') THEN ((\(value.sql))::text)::\(target.postgresCastType) END)"
        converted.isNullable = true
        return converted
    }

    /// to_char patterns for CONVERT styles of dates and times (default: style 0 / 100).
    /// The most characters a number of `type` takes as text (sign and decimal point included), or
    /// `nil` for other types.
    static func longestNumberText(_ type: SQLServerType) -> Int? {
        switch type.base {
        case .bit: 1
        case .tinyint: 3
        case .smallint: 6
        case .int: 11
        case .bigint: 20
        // Digits, sign, point and the leading zero of a number below one.
        case .decimal, .numeric: type.precision.map { $0 + 3 }
        default: nil
        }
    }

    static func dateFormat(style: Int?, source: SQLServerType) -> String {
        switch style {
        case 23: return "YYYY-MM-DD"
        case 101: return "MM/DD/YYYY"
        case 103: return "DD/MM/YYYY"
        case 108: return "HH24:MI:SS"
        case 112: return "YYYYMMDD"
        case 120, 20: return "YYYY-MM-DD HH24:MI:SS"
        case 121, 21: return "YYYY-MM-DD HH24:MI:SS.MS"
        case 126: return "YYYY-MM-DD\"T\"HH24:MI:SS.MS"
        default:
            switch source.base {
            case .date: return "YYYY-MM-DD"
            case .time: return "HH24:MI:SS.US"
            case .datetime2: return "YYYY-MM-DD HH24:MI:SS.US"
            default: return "Mon DD YYYY HH12:MIAM"
            }
        }
    }

    // MARK: Functions

    func function(_ call: FunctionCall, scope: Scope, ctes: [String: TranslatedQuery]) async throws -> TranslatedExpression {
        // NEXT VALUE FOR, OBJECT_DEFINITION, IDENT_*, TYPE_NAME/TYPE_ID, *PROPERTY (Translator+CatalogFunctions.swift).
        if let translated = try await catalogFunction(call, scope: scope, ctes: ctes) { return translated }
        // hierarchyid::Parse(…), node.GetAncestor(1) (Translator+CLRMethods.swift).
        if let translated = try await clrMethod(call, scope: scope, ctes: ctes) { return translated }
        let name = call.name.name.value.uppercased()
        if call.name.schema != nil, call.name.schema?.value.lowercased() != "sys", call.name.schema?.value.lowercased() != "dbo" {
            throw SQLServerError(
                code: .unknownFunction, message: "'\(call.name.description)' is not a recognized built-in function name.",
                abortsBatch: true)
        }
        var arguments: [TranslatedExpression] = []
        // DATEADD/DATEDIFF/DATEPART take a bare date part first.
        let datePartFunctions: Set<String> = ["DATEADD", "DATEDIFF", "DATEPART", "DATENAME"]
        var datePart: String?
        for (index, argument) in call.arguments.enumerated() {
            if index == 0, datePartFunctions.contains(name), case .column(let reference) = argument, reference.table == nil {
                datePart = reference.column.value.lowercased()
                continue
            }
            arguments.append(try await expression(argument, scope: scope, ctes: ctes))
        }
        func argument(_ index: Int) throws(SQLServerError) -> TranslatedExpression {
            guard index < arguments.count else {
                throw SQLServerError(
                    code: .init(174), severity: 15,
                    message: "The \(name.lowercased()) function requires \(index + 1) argument(s).", abortsBatch: true)
            }
            return arguments[index]
        }
        func text(_ index: Int) throws(SQLServerError) -> String { "(\(try argument(index).sql))::text" }
        // PostgreSQL refuses substring searches under the nondeterministic case-insensitive
        // collation, so REPLACE and CHARINDEX search under "C" (case-sensitively).
        func searchText(_ index: Int) throws(SQLServerError) -> String { "((\(try argument(index).sql))::text COLLATE \"C\")" }
        let over = try await call.over.asyncMap { try await window($0, scope: scope, ctes: ctes) }
        let distinct = call.isDistinct ? "DISTINCT " : ""

        // Change data capture's sys.fn_cdc_* functions (CDC/Translator+CDC.swift).
        if name.hasPrefix("FN_CDC_") { return try await cdcFunction(name, arguments: arguments) }
        // HASHBYTES, STRING_AGG, SUBSTRING of binary (Translator+HashFunctions.swift).
        if let translated = try await hashFunction(name, call: call, arguments: arguments, scope: scope, ctes: ctes) { return translated }
        switch name {
        case "SQL_VARIANT_PROPERTY":
            return try variantProperty(arguments, property: call.arguments.count > 1 ? call.arguments[1] : nil)
        // Strings
        case "LEN":
            return TranslatedExpression(sql: "char_length(rtrim(\(try text(0))))", type: .int)
        case "DATALENGTH":
            let value = try argument(0)
            let type = value.type ?? .nvarcharMax
            if type.isUnicode { return TranslatedExpression(sql: "(2 * char_length(\(try text(0))))", type: .int) }
            if type.isCharacter { return TranslatedExpression(sql: "octet_length(\(try text(0)))", type: .int) }
            if type.isBinary { return TranslatedExpression(sql: "octet_length(\(value.sql))", type: .int) }
            return TranslatedExpression(sql: "(CASE WHEN \(value.sql) IS NULL THEN NULL ELSE \(type.maxLength) END)", type: .int)
        case "SUBSTRING":
            return TranslatedExpression(
                sql: "substr(\(try text(0)), \(try argument(1).sql), \(try argument(2).sql))", type: try argument(0).type?.systemType)
        case "UPPER", "LOWER", "LTRIM", "RTRIM", "REVERSE":
            return TranslatedExpression(sql: "\(name.lowercased())(\(try text(0)))", type: try argument(0).type?.systemType)
        case "TRIM":
            return TranslatedExpression(sql: "btrim(\(try text(0)))", type: try argument(0).type?.systemType)
        case "LEFT", "RIGHT":
            return TranslatedExpression(
                sql: "\(name.lowercased())(\(try text(0)), \(try argument(1).sql))", type: try argument(0).type?.systemType)
        case "REPLACE":
            return TranslatedExpression(
                sql: "replace(\(try searchText(0)), \(try searchText(1)), \(try text(2)))", type: try argument(0).type?.systemType)
        case "REPLICATE":
            return TranslatedExpression(sql: "repeat(\(try text(0)), \(try argument(1).sql))", type: SQLServerType(.varchar, length: .max))
        case "CHARINDEX":
            if arguments.count > 2 {
                let start = "greatest(\(try argument(2).sql), 1)"
                return TranslatedExpression(
                    sql: "(CASE WHEN strpos(substr(\(try searchText(1)), \(start)), \(try searchText(0))) = 0 THEN 0 ELSE strpos(substr(\(try searchText(1)), \(start)), \(try searchText(0))) + \(start) - 1 END)",
                    type: .int)
            }
            return TranslatedExpression(sql: "strpos(\(try searchText(1)), \(try searchText(0)))", type: .int)
        case "CONCAT":
            return TranslatedExpression(
                sql: "concat(\(try arguments.indices.map { i throws(SQLServerError) in try text(i) }.joined(separator: ", ")))",
                type: arguments.map(\.type).reduce(nil, { Types.concatenation($0, $1) }), isNullable: false)
        // NULL handling
        case "ISNULL":
            let first = try argument(0)
            let second = try argument(1)
            let fallback = first.type.map { convert(second, to: $0, style: nil, implicit: true) } ?? second
            return TranslatedExpression(
                sql: "COALESCE(\(first.sql), \(fallback.sql))", type: first.type?.systemType ?? fallback.type,
                isNullable: first.isNullable && fallback.isNullable)
        case "COALESCE":
            let type = arguments.map(\.type).reduce(nil, Types.higher)
            let values = arguments.map { argument in type.map { convert(argument, to: $0, style: nil, implicit: true) } ?? argument }
            return TranslatedExpression(sql: "COALESCE(\(values.map(\.sql).joined(separator: ", ")))", type: type)
        case "NULLIF":
            let (l, r) = coercePair(try argument(0), try argument(1))
            return TranslatedExpression(sql: "NULLIF(\(l.sql), \(r.sql))", type: l.type)
        case "IIF":
            guard call.arguments.count == 3 else {
                throw SQLServerError(
                    code: .init(174), severity: 15, message: "The iif function requires 3 argument(s).", abortsBatch: true)
            }
            let test = try await condition(call.arguments[0], scope: scope, ctes: ctes)
            let type = Types.higher(try argument(1).type, try argument(2).type)
            let values = [try argument(1), try argument(2)].map { value in
                type.map { convert(value, to: $0, style: nil, implicit: true) } ?? value
            }
            return TranslatedExpression(sql: "(CASE WHEN \(test) THEN \(values[0].sql) ELSE \(values[1].sql) END)", type: type)
        // Dates
        // SQL Server reads the clock once per statement, not once per transaction: PostgreSQL's
        // statement_timestamp(), not now()/localtimestamp (the transaction's start).
        case "GETDATE":
            return TranslatedExpression(sql: "statement_timestamp()::timestamp(3)", type: .datetime, isNullable: false)
        case "SYSDATETIME":
            return TranslatedExpression(sql: "statement_timestamp()::timestamp(6)", type: SQLServerType(.datetime2, scale: 7), isNullable: false)
        case "GETUTCDATE":
            return TranslatedExpression(sql: "(statement_timestamp() AT TIME ZONE 'UTC')::timestamp(3)", type: .datetime, isNullable: false)
        case "SYSUTCDATETIME":
            return TranslatedExpression(
                sql: "(statement_timestamp() AT TIME ZONE 'UTC')::timestamp(6)", type: SQLServerType(.datetime2, scale: 7), isNullable: false)
        case "SYSDATETIMEOFFSET":
            return TranslatedExpression(
                sql: "sqlserver_catalog.to_datetimeoffset(to_char(statement_timestamp(), 'YYYY-MM-DD HH24:MI:SS.US TZH:TZM'))",
                type: SQLServerType(.datetimeoffset, scale: 7), isNullable: false)
        case "YEAR", "MONTH", "DAY":
            return TranslatedExpression(sql: "(extract(\(name.lowercased()) from \(try argument(0).sql)))::integer", type: .int)
        case "DATEPART":
            return TranslatedExpression(
                sql: "(extract(\(try Self.datePartField(datePart)) from \(try argument(0).sql)))::integer", type: .int)
        case "DATEADD":
            let date = try argument(1)
            let unit = try Self.datePartField(datePart)
            let type = date.type ?? .datetime
            return TranslatedExpression(
                sql: "((\(date.sql)) + (\(try argument(0).sql)) * interval '1 \(unit)')::\(type.postgresCastType)", type: type)
        case "DATEDIFF":
            let unit = try Self.datePartField(datePart)
            let a = try argument(0).sql
            let b = try argument(1).sql
            let sql: String
            switch unit {
            case "year": sql = "(extract(year from \(b)) - extract(year from \(a)))"
            case "month":
                sql = "((extract(year from \(b)) - extract(year from \(a))) * 12 + extract(month from \(b)) - extract(month from \(a)))"
            case "day": sql = "((\(b))::date - (\(a))::date)"
            default:
                let seconds = ["hour": 3600, "minute": 60, "second": 1][unit] ?? 1
                sql = "(extract(epoch from date_trunc('\(unit)', (\(b))::timestamp) - date_trunc('\(unit)', (\(a))::timestamp)) / \(seconds))"
            }
            return TranslatedExpression(sql: "(\(sql))::integer", type: .int)
        // Numbers
        case "ABS", "FLOOR", "SIGN", "SQRT", "EXP", "LOG", "LOG10":
            return TranslatedExpression(sql: "\(name.lowercased())(\(try argument(0).sql))", type: try argument(0).type?.systemType)
        case "CEILING":
            return TranslatedExpression(sql: "ceil(\(try argument(0).sql))", type: try argument(0).type?.systemType)
        case "ROUND":
            let value = try argument(0)
            return TranslatedExpression(
                sql: "round((\(value.sql))::numeric, \(try argument(1).sql))", type: value.type?.systemType)
        case "POWER":
            return TranslatedExpression(
                sql: "power(\(try argument(0).sql), \(try argument(1).sql))", type: try argument(0).type?.systemType)
        case "NEWID":
            return TranslatedExpression(sql: "gen_random_uuid()", type: .uniqueidentifier, isNullable: false)
        // Aggregates and windows
        case "COUNT":
            let inner = call.isStar ? "*" : "\(distinct)\(try argument(0).sql)"
            return TranslatedExpression(sql: "(count(\(inner))\(over ?? ""))::integer", type: .int, isNullable: false)
        case "COUNT_BIG":
            let inner = call.isStar ? "*" : "\(distinct)\(try argument(0).sql)"
            return TranslatedExpression(sql: "count(\(inner))\(over ?? "")", type: .bigint, isNullable: false)
        case "SUM", "AVG":
            let value = try argument(0)
            var type = Self.aggregateType(value.type)
            if name == "AVG", let decimal = type, decimal.base == .decimal {
                type = .decimal(38, max(decimal.scale ?? 0, 6))
            }
            let aggregate = "\(name.lowercased())(\(distinct)\(value.sql))\(over ?? "")"
            if let type, [.int, .bigint].contains(type.base) {
                return TranslatedExpression(sql: "(trunc(\(aggregate)))::\(type.postgresCastType)", type: type)
            }
            if let type, type.base == .decimal || type.base == .money {
                return TranslatedExpression(sql: "(\(aggregate))::\(type.postgresCastType)", type: type)
            }
            return TranslatedExpression(sql: aggregate, type: type)
        case "MIN", "MAX":
            let value = try argument(0)
            // PostgreSQL has no min/max of bytea (binary LSNs): CDC's aggregates (CDC/CDCSchema.swift).
            let function = value.type?.isBinary == true ? "sqlserver_catalog.binary_\(name.lowercased())" : name.lowercased()
            return TranslatedExpression(sql: "\(function)(\(value.sql))\(over ?? "")", type: value.type?.systemType)
        case "ROW_NUMBER", "RANK", "DENSE_RANK":
            guard let over else {
                throw SQLServerError(
                    code: .init(10753), severity: 15,
                    message: "The function '\(name.lowercased())' must have an OVER clause.", abortsBatch: true)
            }
            return TranslatedExpression(sql: "\(name.lowercased())()\(over)", type: .bigint, isNullable: false)
        // Session
        case "SCOPE_IDENTITY":
            let value = context.systemValues["@@IDENTITY"]?.value
            return TranslatedExpression(sql: Self.valueSQL(value, type: .decimal(38, 0)), type: .decimal(38, 0))
        case "ERROR_NUMBER", "ERROR_SEVERITY", "ERROR_STATE", "ERROR_LINE":
            let error = context.caughtError
            let value: Int? =
                switch name {
                case "ERROR_NUMBER": error?.number
                case "ERROR_SEVERITY": error?.severity
                case "ERROR_STATE": error?.state
                default: error?.line
                }
            return TranslatedExpression(sql: Self.valueSQL(value.map(String.init), type: .int), type: .int)
        case "ERROR_MESSAGE":
            return TranslatedExpression(
                sql: Self.valueSQL(context.caughtError?.message, type: .nvarchar(4000)), type: .nvarchar(4000))
        case "ERROR_PROCEDURE":
            return TranslatedExpression(
                sql: Self.valueSQL(context.caughtError?.procedure, type: .nvarchar(128)), type: .nvarchar(128))
        case "XACT_STATE":
            let open = context.systemValues["@@TRANCOUNT"]?.value != "0"
            return TranslatedExpression(sql: open ? "1" : "0", type: SQLServerType(.smallint), isNullable: false)
        case "DB_NAME":
            return TranslatedExpression(
                sql: "\(PostgresLiteral.quote(context.database.name))::text", type: .nvarchar(128), isNullable: false)
        case "DB_ID":
            return TranslatedExpression(sql: "\(context.database.id)", type: SQLServerType(.smallint), isNullable: false)
        case "SCHEMA_NAME":
            guard !arguments.isEmpty else {
                return TranslatedExpression(sql: "'dbo'::text", type: .nvarchar(128), isNullable: false)
            }
            return TranslatedExpression(
                sql: "(SELECT s.name FROM sqlserver_catalog.schemas s WHERE s.database_id = \(context.database.id) AND s.schema_id = \(try argument(0).sql))",
                type: .nvarchar(128))
        case "OBJECT_ID":
            // 'name' or 'schema.name', brackets allowed; resolved in the current database. The
            // optional second argument is the object type ('U', 'P', 'TR', …).
            let typeFilter = arguments.count > 1 ? " AND o.type = upper(trim(\(try text(1))))" : ""
            let name = "lower(replace(replace(\(try text(0)), '[', ''), ']', ''))"
            let schemaPart = "(CASE WHEN strpos(\(name), '.') > 0 THEN split_part(\(name), '.', 1) ELSE 'dbo' END)"
            let objectPart = "(CASE WHEN strpos(\(name), '.') > 0 THEN split_part(\(name), '.', 2) ELSE \(name) END)"
            return TranslatedExpression(
                sql: """
                    (SELECT o.object_id FROM sqlserver_catalog.objects o JOIN sqlserver_catalog.schemas s \
                    ON s.database_id = o.database_id AND s.schema_id = o.schema_id \
                    WHERE o.database_id = \(context.database.id) AND s.name_key = \(schemaPart) AND o.name_key = \(objectPart)\(typeFilter))
                    """,
                type: .int)
        case "OBJECT_NAME":
            return TranslatedExpression(
                sql: "(SELECT o.name FROM sqlserver_catalog.objects o WHERE o.database_id = \(context.database.id) AND o.object_id = \(try argument(0).sql))",
                type: .nvarchar(128))
        case "OBJECT_SCHEMA_NAME":
            // CDC clients name a capture instance's source table this way (Debezium's query over cdc.change_tables).
            return TranslatedExpression(
                sql: """
                    (SELECT s.name FROM sqlserver_catalog.objects o JOIN sqlserver_catalog.schemas s
                    ON s.database_id = o.database_id AND s.schema_id = o.schema_id
                    WHERE o.database_id = \(context.database.id) AND o.object_id = \(try argument(0).sql))
                    """,
                type: .nvarchar(128))
        case "SERVERPROPERTY":
            let properties = [
                "productversion": "15.0.2000.5", "productlevel": "RTM", "edition": "Developer Edition (64-bit)",
                "engineedition": "3", "servername": "ferry", "machinename": "ferry",
                "collation": "SQL_Latin1_General_CP1_CI_AS", "productmajorversion": "15",
            ]
            guard case .literal(.string(let property, _))? = call.arguments.first else {
                throw SQLServerError.notSupported("SERVERPROPERTY")
            }
            let value = properties[property.lowercased()]
            return TranslatedExpression(sql: Self.valueSQL(value, type: .nvarchar(128)), type: .nvarchar(128))
        case "SUSER_SNAME", "SUSER_NAME":
            return TranslatedExpression(sql: "'sa'::text", type: .nvarchar(128), isNullable: false)
        case "USER_NAME":
            return TranslatedExpression(sql: "'dbo'::text", type: .nvarchar(128), isNullable: false)
        default:
            throw SQLServerError(
                code: .unknownFunction, message: "'\(call.name.name.value)' is not a recognized built-in function name.",
                abortsBatch: true)
        }
    }

    /// SUM/AVG result types: int for tinyint/smallint/int, bigint, decimal(38,s), money, float.
    static func aggregateType(_ type: SQLServerType?) -> SQLServerType? {
        guard let type else { return nil }
        switch type.base {
        case .tinyint, .smallint, .int, .bit: return .int
        case .bigint: return .bigint
        case .decimal, .numeric: return .decimal(38, type.scale ?? 0)
        case .money, .smallmoney: return SQLServerType(.money)
        default: return .float
        }
    }

    /// A DATEADD/DATEDIFF/DATEPART part as a PostgreSQL field name.
    static func datePartField(_ part: String?) throws(SQLServerError) -> String {
        switch part ?? "" {
        case "year", "yy", "yyyy": return "year"
        case "quarter", "qq", "q": return "quarter"
        case "month", "mm", "m": return "month"
        case "day", "dd", "d": return "day"
        case "dayofyear", "dy", "y": return "doy"
        case "week", "wk", "ww": return "week"
        case "hour", "hh": return "hour"
        case "minute", "mi", "n": return "minute"
        case "second", "ss", "s": return "second"
        case "millisecond", "ms": return "milliseconds"
        case "microsecond", "mcs": return "microseconds"
        default:
            throw SQLServerError(
                code: .init(155), severity: 15, message: "'\(part ?? "")' is not a recognized datepart option.",
                abortsBatch: true)
        }
    }

    private func window(_ window: WindowSpecification, scope: Scope, ctes: [String: TranslatedQuery]) async throws -> String {
        var parts: [String] = []
        if !window.partitionBy.isEmpty {
            var keys: [String] = []
            for key in window.partitionBy { keys.append(try await expression(key, scope: scope, ctes: ctes).sql) }
            parts.append("PARTITION BY " + keys.joined(separator: ", "))
        }
        if !window.orderBy.isEmpty {
            var keys: [String] = []
            for item in window.orderBy {
                keys.append(
                    try await expression(item.expression, scope: scope, ctes: ctes).sql
                        + (item.direction == .descending ? " DESC" : ""))
            }
            parts.append("ORDER BY " + keys.joined(separator: ", "))
        }
        if window.frame != nil { throw SQLServerError.notSupported("ROWS/RANGE") }
        return " OVER (" + parts.joined(separator: " ") + ")"
    }
}
