public import FerryCore
public import FreeTDS
public import Logging

/// Reads a SQL Server database's schema from the documented `sys.*` catalog views into a
/// ``SourceCatalog``.
///
/// One query per catalog view (never one per table), joined in memory, so a database of
/// thousands of tables reads in a few round trips. Catalog columns that older servers (or
/// emulators) lack are optional: the reader falls back to a narrower query and records what it
/// assumed in ``SourceCatalog/readNotes``, which the assessment report shows.
public struct CatalogReader: Sendable {
    /// Decides which tables (and views) are converted: `(schema, name) → selected?`.
    public typealias Selection = @Sendable (_ schema: String, _ name: String) -> Bool

    /// Schemas that hold SQL Server's own objects, never converted.
    public static let systemSchemas: Set<String> = ["sys", "information_schema", "cdc", "guest"]

    let connection: TDSConnection
    let selection: Selection
    let logger: Logger

    /// Makes a reader over an open connection to the source database.
    /// - Parameter selection: which tables and views to read; all user objects by default.
    public init(connection: TDSConnection, selection: @escaping Selection = { _, _ in true }, logger: Logger) {
        self.connection = connection
        self.selection = selection
        self.logger = logger
    }

    /// Reads the catalog.
    /// - Throws: ``SchemaConversionError`` with code `catalogReadFailed` naming the catalog view.
    public func read() async throws -> SourceCatalog {
        var notes: [String] = []
        let database = try await rows("SELECT DB_NAME() AS name", view: "DB_NAME()").first?[0].stringValue ?? ""
        var catalog = SourceCatalog(database: database)

        let schemaNames = Dictionary(
            try await rows("SELECT schema_id, name FROM sys.schemas", view: "sys.schemas").map { ($0.int(0), $0.string(1)) },
            uniquingKeysWith: { first, _ in first })

        let types = try await readTypes(schemaNames: schemaNames)
        catalog.aliasTypes = types.aliases.sorted { $0.qualifiedName < $1.qualifiedName }

        // Objects: tables, views and modules; constraints come from their own views.
        struct Object { var id: Int; var schema: String; var name: String; var type: String; var parent: Int }
        var objects: [Int: Object] = [:]
        for row in try await rows(
            "SELECT object_id, schema_id, name, type, parent_object_id, is_ms_shipped FROM sys.objects", view: "sys.objects")
        {
            guard !row.bool(5) else { continue }
            let schema = schemaNames[row.int(1)] ?? ""
            guard !Self.systemSchemas.contains(schema.lowercased()) else { continue }
            let object = Object(id: row.int(0), schema: schema, name: row.string(2), type: row.string(3).trimmingSpacesForCatalog(), parent: row.int(4))
            objects[object.id] = object
        }
        let tableObjects = objects.values.filter { $0.type == "U" && selection($0.schema, $0.name) }
        let tableIDs = Set(tableObjects.map(\.id))
        let selectedSchemas = Set(tableObjects.map(\.schema))

        // Columns with identity, computed definitions and defaults.
        var identities: [ColumnKey: CatalogIdentity] = [:]
        for row in try await optionalRows(
            "SELECT object_id, column_id, CONVERT(nvarchar(40), seed_value), CONVERT(nvarchar(40), increment_value), CONVERT(nvarchar(40), last_value) FROM sys.identity_columns",
            fallback: "SELECT object_id, column_id, CONVERT(nvarchar(40), seed_value), CONVERT(nvarchar(40), increment_value) FROM sys.identity_columns",
            view: "sys.identity_columns",
            note: "sys.identity_columns.last_value is not available: identities start at their seed, and the after-load script moves them past the loaded rows",
            notes: &notes)
        {
            identities[ColumnKey(row.int(0), row.int(1))] = CatalogIdentity(
                seed: row.string(2), increment: row.string(3), lastValue: row.count > 4 ? row.optionalString(4) : nil)
        }
        var computed: [ColumnKey: CatalogComputedColumn] = [:]
        for row in try await rows("SELECT object_id, column_id, definition, is_persisted FROM sys.computed_columns", view: "sys.computed_columns") {
            computed[ColumnKey(row.int(0), row.int(1))] = CatalogComputedColumn(definition: row.string(2), isPersisted: row.bool(3))
        }
        var defaults: [ColumnKey: CatalogDefault] = [:]
        for row in try await rows(
            "SELECT parent_object_id, parent_column_id, name, definition FROM sys.default_constraints", view: "sys.default_constraints")
        {
            defaults[ColumnKey(row.int(0), row.int(1))] = CatalogDefault(name: row.string(2), definition: row.string(3))
        }
        var columnsByTable: [Int: [(id: Int, column: CatalogColumn)]] = [:]
        var columnNames: [ColumnKey: String] = [:]
        for row in try await rows(
            "SELECT object_id, column_id, name, system_type_id, user_type_id, max_length, [precision], scale, is_nullable, is_identity, is_computed, is_rowguidcol FROM sys.columns",
            view: "sys.columns")
        {
            let objectID = row.int(0)
            guard tableIDs.contains(objectID) else { continue }
            let key = ColumnKey(objectID, row.int(1))
            let name = row.string(2)
            columnNames[key] = name
            guard let type = types.columnType(
                systemTypeID: row.int(3), userTypeID: row.int(4), maxLength: row.int(5), precision: row.int(6), scale: row.int(7))
            else {
                let table = objects[objectID].map { "\($0.schema).\($0.name)" } ?? String(objectID)
                notes.append("\(table).\(name): type id \(row.int(4)) is not a type Ferry knows; the column was read as sql_variant")
                columnsByTable[objectID, default: []].append((key.column, CatalogColumn(name: name, type: try! SQLServerDataType(.sqlVariant), isNullable: row.bool(8))))
                continue
            }
            let column = CatalogColumn(
                name: name, type: type, isNullable: row.bool(8), identity: row.bool(9) ? identities[key] ?? CatalogIdentity(seed: "1", increment: "1") : nil,
                computed: row.bool(10) ? computed[key] : nil, defaultConstraint: defaults[key], isRowGuidColumn: row.bool(11))
            columnsByTable[objectID, default: []].append((key.column, column))
        }

        // Indexes and key constraints.
        var keyConstraintNames: [ColumnKey: String] = [:]  // (table, index id) → constraint name
        for row in try await rows(
            "SELECT parent_object_id, unique_index_id, name FROM sys.key_constraints", view: "sys.key_constraints")
        {
            keyConstraintNames[ColumnKey(row.int(0), row.int(1))] = row.string(2)
        }
        struct IndexRow { var tableID: Int; var indexID: Int; var name: String; var type: Int; var typeDescription: String; var isUnique: Bool; var isPrimaryKey: Bool; var isUniqueConstraint: Bool; var filter: String?; var isDisabled: Bool }
        var indexRows: [IndexRow] = []
        for row in try await optionalRows(
            "SELECT object_id, index_id, name, type, type_desc, is_unique, is_primary_key, is_unique_constraint, filter_definition, is_disabled, is_hypothetical FROM sys.indexes",
            fallback: "SELECT object_id, index_id, name, type, type_desc, is_unique, is_primary_key, is_unique_constraint, filter_definition FROM sys.indexes",
            view: "sys.indexes", note: "sys.indexes.is_disabled is not available: every index is taken as enabled", notes: &notes)
        {
            guard tableIDs.contains(row.int(0)), row.int(1) > 0 else { continue }
            if row.count > 10, row.bool(10) { continue }  // hypothetical (tuning advisor) indexes hold no data
            indexRows.append(IndexRow(
                tableID: row.int(0), indexID: row.int(1), name: row.optionalString(2) ?? "", type: row.int(3),
                typeDescription: row.optionalString(4) ?? "", isUnique: row.bool(5), isPrimaryKey: row.bool(6),
                isUniqueConstraint: row.bool(7), filter: row.optionalString(8), isDisabled: row.count > 9 && row.bool(9)))
        }
        var indexColumns: [ColumnKey: [(ordinal: Int, name: String, descending: Bool, included: Bool)]] = [:]
        for row in try await rows(
            "SELECT object_id, index_id, index_column_id, column_id, key_ordinal, is_descending_key, is_included_column FROM sys.index_columns",
            view: "sys.index_columns")
        {
            guard tableIDs.contains(row.int(0)), let name = columnNames[ColumnKey(row.int(0), row.int(3))] else { continue }
            let ordinal = row.bool(6) ? 10_000 + row.int(2) : row.int(4)
            indexColumns[ColumnKey(row.int(0), row.int(1)), default: []].append((ordinal, name, row.bool(5), row.bool(6)))
        }

        // Check constraints.
        var checks: [Int: [CatalogCheckConstraint]] = [:]
        for row in try await optionalRows(
            "SELECT parent_object_id, parent_column_id, name, definition, is_disabled FROM sys.check_constraints",
            fallback: "SELECT parent_object_id, parent_column_id, name, definition FROM sys.check_constraints",
            view: "sys.check_constraints", note: "sys.check_constraints.is_disabled is not available: every check constraint is taken as enabled",
            notes: &notes)
        {
            guard tableIDs.contains(row.int(0)) else { continue }
            let column = row.int(1) == 0 ? nil : columnNames[ColumnKey(row.int(0), row.int(1))]
            checks[row.int(0), default: []].append(CatalogCheckConstraint(
                name: row.string(2), definition: row.string(3), column: column, isDisabled: row.count > 4 && row.bool(4)))
        }

        // Foreign keys.
        var allColumnNames = columnNames
        var foreignKeyColumns: [Int: [(Int, String, String)]] = [:]
        let foreignKeyColumnRows = try await rows(
            "SELECT constraint_object_id, constraint_column_id, parent_object_id, parent_column_id, referenced_object_id, referenced_column_id FROM sys.foreign_key_columns",
            view: "sys.foreign_key_columns")
        let referencedOutsideSelection = Set(foreignKeyColumnRows.map { $0.int(4) }).subtracting(tableIDs)
        if !referencedOutsideSelection.isEmpty {
            // Referenced tables outside the selection: their column names, for the action item.
            for row in try await rows("SELECT object_id, column_id, name FROM sys.columns", view: "sys.columns")
            where referencedOutsideSelection.contains(row.int(0)) {
                allColumnNames[ColumnKey(row.int(0), row.int(1))] = row.string(2)
            }
        }
        for row in foreignKeyColumnRows where tableIDs.contains(row.int(2)) {
            let local = columnNames[ColumnKey(row.int(2), row.int(3))] ?? "?"
            let referenced = allColumnNames[ColumnKey(row.int(4), row.int(5))] ?? "?"
            foreignKeyColumns[row.int(0), default: []].append((row.int(1), local, referenced))
        }
        var foreignKeys: [Int: [CatalogForeignKey]] = [:]
        for row in try await optionalRows(
            "SELECT object_id, name, parent_object_id, referenced_object_id, delete_referential_action_desc, update_referential_action_desc, is_disabled FROM sys.foreign_keys",
            fallback: "SELECT object_id, name, parent_object_id, referenced_object_id, delete_referential_action_desc FROM sys.foreign_keys",
            view: "sys.foreign_keys",
            note: "sys.foreign_keys.update_referential_action_desc is not available: ON UPDATE is taken as NO ACTION", notes: &notes)
        {
            guard tableIDs.contains(row.int(2)), let referenced = objects[row.int(3)] else { continue }
            let pairs = (foreignKeyColumns[row.int(0)] ?? []).sorted { $0.0 < $1.0 }
            foreignKeys[row.int(2), default: []].append(CatalogForeignKey(
                name: row.string(1), columns: pairs.map(\.1), referencedSchema: referenced.schema, referencedTable: referenced.name,
                referencedColumns: pairs.map(\.2),
                onDelete: CatalogReferentialAction(catalogDescription: row.optionalString(4) ?? "") ?? .noAction,
                onUpdate: row.count > 5 ? CatalogReferentialAction(catalogDescription: row.optionalString(5) ?? "") ?? .noAction : .noAction,
                isDisabled: row.count > 6 && row.bool(6)))
        }

        // Assemble tables.
        for object in tableObjects.sorted(by: { ($0.schema, $0.name) < ($1.schema, $1.name) }) {
            var table = CatalogTable(
                schema: object.schema, name: object.name,
                columns: (columnsByTable[object.id] ?? []).sorted { $0.id < $1.id }.map(\.column))
            for index in indexRows.filter({ $0.tableID == object.id }).sorted(by: { $0.indexID < $1.indexID }) {
                let entries = (indexColumns[ColumnKey(object.id, index.indexID)] ?? []).sorted { $0.ordinal < $1.ordinal }
                let keys = entries.filter { !$0.included }
                if index.isPrimaryKey || index.isUniqueConstraint {
                    let constraint = CatalogKeyConstraint(
                        name: keyConstraintNames[ColumnKey(object.id, index.indexID)] ?? index.name, columns: keys.map(\.name),
                        isClustered: index.type == 1)
                    if index.isPrimaryKey { table.primaryKey = constraint } else { table.uniqueConstraints.append(constraint) }
                    continue
                }
                if index.isDisabled {
                    notes.append("\(table.qualifiedName): index \(index.name) is disabled on the source and was not converted")
                    continue
                }
                let supported = index.type == 1 || index.type == 2
                table.indexes.append(CatalogIndex(
                    name: index.name, isUnique: index.isUnique, isClustered: index.type == 1,
                    keyColumns: keys.map { CatalogIndex.KeyColumn(name: $0.name, isDescending: $0.descending) },
                    includedColumns: entries.filter(\.included).map(\.name), filter: index.filter,
                    unsupportedKind: supported ? nil : (index.typeDescription.isEmpty ? "type \(index.type)" : index.typeDescription)))
            }
            table.checkConstraints = (checks[object.id] ?? []).sorted { $0.name < $1.name }
            table.foreignKeys = (foreignKeys[object.id] ?? []).sorted { $0.name < $1.name }
            catalog.tables.append(table)
        }

        // Views and routines with their text.
        var definitions: [Int: String] = [:]
        for row in try await rows("SELECT object_id, definition FROM sys.sql_modules", view: "sys.sql_modules") {
            if let text = row.optionalString(1) { definitions[row.int(0)] = text }
        }
        for object in objects.values.sorted(by: { ($0.schema, $0.name) < ($1.schema, $1.name) }) {
            guard let kind = CatalogModule.Kind(objectType: object.type) else { continue }
            if kind == .view {
                guard selection(object.schema, object.name) else { continue }
            } else if kind == .trigger {
                guard tableIDs.contains(object.parent) else { continue }
            } else {
                guard selectedSchemas.contains(object.schema) else { continue }
            }
            let parent = objects[object.parent].map { "\($0.schema).\($0.name)" }
            let module = CatalogModule(schema: object.schema, name: object.name, kind: kind, definition: definitions[object.id], parentTable: kind == .trigger ? parent : nil)
            if kind == .view { catalog.views.append(module) } else { catalog.routines.append(module) }
        }
        for row in try await optionalRows(
            "SELECT name, CONVERT(nvarchar(max), OBJECT_DEFINITION(object_id)) FROM sys.triggers WHERE parent_class = 0",
            fallback: nil, view: "sys.triggers", note: "sys.triggers is not available: database DDL triggers were not read", notes: &notes)
        {
            catalog.routines.append(CatalogModule(schema: "", name: row.string(0), kind: .trigger, definition: row.optionalString(1), parentTable: "DATABASE"))
        }

        // Sequences.
        for row in try await optionalRows(
            "SELECT object_id, user_type_id, system_type_id, [precision], scale, CONVERT(nvarchar(40), start_value), CONVERT(nvarchar(40), increment), CONVERT(nvarchar(40), minimum_value), CONVERT(nvarchar(40), maximum_value), is_cycling, CONVERT(nvarchar(40), current_value), is_exhausted FROM sys.sequences",
            fallback: nil, view: "sys.sequences", note: "sys.sequences is not available: sequences were not read", notes: &notes)
        {
            guard let object = objects[row.int(0)], selectedSchemas.contains(object.schema) || tableIDs.isEmpty else { continue }
            let type = types.columnType(systemTypeID: row.int(2), userTypeID: row.int(1), maxLength: 8, precision: row.int(3), scale: row.int(4))
            catalog.sequences.append(CatalogSequence(
                schema: object.schema, name: object.name, type: type ?? (try! SQLServerDataType(.bigint)), start: row.string(5),
                increment: row.string(6), minimum: row.string(7), maximum: row.string(8), isCycling: row.bool(9),
                currentValue: row.optionalString(10)))
        }
        catalog.sequences.sort { ($0.schema, $0.name) < ($1.schema, $1.name) }

        catalog.schemas = Array(Set(catalog.tables.map(\.schema) + catalog.views.map(\.schema)
            + catalog.routines.map(\.schema).filter { !$0.isEmpty } + catalog.sequences.map(\.schema))).sorted()
        catalog.readNotes = notes
        logger.debug("source catalog read", metadata: [
            "database": "\(database)", "tables": "\(catalog.tables.count)", "views": "\(catalog.views.count)",
            "routines": "\(catalog.routines.count)",
        ])
        return catalog
    }

    // MARK: Queries

    /// Runs a catalog query.
    func rows(_ sql: String, view: String) async throws -> [TDSRow] {
        do {
            return try await connection.query(sql)
        } catch let error as TDSError {
            throw SchemaConversionError(
                .catalogReadFailed, "could not read \(view) from the source: \(error.message)",
                context: ["view": view], isRetriable: error.isRetriable)
        }
    }

    /// Runs a query that names catalog columns or views not every server has; on "invalid column
    /// name" (207) or "invalid object name" (208) runs `fallback` (or returns no rows) and notes it.
    func optionalRows(_ sql: String, fallback: String?, view: String, note: String, notes: inout [String]) async throws -> [TDSRow] {
        do {
            return try await connection.query(sql)
        } catch let error as TDSError where error.serverMessages.contains(where: { $0.number == 207 || $0.number == 208 }) {
            logger.info("catalog column or view missing; using the fallback query", metadata: ["view": "\(view)"])
            notes.append(note)
            guard let fallback else { return [] }
            return try await rows(fallback, view: view)
        } catch let error as TDSError {
            throw SchemaConversionError(
                .catalogReadFailed, "could not read \(view) from the source: \(error.message)",
                context: ["view": view], isRetriable: error.isRetriable)
        }
    }

    private func readTypes(schemaNames: [Int: String]) async throws -> CatalogTypes {
        var types = CatalogTypes()
        for row in try await rows(
            "SELECT user_type_id, system_type_id, name, schema_id, is_user_defined, is_nullable, max_length, [precision], scale FROM sys.types",
            view: "sys.types")
        {
            types.entries[row.int(0)] = CatalogTypes.Entry(
                userTypeID: row.int(0), systemTypeID: row.int(1), name: row.string(2), schema: schemaNames[row.int(3)] ?? "sys",
                isUserDefined: row.bool(4), isNullable: row.bool(5), maxLength: row.int(6), precision: row.int(7), scale: row.int(8))
        }
        return types
    }
}

/// `(object_id, column_id)` (also used for `(object_id, index_id)`).
struct ColumnKey: Hashable {
    var object: Int
    var column: Int
    init(_ object: Int, _ column: Int) {
        self.object = object
        self.column = column
    }
}

extension TDSRow {
    func int(_ index: Int) -> Int {
        let value = self[index]
        if let number = value.int64Value { return Int(number) }
        if case .decimal(let decimal) = value { return Int(decimal.description) ?? 0 }
        if case .string(let text) = value { return Int(text.trimmingSpacesForReader()) ?? 0 }
        return 0
    }

    func bool(_ index: Int) -> Bool { int(index) != 0 }

    func string(_ index: Int) -> String { optionalString(index) ?? "" }

    func optionalString(_ index: Int) -> String? {
        let value = self[index]
        if value.isNull { return nil }
        return value.stringValue ?? value.description
    }
}

extension String {
    func trimmingSpacesForReader() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    func trimmingSpacesForCatalog() -> String { trimmingSpacesForReader() }
}
