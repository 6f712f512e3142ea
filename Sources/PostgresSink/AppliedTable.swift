import FerryCore
import Postgres

/// One source table as the sink applies it: the source schema currently reflected in the target,
/// and the mapped target names.
struct AppliedTable: Sendable {
    /// A source column that reaches the target.
    struct Column: Sendable {
        var source: String
        var target: String
        var type: SQLServerDataType
        /// Quoted target name.
        var quoted: String
    }

    let source: TableIdentity
    let target: SinkTarget
    private(set) var schema: TableSchema
    private(set) var columns: [Column] = []
    private(set) var keyColumns: [Column] = []
    private(set) var valueColumns: [Column] = []
    /// Columns that may carry `.unchanged` (large objects), with their index in the staging mask.
    private(set) var largeObjectColumns: [String: Int] = [:]
    /// Whether the target has a unique index on the key columns (`ON CONFLICT` needs one); checked lazily.
    var hasUniqueKey: Bool?

    init(schema: TableSchema, target: SinkTarget, mapping: SinkTableMapping) {
        self.source = schema.identity
        self.target = target
        self.schema = schema
        setSchema(schema, mapping: mapping)
    }

    var qualifiedName: String { PostgresIdentifier.qualified(schema: target.schema, target.table) }

    mutating func setSchema(_ schema: TableSchema, mapping: SinkTableMapping) {
        self.schema = schema
        columns = schema.columns.compactMap { definition in
            // CDC captures computed columns as NULL; the target computes its own.
            guard !definition.isComputed, let name = mapping.column(schema.identity, definition.name) else { return nil }
            return Column(source: definition.name, target: name, type: definition.type, quoted: PostgresIdentifier.quote(name))
        }
        let keys = Set(schema.keyColumns)
        keyColumns = schema.keyColumns.compactMap { key in columns.first { $0.source == key } }
        valueColumns = columns.filter { !keys.contains($0.source) }
        largeObjectColumns = [:]
        for column in valueColumns where column.type.isLargeObject { largeObjectColumns[column.source] = largeObjectColumns.count }
        hasUniqueKey = nil
    }

    /// Whether rows are matched by key (otherwise on all columns).
    var isKeyed: Bool { !keyColumns.isEmpty && keyColumns.count == schema.keyColumns.count }

    /// `CREATE TABLE` for the current schema, with the mapped types and the key as primary key.
    func createStatement() -> String {
        var parts = columns.map { column -> String in
            let type = column.type.postgreSQLType
            let definition = schema.column(named: column.source)!
            var text = "\(column.quoted) \(type.declaration)"
            if !definition.isNullable { text += " NOT NULL" }
            if let check = type.check(forQuotedColumn: column.quoted) { text += " CHECK (\(check))" }
            return text
        }
        if isKeyed { parts.append("PRIMARY KEY (" + keyColumns.map(\.quoted).joined(separator: ", ") + ")") }
        return "CREATE SCHEMA IF NOT EXISTS \(PostgresIdentifier.quote(target.schema)); CREATE TABLE IF NOT EXISTS \(qualifiedName) (\n    "
            + parts.joined(separator: ",\n    ") + "\n)"
    }
}
