/// How one source table appears on the target after the transformation rules: its schema and
/// table names, each source column's fate, the added columns and the key.
/// Made by ``TableMappings/targetTable(for:targetSchema:folding:)``.
public struct TargetTable: Hashable, Sendable {
    /// The source table.
    public let source: TableIdentity
    /// The target schema name.
    public let schema: String
    /// The target table name.
    public let table: String
    /// Every source column, in source order, with its target name or exclusion.
    public let columns: [TargetColumn]
    /// Columns the rules add, after the source columns.
    public let addedColumns: [AddedColumn]
    /// The target key: defined by a `define-primary-key` rule, or the source key renamed; `nil` for a keyless table.
    public let key: TargetKey?

    /// One source column on the target.
    public struct TargetColumn: Hashable, Sendable {
        /// The source column.
        public let source: ColumnDefinition
        /// Its name on the target (meaningful only when not excluded).
        public let name: String
        /// The rule that excluded it (`remove-column`, or the lowest `include-column` rule of a table
        /// that has include rules), or `nil` when replicated.
        public let excludedBy: RuleID?
        /// The DMS type a `change-data-type` rule gives it, or `nil` to keep the mapped source type.
        public let changedType: TargetDataType?
        /// The naming rules that changed its name (or renamed it), in the order applied.
        public let namingRules: [RuleID]

        /// Whether the column is replicated.
        public var isIncluded: Bool { excludedBy == nil }
    }

    /// A column a rule adds.
    public struct AddedColumn: Hashable, Sendable {
        /// Its target name.
        public let name: String
        /// Its DMS type.
        public let type: TargetDataType
        /// How its value is computed from the source row; `nil` leaves it `NULL`.
        public let expression: ColumnExpression?
        /// The `add-column` rule.
        public let ruleID: RuleID
    }

    /// The target key.
    public struct TargetKey: Hashable, Sendable {
        /// Key columns by target name, in key order.
        public let columns: [String]
        /// The constraint name from `primary-key-def`, if any.
        public let name: String?
        /// Primary key or unique index.
        public let origin: PrimaryKeyDefinition.Origin
        /// The `define-primary-key` rule, or `nil` for the source key.
        public let ruleID: RuleID?
    }

    /// The replicated columns, in source order.
    public var includedColumns: [TargetColumn] { columns.filter(\.isIncluded) }

    /// Every target column name in order: included source columns, then added columns.
    public var targetColumnNames: [String] { includedColumns.map(\.name) + addedColumns.map(\.name) }

    /// The target column for a source column name, or `nil` if there is no such column.
    public func column(forSource name: String) -> TargetColumn? {
        columns.first { $0.source.name == name }
    }

    /// The target row for a source row image: excluded columns dropped, names mapped, added
    /// columns computed (only when `includeAddedColumns`, e.g. not for a key-only image).
    /// Columns absent from the source row stay absent.
    public func targetRow(from row: Row, headers: [String: ColumnValue] = [:], includeAddedColumns: Bool = true) -> Row {
        var out: [Row.Column] = []
        for column in row {
            guard let mapped = self.column(forSource: column.name), mapped.isIncluded else { continue }
            out.append(Row.Column(name: mapped.name, value: column.value))
        }
        if includeAddedColumns {
            for added in addedColumns {
                let value = added.expression?.evaluate(on: row, table: source, headers: headers) ?? .null
                out.append(Row.Column(name: added.name, value: value))
            }
        }
        return Row(out)
    }
}

/// Whether target names keep the case the rules produce or are folded to lower case.
public enum NameFolding: Hashable, Sendable {
    /// Names as the rules produce them (DMS's behaviour).
    case preserve
    /// Every target name lower-cased after the rules, as `ferry convert` (SCT-style) names objects.
    case lowercase

    func apply(_ name: String) -> String { self == .lowercase ? name.lowercased() : name }
}
