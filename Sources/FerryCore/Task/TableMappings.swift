/// A DMS table-mapping document (`table_mappings.json`) and the rule engine over it: which source
/// tables are replicated, which rows (source filters), and how each table and column is named and
/// typed on the target.
///
/// One engine serves `ferry convert`, the source's table selection and the sink's naming, so all
/// three agree. The semantics, where DMS leaves room, are:
///
/// - **Selection**: a table is selected when an `include` or `explicit` rule covers it and no
///   `exclude` rule does — exclusion always wins, whatever the rule ids. See ``selects(schema:table:tableType:)``.
/// - **Filters** come from the covering `include`/`explicit` rule with the lowest rule id.
/// - **Transformations**: see ``targetTable(for:targetSchema:folding:)``.
/// - **Table settings**: for each of `parallel-load` and `lob-settings`, the covering rule with the
///   lowest rule id that has it.
/// - **Names** in rules are compared with the source's names under ``nameComparison``.
public struct TableMappings: Hashable, Sendable {
    /// The selection rules, by ascending rule id.
    public private(set) var selectionRules: [SelectionRule]
    /// The transformation rules, by ascending rule id.
    public private(set) var transformationRules: [TransformationRule]
    /// The table-settings rules, by ascending rule id.
    public private(set) var tableSettingsRules: [TableSettingsRule]
    /// Keys and rules Ferry read but does not act on, with the reason.
    public private(set) var ignored: [IgnoredSetting]
    /// How rule names compare with source names (SQL Server's default collations: case-insensitive).
    public var nameComparison: NameComparison

    /// Makes mappings from rules (sorted here by rule id).
    public init(selectionRules: [SelectionRule], transformationRules: [TransformationRule] = [], tableSettingsRules: [TableSettingsRule] = [],
                ignored: [IgnoredSetting] = [], nameComparison: NameComparison = .caseInsensitive) {
        self.selectionRules = selectionRules.sorted { $0.id < $1.id }
        self.transformationRules = transformationRules.sorted { $0.id < $1.id }
        self.tableSettingsRules = tableSettingsRules.sorted { $0.id < $1.id }
        self.ignored = ignored
        self.nameComparison = nameComparison
    }

    /// Parses a `table_mappings.json` document.
    ///
    /// Rules are read as DMS writes them: `rule-id` as a string or a number, numbers as strings.
    /// Unknown keys are kept in ``ignored``; a rule Ferry cannot honour faithfully (data masking,
    /// before-image columns, SQLite functions in expressions) is an error, never silently dropped.
    /// Errors name the rule id and the field path.
    public init(json bytes: some Collection<UInt8>, nameComparison: NameComparison = .caseInsensitive) throws(TaskConfigurationError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw TaskConfigurationError(.malformedJSON, "the table mappings are not valid JSON: \(error.message)", field: "", context: error.context)
        }
        var parser = TableMappingsParser()
        try parser.parse(document)
        self.init(selectionRules: parser.selection, transformationRules: parser.transformation, tableSettingsRules: parser.tableSettings,
                  ignored: parser.ignored, nameComparison: nameComparison)
    }

    /// Parses a `table_mappings.json` document from its text.
    public init(parsing text: String, nameComparison: NameComparison = .caseInsensitive) throws(TaskConfigurationError) {
        try self.init(json: Array(text.utf8), nameComparison: nameComparison)
    }
}
