/// One DMS source filter (`"filter-type": "source"`) on one column, as written in a selection rule.
///
/// A row passes the filter when it satisfies **any** of its conditions (DMS: conditions within one
/// filter are ORed). A row passes a table's filters when it passes **every** filter (DMS: filters
/// are ANDed). Values are kept as the text the rule gives; ``RowFilter`` types them against the
/// column so they can be pushed down as T-SQL or evaluated on a change row.
public struct ColumnFilter: Hashable, Sendable {
    /// The source column the filter tests, as SQL Server spells it.
    public var columnName: String
    /// The conditions; at least one.
    public var conditions: [FilterCondition]
    /// The selection rule the filter belongs to.
    public var ruleID: RuleID
    /// The filter's field path in the document (`rules[0].filters[1]`), for messages.
    public var path: String

    /// Makes a filter.
    public init(columnName: String, conditions: [FilterCondition], ruleID: RuleID, path: String = "") {
        self.columnName = columnName
        self.conditions = conditions
        self.ruleID = ruleID
        self.path = path
    }
}

/// One `filter-conditions` entry: an operator and the values it needs.
public struct FilterCondition: Hashable, Sendable {
    /// The comparison.
    public var filterOperator: FilterOperator
    /// `value`, for `eq`, `noteq`, `gte`, `lte`/`ste`.
    public var value: String?
    /// `start-value`, for `between` and `notbetween`.
    public var startValue: String?
    /// `end-value`, for `between` and `notbetween`.
    public var endValue: String?

    /// Makes a condition.
    public init(_ filterOperator: FilterOperator, value: String? = nil, startValue: String? = nil, endValue: String? = nil) {
        self.filterOperator = filterOperator
        self.value = value
        self.startValue = startValue
        self.endValue = endValue
    }
}

/// DMS's `filter-operator` values.
///
/// Comparisons follow SQL: a `NULL` column value satisfies only `null` (every other operator is
/// false for it, `noteq` and `notbetween` included).
public enum FilterOperator: String, Hashable, Sendable, CaseIterable {
    /// `column = value`.
    case eq
    /// `column <> value`.
    case noteq
    /// `column >= value`.
    case gte
    /// `column <= value`; DMS also spells it `ste`.
    case lte
    /// `start-value <= column <= end-value` (inclusive).
    case between
    /// `column < start-value OR column > end-value`.
    case notbetween
    /// `column IS NULL`.
    case null
    /// `column IS NOT NULL`.
    case notnull

    /// Parses an operator as DMS spells it (`ste` is `lte`), in any case.
    public init?(dmsName: String) {
        let name = dmsName.lowercased()
        if name == "ste" { self = .lte; return }
        self.init(rawValue: name)
    }
}
