extension TableMappings {
    /// Whether the task replicates the source object `schema.table`.
    ///
    /// Selected means: at least one `include` rule (wildcards) or `explicit` rule (exact name) covers
    /// it, its `table-type` covers the object's kind (`table` by default, so views need
    /// `"table-type": "view"` or `"all"`), and no `exclude` rule covers it. Exclusion wins over
    /// inclusion regardless of rule ids, as in DMS.
    public func selects(schema: String, table: String, tableType: TableKind = .table) -> Bool {
        selectingRule(schema: schema, table: table, tableType: tableType) != nil
    }

    /// Whether the task replicates the source table.
    public func selects(_ table: TableIdentity, tableType: TableKind = .table) -> Bool {
        selects(schema: table.schema, table: table.table, tableType: tableType)
    }

    /// The `include`/`explicit` rule with the lowest id that selects the object, or `nil` if the
    /// object is not selected (no rule covers it, or an `exclude` rule does).
    public func selectingRule(schema: String, table: String, tableType: TableKind = .table) -> SelectionRule? {
        var chosen: SelectionRule? = nil
        for rule in selectionRules where rule.covers(schema: schema, table: table, kind: tableType, comparison: nameComparison) {
            if rule.action == .exclude { return nil }
            if chosen == nil { chosen = rule }
        }
        return chosen
    }

    /// The source filters of the selected table: those of its selecting rule (the covering
    /// `include` rule with the lowest id). Empty if the table is not selected or not filtered.
    /// Filters are ANDed; conditions within one filter are ORed (see ``RowFilter``).
    public func sourceFilters(for table: TableIdentity, tableType: TableKind = .table) -> [ColumnFilter] {
        selectingRule(schema: table.schema, table: table.table, tableType: tableType)?.filters ?? []
    }

    /// The table's source filters typed against its schema, ready to render as T-SQL or evaluate on rows.
    public func rowFilter(for schema: TableSchema, tableType: TableKind = .table, textComparison: NameComparison = .caseInsensitive) throws(TaskConfigurationError) -> RowFilter {
        let filters = sourceFilters(for: schema.identity, tableType: tableType)
        guard !filters.isEmpty else { return .none }
        return try RowFilter(filters, schema: schema, textComparison: textComparison)
    }

    /// The selecting rule's `load-order` (higher loads first; 0 by default).
    public func loadOrder(for table: TableIdentity, tableType: TableKind = .table) -> Int {
        selectingRule(schema: table.schema, table: table.table, tableType: tableType)?.loadOrder ?? 0
    }

    /// The selected tables among `candidates`, in full-load order: higher `load-order` first, then by name.
    public func selectedTables(_ candidates: [TableIdentity], tableType: TableKind = .table) -> [TableIdentity] {
        candidates
            .filter { selects($0, tableType: tableType) }
            .map { (table: $0, order: loadOrder(for: $0, tableType: tableType)) }
            .sorted { $0.order != $1.order ? $0.order > $1.order : $0.table < $1.table }
            .map(\.table)
    }

    /// `parallel-load` for the table: from the covering table-settings rule with the lowest id that
    /// has one; `nil` means one segment.
    public func parallelLoad(for table: TableIdentity) -> (load: ParallelLoad, ruleID: RuleID)? {
        for rule in tableSettingsRules where rule.locator.matches(schema: table.schema, table: table.table, comparison: nameComparison) {
            if let load = rule.parallelLoad { return (load, rule.id) }
        }
        return nil
    }

    /// `lob-settings` for the table: from the covering table-settings rule with the lowest id that
    /// has them; `nil` means `TargetMetadata`'s LOB settings apply.
    public func lobSettings(for table: TableIdentity) -> LobSettings? {
        for rule in tableSettingsRules where rule.locator.matches(schema: table.schema, table: table.table, comparison: nameComparison) {
            if let lob = rule.lobSettings { return lob }
        }
        return nil
    }
}
