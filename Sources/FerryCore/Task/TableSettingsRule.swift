/// A `"rule-type": "table-settings"` rule: parallel full load and LOB handling for some tables.
public struct TableSettingsRule: Hashable, Sendable {
    /// The rule's id.
    public var id: RuleID
    /// `rule-name`, if given.
    public var name: String?
    /// Which tables.
    public var locator: ObjectLocator
    /// `parallel-load`, if given.
    public var parallelLoad: ParallelLoad?
    /// `lob-settings`, if given.
    public var lobSettings: LobSettings?

    /// Makes a rule.
    public init(id: RuleID, name: String? = nil, locator: ObjectLocator, parallelLoad: ParallelLoad? = nil, lobSettings: LobSettings? = nil) {
        self.id = id
        self.name = name
        self.locator = locator
        self.parallelLoad = parallelLoad
        self.lobSettings = lobSettings
    }
}

/// `parallel-load`: how the full load of one table is split into segments loaded concurrently
/// (at most `FullLoadSettings.MaxFullLoadSubTasks` at a time).
public enum ParallelLoad: Hashable, Sendable {
    /// `none`: one segment.
    case none
    /// `partitions-auto`: one segment per partition of the source table (SQL Server partitions by
    /// `$PARTITION`); an unpartitioned table is one segment.
    case partitionsAuto
    /// `partitions-list`: the named partitions (SQL Server partition numbers as text).
    case partitionsList([String])
    /// `ranges`: segments bounded by `boundaries` on `columns` (see ``RangeSegments``).
    case ranges(RangeSegments)
}

/// Range segmentation: N boundaries make N+1 segments. Segment 1 holds rows whose column tuple is
/// ≤ boundary 1; segment k holds rows > boundary k-1 and ≤ boundary k; the last holds rows >
/// boundary N. Tuples compare left to right (lexicographically), as DMS documents.
public struct RangeSegments: Hashable, Sendable {
    /// The segmenting columns (source names).
    public var columns: [String]
    /// Each boundary has one value (as text) per column.
    public var boundaries: [[String]]

    /// Makes a segmentation.
    public init(columns: [String], boundaries: [[String]]) {
        self.columns = columns
        self.boundaries = boundaries
    }

    /// One T-SQL search condition per segment, values typed for `schema`'s columns.
    /// A row with a `NULL` segmenting value belongs to the first segment only, so every row is in exactly one segment.
    public func predicates(schema: TableSchema, ruleID: RuleID, path: String) throws(TaskConfigurationError) -> [String] {
        var typed: [(column: ColumnDefinition, quoted: String)] = []
        for (index, name) in columns.enumerated() {
            guard let column = schema.column(named: name) ?? schema.columns.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw TaskConfigurationError(.ruleDoesNotFit, "rule \(ruleID): '\(path).columns[\(index)]' names '\(name)', which is not a column of \(schema.identity.schema).\(schema.identity.table)",
                                             field: "\(path).columns[\(index)]", ruleID: ruleID.text, context: ["table": schema.identity.description, "column": name])
            }
            typed.append((column, RowFilter.quoted(column.name)))
        }
        var literals: [[String]] = []
        for (b, boundary) in boundaries.enumerated() {
            var row: [String] = []
            for (c, text) in boundary.enumerated() {
                let column = typed[c].column
                guard let value = RowFilter.parse(text, for: column.type) else {
                    throw TaskConfigurationError(.invalidField, "rule \(ruleID): '\(path).boundaries[\(b)][\(c)]' is '\(text)', not a valid \(column.type) value for column '\(column.name)'",
                                                 field: "\(path).boundaries[\(b)][\(c)]", ruleID: ruleID.text, context: ["column": column.name])
                }
                row.append(RowFilter.literal(value, type: column.type))
            }
            literals.append(row)
        }
        // (c1, c2, …) <= (v1, v2, …) expanded: c1 < v1 OR (c1 = v1 AND (c2 < v2 OR … (cn <= vn)))
        func tuple(_ values: [String], lastOperator: String, strictOperator: String) -> String {
            var text = "\(typed[values.count - 1].quoted) \(lastOperator) \(values[values.count - 1])"
            for i in stride(from: values.count - 2, through: 0, by: -1) {
                text = "\(typed[i].quoted) \(strictOperator) \(values[i]) OR (\(typed[i].quoted) = \(values[i]) AND (\(text)))"
            }
            return "(" + text + ")"
        }
        let nullCheck = typed.map { "\($0.quoted) IS NULL" }.joined(separator: " OR ")
        let notNull = typed.map { "\($0.quoted) IS NOT NULL" }.joined(separator: " AND ")
        var segments: [String] = []
        for (i, boundary) in literals.enumerated() {
            let upper = tuple(boundary, lastOperator: "<=", strictOperator: "<")
            if i == 0 {
                segments.append("(\(upper) OR \(nullCheck))")
            } else {
                segments.append("(\(notNull) AND \(tuple(literals[i - 1], lastOperator: ">", strictOperator: ">")) AND \(upper))")
            }
        }
        if let last = literals.last {
            segments.append("(\(notNull) AND \(tuple(last, lastOperator: ">", strictOperator: ">")))")
        } else {
            segments.append("1 = 1")
        }
        return segments
    }
}

/// `lob-settings` for selected tables; they override `TargetMetadata`'s LOB settings.
public struct LobSettings: Hashable, Sendable {
    /// `mode`.
    public enum Mode: String, Hashable, Sendable {
        /// `limited`: values longer than `bulk-max-size` KB are truncated (and counted, logged).
        case limited
        /// `unlimited`: full LOB mode.
        case unlimited
        /// `none`: LOB columns are not replicated (left `NULL`).
        case none
    }

    /// The mode.
    public var mode: Mode
    /// `bulk-max-size` in KB: the limit in `limited` mode, the inline threshold in `unlimited` mode.
    public var bulkMaxSizeKB: Int?

    /// Makes settings.
    public init(mode: Mode, bulkMaxSizeKB: Int? = nil) {
        self.mode = mode
        self.bulkMaxSizeKB = bulkMaxSizeKB
    }
}
