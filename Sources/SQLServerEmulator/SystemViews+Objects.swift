import TSQL

/// `sys.objects` and the views that inherit its columns (`sys.tables`, `sys.views`,
/// `sys.procedures`, `sys.sequences`, the constraint views), `sys.triggers`, `sys.indexes`,
/// `sys.identity_columns`, `sys.computed_columns` and `sys.sql_modules`, with the columns
/// Microsoft documents for them.
///
/// Where SQL Server types a column `sql_variant` (`sys.identity_columns.seed_value`,
/// `sys.sequences.current_value`, …), the emulator reports `bigint`: it has no `sql_variant` wire
/// form, every identity and sequence it keeps is an integer, and `CONVERT`/`CAST` of the value
/// give the same text.
extension SystemViews {
    typealias Column = (name: String, type: SQLServerType, isNullable: Bool)

    /// The columns of `sys.objects`, which the views built on it start with.
    static let objectColumns: [Column] = [
        ("name", sysname, false), ("object_id", .int, false), ("principal_id", .int, true), ("schema_id", .int, false),
        ("parent_object_id", .int, false), ("type", char2, true), ("type_desc", .nvarchar(60), true),
        ("create_date", .datetime, false), ("modify_date", .datetime, false), ("is_ms_shipped", .bit, false),
        ("is_published", .bit, false), ("is_schema_published", .bit, false),
    ]

    /// `sys.objects.type_desc` of each type the emulator creates.
    static let typeDescriptions = [
        "U": "USER_TABLE", "V": "VIEW", "P": "SQL_STORED_PROCEDURE", "PK": "PRIMARY_KEY_CONSTRAINT",
        "UQ": "UNIQUE_CONSTRAINT", "F": "FOREIGN_KEY_CONSTRAINT", "C": "CHECK_CONSTRAINT", "D": "DEFAULT_CONSTRAINT",
        "TR": "SQL_TRIGGER", "FN": "SQL_SCALAR_FUNCTION", "IF": "SQL_INLINE_TABLE_VALUED_FUNCTION",
        "TF": "SQL_TABLE_VALUED_FUNCTION", "SO": "SEQUENCE_OBJECT",
    ]

    /// A `sys.objects` row (principal_id is NULL: objects belong to their schema's owner).
    static func objectValues(_ object: Catalog.ObjectRow) -> [String?] {
        [
            object.name, String(object.objectID), nil, String(object.schemaID), String(object.parentObjectID), object.type,
            typeDescriptions[object.type], object.createDate, object.modifyDate, "0", "0", "0",
        ]
    }

    /// `sys.foreign_keys.delete_referential_action`: 0 NO_ACTION, 1 CASCADE, 2 SET_NULL, 3 SET_DEFAULT.
    static func referentialAction(_ action: String) -> (code: String, description: String) {
        switch action.uppercased() {
        case "CASCADE": ("1", "CASCADE")
        case "SET NULL": ("2", "SET_NULL")
        case "SET DEFAULT": ("3", "SET_DEFAULT")
        default: ("0", "NO_ACTION")
        }
    }

    /// Whether a constraint name is one SQL Server (or the emulator, the same way) generated:
    /// `PK__Departme__3214EC27A1B2C3D4`, `DF__Departmen__Modif__1A2B3C4D`.
    static func isSystemNamed(_ name: String) -> Bool {
        guard let prefix = name.split(separator: "_", maxSplits: 1).first,
            ["PK", "UQ", "FK", "CK", "DF"].contains(prefix), name.dropFirst(2).hasPrefix("__"), name.count >= 12
        else { return false }
        return name.suffix(8).allSatisfy(\.isHexDigit)
    }

    /// The unique index (primary key, unique constraint or unique index) of `table` whose keys
    /// are exactly `columns`: the index a foreign key references.
    static func referencedIndex(of table: TableDefinition?, columns: [String]) -> IndexMetadata? {
        let wanted = Set(columns.map { $0.lowercased() })
        return table?.indexes.first { index in
            index.isUnique && index.filterDefinition == nil && Set(index.keyColumns.map { $0.name.lowercased() }) == wanted
        }
    }

    /// The views above; nil for any other name.
    static func objectViewContents(view: String, catalog: Catalog, database: DatabaseRecord) async throws -> Contents? {
        func bool(_ value: Bool) -> String { value ? "1" : "0" }
        switch view {
        case "objects", "tables", "views", "procedures":
            let wanted: String? = ["tables": "U", "views": "V", "procedures": "P"][view]
            // is_tracked_by_cdc: tables with a capture instance (CDC/EngineSession+CDCProcedures.swift).
            let tracked = view == "tables" ? try await catalog.cdcTrackedTables(in: database) : []
            let modules = view == "views" ? try await catalog.modules(in: database) : [:]
            let rows = try await catalog.objects(in: database).filter { wanted == nil || $0.type == wanted }.map { object in
                var row = objectValues(object)
                switch view {
                case "tables": row += [bool(tracked.contains(object.objectID))]
                case "views": row += [bool(Self.hasCheckOption(modules[object.objectID]))]
                default: break
                }
                return row
            }
            var columns = objectColumns
            if view == "tables" { columns.append(("is_tracked_by_cdc", .bit, true)) }
            if view == "views" { columns.append(("with_check_option", .bit, true)) }
            return Contents(columns: columns, rows: rows)
        case "sequences":
            let sequences = try await catalog.sequences(in: database)
            var rows: [[String?]] = []
            for object in try await catalog.objects(in: database) where object.type == "SO" {
                guard let sequence = sequences[object.objectID] else { continue }
                let type = SQLServerType(declaration: sequence.typeDeclaration) ?? .bigint
                rows.append(
                    objectValues(object) + [
                        sequence.start, sequence.increment, sequence.minimum, sequence.maximum, bool(sequence.isCycling),
                        bool(sequence.isCached), sequence.cacheSize.map(String.init), String(systemTypeID(type.base)),
                        String(userTypeID(type.base)), String(type.sysPrecision), String(type.sysScale),
                        sequence.lastValue ?? sequence.start, bool(isExhausted(sequence)), sequence.lastValue,
                    ])
            }
            return Contents(
                columns: objectColumns + [
                    ("start_value", .bigint, false), ("increment", .bigint, false), ("minimum_value", .bigint, true),
                    ("maximum_value", .bigint, true), ("is_cycling", .bit, false), ("is_cached", .bit, false),
                    ("cache_size", .int, true), ("system_type_id", tinyint, false), ("user_type_id", .int, false),
                    ("precision", tinyint, false), ("scale", tinyint, false), ("current_value", .bigint, false),
                    ("is_exhausted", .bit, false), ("last_used_value", .bigint, true),
                ], rows: rows)
        case "triggers":
            let triggers = try await catalog.triggers(in: database)
            var rows: [[String?]] = []
            for object in try await catalog.objects(in: database) where object.type == "TR" {
                let trigger = triggers[object.objectID]
                rows.append([
                    object.name, String(object.objectID), "1", "OBJECT_OR_COLUMN", String(object.parentObjectID), "TR",
                    "SQL_TRIGGER", object.createDate, object.modifyDate, "0", bool(trigger?.isDisabled ?? false),
                    bool(trigger?.isNotForReplication ?? false), bool(trigger?.isInsteadOf ?? false),
                ])
            }
            return Contents(
                columns: [
                    ("name", sysname, false), ("object_id", .int, false), ("parent_class", tinyint, false),
                    ("parent_class_desc", .nvarchar(60), true), ("parent_id", .int, false), ("type", char2, false),
                    ("type_desc", .nvarchar(60), true), ("create_date", .datetime, false), ("modify_date", .datetime, false),
                    ("is_ms_shipped", .bit, false), ("is_disabled", .bit, false), ("is_not_for_replication", .bit, false),
                    ("is_instead_of_trigger", .bit, false),
                ], rows: rows)
        case "sql_modules":
            let modules = try await catalog.modules(in: database)
            var rows: [[String?]] = []
            for object in try await catalog.objects(in: database) {
                guard let text = modules[object.objectID] else { continue }
                let options = moduleOptions(text)
                rows.append([
                    String(object.objectID), text, "1", "1", bool(options.contains("SCHEMABINDING")), "0", "0",
                    bool(options.contains("RETURNS NULL ON NULL INPUT")), nil, "0",
                ])
            }
            return Contents(
                columns: [
                    ("object_id", .int, false), ("definition", .nvarcharMax, true), ("uses_ansi_nulls", .bit, true),
                    ("uses_quoted_identifier", .bit, true), ("is_schema_bound", .bit, true),
                    ("uses_database_collation", .bit, true), ("is_recompiled", .bit, true),
                    ("null_on_null_input", .bit, true), ("execute_as_principal_id", .int, true),
                    ("uses_native_compilation", .bit, true),
                ], rows: rows)
        case "indexes":
            var rows: [[String?]] = []
            for object in try await catalog.objects(in: database) where object.type == "U" {
                let indexes = object.definition?.indexes ?? []
                // Documented order: object_id, name, index_id, type, type_desc, is_unique, data_space_id,
                // ignore_dup_key, is_primary_key, is_unique_constraint, fill_factor, is_padded, is_disabled,
                // is_hypothetical, allow_row_locks, allow_page_locks, has_filter, filter_definition.
                if !indexes.contains(where: \.isClustered) {
                    rows.append([
                        String(object.objectID), nil, "0", "0", "HEAP", "0", "1", "0", "0", "0", "0", "0", "0", "0", "1", "1",
                        "0", nil,
                    ])
                }
                for index in indexes {
                    rows.append([
                        String(object.objectID), index.name, String(index.indexID), index.isClustered ? "1" : "2",
                        index.isClustered ? "CLUSTERED" : "NONCLUSTERED", bool(index.isUnique), "1", "0",
                        bool(index.kind == .primaryKey), bool(index.kind == .uniqueConstraint), "0", "0", "0", "0", "1", "1",
                        bool(index.filterDefinition != nil), index.filterDefinition,
                    ])
                }
            }
            return Contents(
                columns: [
                    ("object_id", .int, false), ("name", sysname, true), ("index_id", .int, false), ("type", tinyint, false),
                    ("type_desc", .nvarchar(60), true), ("is_unique", .bit, true), ("data_space_id", .int, true),
                    ("ignore_dup_key", .bit, true), ("is_primary_key", .bit, true), ("is_unique_constraint", .bit, true),
                    ("fill_factor", tinyint, false), ("is_padded", .bit, true), ("is_disabled", .bit, true),
                    ("is_hypothetical", .bit, true), ("allow_row_locks", .bit, true), ("allow_page_locks", .bit, true),
                    ("has_filter", .bit, true), ("filter_definition", .nvarcharMax, true),
                ], rows: rows)
        case "key_constraints", "foreign_keys", "check_constraints", "default_constraints":
            return try await constraintContents(view: view, catalog: catalog, database: database)
        case "identity_columns":
            let lastValues = try await catalog.identityLastValues(in: database)
            var rows: [[String?]] = []
            for object in try await catalog.objects(in: database) where object.type == "U" {
                for column in object.definition?.columns ?? [] {
                    guard let identity = column.identity else { continue }
                    let type = column.type
                    rows.append([
                        String(object.objectID), column.name, String(column.columnID), String(systemTypeID(type.base)),
                        String(userTypeID(type.base)), String(type.maxLength), String(type.sysPrecision), String(type.sysScale),
                        bool(column.isNullable), "1", "0", String(identity.seed), String(identity.increment),
                        lastValues[Catalog.ColumnKey(objectID: object.objectID, column: column.name)],
                        bool(identity.notForReplication ?? false),
                    ])
                }
            }
            return Contents(
                columns: [
                    ("object_id", .int, false), ("name", sysname, true), ("column_id", .int, false),
                    ("system_type_id", tinyint, false), ("user_type_id", .int, false), ("max_length", smallint, false),
                    ("precision", tinyint, false), ("scale", tinyint, false), ("is_nullable", .bit, true),
                    ("is_identity", .bit, false), ("is_computed", .bit, false), ("seed_value", .bigint, true),
                    ("increment_value", .bigint, true), ("last_value", .bigint, true), ("is_not_for_replication", .bit, true),
                ], rows: rows)
        case "computed_columns":
            var rows: [[String?]] = []
            for object in try await catalog.objects(in: database) where object.type == "U" {
                for column in object.definition?.columns ?? [] {
                    guard let definition = column.computedDefinition else { continue }
                    rows.append([String(object.objectID), column.name, String(column.columnID), definition, bool(column.isPersisted)])
                }
            }
            return Contents(
                columns: [
                    ("object_id", .int, false), ("name", sysname, true), ("column_id", .int, false),
                    ("definition", .nvarcharMax, true), ("is_persisted", .bit, false),
                ], rows: rows)
        default:
            return nil
        }
    }

    /// `sys.key_constraints`, `sys.foreign_keys`, `sys.check_constraints`, `sys.default_constraints`.
    private static func constraintContents(view: String, catalog: Catalog, database: DatabaseRecord) async throws -> Contents {
        func bool(_ value: Bool) -> String { value ? "1" : "0" }
        let objects = try await catalog.objects(in: database)
        let byID = Dictionary(uniqueKeysWithValues: objects.map { ($0.objectID, $0) })
        /// The sys.objects part of a constraint's row (from its own object row when there is one).
        func base(_ objectID: Int, _ name: String, _ type: String, _ table: Catalog.ObjectRow) -> [String?] {
            if let object = byID[objectID] { return objectValues(object) }
            return [
                name, String(objectID), nil, String(table.schemaID), String(table.objectID), type, typeDescriptions[type],
                table.createDate, table.modifyDate, "0", "0", "0",
            ]
        }
        var rows: [[String?]] = []
        for table in objects where table.type == "U" {
            guard let definition = table.definition else { continue }
            switch view {
            case "key_constraints":
                for index in definition.indexes where index.kind != .index {
                    let type = index.kind == .primaryKey ? "PK" : "UQ"
                    rows.append(
                        base(index.constraintObjectID ?? 0, index.name, type, table)
                            + [String(index.indexID), bool(isSystemNamed(index.name)), "1"])
                }
            case "foreign_keys":
                for key in definition.foreignKeys {
                    let referenced = byID[key.referencedObjectID]?.definition ?? (key.referencedObjectID == table.objectID ? definition : nil)
                    let onDelete = referentialAction(key.onDelete)
                    let onUpdate = referentialAction(key.onUpdate)
                    rows.append(
                        base(key.objectID, key.name, "F", table) + [
                            String(key.referencedObjectID),
                            referencedIndex(of: referenced, columns: key.referencedColumns).map { String($0.indexID) },
                            bool(key.isDisabled ?? false), bool(key.notForReplication ?? false), bool(key.isNotTrusted ?? false),
                            onDelete.code,
                            onDelete.description, onUpdate.code, onUpdate.description, bool(isSystemNamed(key.name)),
                        ])
                }
            case "check_constraints":
                for check in definition.checks {
                    rows.append(
                        base(check.objectID, check.name, "C", table) + [
                            bool(check.isDisabled ?? false), bool(check.notForReplication ?? false),
                            bool(check.isNotTrusted ?? false),
                            String(check.columnName.flatMap { definition.column(named: $0)?.columnID } ?? 0), check.definition,
                            "1", bool(isSystemNamed(check.name)),
                        ])
                }
            default:
                for column in definition.columns {
                    guard let name = column.defaultName else { continue }
                    rows.append(
                        base(column.defaultObjectID ?? 0, name, "D", table)
                            + [String(column.columnID), column.defaultDefinition, bool(isSystemNamed(name))])
                }
            }
        }
        let extra: [Column] =
            switch view {
            case "key_constraints":
                [("unique_index_id", .int, true), ("is_system_named", .bit, false), ("is_enforced", .bit, true)]
            case "foreign_keys":
                [
                    ("referenced_object_id", .int, true), ("key_index_id", .int, true), ("is_disabled", .bit, false),
                    ("is_not_for_replication", .bit, false), ("is_not_trusted", .bit, false),
                    ("delete_referential_action", tinyint, true), ("delete_referential_action_desc", .nvarchar(60), true),
                    ("update_referential_action", tinyint, true), ("update_referential_action_desc", .nvarchar(60), true),
                    ("is_system_named", .bit, false),
                ]
            case "check_constraints":
                [
                    ("is_disabled", .bit, false), ("is_not_for_replication", .bit, false), ("is_not_trusted", .bit, false),
                    ("parent_column_id", .int, false), ("definition", .nvarcharMax, true),
                    ("uses_database_collation", .bit, true), ("is_system_named", .bit, false),
                ]
            default:
                [("parent_column_id", .int, false), ("definition", .nvarcharMax, true), ("is_system_named", .bit, false)]
            }
        return Contents(columns: objectColumns + extra, rows: rows)
    }

    /// Whether a sequence has given its last value and does not cycle (`is_exhausted`).
    static func isExhausted(_ sequence: SequenceRecord) -> Bool {
        guard !sequence.isCycling, let last = sequence.lastValue.flatMap({ Int64($0) }),
            let increment = Int64(sequence.increment), let minimum = Int64(sequence.minimum),
            let maximum = Int64(sequence.maximum)
        else { return false }
        let (next, overflow) = last.addingReportingOverflow(increment)
        return overflow || next > maximum || next < minimum
    }

    /// The upper-cased `WITH` options of a stored module (`SCHEMABINDING`, …); empty if its text
    /// does not parse.
    static func moduleOptions(_ text: String) -> [String] {
        guard let statement = try? TSQLParser.parse(text).statements.first?.kind else { return [] }
        switch statement {
        case .createView(let view): return view.options
        case .createFunction(let function): return function.options
        case .createProcedure(let procedure): return procedure.options
        case .createTrigger(let trigger): return trigger.options
        default: return []
        }
    }

    /// Whether a stored view was created `WITH CHECK OPTION`.
    static func hasCheckOption(_ text: String?) -> Bool {
        guard let text, case .createView(let view)? = try? TSQLParser.parse(text).statements.first?.kind else { return false }
        return view.withCheckOption
    }
}
