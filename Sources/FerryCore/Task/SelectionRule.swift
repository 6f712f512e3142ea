/// A `"rule-type": "selection"` rule: which tables (and views) the task replicates.
public struct SelectionRule: Hashable, Sendable {
    /// `include`, `exclude` or `explicit`.
    public enum Action: String, Hashable, Sendable, CaseIterable {
        /// Replicate the matching objects (wildcards allowed).
        case include
        /// Do not replicate the matching objects; wins over every include and explicit rule.
        case exclude
        /// Replicate exactly the one named object: names are compared literally, so `%` and `_` are
        /// ordinary characters.
        case explicit
    }

    /// `object-locator.table-type`: which kinds of objects the rule's table name refers to.
    public enum TableType: String, Hashable, Sendable, CaseIterable {
        /// Base tables only (DMS's default).
        case table
        /// Views only.
        case view
        /// Tables and views.
        case all

        /// Whether an object of `kind` is covered.
        public func covers(_ kind: TableKind) -> Bool {
            switch self {
            case .table: return kind == .table
            case .view: return kind == .view
            case .all: return true
            }
        }
    }

    /// The rule's id.
    public var id: RuleID
    /// `rule-name`, if given.
    public var name: String?
    /// What the rule does.
    public var action: Action
    /// The schema and table patterns.
    public var locator: ObjectLocator
    /// Which kinds of objects the rule covers.
    public var tableType: TableType
    /// Source filters; DMS applies them only on `include` (and `explicit`) rules.
    public var filters: [ColumnFilter]
    /// `load-order`: tables with a higher value start their full load first (default 0).
    public var loadOrder: Int

    /// Makes a rule.
    public init(id: RuleID, name: String? = nil, action: Action, locator: ObjectLocator, tableType: TableType = .table, filters: [ColumnFilter] = [], loadOrder: Int = 0) {
        self.id = id
        self.name = name
        self.action = action
        self.locator = locator
        self.tableType = tableType
        self.filters = filters
        self.loadOrder = loadOrder
    }

    /// Whether the rule's locator and table type cover the object.
    public func covers(schema: String, table: String, kind: TableKind, comparison: NameComparison) -> Bool {
        guard tableType.covers(kind), let tablePattern = locator.tableName else { return false }
        switch action {
        case .explicit:
            return locator.schemaName.equalsLiterally(schema, comparison: comparison) && tablePattern.equalsLiterally(table, comparison: comparison)
        case .include, .exclude:
            return locator.schemaName.matches(schema, comparison: comparison) && tablePattern.matches(table, comparison: comparison)
        }
    }
}

/// Whether a source object is a base table or a view.
public enum TableKind: String, Hashable, Sendable {
    /// A base table.
    case table
    /// A view (DMS loads views in full load only).
    case view
}
