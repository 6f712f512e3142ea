public import FerryCore
public import FreeTDS

/// Reads what the source needs from SQL Server's catalog and CDC metadata.
public struct SourceCatalog: Sendable {
    /// The database.
    public let database: String

    /// Makes a catalog reader for `database`.
    public init(database: String) { self.database = database }

    /// Throws `cdcNotEnabled` unless `sys.databases.is_cdc_enabled` is set for the database.
    public func checkCDCEnabled(_ connection: TDSConnection) async throws {
        let rows = try await connection.query("SELECT is_cdc_enabled FROM sys.databases WHERE name = \(TDSLiteral.string(database))")
        guard let flag = rows.first?[0].int64Value, flag == 1 else {
            throw SourceError(.cdcNotEnabled, "database '\(database)' is not enabled for change data capture; run: USE [\(database)]; EXEC sys.sp_cdc_enable_db;",
                              context: ["database": database])
        }
    }

    /// Whether the database allows SNAPSHOT isolation (`sys.databases.snapshot_isolation_state` = 1).
    public func allowsSnapshotIsolation(_ connection: TDSConnection) async throws -> Bool {
        do {
            let rows = try await connection.query("SELECT snapshot_isolation_state FROM sys.databases WHERE name = \(TDSLiteral.string(database))")
            return rows.first?[0].int64Value == 1
        } catch let error as TDSError where error.number == 207 {
            // A server without the column (Msg 207) has no SNAPSHOT isolation: read committed it is.
            return false
        }
    }

    /// The selected tables with their capture instances. A selected table without an instance is
    /// returned in `uncaptured`.
    public func discover(_ connection: TDSConnection, selection: TableSelection) async throws -> (captured: [CapturedTable], uncaptured: [TableIdentity]) {
        let tableRows = try await connection.query("""
            SELECT t.object_id, s.name AS schema_name, t.name AS table_name
            FROM sys.tables AS t JOIN sys.schemas AS s ON s.schema_id = t.schema_id
            WHERE t.is_ms_shipped = 0 AND s.name <> N'cdc'
            """)
        var selected: [(id: Int64, identity: TableIdentity)] = []
        for row in tableRows {
            guard let id = row[0].int64Value, let schema = row[1].stringValue, let name = row[2].stringValue else { continue }
            guard selection.includes(schema: schema, table: name) else { continue }
            selected.append((id, TableIdentity(database: database, schema: schema, table: name)))
        }
        guard !selected.isEmpty else { return ([], []) }
        let ids = selected.map { String($0.id) }.joined(separator: ", ")

        let instanceRows = try await connection.query("""
            SELECT object_id, source_object_id, capture_instance, start_lsn FROM cdc.change_tables WHERE source_object_id IN (\(ids))
            """)
        struct InstanceRow { var objectID: Int64; var sourceID: Int64; var name: String; var start: LSN? }
        var instances: [InstanceRow] = []
        for row in instanceRows {
            guard let objectID = row[0].int64Value, let sourceID = row[1].int64Value, let name = row[2].stringValue else { continue }
            instances.append(InstanceRow(objectID: objectID, sourceID: sourceID, name: name, start: row[3].bytesValue.flatMap { LSN(bytes: $0) }))
        }
        let changeTableIDs = instances.map { String($0.objectID) }
        let columnObjects = selected.map { String($0.id) } + changeTableIDs
        let columns = try await columnsByObject(connection, objectIDs: columnObjects)
        var captured: [Int64: [(ordinal: Int, name: String)]] = [:]
        var indexed: [Int64: [(ordinal: Int, name: String)]] = [:]
        if !changeTableIDs.isEmpty {
            let list = changeTableIDs.joined(separator: ", ")
            for row in try await connection.query("SELECT object_id, column_name, column_ordinal FROM cdc.captured_columns WHERE object_id IN (\(list))") {
                guard let id = row[0].int64Value, let name = row[1].stringValue, let ordinal = row[2].int64Value else { continue }
                captured[id, default: []].append((Int(ordinal), name))
            }
            for row in try await connection.query("SELECT object_id, column_name, index_ordinal FROM cdc.index_columns WHERE object_id IN (\(list))") {
                guard let id = row[0].int64Value, let name = row[1].stringValue, let ordinal = row[2].int64Value else { continue }
                indexed[id, default: []].append((Int(ordinal), name))
            }
        }
        let primaryKeys = try await primaryKeys(connection, objectIDs: selected.map { String($0.id) })

        var result: [CapturedTable] = []
        var uncaptured: [TableIdentity] = []
        for (id, identity) in selected {
            let own = instances.filter { $0.sourceID == id }
            guard !own.isEmpty else { uncaptured.append(identity); continue }
            let sourceColumns = columns[id] ?? []
            var built: [CaptureInstance] = []
            for instance in own {
                let changeColumns = columns[instance.objectID] ?? []
                var list: [CapturedColumn] = []
                for entry in (captured[instance.objectID] ?? []).sorted(by: { $0.ordinal < $1.ordinal }) {
                    // The source column gives nullability and identity; the change table the type
                    // as captured (it keeps the old type until the capture process alters it).
                    let source = sourceColumns.first { $0.name == entry.name }
                    guard var definition = changeColumns.first(where: { $0.name == entry.name }) ?? source else { continue }
                    if let source {
                        definition.isNullable = source.isNullable
                        definition.isIdentity = source.isIdentity
                        definition.isComputed = source.isComputed
                        if source.type.name == .rowversion { definition.type = source.type }
                    }
                    list.append(CapturedColumn(ordinal: entry.ordinal, definition: definition))
                }
                built.append(CaptureInstance(name: instance.name, changeTableObjectID: instance.objectID, startLSN: instance.start, columns: list,
                                             indexColumns: (indexed[instance.objectID] ?? []).sorted { $0.ordinal < $1.ordinal }.map(\.name)))
            }
            result.append(CapturedTable(identity: identity, objectID: id, instances: built, currentColumns: sourceColumns, primaryKey: primaryKeys[id] ?? []))
        }
        return (result.sorted { $0.identity < $1.identity }, uncaptured.sorted())
    }

    /// The columns of the given objects, by object id, in column order. A column's type is its
    /// system type (an alias type's base); `hierarchyid`, `geometry` and `geography` share system
    /// type 240 (CLR), so they are named by their own `user_type_id` (128, 129, 130).
    public func columnsByObject(_ connection: TDSConnection, objectIDs: [String]) async throws -> [Int64: [ColumnDefinition]] {
        guard !objectIDs.isEmpty else { return [:] }
        let rows = try await connection.query("""
            SELECT c.object_id, c.column_id, c.name, ty.name AS type_name, c.max_length, c.[precision], c.scale, c.is_nullable, c.is_identity, c.is_computed
            FROM sys.columns AS c
            JOIN sys.types AS ty ON ty.user_type_id = CASE WHEN c.system_type_id = 240 AND c.user_type_id IN (128, 129, 130) THEN c.user_type_id ELSE c.system_type_id END
            WHERE c.object_id IN (\(objectIDs.joined(separator: ", ")))
            ORDER BY c.object_id, c.column_id
            """)
        var result: [Int64: [ColumnDefinition]] = [:]
        for row in rows {
            guard let id = row[0].int64Value, let name = row[2].stringValue, let typeName = row[3].stringValue else { continue }
            if name.hasPrefix("__$") { continue }
            let type = try SQLServerDataType.fromCatalog(typeName: typeName, maxLength: Int(row[4].int64Value ?? 0),
                                                         precision: Int(row[5].int64Value ?? 0), scale: Int(row[6].int64Value ?? 0))
            result[id, default: []].append(ColumnDefinition(name: name, type: type, isNullable: row[7].int64Value == 1,
                                                            isIdentity: row[8].int64Value == 1, isComputed: row[9].int64Value == 1))
        }
        return result
    }

    /// The primary-key columns of the given tables, in key order.
    public func primaryKeys(_ connection: TDSConnection, objectIDs: [String]) async throws -> [Int64: [String]] {
        guard !objectIDs.isEmpty else { return [:] }
        let rows = try await connection.query("""
            SELECT i.object_id, c.name, ic.key_ordinal
            FROM sys.indexes AS i
            JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
            JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
            WHERE i.is_primary_key = 1 AND i.object_id IN (\(objectIDs.joined(separator: ", ")))
            ORDER BY i.object_id, ic.key_ordinal
            """)
        var result: [Int64: [String]] = [:]
        for row in rows {
            guard let id = row[0].int64Value, let name = row[1].stringValue else { continue }
            result[id, default: []].append(name)
        }
        return result
    }

    /// The statement that enables CDC for `table` (what the error tells the DBA to run, and what
    /// `--enable-cdc` runs).
    public static func enableStatement(for table: TableIdentity, captureInstance: String? = nil) -> String {
        var statement = "EXEC sys.sp_cdc_enable_table @source_schema = \(TDSLiteral.string(table.schema)), @source_name = \(TDSLiteral.string(table.table)), @role_name = NULL"
        if let captureInstance { statement += ", @capture_instance = \(TDSLiteral.string(captureInstance))" }
        return statement + ", @supports_net_changes = 0"
    }

    /// The error for selected tables that have no capture instance.
    public static func notCapturedError(_ tables: [TableIdentity]) -> SourceError {
        let statements = tables.map { "\(enableStatement(for: $0));" }.joined(separator: " ")
        let names = tables.map(\.description).joined(separator: ", ")
        return SourceError(.tableNotCaptured,
                           "\(tables.count == 1 ? "table" : "tables") \(names) \(tables.count == 1 ? "is" : "are") selected but not enabled for change data capture; run \(statements) (or start Ferry with --enable-cdc)",
                           context: ["table": names])
    }

    /// `sys.fn_cdc_get_max_lsn()`, or `nil` before the first capture.
    public func maxLSN(_ connection: TDSConnection) async throws -> LSN? {
        let rows = try await connection.query("SELECT sys.fn_cdc_get_max_lsn()")
        return rows.first?[0].bytesValue.flatMap { LSN(bytes: $0) }
    }
}
