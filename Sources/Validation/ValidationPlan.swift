public import FerryCore

/// Which tables `ferry validate` compares, and how each pairs up with its target: built from the
/// source catalog and the task's table mappings with the naming every part of Ferry shares
/// (``TableMappings/ferryTarget(for:targetSchema:)``).
public struct ValidationPlan: Sendable {
    /// The tables to compare.
    public var tables: [ValidationTable]
    /// Selected tables that cannot be compared, with the reason.
    public var notValidated: [(table: TableIdentity, reason: String)]

    /// Plans the comparison of every selected table of `catalog`.
    ///
    /// Rows are matched on the primary key, else the first unique index without a filter. Computed
    /// columns are left out (CDC captures them as NULL, and the target may compute them itself), as
    /// are columns a `change-data-type` rule retypes (the two sides no longer share a type).
    public init(catalog: SourceCatalog, mappings: TableMappings, targetSchema: String = "") throws(TaskConfigurationError) {
        var tables: [ValidationTable] = []
        var notValidated: [(TableIdentity, String)] = []
        for table in catalog.tables where mappings.selects(schema: table.schema, table: table.name) {
            let identity = TableIdentity(database: catalog.database, schema: table.schema, table: table.name)
            let key = table.primaryKey?.columns
                ?? table.uniqueConstraints.first?.columns
                ?? table.indexes.first { $0.isUnique && $0.filter == nil }?.keyColumns.map(\.name)
                ?? []
            let definitions = table.columns.map {
                ColumnDefinition(name: $0.name, type: $0.type, isNullable: $0.isNullable, isIdentity: $0.identity != nil, isComputed: $0.computed != nil)
            }
            let schema: TableSchema
            do {
                schema = try TableSchema(identity: identity, columns: definitions, keyColumns: key)
            } catch {
                notValidated.append((identity, error.message))
                continue
            }
            let target = try mappings.ferryTarget(for: schema, targetSchema: targetSchema)
            var keyColumns: [ValidationTable.Column] = []
            var valueColumns: [ValidationTable.Column] = []
            for column in target.includedColumns where column.changedType == nil && !column.source.isComputed {
                let pair = ValidationTable.Column(sourceName: column.source.name, targetName: column.name, type: column.source.type)
                if key.contains(column.source.name) { keyColumns.append(pair) } else { valueColumns.append(pair) }
            }
            keyColumns.sort { key.firstIndex(of: $0.sourceName)! < key.firstIndex(of: $1.sourceName)! }
            guard keyColumns.count == key.count, !key.isEmpty else {
                notValidated.append((identity, key.isEmpty
                    ? "no primary key or unique constraint to match rows on"
                    : "a key column is excluded or retyped by the table mappings"))
                continue
            }
            do {
                tables.append(try ValidationTable(source: identity, targetSchema: target.schema, targetTable: target.table, keyColumns: keyColumns, valueColumns: valueColumns))
            } catch {
                notValidated.append((identity, error.message))
            }
        }
        self.tables = tables
        self.notValidated = notValidated
    }
}
