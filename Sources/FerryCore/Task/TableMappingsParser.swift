/// Reads the `rules` of a table-mapping document into typed rules (see ``TableMappings/init(json:nameComparison:)``).
struct TableMappingsParser {
    var selection: [SelectionRule] = []
    var transformation: [TransformationRule] = []
    var tableSettings: [TableSettingsRule] = []
    var ignored: [IgnoredSetting] = []
    private var seenIDs: [RuleID: String] = [:]

    static let unknownKey = "not a table-mapping key Ferry knows; ignored"

    mutating func parse(_ document: JSONValue) throws(TaskConfigurationError) {
        var root = try LenientObject(document, path: "", caseInsensitive: false)
        guard let rules = try root.array("rules") else {
            throw TaskConfigurationError(.missingField, "'rules' is missing: a table mapping is {\"rules\": [ … ]}", field: "rules")
        }
        report(root, reason: Self.unknownKey)
        for (index, rule) in rules.enumerated() {
            try parseRule(rule, path: "rules[\(index)]")
        }
        guard !selection.isEmpty else {
            throw TaskConfigurationError(.missingField, "the table mappings have no selection rule: at least one rule with \"rule-type\": \"selection\" is needed", field: "rules")
        }
    }

    private mutating func report(_ object: LenientObject, reason: String) {
        for member in object.unread {
            ignored.append(IgnoredSetting(path: object.fieldPath(member.key), reason: reason))
        }
    }

    private mutating func parseRule(_ json: JSONValue, path: String) throws(TaskConfigurationError) {
        var probe = try LenientObject(json, path: path, caseInsensitive: false)
        guard let idText = try probe.string("rule-id"), !idText.trimmedASCII.isEmpty else {
            throw probe.error(.missingField, "rule-id", "is missing: every rule needs a unique rule-id")
        }
        let id = RuleID(idText.trimmedASCII)
        var rule = try LenientObject(json, path: path, ruleID: id.text, caseInsensitive: false)
        rule.consume("rule-id")
        if let previous = seenIDs[id] {
            throw rule.error("rule-id", "repeats the id of \(previous): rule ids must be unique")
        }
        seenIDs[id] = path
        let name = try rule.string("rule-name")
        guard let type = try rule.string("rule-type") else { throw rule.error(.missingField, "rule-type", "is missing (selection, transformation or table-settings)") }
        switch type.lowercased() {
        case "selection":
            selection.append(try parseSelection(&rule, id: id, name: name))
        case "transformation":
            if let parsed = try parseTransformation(&rule, id: id, name: name) { transformation.append(parsed) }
        case "table-settings":
            tableSettings.append(try parseTableSettings(&rule, id: id, name: name))
        default:
            throw rule.error("rule-type", "is '\(type)'; Ferry knows selection, transformation and table-settings")
        }
        report(rule, reason: Self.unknownKey)
    }

    // MARK: Locators

    private mutating func locator(_ rule: inout LenientObject, needsTable: Bool, needsColumn: Bool) throws(TaskConfigurationError) -> (ObjectLocator, tableType: String?) {
        guard var object = try rule.object("object-locator") else { throw rule.error(.missingField, "object-locator", "is missing") }
        guard let schema = try object.string("schema-name") else { throw object.error(.missingField, "schema-name", "is missing") }
        let table = try object.string("table-name")
        if needsTable && table == nil { throw object.error(.missingField, "table-name", "is missing") }
        let column = try object.string("column-name")
        if needsColumn && column == nil { throw object.error(.missingField, "column-name", "is missing") }
        let tableType = try object.string("table-type")
        report(object, reason: Self.unknownKey)
        return (ObjectLocator(schemaName: NamePattern(schema), tableName: table.map(NamePattern.init), columnName: column.map(NamePattern.init)), tableType)
    }

    // MARK: Selection

    private mutating func parseSelection(_ rule: inout LenientObject, id: RuleID, name: String?) throws(TaskConfigurationError) -> SelectionRule {
        guard let actionText = try rule.choice("rule-action", SelectionRule.Action.allCases.map(\.rawValue)) else {
            throw rule.error(.missingField, "rule-action", "is missing (include, exclude or explicit)")
        }
        let action = SelectionRule.Action(rawValue: actionText)!
        let (locator, tableTypeText) = try locator(&rule, needsTable: true, needsColumn: false)
        var tableType = SelectionRule.TableType.table
        if let tableTypeText, !tableTypeText.isEmpty {
            guard let parsed = SelectionRule.TableType(rawValue: tableTypeText.lowercased()) else {
                throw rule.error("object-locator.table-type", "is '\(tableTypeText)'; it must be table, view or all")
            }
            tableType = parsed
        }
        if locator.columnName != nil {
            ignored.append(IgnoredSetting(path: rule.fieldPath("object-locator.column-name"), reason: "selection rules select whole tables; use a transformation rule to remove columns"))
        }
        let loadOrder = try rule.integer("load-order") ?? 0
        var filters: [ColumnFilter] = []
        if let items = try rule.array("filters") {
            if action == .include {
                for (index, item) in items.enumerated() {
                    filters.append(try parseFilter(item, path: rule.fieldPath("filters[\(index)]"), id: id))
                }
            } else if !items.isEmpty {
                ignored.append(IgnoredSetting(path: rule.fieldPath("filters"), reason: "DMS applies filters only on include rules; this rule is \(action.rawValue)"))
            }
        }
        return SelectionRule(id: id, name: name, action: action, locator: locator, tableType: tableType, filters: filters, loadOrder: loadOrder)
    }

    private mutating func parseFilter(_ json: JSONValue, path: String, id: RuleID) throws(TaskConfigurationError) -> ColumnFilter {
        var object = try LenientObject(json, path: path, ruleID: id.text, caseInsensitive: false)
        if let type = try object.string("filter-type"), type.lowercased() != "source" {
            throw object.error("filter-type", "is '\(type)'; Ferry supports source filters (\"filter-type\": \"source\")")
        }
        guard let column = try object.string("column-name"), !column.isEmpty else { throw object.error(.missingField, "column-name", "is missing") }
        guard let conditions = try object.array("filter-conditions"), !conditions.isEmpty else {
            throw object.error(.missingField, "filter-conditions", "is missing or empty: a filter needs at least one condition")
        }
        var parsed: [FilterCondition] = []
        for (index, item) in conditions.enumerated() {
            var condition = try LenientObject(item, path: object.fieldPath("filter-conditions[\(index)]"), ruleID: id.text, caseInsensitive: false)
            guard let opText = try condition.string("filter-operator") else { throw condition.error(.missingField, "filter-operator", "is missing") }
            guard let op = FilterOperator(dmsName: opText.trimmedASCII) else {
                throw condition.error("filter-operator", "is '\(opText)'; it must be one of eq, noteq, gte, lte, ste, between, notbetween, null, notnull")
            }
            let value = try condition.string("value")
            let start = try condition.string("start-value")
            let end = try condition.string("end-value")
            switch op {
            case .eq, .noteq, .gte, .lte:
                guard value != nil else { throw condition.error(.missingField, "value", "is missing for filter-operator '\(opText)'") }
            case .between, .notbetween:
                guard start != nil else { throw condition.error(.missingField, "start-value", "is missing for filter-operator '\(opText)'") }
                guard end != nil else { throw condition.error(.missingField, "end-value", "is missing for filter-operator '\(opText)'") }
            case .null, .notnull:
                break
            }
            report(condition, reason: Self.unknownKey)
            parsed.append(FilterCondition(op, value: value, startValue: start, endValue: end))
        }
        report(object, reason: Self.unknownKey)
        return ColumnFilter(columnName: column, conditions: parsed, ruleID: id, path: path)
    }

    // MARK: Transformation

    private mutating func parseTransformation(_ rule: inout LenientObject, id: RuleID, name: String?) throws(TaskConfigurationError) -> TransformationRule? {
        guard let targetText = try rule.string("rule-target") else {
            throw rule.error(.missingField, "rule-target", "is missing (schema, table or column)")
        }
        guard let actionText = try rule.string("rule-action") else { throw rule.error(.missingField, "rule-action", "is missing") }
        let actionName = actionText.lowercased()
        guard let target = TransformationRule.Target(rawValue: targetText.lowercased()) else {
            switch targetText.lowercased() {
            case "table-tablespace", "index-tablespace":
                // Tablespaces are Oracle's; there is nothing to rename on PostgreSQL through DMS rules.
                for member in rule.unread { rule.consume(member.key) }
                ignored.append(IgnoredSetting(path: rule.path, reason: "rule \(id): \(targetText) rules apply to Oracle targets only"))
                return nil
            default:
                throw rule.error("rule-target", "is '\(targetText)'; Ferry supports schema, table and column")
            }
        }
        func required(_ key: String, _ rule: inout LenientObject) throws(TaskConfigurationError) -> String {
            guard let text = try rule.string(key) else { throw rule.error(.missingField, key, "is missing for rule-action '\(actionText)'") }
            return text
        }
        let action: TransformationRule.Action
        switch actionName {
        case "rename": action = .rename(try required("value", &rule))
        case "convert-lowercase": action = .convertLowercase
        case "convert-uppercase": action = .convertUppercase
        case "add-prefix": action = .addPrefix(try required("value", &rule))
        case "remove-prefix": action = .removePrefix(try required("value", &rule))
        case "replace-prefix": action = .replacePrefix(old: try required("old-value", &rule), new: try required("value", &rule))
        case "add-suffix": action = .addSuffix(try required("value", &rule))
        case "remove-suffix": action = .removeSuffix(try required("value", &rule))
        case "replace-suffix": action = .replaceSuffix(old: try required("old-value", &rule), new: try required("value", &rule))
        case "remove-column": action = .removeColumn
        case "include-column": action = .includeColumn
        case "add-column":
            let columnName = try required("value", &rule)
            guard var typeObject = try rule.object("data-type") else { throw rule.error(.missingField, "data-type", "is missing for rule-action 'add-column'") }
            let type = try TargetDataType.read(&typeObject)
            report(typeObject, reason: Self.unknownKey)
            var expression: ColumnExpression? = nil
            if let text = try rule.string("expression") {
                do {
                    expression = try ColumnExpression(parsing: text)
                } catch {
                    let code: TaskConfigurationError.Code = error.message.contains("not supported") ? .unsupportedFeature : .invalidField
                    throw rule.error(code, "expression", "'\(text)' does not parse at character \(error.position + 1): \(error.message)")
                }
            }
            action = .addColumn(name: columnName, type: type, expression: expression)
        case "change-data-type":
            guard var typeObject = try rule.object("data-type") else { throw rule.error(.missingField, "data-type", "is missing for rule-action 'change-data-type'") }
            action = .changeDataType(try TargetDataType.read(&typeObject))
            report(typeObject, reason: Self.unknownKey)
        case "define-primary-key":
            guard var definition = try rule.object("primary-key-def") else { throw rule.error(.missingField, "primary-key-def", "is missing for rule-action 'define-primary-key'") }
            let keyName = try definition.string("name") ?? ""
            var origin = PrimaryKeyDefinition.Origin.primaryKey
            if let originText = try definition.choice("origin", ["primary-key", "unique-index"]) { origin = PrimaryKeyDefinition.Origin(rawValue: originText)! }
            guard let columns = try definition.array("columns"), !columns.isEmpty else {
                throw definition.error(.missingField, "columns", "is missing or empty: a key needs at least one column")
            }
            var names: [String] = []
            for (index, column) in columns.enumerated() {
                guard case .string(let text) = column, !text.isEmpty else { throw definition.error("columns[\(index)]", "must be a column name, found \(column.kindName)") }
                names.append(text)
            }
            report(definition, reason: Self.unknownKey)
            action = .definePrimaryKey(PrimaryKeyDefinition(name: keyName, origin: origin, columns: names))
        case let other where other.hasPrefix("data-masking"):
            throw rule.error(.unsupportedFeature, "rule-action", "is '\(actionText)': Ferry does not implement data masking, and will not replicate the unmasked values instead")
        case "add-before-image-columns":
            throw rule.error(.unsupportedFeature, "rule-action", "is 'add-before-image-columns', which Ferry does not implement")
        default:
            throw rule.error("rule-action", "is '\(actionText)', not a transformation action Ferry knows (rename, convert-lowercase, convert-uppercase, add-prefix, remove-prefix, replace-prefix, add-suffix, remove-suffix, replace-suffix, remove-column, include-column, add-column, change-data-type, define-primary-key)")
        }
        // Which actions make sense for which target.
        let allowed: Bool
        switch (target, action) {
        case (_, let a) where a.isNaming: allowed = true
        case (.table, .definePrimaryKey): allowed = true
        case (.column, .removeColumn), (.column, .includeColumn), (.column, .addColumn), (.column, .changeDataType): allowed = true
        default: allowed = false
        }
        guard allowed else { throw rule.error("rule-action", "'\(actionText)' does not apply to rule-target '\(target.rawValue)'") }
        let needsColumn: Bool
        switch action {
        case .addColumn: needsColumn = false
        default: needsColumn = target == .column
        }
        let (locator, tableType) = try locator(&rule, needsTable: target != .schema, needsColumn: needsColumn)
        if tableType != nil {
            ignored.append(IgnoredSetting(path: rule.fieldPath("object-locator.table-type"), reason: "transformation rules apply to every selected object of the named table"))
        }
        rule.consume("value")
        rule.consume("old-value")
        return TransformationRule(id: id, name: name, target: target, locator: locator, action: action, path: rule.path)
    }

    // MARK: Table settings

    private mutating func parseTableSettings(_ rule: inout LenientObject, id: RuleID, name: String?) throws(TaskConfigurationError) -> TableSettingsRule {
        let (locator, _) = try locator(&rule, needsTable: true, needsColumn: false)
        var parallel: ParallelLoad? = nil
        if var object = try rule.object("parallel-load") {
            guard let type = try object.string("type") else { throw object.error(.missingField, "type", "is missing (partitions-auto, partitions-list, ranges or none)") }
            switch type.lowercased() {
            case "none": parallel = ParallelLoad.none
            case "partitions-auto": parallel = .partitionsAuto
            case "subpartitions-auto":
                parallel = .partitionsAuto
                ignored.append(IgnoredSetting(path: object.fieldPath("type"), reason: "SQL Server has no subpartitions: loaded as partitions-auto"))
            case "partitions-list":
                guard let items = try object.array("partitions"), !items.isEmpty else { throw object.error(.missingField, "partitions", "is missing or empty for type 'partitions-list'") }
                parallel = .partitionsList(items.compactMap(\.scalarText))
                object.consume("subpartitions")
            case "ranges":
                guard let columnItems = try object.array("columns"), !columnItems.isEmpty else { throw object.error(.missingField, "columns", "is missing or empty for type 'ranges'") }
                var columns: [String] = []
                for (index, item) in columnItems.enumerated() {
                    guard case .string(let column) = item else { throw object.error("columns[\(index)]", "must be a column name, found \(item.kindName)") }
                    columns.append(column)
                }
                guard let boundaryItems = try object.array("boundaries"), !boundaryItems.isEmpty else { throw object.error(.missingField, "boundaries", "is missing or empty for type 'ranges'") }
                var boundaries: [[String]] = []
                for (b, item) in boundaryItems.enumerated() {
                    guard case .array(let values) = item, values.count == columns.count else {
                        throw object.error("boundaries[\(b)]", "must be an array of \(columns.count) value(s), one per column")
                    }
                    var row: [String] = []
                    for (c, value) in values.enumerated() {
                        guard let text = value.scalarText else { throw object.error("boundaries[\(b)][\(c)]", "must be a value, found \(value.kindName)") }
                        row.append(text)
                    }
                    boundaries.append(row)
                }
                parallel = .ranges(RangeSegments(columns: columns, boundaries: boundaries))
            default:
                throw object.error("type", "is '\(type)'; Ferry supports partitions-auto, partitions-list, ranges and none")
            }
            report(object, reason: Self.unknownKey)
        }
        var lob: LobSettings? = nil
        if var object = try rule.object("lob-settings") {
            guard let modeText = try object.choice("mode", ["limited", "unlimited", "none"]) else { throw object.error(.missingField, "mode", "is missing (limited, unlimited or none)") }
            let size = try object.integer("bulk-max-size", in: 0...102_400)
            lob = LobSettings(mode: LobSettings.Mode(rawValue: modeText)!, bulkMaxSizeKB: size)
            if lob?.mode == .limited && size == nil { throw object.error(.missingField, "bulk-max-size", "is missing for mode 'limited' (the limit in KB)") }
            report(object, reason: Self.unknownKey)
        }
        return TableSettingsRule(id: id, name: name, locator: locator, parallelLoad: parallel, lobSettings: lob)
    }
}
