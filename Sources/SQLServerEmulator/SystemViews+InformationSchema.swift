import TSQL

/// `INFORMATION_SCHEMA.TABLE_CONSTRAINTS`, `KEY_COLUMN_USAGE`, `REFERENTIAL_CONSTRAINTS`, `CHECK_CONSTRAINTS`, `VIEWS` and
/// `ROUTINES`, with the columns SQL Server documents (the ISO views are computed from the same
/// catalog as the `sys` views, so the two always agree).
extension SystemViews {
    static func informationSchemaContents(view: String, catalog: Catalog, database: DatabaseRecord) async throws -> Contents? {
        let schemas = Dictionary(uniqueKeysWithValues: try await catalog.schemas(in: database).map { ($0.id, $0.name) })
        let objects = try await catalog.objects(in: database)
        let byID = Dictionary(uniqueKeysWithValues: objects.map { ($0.objectID, $0) })
        let catalogName = database.name
        switch view {
        case "table_constraints":
            var rows: [[String?]] = []
            for table in objects where table.type == "U" {
                guard let definition = table.definition else { continue }
                let schema = schemas[table.schemaID]
                var constraints: [(String, String)] = definition.indexes.filter { $0.kind != .index }.map {
                    ($0.name, $0.kind == .primaryKey ? "PRIMARY KEY" : "UNIQUE")
                }
                constraints += definition.foreignKeys.map { ($0.name, "FOREIGN KEY") }
                constraints += definition.checks.map { ($0.name, "CHECK") }
                for (name, type) in constraints {
                    rows.append([catalogName, schema, name, catalogName, schema, table.name, type, "NO", "NO"])
                }
            }
            return Contents(
                columns: [
                    ("CONSTRAINT_CATALOG", sysname, true), ("CONSTRAINT_SCHEMA", sysname, true), ("CONSTRAINT_NAME", sysname, false),
                    ("TABLE_CATALOG", sysname, true), ("TABLE_SCHEMA", sysname, true), ("TABLE_NAME", sysname, false),
                    ("CONSTRAINT_TYPE", .varchar(11), true), ("IS_DEFERRABLE", .varchar(2), false),
                    ("INITIALLY_DEFERRED", .varchar(2), false),
                ], rows: rows)
        case "key_column_usage":
            var rows: [[String?]] = []
            for table in objects where table.type == "U" {
                guard let definition = table.definition else { continue }
                let schema = schemas[table.schemaID]
                var constraints: [(String, [String])] = definition.indexes.filter { $0.kind != .index }.map {
                    ($0.name, $0.keyColumns.map(\.name))
                }
                constraints += definition.foreignKeys.map { ($0.name, $0.columns) }
                for (name, columns) in constraints {
                    for (ordinal, column) in columns.enumerated() {
                        rows.append([catalogName, schema, name, catalogName, schema, table.name, column, String(ordinal + 1)])
                    }
                }
            }
            return Contents(
                columns: [
                    ("CONSTRAINT_CATALOG", sysname, true), ("CONSTRAINT_SCHEMA", sysname, true), ("CONSTRAINT_NAME", sysname, false),
                    ("TABLE_CATALOG", sysname, true), ("TABLE_SCHEMA", sysname, true), ("TABLE_NAME", sysname, false),
                    ("COLUMN_NAME", sysname, true), ("ORDINAL_POSITION", .int, true),
                ], rows: rows)
        case "referential_constraints":
            var rows: [[String?]] = []
            for table in objects where table.type == "U" {
                for key in table.definition?.foreignKeys ?? [] {
                    let referenced = byID[key.referencedObjectID]
                    let index = referencedIndex(
                        of: referenced?.definition ?? (key.referencedObjectID == table.objectID ? table.definition : nil),
                        columns: key.referencedColumns)
                    let referencedSchema = (referenced ?? table).schemaID
                    rows.append([
                        catalogName, schemas[table.schemaID], key.name, catalogName, schemas[referencedSchema], index?.name,
                        "SIMPLE", key.onUpdate.uppercased(), key.onDelete.uppercased(),
                    ])
                }
            }
            return Contents(
                columns: [
                    ("CONSTRAINT_CATALOG", sysname, true), ("CONSTRAINT_SCHEMA", sysname, true), ("CONSTRAINT_NAME", sysname, false),
                    ("UNIQUE_CONSTRAINT_CATALOG", sysname, true), ("UNIQUE_CONSTRAINT_SCHEMA", sysname, true),
                    ("UNIQUE_CONSTRAINT_NAME", sysname, true), ("MATCH_OPTION", .varchar(7), true),
                    ("UPDATE_RULE", .varchar(11), true), ("DELETE_RULE", .varchar(11), true),
                ], rows: rows)
        case "check_constraints":
            var rows: [[String?]] = []
            for table in objects where table.type == "U" {
                for check in table.definition?.checks ?? [] {
                    rows.append([catalogName, schemas[table.schemaID], check.name, String(check.definition.prefix(4000))])
                }
            }
            return Contents(
                columns: [
                    ("CONSTRAINT_CATALOG", sysname, true), ("CONSTRAINT_SCHEMA", sysname, true), ("CONSTRAINT_NAME", sysname, false),
                    ("CHECK_CLAUSE", .nvarchar(4000), true),
                ], rows: rows)
        case "views":
            let modules = try await catalog.modules(in: database)
            let rows = objects.filter { $0.type == "V" }.map { object -> [String?] in
                let text = modules[object.objectID]
                return [
                    catalogName, schemas[object.schemaID], object.name, text.map { String($0.prefix(4000)) },
                    hasCheckOption(text) ? "CASCADE" : "NONE", "NO",
                ]
            }
            return Contents(
                columns: [
                    ("TABLE_CATALOG", sysname, true), ("TABLE_SCHEMA", sysname, true), ("TABLE_NAME", sysname, false),
                    ("VIEW_DEFINITION", .nvarchar(4000), true), ("CHECK_OPTION", .varchar(7), true),
                    ("IS_UPDATABLE", .varchar(2), false),
                ], rows: rows)
        case "routines":
            let modules = try await catalog.modules(in: database)
            var rows: [[String?]] = []
            for object in objects where ["P", "FN", "IF", "TF"].contains(object.type) {
                let text = modules[object.objectID]
                let schema = schemas[object.schemaID]
                var dataType: String?
                var characters: String?
                var precision: String?
                var scale: String?
                if object.type == "IF" || object.type == "TF" {
                    dataType = "TABLE"
                } else if object.type == "FN", let text,
                    case .createFunction(let function)? = try? TSQLParser.parse(text).statements.first?.kind,
                    case .scalar(let declared) = function.returns
                {
                    if let type = try? SQLServerType(systemType: declared) {
                        dataType = type.base == .rowversion ? "timestamp" : type.base.rawValue
                        if type.isCharacter || type.isBinary {
                            characters = type.length == .max ? "-1" : String(type.characterLimit ?? type.maxLength)
                        } else if type.isNumeric, type.base != .bit {
                            precision = String(type.sysPrecision)
                            scale = String(type.sysScale)
                        }
                    } else {
                        dataType = declared.name.name.value
                    }
                }
                rows.append([
                    catalogName, schema, object.name, catalogName, schema, object.name,
                    object.type == "P" ? "PROCEDURE" : "FUNCTION", dataType, characters, precision, scale, "SQL",
                    text.map { String($0.prefix(4000)) }, "NO", "MODIFIES", object.createDate, object.modifyDate,
                ])
            }
            return Contents(
                columns: [
                    ("SPECIFIC_CATALOG", .nvarchar(128), true), ("SPECIFIC_SCHEMA", .nvarchar(128), true),
                    ("SPECIFIC_NAME", sysname, false), ("ROUTINE_CATALOG", .nvarchar(128), true),
                    ("ROUTINE_SCHEMA", .nvarchar(128), true), ("ROUTINE_NAME", sysname, false),
                    ("ROUTINE_TYPE", .nvarchar(20), true), ("DATA_TYPE", sysname, true),
                    ("CHARACTER_MAXIMUM_LENGTH", .int, true), ("NUMERIC_PRECISION", smallint, true),
                    ("NUMERIC_SCALE", smallint, true), ("ROUTINE_BODY", .nvarchar(30), true),
                    ("ROUTINE_DEFINITION", .nvarchar(4000), true), ("IS_DETERMINISTIC", .nvarchar(10), true),
                    ("SQL_DATA_ACCESS", .nvarchar(30), true), ("CREATED", .datetime, false), ("LAST_ALTERED", .datetime, false),
                ], rows: rows)
        default:
            return nil
        }
    }
}
