public import FerryCore

/// Which source tables to capture and which of their rows: AWS DMS table mappings
/// (`table_mappings.json`: selection rules with `%` wildcards, include/exclude, source filters,
/// load order), read by FerryCore's task module.
public struct TableSelection: Hashable, Sendable {
    /// The DMS table mappings.
    public var mappings: TableMappings

    /// Makes a selection from table mappings.
    public init(mappings: TableMappings) { self.mappings = mappings }

    /// Every table of every schema: one `include` rule `%`.`%`.
    public static var all: TableSelection {
        let rule = SelectionRule(id: RuleID("1"), name: "all", action: .include,
                                 locator: ObjectLocator(schemaName: NamePattern("%"), tableName: NamePattern("%")))
        return TableSelection(mappings: TableMappings(selectionRules: [rule]))
    }

    /// Includes the tables whose schema and table match the `%` patterns, excluding those that match
    /// an exclude pair.
    public static func patterns(include: [(schema: String, table: String)], exclude: [(schema: String, table: String)] = []) -> TableSelection {
        var rules: [SelectionRule] = []
        for (index, pattern) in (include.map { ($0, SelectionRule.Action.include) } + exclude.map { ($0, SelectionRule.Action.exclude) }).enumerated() {
            rules.append(SelectionRule(id: RuleID(String(index + 1)), action: pattern.1,
                                       locator: ObjectLocator(schemaName: NamePattern(pattern.0.schema), tableName: NamePattern(pattern.0.table))))
        }
        return TableSelection(mappings: TableMappings(selectionRules: rules))
    }

    /// Whether the table `schema.table` is selected.
    public func includes(schema: String, table: String) -> Bool {
        mappings.selects(schema: schema, table: table)
    }

    /// The table's source filters typed against `schema` (empty when unfiltered).
    public func rowFilter(for schema: TableSchema) throws(SourceError) -> RowFilter {
        do {
            return try mappings.rowFilter(for: schema)
        } catch {
            throw SourceError(.invalidConfiguration, "table-mappings: the source filter of \(schema.identity) does not fit the table: \(error.message)",
                              context: ["table": schema.identity.description, "field": error.field])
        }
    }

    /// The full-load order of `tables`: higher `load-order` first, then by name.
    public func loadOrder(_ tables: [CapturedTable]) -> [CapturedTable] {
        let order = mappings.selectedTables(tables.map(\.identity))
        let byIdentity = Dictionary(uniqueKeysWithValues: tables.map { ($0.identity, $0) })
        return order.compactMap { byIdentity[$0] }
    }
}
