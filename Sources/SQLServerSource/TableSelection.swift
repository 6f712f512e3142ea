/// Which source tables to capture: AWS DMS-style selection rules (schema and table patterns where
/// `%` matches any run of characters and `_` one character, case-insensitive), applied in order;
/// the last rule that matches a table decides, and a table no include rule matches is left out.
///
/// This is the source's seam for selection; `--table-mappings` files are read into it.
public struct TableSelection: Hashable, Sendable {
    /// One rule.
    public struct Rule: Hashable, Sendable {
        /// Whether a match selects or drops the table.
        public enum Action: String, Hashable, Sendable { case include, exclude }
        /// Include or exclude.
        public var action: Action
        /// The schema pattern (`dbo`, `%`, `Sales%`).
        public var schemaPattern: String
        /// The table pattern.
        public var tablePattern: String
        /// Makes a rule.
        public init(_ action: Action, schema: String, table: String) {
            self.action = action
            self.schemaPattern = schema
            self.tablePattern = table
        }
    }

    /// The rules, in the order they apply.
    public var rules: [Rule]

    /// Makes a selection from rules.
    public init(rules: [Rule]) { self.rules = rules }

    /// Every table of every schema.
    public static let all = TableSelection(rules: [Rule(.include, schema: "%", table: "%")])

    /// Whether the table `schema.table` is selected.
    public func includes(schema: String, table: String) -> Bool {
        var decision = false
        for rule in rules where Self.matches(rule.schemaPattern, schema) && Self.matches(rule.tablePattern, table) {
            decision = rule.action == .include
        }
        return decision
    }

    /// Whether `text` matches a DMS/LIKE pattern (`%` any run, `_` one character), ignoring case.
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased()), t = Array(text.lowercased())
        // Iterative wildcard match with backtracking to the last '%'.
        var i = 0, j = 0, star = -1, mark = 0
        while j < t.count {
            if i < p.count, p[i] == "_" || (p[i] != "%" && p[i] == t[j]) {
                i += 1; j += 1
            } else if i < p.count, p[i] == "%" {
                star = i; mark = j; i += 1
            } else if star >= 0 {
                i = star + 1; mark += 1; j = mark
            } else {
                return false
            }
        }
        while i < p.count, p[i] == "%" { i += 1 }
        return i == p.count
    }
}
