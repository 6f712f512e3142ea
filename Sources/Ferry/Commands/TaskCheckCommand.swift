import ArgumentParser
import FerryCore

/// `ferry task`: work with AWS DMS task files.
struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Work with AWS DMS task settings and table mappings.",
        subcommands: [TaskCheckCommand.self]
    )
}

/// `ferry task check`: reads the DMS files as a task would, prints the effective settings, the
/// rules, and every key Ferry ignores with the reason; exit status 2 names the field at fault.
struct TaskCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check DMS task files: print the effective settings, the rules and the ignored keys.",
        discussion: """
        With --table SCHEMA.TABLE (repeatable), also shows whether the rules select the table and \
        the name it gets on the target (columns need the source's catalog: see ferry convert).
        """
    )

    @OptionGroup var taskFiles: TaskFileOptions

    @Option(name: .customLong("table"), help: ArgumentHelp("A source table to try the rules on (repeatable).", valueName: "schema.table"))
    var tables: [String] = []

    func validate() throws {
        guard taskFiles.taskSettings != nil || taskFiles.tableMappings != nil else {
            throw ValidationError("give --task-settings, --table-mappings or both")
        }
        for table in tables where TaskCheckCommand.split(table) == nil {
            throw ValidationError("--table '\(table)' is not schema.table")
        }
    }

    func run() throws {
        var out = ""
        var ignored: [(file: String, entries: [IgnoredSetting])] = []
        var settings = TaskSettings()
        if let path = taskFiles.taskSettings {
            settings = try TaskFiles.settings(path, warnings: false)
            out += "Task settings (\(TaskConfigurationFile.path(for: path))), effective values:\n"
            out += settings.effectiveJSON + "\n"
            ignored.append((TaskConfigurationFile.path(for: path), settings.ignored))
        }
        if let path = taskFiles.tableMappings {
            let mappings = try TaskFiles.mappings(path, nameComparison: taskFiles.caseSensitiveNames ? .caseSensitive : .caseInsensitive, warnings: false)
            out += "\nTable mappings (\(TaskConfigurationFile.path(for: path))):\n"
            out += Self.describe(mappings)
            ignored.append((TaskConfigurationFile.path(for: path), mappings.ignored))
            if !tables.isEmpty {
                out += "\nTables:\n"
                for table in tables {
                    let (schema, name) = Self.split(table)!
                    out += try Self.tryTable(schema: schema, table: name, mappings: mappings, settings: settings)
                }
            }
        }
        let count = ignored.reduce(0) { $0 + $1.entries.count }
        out += "\nIgnored keys: \(count)\n"
        for (file, entries) in ignored {
            for entry in entries { out += "  \(file): \(entry.path): \(entry.reason)\n" }
        }
        print(out, terminator: "")
    }

    static func split(_ text: String) -> (String, String)? {
        guard let dot = text.firstIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else { return nil }
        return (String(text[..<dot]), String(text[text.index(after: dot)...]))
    }

    static func describe(_ mappings: TableMappings) -> String {
        var out = ""
        for rule in mappings.selectionRules {
            var line = "  rule \(rule.id): selection \(rule.action.rawValue) \(rule.locator.schemaName).\(rule.locator.tableName?.text ?? "%")"
            if rule.tableType != .table { line += " (\(rule.tableType.rawValue))" }
            if rule.loadOrder != 0 { line += ", load-order \(rule.loadOrder)" }
            for filter in rule.filters {
                let conditions = filter.conditions.map { c -> String in
                    switch c.filterOperator {
                    case .between, .notbetween: return "\(c.filterOperator.rawValue) \(c.startValue ?? "") and \(c.endValue ?? "")"
                    case .null, .notnull: return c.filterOperator.rawValue
                    default: return "\(c.filterOperator.rawValue) \(c.value ?? "")"
                    }
                }
                line += "; filter \(filter.columnName): " + conditions.joined(separator: " or ")
            }
            out += line + "\n"
        }
        for rule in mappings.transformationRules {
            var object = rule.locator.schemaName.text
            if let table = rule.locator.tableName { object += ".\(table.text)" }
            if let column = rule.locator.columnName { object += ".\(column.text)" }
            var detail = ""
            switch rule.action {
            case .rename(let v), .addPrefix(let v), .removePrefix(let v), .addSuffix(let v), .removeSuffix(let v): detail = " '\(v)'"
            case .replacePrefix(let old, let new), .replaceSuffix(let old, let new): detail = " '\(old)' → '\(new)'"
            case .addColumn(let name, let type, let expression): detail = " \(name) \(type)" + (expression.map { " = \($0.text)" } ?? "")
            case .changeDataType(let type): detail = " → \(type)"
            case .definePrimaryKey(let key): detail = " (\(key.columns.joined(separator: ", ")))"
            default: break
            }
            out += "  rule \(rule.id): transformation \(rule.target.rawValue) \(object): \(rule.action.dmsName)\(detail)\n"
        }
        for rule in mappings.tableSettingsRules {
            var parts: [String] = []
            switch rule.parallelLoad {
            case .none?: parts.append("parallel-load none")
            case .partitionsAuto?: parts.append("parallel-load partitions-auto")
            case .partitionsList(let list)?: parts.append("parallel-load partitions \(list.joined(separator: ", "))")
            case .ranges(let ranges)?: parts.append("parallel-load ranges on \(ranges.columns.joined(separator: ", ")) (\(ranges.boundaries.count + 1) segments)")
            case nil: break
            }
            if let lob = rule.lobSettings { parts.append("lob-settings \(lob.mode.rawValue)" + (lob.bulkMaxSizeKB.map { " \($0) KB" } ?? "")) }
            out += "  rule \(rule.id): table-settings \(rule.locator.schemaName.text).\(rule.locator.tableName?.text ?? "%"): \(parts.joined(separator: "; "))\n"
        }
        return out
    }

    static func tryTable(schema: String, table: String, mappings: TableMappings, settings: TaskSettings) throws -> String {
        guard let rule = mappings.selectingRule(schema: schema, table: table) else {
            return "  \(schema).\(table): not selected\n"
        }
        let identity = TableIdentity(database: "", schema: schema, table: table)
        let shape = try TableSchema(identity: identity, columns: [], keyColumns: [])
        do {
            let target = try mappings.targetTable(for: shape, targetSchema: settings.targetMetadata.targetSchema)
            return "  \(schema).\(table): selected by rule \(rule.id) → \(target.schema).\(target.table)\n"
        } catch {
            throw TaskFiles.configurationError(error, option: "--table-mappings")
        }
    }
}
