public import FerryCore

/// One capture instance of a source table: its change table and the columns it captures.
public struct CaptureInstance: Hashable, Sendable {
    /// The capture instance name (`dbo_orders`); the change table is `cdc.<name>_CT`.
    public var name: String
    /// The change table's object id (`cdc.change_tables.object_id`).
    public var changeTableObjectID: Int64
    /// The LSN the instance starts at; `nil` until the capture process established it.
    public var startLSN: LSN?
    /// The captured columns in capture order (`column_ordinal`), with their types.
    public var columns: [CapturedColumn]
    /// The columns of the instance's unique index (`cdc.index_columns`), in index order.
    public var indexColumns: [String]

    /// Makes a capture instance.
    public init(name: String, changeTableObjectID: Int64, startLSN: LSN?, columns: [CapturedColumn], indexColumns: [String]) {
        self.name = name
        self.changeTableObjectID = changeTableObjectID
        self.startLSN = startLSN
        self.columns = columns
        self.indexColumns = indexColumns
    }
}

/// A captured column: its place in the update mask and its definition.
public struct CapturedColumn: Hashable, Sendable {
    /// `cdc.captured_columns.column_ordinal`: 1-based, the bit in `__$update_mask`.
    public var ordinal: Int
    /// Name, type and flags.
    public var definition: ColumnDefinition

    /// Makes a captured column.
    public init(ordinal: Int, definition: ColumnDefinition) {
        self.ordinal = ordinal
        self.definition = definition
    }
}

/// A selected source table with its capture instances (at most two, SQL Server's limit).
public struct CapturedTable: Hashable, Sendable {
    /// The table.
    public var identity: TableIdentity
    /// The source table's object id.
    public var objectID: Int64
    /// Capture instances, oldest start LSN first; an instance whose start is not yet established sorts last.
    public var instances: [CaptureInstance]
    /// The table's current columns (from `sys.columns`), for the snapshot and for DDL comparison.
    public var currentColumns: [ColumnDefinition]
    /// The table's primary-key columns in key order (empty without a primary key).
    public var primaryKey: [String]

    /// Makes a table.
    public init(identity: TableIdentity, objectID: Int64, instances: [CaptureInstance], currentColumns: [ColumnDefinition], primaryKey: [String]) {
        self.identity = identity
        self.objectID = objectID
        self.instances = instances.sorted { ($0.startLSN ?? .max) < ($1.startLSN ?? .max) }
        self.currentColumns = currentColumns
        self.primaryKey = primaryKey
    }

    /// The instance that holds the changes committed at `lsn`: the newest whose start LSN is at or
    /// below it, else the oldest established one.
    public func instance(at lsn: LSN) -> CaptureInstance? {
        let established = instances.filter { $0.startLSN != nil }
        return established.last { $0.startLSN! <= lsn } ?? established.first
    }

    /// The newer instance's start LSN when the table has two established instances: the switch point.
    public var switchLSN: LSN? {
        let established = instances.compactMap(\.startLSN)
        return established.count == 2 ? established[1] : nil
    }

    /// The key the events use: the primary key, else the capture instance's unique index.
    public func keyColumns(for instance: CaptureInstance) -> [String] {
        let captured = Set(instance.columns.map(\.definition.name))
        if !primaryKey.isEmpty, primaryKey.allSatisfy(captured.contains) { return primaryKey }
        return instance.indexColumns.filter(captured.contains)
    }

    /// The event schema of one capture instance: its captured columns and key.
    public func schema(for instance: CaptureInstance) throws(SourceError) -> TableSchema {
        do {
            return try TableSchema(identity: identity, columns: instance.columns.map(\.definition), keyColumns: keyColumns(for: instance))
        } catch {
            throw SourceError(.unexpectedChangeData, "capture instance '\(instance.name)' of \(identity) has an unusable column list: \(error.message)",
                              context: ["table": identity.description, "capture_instance": instance.name])
        }
    }

    /// The schema of the table as it is now (the snapshot reads these columns), without the LOB
    /// columns `lobs` leaves out.
    public func currentSchema(lobs: LobPolicy = .full) throws(SourceError) -> TableSchema {
        do {
            return try TableSchema(identity: identity, columns: currentColumns.filter(lobs.keeps), keyColumns: primaryKey)
        } catch {
            throw SourceError(.unexpectedChangeData, "\(identity) has an unusable column list: \(error.message)", context: ["table": identity.description])
        }
    }
}
