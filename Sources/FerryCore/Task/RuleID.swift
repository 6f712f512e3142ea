/// A table-mapping `rule-id`, written as a string (`"1"`) or a number (`1`).
///
/// Rules are ordered by their id's numeric value when both ids are whole numbers (`"2"` < `"10"`),
/// otherwise by text; numeric ids sort before other ids. "Lowest rule id wins" uses this order.
public struct RuleID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The id as written.
    public let text: String
    /// The digits without leading zeros, when the id is a whole number.
    private let digits: String?

    /// Makes an id from its text.
    public init(_ text: String) {
        self.text = text
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let trimmed = text.drop { $0 == "0" }
            digits = trimmed.isEmpty ? "0" : String(trimmed)
        } else {
            digits = nil
        }
    }

    public static func < (lhs: RuleID, rhs: RuleID) -> Bool {
        switch (lhs.digits, rhs.digits) {
        case let (l?, r?): return l.count != r.count ? l.count < r.count : l < r
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return lhs.text < rhs.text
        }
    }

    public static func == (lhs: RuleID, rhs: RuleID) -> Bool {
        if let l = lhs.digits, let r = rhs.digits { return l == r }
        return lhs.text == rhs.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(digits ?? text)
    }

    public var description: String { text }
}

/// Which objects a rule applies to: schema, table (or view) and column name patterns.
public struct ObjectLocator: Hashable, Sendable {
    /// The schema name pattern.
    public var schemaName: NamePattern
    /// The table or view name pattern; `nil` when the rule does not name one (schema rules).
    public var tableName: NamePattern?
    /// The column name pattern; `nil` when the rule does not name one.
    public var columnName: NamePattern?

    /// Makes a locator.
    public init(schemaName: NamePattern, tableName: NamePattern? = nil, columnName: NamePattern? = nil) {
        self.schemaName = schemaName
        self.tableName = tableName
        self.columnName = columnName
    }

    /// Whether the schema and table match (a missing table pattern matches every table).
    public func matches(schema: String, table: String, comparison: NameComparison) -> Bool {
        schemaName.matches(schema, comparison: comparison) && (tableName?.matches(table, comparison: comparison) ?? true)
    }
}

/// A key of a settings or mappings document that Ferry read but does not act on, and why.
public struct IgnoredSetting: Hashable, Sendable, CustomStringConvertible {
    /// The key's path (`Logging.CloudWatchLogGroup`, `rules[3].rule-target`).
    public var path: String
    /// Why Ferry does not act on it.
    public var reason: String

    /// Makes an entry.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}
