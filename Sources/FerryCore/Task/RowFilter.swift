import struct Foundation.UUID

/// A table's source filters typed against its columns: what the source pushes down as a T-SQL
/// `WHERE` clause during full load, and what is evaluated on each change row during CDC.
///
/// Semantics (DMS's): filters are ANDed; the conditions of one filter are ORed; `NULL` satisfies
/// only `null`. Text compares as SQL Server does under ``textComparison``: trailing spaces do not
/// count, and letter case only with `.caseSensitive`. Values are typed by the column: integers,
/// exact decimals, floats, `bit` (`1`/`0`/`true`/`false`), dates (`YYYY-MM-DD`), times,
/// date-times (`YYYY-MM-DD[T| ]HH:MM:SS[.fffffff]`, or a date meaning midnight), date-time offsets
/// (an offset-less value is UTC), `uniqueidentifier` and binary (`0x…`). Large-object, spatial,
/// `sql_variant` and `hierarchyid` columns cannot be filtered (DMS advises against filtering LOBs,
/// and CDC may not carry their values).
///
/// DMS's caveat holds here too: filter on columns that never change. A row updated from outside the
/// filter into it arrives as an update the target never had.
public struct RowFilter: Hashable, Sendable {
    /// One typed filter: a column and its ORed conditions.
    public struct Typed: Hashable, Sendable {
        /// The source column.
        public let column: ColumnDefinition
        /// The conditions, values typed for the column.
        public let conditions: [TypedCondition]
    }

    /// One condition with typed values.
    public struct TypedCondition: Hashable, Sendable {
        /// The operator.
        public let filterOperator: FilterOperator
        /// The operand(s): one for comparisons, two for ranges, none for `null`/`notnull`.
        public let operands: [ColumnValue]
    }

    /// The typed filters, ANDed; empty when the table is not filtered.
    public let filters: [Typed]
    /// How text values compare.
    public let textComparison: NameComparison

    /// A filter that lets every row through.
    public static let none = RowFilter(filters: [], textComparison: .caseInsensitive)

    private init(filters: [Typed], textComparison: NameComparison) {
        self.filters = filters
        self.textComparison = textComparison
    }

    /// Types `filters` against `schema`; throws naming the rule and field when a column is unknown,
    /// cannot be filtered, or a value does not fit the column's type.
    public init(_ filters: [ColumnFilter], schema: TableSchema, textComparison: NameComparison = .caseInsensitive) throws(TaskConfigurationError) {
        var typed: [Typed] = []
        for filter in filters {
            let column = schema.column(named: filter.columnName)
                ?? schema.columns.first { textComparison == .caseInsensitive && $0.name.lowercased() == filter.columnName.lowercased() }
            guard let column else {
                throw TaskConfigurationError(.ruleDoesNotFit, "rule \(filter.ruleID): '\(filter.path).column-name' names '\(filter.columnName)', which is not a column of \(schema.identity.schema).\(schema.identity.table)",
                                             field: filter.path + ".column-name", ruleID: filter.ruleID.text, context: ["table": schema.identity.description, "column": filter.columnName])
            }
            if let problem = Self.unfilterable(column.type) {
                throw TaskConfigurationError(.unsupportedFeature, "rule \(filter.ruleID): '\(filter.path).column-name': column '\(column.name)' of \(schema.identity.schema).\(schema.identity.table) is \(column.type) — \(problem)",
                                             field: filter.path + ".column-name", ruleID: filter.ruleID.text, context: ["table": schema.identity.description, "column": column.name])
            }
            var conditions: [TypedCondition] = []
            for (index, condition) in filter.conditions.enumerated() {
                let conditionPath = "\(filter.path).filter-conditions[\(index)]"
                func typedValue(_ text: String?, _ key: String) throws(TaskConfigurationError) -> ColumnValue {
                    guard let text else {
                        throw TaskConfigurationError(.missingField, "rule \(filter.ruleID): '\(conditionPath).\(key)' is missing for filter-operator '\(condition.filterOperator.rawValue)'", field: "\(conditionPath).\(key)", ruleID: filter.ruleID.text)
                    }
                    guard let value = Self.parse(text, for: column.type) else {
                        throw TaskConfigurationError(.invalidField, "rule \(filter.ruleID): '\(conditionPath).\(key)' is '\(text)', not a valid \(column.type) value for column '\(column.name)'",
                                                     field: "\(conditionPath).\(key)", ruleID: filter.ruleID.text, context: ["column": column.name, "value": text])
                    }
                    return value
                }
                switch condition.filterOperator {
                case .eq, .noteq, .gte, .lte:
                    conditions.append(TypedCondition(filterOperator: condition.filterOperator, operands: [try typedValue(condition.value, "value")]))
                case .between, .notbetween:
                    conditions.append(TypedCondition(filterOperator: condition.filterOperator,
                                                     operands: [try typedValue(condition.startValue, "start-value"), try typedValue(condition.endValue, "end-value")]))
                case .null, .notnull:
                    conditions.append(TypedCondition(filterOperator: condition.filterOperator, operands: []))
                }
            }
            typed.append(Typed(column: column, conditions: conditions))
        }
        self.init(filters: typed, textComparison: textComparison)
    }

    /// Whether no filter applies.
    public var isEmpty: Bool { filters.isEmpty }

    // MARK: T-SQL

    /// The filters as a T-SQL search condition for a `WHERE` clause (without the keyword), or
    /// `nil` when there are none: `([GroupName] = N'Sales' OR [GroupName] IS NULL) AND ([DepartmentID] BETWEEN 1 AND 5)`.
    /// Literals are typed for the column so SQL Server can use an index (no `N` prefix on `varchar`).
    public var whereClause: String? {
        guard !filters.isEmpty else { return nil }
        return filters.map { filter in
            let column = Self.quoted(filter.column.name)
            let parts = filter.conditions.map { condition -> String in
                let literals = condition.operands.map { Self.literal($0, type: filter.column.type) }
                switch condition.filterOperator {
                case .eq: return "\(column) = \(literals[0])"
                case .noteq: return "\(column) <> \(literals[0])"
                case .gte: return "\(column) >= \(literals[0])"
                case .lte: return "\(column) <= \(literals[0])"
                case .between: return "\(column) BETWEEN \(literals[0]) AND \(literals[1])"
                case .notbetween: return "\(column) NOT BETWEEN \(literals[0]) AND \(literals[1])"
                case .null: return "\(column) IS NULL"
                case .notnull: return "\(column) IS NOT NULL"
                }
            }
            return "(" + parts.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
    }

    /// A T-SQL bracket-quoted identifier (`]` doubled).
    public static func quoted(_ identifier: String) -> String {
        "[" + identifier.replacing("]", with: "]]") + "]"
    }

    static func literal(_ value: ColumnValue, type: SQLServerDataType) -> String {
        switch value {
        case .null, .unchanged: return "NULL"
        case .bool(let b): return b ? "1" : "0"
        case .int(let i): return String(i)
        case .decimal(let d): return d.description
        case .real(let f): return Double(f).description
        case .float(let d): return d.description
        case .date(let d): return "'\(d)'"
        case .time(let t): return "'\(t.formatted(fractionDigits: type.effectiveScale ?? 7))'"
        case .dateTime(let dt): return "'\(dt.formatted(fractionDigits: type.effectiveScale ?? 7))'"
        case .dateTimeOffset(let dto): return "'\(dto.formatted(fractionDigits: type.effectiveScale ?? 7))'"
        case .guid(let g): return "'\(g.uuidString)'"
        case .bytes(let bytes): return "0x" + bytes.map { hexByte($0) }.joined()
        case .string(let s):
            let body = "'" + s.replacing("'", with: "''") + "'"
            return type.isUnicode ? "N" + body : body
        case .spatial, .variant: return "NULL"
        }
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    // MARK: Evaluation

    /// Whether `row` passes every filter. A column absent from the row counts as `NULL`.
    /// For a change event, test the after image of inserts and updates and the before image of deletes.
    public func matches(_ row: Row) -> Bool {
        for filter in filters {
            let value = row[filter.column.name] ?? .null
            guard filter.conditions.contains(where: { satisfies(value, $0) }) else { return false }
        }
        return true
    }

    private func satisfies(_ value: ColumnValue, _ condition: TypedCondition) -> Bool {
        switch condition.filterOperator {
        case .null: return value == .null
        case .notnull: return value != .null && value != .unchanged
        default: break
        }
        guard value != .null, value != .unchanged else { return false }
        func cmp(_ operand: ColumnValue) -> Int? { Self.compare(value, operand, text: textComparison) }
        switch condition.filterOperator {
        case .eq: return cmp(condition.operands[0]) == 0
        case .noteq: return cmp(condition.operands[0]).map { $0 != 0 } ?? false
        case .gte: return cmp(condition.operands[0]).map { $0 >= 0 } ?? false
        case .lte: return cmp(condition.operands[0]).map { $0 <= 0 } ?? false
        case .between:
            guard let low = cmp(condition.operands[0]), let high = cmp(condition.operands[1]) else { return false }
            return low >= 0 && high <= 0
        case .notbetween:
            guard let low = cmp(condition.operands[0]), let high = cmp(condition.operands[1]) else { return false }
            return low < 0 || high > 0
        case .null, .notnull: return false
        }
    }

    /// Compares two non-null values as SQL Server would: -1, 0, 1, or `nil` when they are of kinds
    /// that do not compare (a string with a number).
    static func compare(_ a: ColumnValue, _ b: ColumnValue, text: NameComparison) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case let (.bool(x), .bool(y)): return sign(x ? 1 : 0, y ? 1 : 0)
        case let (.int(x), .int(y)): return sign(x, y)
        case let (.string(x), .string(y)):
            let l = trimTrailingSpaces(x), r = trimTrailingSpaces(y)
            return text == .caseInsensitive ? sign(l.lowercased(), r.lowercased()) : sign(l, r)
        case let (.date(x), .date(y)): return sign(x, y)
        case let (.time(x), .time(y)): return sign(x, y)
        case let (.dateTime(x), .dateTime(y)): return sign(x, y)
        case let (.dateTimeOffset(x), .dateTimeOffset(y)):
            guard let ux = x.utc, let uy = y.utc else { return nil }
            return sign(ux, uy)
        case let (.guid(x), .guid(y)): return bytewise(guidOrderKey(x), guidOrderKey(y))
        case let (.bytes(x), .bytes(y)): return bytewise(x, y)
        default: break
        }
        // Numbers of different kinds: exact when both are exact, through Double otherwise.
        guard let x = numeric(a), let y = numeric(b) else { return nil }
        switch (x, y) {
        case let (.exact(l), .exact(r)):
            if let c = compareExact(l, r) { return c }
            return sign(l.doubleValue, r.doubleValue)
        default:
            return sign(x.doubleValue, y.doubleValue)
        }
    }

    private enum Number {
        case exact(ExactDecimal)
        case approximate(Double)
        var doubleValue: Double {
            switch self {
            case .exact(let d): return d.doubleValue
            case .approximate(let d): return d
            }
        }
    }

    private static func numeric(_ value: ColumnValue) -> Number? {
        switch value {
        case .int(let i): return ExactDecimal(unscaled: Int128(i), scale: 0).map(Number.exact)
        case .decimal(let d): return .exact(d)
        case .real(let f): return .approximate(Double(f))
        case .float(let d): return .approximate(d)
        default: return nil
        }
    }

    private static func compareExact(_ l: ExactDecimal, _ r: ExactDecimal) -> Int? {
        let scale = max(l.scale, r.scale)
        func scaled(_ d: ExactDecimal) -> Int128? {
            var value = d.unscaled
            for _ in d.scale..<scale {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                value = product
            }
            return value
        }
        guard let a = scaled(l), let b = scaled(r) else { return nil }
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    private static func bytewise(_ x: [UInt8], _ y: [UInt8]) -> Int {
        x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
    }

    private static func trimTrailingSpaces(_ s: String) -> Substring {
        var sub = Substring(s)
        while sub.last == " " { sub = sub.dropLast() }
        return sub
    }

    /// SQL Server orders `uniqueidentifier` by byte groups from the end of its printed form:
    /// bytes 10–15 first, then 8–9, then 6–7, 4–5 and 0–3 (each group most significant byte last for the first three).
    private static func guidOrderKey(_ uuid: UUID) -> [UInt8] {
        let b = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        return [b[10], b[11], b[12], b[13], b[14], b[15], b[8], b[9], b[7], b[6], b[5], b[4], b[3], b[2], b[1], b[0]]
    }

    // MARK: Typing values

    static func unfilterable(_ type: SQLServerDataType) -> String? {
        if type.isLargeObject { return "filters on large-object columns are not supported (CDC may not carry their values; DMS advises against it)" }
        switch type.category {
        case .spatial, .variant, .hierarchyID: return "filters on \(type.name.rawValue) columns are not supported"
        default: return nil
        }
    }

    /// The typed value of a filter's text for a column of `type`, or `nil` if it does not parse.
    static func parse(_ raw: String, for type: SQLServerDataType) -> ColumnValue? {
        let text = raw.trimmedASCII
        switch type.category {
        case .boolean:
            switch text.lowercased() {
            case "1", "true": return .bool(true)
            case "0", "false": return .bool(false)
            default: return nil
            }
        case .integer:
            guard let i = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) else { return nil }
            if let range = type.integerRange, !range.contains(i) { return nil }
            return .int(i)
        case .exactNumeric:
            return ExactDecimal(text).map(ColumnValue.decimal)
        case .approximateNumeric:
            guard let d = Double(text), d.isFinite else { return nil }
            return type.name == .real ? .real(Float(d)) : .float(d)
        case .date:
            return SQLDate(text).map(ColumnValue.date)
        case .time:
            return SQLTime(text).map(ColumnValue.time)
        case .dateTime:
            if let dt = SQLDateTime(text) { return .dateTime(dt) }
            if let d = SQLDate(text), let midnight = SQLTime(ticks: 0) { return .dateTime(SQLDateTime(date: d, time: midnight)) }
            return nil
        case .dateTimeOffset:
            if let dto = SQLDateTimeOffset(text) { return .dateTimeOffset(dto) }
            if let dt = SQLDateTime(text) { return SQLDateTimeOffset(local: dt, offsetMinutes: 0).map(ColumnValue.dateTimeOffset) }
            if let d = SQLDate(text), let midnight = SQLTime(ticks: 0) {
                return SQLDateTimeOffset(local: SQLDateTime(date: d, time: midnight), offsetMinutes: 0).map(ColumnValue.dateTimeOffset)
            }
            return nil
        case .characterString:
            return .string(raw)
        case .binaryString:
            var hex = Substring(text)
            if hex.hasPrefix("0x") || hex.hasPrefix("0X") { hex = hex.dropFirst(2) }
            guard hex.count % 2 == 0 else { return nil }
            var bytes: [UInt8] = []
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return .bytes(bytes)
        case .uniqueIdentifier:
            var t = Substring(text)
            if t.hasPrefix("{"), t.hasSuffix("}") { t = t.dropFirst().dropLast() }
            return UUID(uuidString: String(t)).map(ColumnValue.guid)
        case .hierarchyID, .spatial, .variant:
            return nil
        }
    }
}

extension ExactDecimal {
    /// The nearest `Double` (for comparisons with approximate numbers only).
    var doubleValue: Double {
        var divisor = 1.0
        for _ in 0..<scale { divisor *= 10 }
        return Double(unscaled) / divisor
    }
}
