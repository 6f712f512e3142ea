extension TableMappings {
    /// Every table, and no transformation: the mappings Ferry uses without `--table-mappings`.
    public static let includeEverything: TableMappings = {
        do {
            return try TableMappings(parsing: #"{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"all","object-locator":{"schema-name":"%","table-name":"%"},"rule-action":"include"}]}"#)
        } catch {
            preconditionFailure("the built-in include-everything mapping does not parse: \(error)")
        }
    }()

    /// The target of a source table as every part of Ferry names it — `ferry convert` creates it,
    /// the sink writes to it, `ferry validate` reads it — so the three always agree.
    ///
    /// The transformation rules apply first (``targetTable(for:targetSchema:folding:)``); where no
    /// schema rule applies the schema is `TargetMetadata.TargetSchema` when set, else AWS SCT's
    /// `<database>_<schema>`; then every name is folded to lower case (SCT's `convert-lowercase`),
    /// so PostgreSQL needs no quotes for them.
    public func ferryTarget(for schema: TableSchema, targetSchema: String = "") throws(TaskConfigurationError) -> TargetTable {
        let identity = schema.identity
        let fallback = targetSchema.isEmpty ? "\(identity.database)_\(identity.schema)" : targetSchema
        return try targetTable(for: schema, targetSchema: fallback, folding: .lowercase)
    }
}
