import Postgres
import TSQL

/// The catalog views clients query (`sys.tables`, `sys.columns`, `INFORMATION_SCHEMA.COLUMNS`, …),
/// computed from the catalog when a query names one and given to PostgreSQL as a VALUES list, so
/// their metadata always comes from the same type model as result sets.
enum SystemViews {
    /// A system view's columns and rows (values as PostgreSQL text, nil for NULL).
    struct Contents {
        var columns: [(name: String, type: SQLServerType, isNullable: Bool)]
        var rows: [[String?]]
    }

    /// Whether `name` is in the `sys` or `INFORMATION_SCHEMA` schema.
    static func isSystem(_ name: ObjectName) -> Bool {
        guard let schema = name.schema?.value.lowercased() else { return false }
        return schema == "sys" || schema == "information_schema"
    }

    static let sysname = SQLServerType.nvarchar(128)
    static let smallint = SQLServerType(.smallint)
    static let tinyint = SQLServerType(.tinyint)
    static let char2 = SQLServerType(.char, length: .bounded(2))

    /// `sys.types.system_type_id` of each system type.
    static func systemTypeID(_ base: SQLServerType.Base) -> Int {
        switch base {
        case .image: 34
        case .text: 35
        case .uniqueidentifier: 36
        case .date: 40
        case .time: 41
        case .datetime2: 42
        case .datetimeoffset: 43
        case .tinyint: 48
        case .smallint: 52
        case .int: 56
        case .smalldatetime: 58
        case .real: 59
        case .money: 60
        case .datetime: 61
        case .float: 62
        case .sqlVariant: 98
        case .ntext: 99
        case .bit: 104
        case .decimal: 106
        case .numeric: 108
        case .smallmoney: 122
        case .bigint: 127
        case .varbinary: 165
        case .varchar: 167
        case .binary: 173
        case .char: 175
        case .rowversion: 189
        case .nvarchar: 231
        case .nchar: 239
        case .hierarchyid, .geography, .geometry: 240
        case .xml: 241
        }
    }

    /// `sys.types.user_type_id` of a system type (the CLR types differ from their system_type_id).
    static func userTypeID(_ base: SQLServerType.Base) -> Int {
        switch base {
        case .hierarchyid: 128
        case .geometry: 129
        case .geography: 130
        default: systemTypeID(base)
        }
    }

    static func contents(of name: ObjectName, catalog: Catalog, database: DatabaseRecord) async throws -> Contents? {
        let schema = name.schema?.value.lowercased() ?? ""
        let view = name.name.value.lowercased()
        func bool(_ value: Bool) -> String { value ? "1" : "0" }
        switch (schema, view) {
        case ("sys", "databases"):
            // is_cdc_enabled: sys.sp_cdc_enable_db (CDC/EngineSession+CDCProcedures.swift).
            let cdcEnabled = try await catalog.cdcEnabledDatabases()
            let snapshot = try await catalog.snapshotIsolationStates()
            let durability = try await catalog.delayedDurabilityStates()
            let rows = try await catalog.databases().map { record, created in
                let state = snapshot[record.id] ?? 0
                let delayed = durability[record.id] ?? 0
                return [
                    record.name, String(record.id), created, "150", String(state), state == 1 ? "ON" : "OFF", "0", "FULL",
                    cdcEnabled.contains(record.id) ? "1" : "0", String(delayed), Catalog.delayedDurabilityDescription(delayed),
                ] as [String?]
            }
            return Contents(
                columns: [
                    ("name", sysname, false), ("database_id", .int, false), ("create_date", .datetime, false),
                    ("compatibility_level", SQLServerType(.tinyint), false), ("snapshot_isolation_state", SQLServerType(.tinyint), true),
                    ("snapshot_isolation_state_desc", .nvarchar(60), true), ("is_read_committed_snapshot_on", .bit, true),
                    ("recovery_model_desc", .nvarchar(60), true),
                    ("is_cdc_enabled", .bit, false), ("delayed_durability", .int, true), ("delayed_durability_desc", .nvarchar(60), true),
                ], rows: rows)
        case ("sys", "schemas"):
            let rows = try await catalog.schemas(in: database).map { [$0.name, String($0.id), "1"] as [String?] }
            return Contents(columns: [("name", sysname, false), ("schema_id", .int, false), ("principal_id", .int, true)], rows: rows)
        case ("sys", "columns"):
            let schemas = Dictionary(uniqueKeysWithValues: try await catalog.schemas(in: database).map { ($0.id, $0.name) })
            var aliasIDs: [String: Int] = [:]
            for alias in try await catalog.aliasTypes(in: database) {
                aliasIDs["\(schemas[alias.schemaID] ?? "").\(alias.name)".lowercased()] = alias.id
            }
            var rows: [[String?]] = []
            for object in try await catalog.objects(in: database) where object.type == "U" || object.type == "V" {
                for column in object.definition?.columns ?? [] {
                    let type = column.type
                    let aliasID = column.aliasName.flatMap { aliasIDs[$0.lowercased()] }
                    rows.append([
                        String(object.objectID), column.name, String(column.columnID), String(systemTypeID(type.base)),
                        String(aliasID ?? userTypeID(type.base)), String(type.maxLength), String(type.sysPrecision),
                        String(type.sysScale), bool(column.isNullable), bool(column.identity != nil),
                        bool(column.computedDefinition != nil), bool(column.isRowGuidCol),
                        column.defaultObjectID.map(String.init) ?? "0",
                    ])
                }
            }
            return Contents(
                columns: [
                    ("object_id", .int, false), ("name", sysname, true), ("column_id", .int, false),
                    ("system_type_id", tinyint, false), ("user_type_id", .int, false), ("max_length", smallint, false),
                    ("precision", tinyint, false), ("scale", tinyint, false), ("is_nullable", .bit, true),
                    ("is_identity", .bit, false), ("is_computed", .bit, false), ("is_rowguidcol", .bit, false),
                    ("default_object_id", .int, false),
                ], rows: rows)
        case ("sys", "types"):
            var rows: [[String?]] = SQLServerType.Base.allCases.map { base in
                let type = SQLServerType(base)
                return [
                    base == .rowversion ? "timestamp" : base.rawValue, String(systemTypeID(base)), String(userTypeID(base)),
                    "4", String(type.maxLength), String(type.sysPrecision), String(type.sysScale), "1", "0",
                ]
            }
            // sysname: the system alias of nvarchar(128) that catalog views use.
            rows.append(["sysname", "231", "256", "4", "256", "0", "0", "0", "0"])
            for alias in try await catalog.aliasTypes(in: database) {
                let base = SQLServerType(declaration: alias.base) ?? SQLServerType(.sqlVariant)
                rows.append([
                    alias.name, String(systemTypeID(base.base)), String(alias.id), String(alias.schemaID), String(base.maxLength),
                    String(base.sysPrecision), String(base.sysScale), bool(alias.isNullable), "1",
                ])
            }
            return Contents(
                columns: [
                    ("name", sysname, false), ("system_type_id", tinyint, false), ("user_type_id", .int, false),
                    ("schema_id", .int, false), ("max_length", smallint, false), ("precision", tinyint, false),
                    ("scale", tinyint, false), ("is_nullable", .bit, true), ("is_user_defined", .bit, false),
                ], rows: rows)
        case ("sys", "index_columns"):
            var rows: [[String?]] = []
            for object in try await catalog.objects(in: database) where object.type == "U" {
                guard let definition = object.definition else { continue }
                for index in definition.indexes {
                    let keys = index.keyColumns.enumerated().map { ($1.name, $0 + 1, $1.isDescending, false) }
                    let included = index.includedColumns.map { ($0, 0, false, true) }
                    for (ordinal, entry) in (keys + included).enumerated() {
                        let columnID = definition.column(named: entry.0)?.columnID ?? 0
                        rows.append([
                            String(object.objectID), String(index.indexID), String(ordinal + 1), String(columnID),
                            String(entry.1), bool(entry.2), bool(entry.3),
                        ])
                    }
                }
            }
            return Contents(
                columns: [
                    ("object_id", .int, false), ("index_id", .int, false), ("index_column_id", .int, false),
                    ("column_id", .int, false), ("key_ordinal", tinyint, false), ("is_descending_key", .bit, true),
                    ("is_included_column", .bit, true),
                ], rows: rows)
        case ("sys", "foreign_key_columns"):
            var rows: [[String?]] = []
            let objects = try await catalog.objects(in: database)
            let definitions = Dictionary(uniqueKeysWithValues: objects.compactMap { o in o.definition.map { (o.objectID, $0) } })
            for object in objects where object.type == "U" {
                for foreignKey in object.definition?.foreignKeys ?? [] {
                    for (index, column) in foreignKey.columns.enumerated() {
                        let referenced = definitions[foreignKey.referencedObjectID]?.column(named: foreignKey.referencedColumns[index])
                        rows.append([
                            String(foreignKey.objectID), String(index + 1), String(object.objectID),
                            String(object.definition?.column(named: column)?.columnID ?? 0), String(foreignKey.referencedObjectID),
                            String(referenced?.columnID ?? 0),
                        ])
                    }
                }
            }
            return Contents(
                columns: [
                    ("constraint_object_id", .int, false), ("constraint_column_id", .int, false), ("parent_object_id", .int, false),
                    ("parent_column_id", .int, false), ("referenced_object_id", .int, false), ("referenced_column_id", .int, false),
                ], rows: rows)
        case ("information_schema", "tables"):
            let schemas = Dictionary(uniqueKeysWithValues: try await catalog.schemas(in: database).map { ($0.id, $0.name) })
            let rows = try await catalog.objects(in: database).filter { $0.type == "U" || $0.type == "V" }.map {
                [database.name, schemas[$0.schemaID], $0.name, $0.type == "U" ? "BASE TABLE" : "VIEW"] as [String?]
            }
            return Contents(
                columns: [
                    ("TABLE_CATALOG", sysname, true), ("TABLE_SCHEMA", sysname, true), ("TABLE_NAME", sysname, false),
                    ("TABLE_TYPE", .varchar(10), true),
                ], rows: rows)
        case ("information_schema", "columns"):
            let schemas = Dictionary(uniqueKeysWithValues: try await catalog.schemas(in: database).map { ($0.id, $0.name) })
            var rows: [[String?]] = []
            for object in try await catalog.objects(in: database) where object.type == "U" || object.type == "V" {
                for column in object.definition?.columns ?? [] {
                    let type = column.type
                    let characters: String? =
                        type.isCharacter || type.isBinary
                        ? (type.length == .max || type.maxLength == -1 ? "-1" : String(type.characterLimit ?? type.maxLength)) : nil
                    let numeric = type.isNumeric && type.base != .bit
                    rows.append([
                        database.name, schemas[object.schemaID], object.name, column.name, String(column.columnID),
                        column.defaultDefinition, column.isNullable ? "YES" : "NO", type.base == .rowversion ? "timestamp" : type.base.rawValue,
                        characters, numeric ? String(type.sysPrecision) : nil, numeric ? String(type.sysScale) : nil,
                        type.isDateTime ? String(type.sysScale) : nil,
                        column.aliasName.map { _ in database.name }, column.aliasName.map { String($0.split(separator: ".").first ?? "") },
                        column.aliasName.map { String($0.split(separator: ".").last ?? "") },
                    ])
                }
            }
            return Contents(
                columns: [
                    ("TABLE_CATALOG", sysname, true), ("TABLE_SCHEMA", sysname, true), ("TABLE_NAME", sysname, false),
                    ("COLUMN_NAME", sysname, true), ("ORDINAL_POSITION", .int, true), ("COLUMN_DEFAULT", .nvarchar(4000), true),
                    ("IS_NULLABLE", .varchar(3), true), ("DATA_TYPE", sysname, true), ("CHARACTER_MAXIMUM_LENGTH", .int, true),
                    ("NUMERIC_PRECISION", tinyint, true), ("NUMERIC_SCALE", .int, true), ("DATETIME_PRECISION", smallint, true),
                    ("DOMAIN_CATALOG", sysname, true), ("DOMAIN_SCHEMA", sysname, true), ("DOMAIN_NAME", sysname, true),
                ], rows: rows)
        default:
            // sys.objects and its kin (SystemViews+Objects.swift), INFORMATION_SCHEMA's constraint
            // and module views (SystemViews+InformationSchema.swift).
            if schema == "sys" { return try await objectViewContents(view: view, catalog: catalog, database: database) }
            return try await informationSchemaContents(view: view, catalog: catalog, database: database)
        }
    }

    /// The contents as a PostgreSQL FROM item `(VALUES …) AS alias (c1, …)`.
    static func fromItem(_ contents: Contents, alias: String) -> String {
        let names = contents.columns.indices.map { "c\($0 + 1)" }.joined(separator: ", ")
        let typed: ([String?]) -> String = { row in
            "(" + zip(row, contents.columns).map { value, column in
                "CAST(\(value.map(PostgresLiteral.quote) ?? "NULL") AS \(column.type.postgresCastType))"
            }.joined(separator: ", ") + ")"
        }
        if contents.rows.isEmpty {
            let nulls = contents.columns.enumerated().map { index, column in
                "CAST(NULL AS \(column.type.postgresCastType)) AS c\(index + 1)"
            }
            return "(SELECT \(nulls.joined(separator: ", ")) WHERE false) AS \(alias)"
        }
        return "(VALUES \(contents.rows.map(typed).joined(separator: ", "))) AS \(alias)(\(names))"
    }
}
