/// A `"rule-type": "transformation"` rule: renames, column changes, added columns, keys.
public struct TransformationRule: Hashable, Sendable {
    /// `rule-target`: the kind of object the rule changes.
    public enum Target: String, Hashable, Sendable, CaseIterable {
        /// The target schema name.
        case schema
        /// The target table name, or the table's key (`define-primary-key`).
        case table
        /// A target column: its name, presence or type, or a new column.
        case column
    }

    /// `rule-action`, with the values it needs.
    public enum Action: Hashable, Sendable {
        /// `rename`: the object's new name.
        case rename(String)
        /// `convert-lowercase`.
        case convertLowercase
        /// `convert-uppercase`.
        case convertUppercase
        /// `add-prefix` with `value`.
        case addPrefix(String)
        /// `remove-prefix` with `value` (a name without the prefix is unchanged).
        case removePrefix(String)
        /// `replace-prefix`: `old-value` → `value` (a name without the old prefix is unchanged).
        case replacePrefix(old: String, new: String)
        /// `add-suffix` with `value`.
        case addSuffix(String)
        /// `remove-suffix` with `value`.
        case removeSuffix(String)
        /// `replace-suffix`: `old-value` → `value`.
        case replaceSuffix(old: String, new: String)
        /// `remove-column`: the matching columns are not replicated.
        case removeColumn
        /// `include-column`: once a table has any `include-column` rule, only the columns those
        /// rules match are replicated.
        case includeColumn
        /// `add-column`: a new target column named `value`, of `data-type`, filled by `expression`
        /// (or `NULL` without one).
        case addColumn(name: String, type: TargetDataType, expression: ColumnExpression?)
        /// `change-data-type`: the matching columns get `data-type` on the target.
        case changeDataType(TargetDataType)
        /// `define-primary-key`: the target key (`primary-key-def`).
        case definePrimaryKey(PrimaryKeyDefinition)

        /// The action's DMS name.
        public var dmsName: String {
            switch self {
            case .rename: return "rename"
            case .convertLowercase: return "convert-lowercase"
            case .convertUppercase: return "convert-uppercase"
            case .addPrefix: return "add-prefix"
            case .removePrefix: return "remove-prefix"
            case .replacePrefix: return "replace-prefix"
            case .addSuffix: return "add-suffix"
            case .removeSuffix: return "remove-suffix"
            case .replaceSuffix: return "replace-suffix"
            case .removeColumn: return "remove-column"
            case .includeColumn: return "include-column"
            case .addColumn: return "add-column"
            case .changeDataType: return "change-data-type"
            case .definePrimaryKey: return "define-primary-key"
            }
        }

        /// Whether the action changes a name (and so composes with other naming actions).
        var isNaming: Bool {
            switch self {
            case .rename, .convertLowercase, .convertUppercase, .addPrefix, .removePrefix, .replacePrefix, .addSuffix, .removeSuffix, .replaceSuffix: return true
            default: return false
            }
        }

        /// Applies a naming action to `name`.
        func rename(_ name: String, comparison: NameComparison) -> String {
            switch self {
            case .rename(let new): return new
            case .convertLowercase: return name.lowercased()
            case .convertUppercase: return name.uppercased()
            case .addPrefix(let p): return p + name
            case .removePrefix(let p): return comparison.hasPrefix(name, p) ? String(name.dropFirst(p.count)) : name
            case .replacePrefix(let old, let new): return comparison.hasPrefix(name, old) ? new + name.dropFirst(old.count) : name
            case .addSuffix(let s): return name + s
            case .removeSuffix(let s): return comparison.hasSuffix(name, s) ? String(name.dropLast(s.count)) : name
            case .replaceSuffix(let old, let new): return comparison.hasSuffix(name, old) ? name.dropLast(old.count) + new : name
            default: return name
            }
        }
    }

    /// The rule's id.
    public var id: RuleID
    /// `rule-name`, if given.
    public var name: String?
    /// What kind of object it changes.
    public var target: Target
    /// Which objects (source names).
    public var locator: ObjectLocator
    /// What it does.
    public var action: Action
    /// The rule's field path (`rules[3]`), for messages.
    public var path: String

    /// Makes a rule.
    public init(id: RuleID, name: String? = nil, target: Target, locator: ObjectLocator, action: Action, path: String = "") {
        self.id = id
        self.name = name
        self.target = target
        self.locator = locator
        self.action = action
        self.path = path
    }
}

/// `primary-key-def` of a `define-primary-key` rule.
public struct PrimaryKeyDefinition: Hashable, Sendable {
    /// Whether the definition makes a primary key or a unique index.
    public enum Origin: String, Hashable, Sendable {
        /// `primary-key` (DMS's default).
        case primaryKey = "primary-key"
        /// `unique-index`.
        case uniqueIndex = "unique-index"
    }

    /// The constraint or index name.
    public var name: String
    /// `origin`.
    public var origin: Origin
    /// The key columns in order, as the rule names them (source names, or target names of renamed
    /// or added columns).
    public var columns: [String]

    /// Makes a definition.
    public init(name: String, origin: Origin = .primaryKey, columns: [String]) {
        self.name = name
        self.origin = origin
        self.columns = columns
    }
}
