extension TableMappings {
    /// The target shape of a source table under the transformation rules.
    ///
    /// Precise semantics:
    /// - **Matching**: a rule applies to an object when its `object-locator` patterns match the
    ///   object's *source* names (schema; schema and table; schema, table and column).
    /// - **Naming** (`rename`, `convert-lowercase`/`-uppercase`, add/remove/replace prefix and suffix):
    ///   of the naming rules that apply to one object, only the lowest rule id of each action kind
    ///   counts (two `rename`s conflict: the lower id wins); the remaining rules of different kinds
    ///   compose, applied in ascending rule-id order, each to the name the previous one produced
    ///   (`add-prefix` 2 then `convert-lowercase` 3 gives `dms_actor`). `remove-`/`replace-` leave a
    ///   name without the prefix or suffix unchanged.
    /// - **Schema**: if any schema rule applies, its result; otherwise `targetSchema`
    ///   (`TargetMetadata.TargetSchema`) when non-empty; otherwise the source schema — DMS's order.
    /// - **Columns**: `remove-column` excludes; once any `include-column` rule applies to the table,
    ///   columns no `include-column` rule matches are excluded. A column matched by both a
    ///   `remove-column` and an `include-column` rule follows the lower rule id.
    ///   `change-data-type`: the lowest id that applies.
    /// - **Added columns**: every `add-column` rule that applies to the table, in rule-id order; two with
    ///   the same target name conflict (the lower id wins). `$COLUMN` references must name source columns.
    /// - **Key**: the lowest-id `define-primary-key` rule; its columns may be named by source name or
    ///   by target name (renamed or added columns). Without one, the source key, renamed.
    /// - `folding` is applied last to every target name.
    ///
    /// Throws (naming the rule and field) when an expression or key names an unknown column, two
    /// columns end up with one target name, or a key column is excluded.
    public func targetTable(for schema: TableSchema, targetSchema: String = "", folding: NameFolding = .preserve) throws(TaskConfigurationError) -> TargetTable {
        let source = schema.identity
        let comparison = nameComparison

        // Schema and table names.
        let schemaRules = transformationRules.filter { $0.target == .schema && $0.action.isNaming && $0.locator.matches(schema: source.schema, table: source.table, comparison: comparison) }
        var schemaName: String
        if schemaRules.isEmpty {
            schemaName = targetSchema.isEmpty ? source.schema : targetSchema
        } else {
            schemaName = Self.applyNaming(schemaRules, to: source.schema, comparison: comparison).name
        }
        schemaName = folding.apply(schemaName)
        let tableRules = transformationRules.filter { $0.target == .table && $0.locator.matches(schema: source.schema, table: source.table, comparison: comparison) }
        let tableName = folding.apply(Self.applyNaming(tableRules.filter { $0.action.isNaming }, to: source.table, comparison: comparison).name)

        // Columns.
        let columnRules = transformationRules.filter { $0.target == .column && $0.locator.matches(schema: source.schema, table: source.table, comparison: comparison) }
        let includeRules = columnRules.filter { $0.action == .includeColumn }
        var columns: [TargetTable.TargetColumn] = []
        var owners: [String: String] = [:]  // target name (folded, compared per comparison) → source column
        func nameKey(_ name: String) -> String { comparison == .caseInsensitive ? name.lowercased() : name }
        for column in schema.columns {
            let applying = columnRules.filter { $0.locator.columnName?.matches(column.name, comparison: comparison) ?? false }
            let (named, namingIDs) = Self.applyNaming(applying.filter { $0.action.isNaming }, to: column.name, comparison: comparison)
            let name = folding.apply(named)
            var excludedBy: RuleID? = nil
            let presence = applying.first { $0.action == .removeColumn || $0.action == .includeColumn }
            if let presence {
                if presence.action == .removeColumn { excludedBy = presence.id }
            } else if let firstInclude = includeRules.first {
                excludedBy = firstInclude.id
            }
            var changedType: TargetDataType? = nil
            for rule in applying {
                if case .changeDataType(let type) = rule.action { changedType = type; break }
            }
            if excludedBy == nil {
                if let other = owners[nameKey(name)] {
                    throw TaskConfigurationError(.ruleDoesNotFit, "columns '\(other)' and '\(column.name)' of \(source.schema).\(source.table) would both be named '\(name)' on the target" + (namingIDs.isEmpty ? "" : " (rule \(namingIDs.map(\.text).joined(separator: ", ")))"),
                                                 field: namingIDs.isEmpty ? "" : "rules", ruleID: namingIDs.last?.text, context: ["table": source.description, "column": column.name])
                }
                owners[nameKey(name)] = column.name
            }
            columns.append(TargetTable.TargetColumn(source: column, name: name, excludedBy: excludedBy, changedType: changedType, namingRules: namingIDs))
        }

        // Added columns.
        var added: [TargetTable.AddedColumn] = []
        var addedNames = Set<String>()
        for rule in columnRules {
            guard case .addColumn(let rawName, let type, let expression) = rule.action else { continue }
            let name = folding.apply(rawName)
            guard addedNames.insert(nameKey(name)).inserted else { continue }  // a lower rule id already added it
            if let owner = owners[nameKey(name)] {
                throw TaskConfigurationError(.ruleDoesNotFit, "rule \(rule.id): '\(rule.path).value' adds column '\(name)' to \(source.schema).\(source.table), which already has it (from source column '\(owner)')",
                                             field: "\(rule.path).value", ruleID: rule.id.text, context: ["table": source.description, "column": name])
            }
            for reference in expression?.referencedColumns ?? [] where schema.column(named: reference) == nil {
                throw TaskConfigurationError(.ruleDoesNotFit, "rule \(rule.id): '\(rule.path).expression' refers to $\(reference), which is not a column of \(source.schema).\(source.table)",
                                             field: "\(rule.path).expression", ruleID: rule.id.text, context: ["table": source.description, "column": reference])
            }
            added.append(TargetTable.AddedColumn(name: name, type: type, expression: expression, ruleID: rule.id))
        }

        // Key.
        var key: TargetTable.TargetKey? = nil
        if let rule = tableRules.first(where: { if case .definePrimaryKey = $0.action { return true } else { return false } }),
           case .definePrimaryKey(let definition) = rule.action {
            var keyColumns: [String] = []
            for (index, name) in definition.columns.enumerated() {
                let field = "\(rule.path).primary-key-def.columns[\(index)]"
                if let column = columns.first(where: { comparison.equal($0.source.name, name) }) ?? columns.first(where: { comparison.equal($0.name, name) }) {
                    guard column.isIncluded else {
                        throw TaskConfigurationError(.ruleDoesNotFit, "rule \(rule.id): '\(field)' names '\(name)', which rule \(column.excludedBy!) removes from \(source.schema).\(source.table)",
                                                     field: field, ruleID: rule.id.text, context: ["table": source.description, "column": name])
                    }
                    keyColumns.append(column.name)
                } else if let column = added.first(where: { comparison.equal($0.name, folding.apply(name)) }) {
                    keyColumns.append(column.name)
                } else {
                    throw TaskConfigurationError(.ruleDoesNotFit, "rule \(rule.id): '\(field)' names '\(name)', which is not a column of \(source.schema).\(source.table)",
                                                 field: field, ruleID: rule.id.text, context: ["table": source.description, "column": name])
                }
            }
            key = TargetTable.TargetKey(columns: keyColumns, name: definition.name.isEmpty ? nil : folding.apply(definition.name), origin: definition.origin, ruleID: rule.id)
        } else if !schema.keyColumns.isEmpty {
            var keyColumns: [String] = []
            for name in schema.keyColumns {
                guard let column = columns.first(where: { $0.source.name == name }) else { continue }
                guard column.isIncluded else {
                    throw TaskConfigurationError(.ruleDoesNotFit, "rule \(column.excludedBy!) removes key column '\(name)' of \(source.schema).\(source.table); keep it, or give the target a key with define-primary-key",
                                                 field: "rules", ruleID: column.excludedBy!.text, context: ["table": source.description, "column": name])
                }
                keyColumns.append(column.name)
            }
            key = TargetTable.TargetKey(columns: keyColumns, name: nil, origin: .primaryKey, ruleID: nil)
        }
        return TargetTable(source: source, schema: schemaName, table: tableName, columns: columns, addedColumns: added, key: key)
    }

    /// Applies naming rules (already known to apply, sorted by id): the lowest id per action kind,
    /// then all of those in id order.
    static func applyNaming(_ rules: [TransformationRule], to name: String, comparison: NameComparison) -> (name: String, applied: [RuleID]) {
        var seenKinds = Set<String>()
        var result = name
        var applied: [RuleID] = []
        for rule in rules where rule.action.isNaming {
            guard seenKinds.insert(rule.action.dmsName).inserted else { continue }
            let renamed = rule.action.rename(result, comparison: comparison)
            if renamed != result || { if case .rename = rule.action { return true } else { return false } }() { applied.append(rule.id) }
            result = renamed
        }
        return (result, applied)
    }
}
