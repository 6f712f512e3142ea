public import FerryCore
public import FreeTDS
public import Logging

/// `ferry convert`'s steps in one place, shared by the command, the tests and the benchmark:
/// read the source catalog (selected by the table mappings), then convert it.
public enum SchemaConversion {
    /// Reads and converts.
    /// - Parameters:
    ///   - mappings: DMS table mappings for selection and naming; `nil` converts every user table
    ///     with SCT's default names.
    ///   - targetSchema: the task settings' `TargetMetadata.TargetSchema` (empty: `<database>_<schema>`).
    ///   - createConstraintsAfterLoad: the task settings' `CreatePkAfterFullLoad`.
    public static func convert(
        source connection: TDSConnection, mappings: TableMappings? = nil, targetSchema: String = "",
        createConstraintsAfterLoad: Bool = false, postgreSQLVersion: Int = 150000, logger: Logger
    ) async throws -> (catalog: SourceCatalog, result: ConversionResult) {
        let selection: CatalogReader.Selection =
            if let mappings {
                { schema, name in mappings.selects(schema: schema, table: name) || mappings.selects(schema: schema, table: name, tableType: .view) }
            } else {
                { _, _ in true }
            }
        let catalog = try await CatalogReader(connection: connection, selection: selection, logger: logger).read()
        var naming = ConversionNaming.default
        if let mappings {
            naming = try ConversionNaming(mappings: mappings, catalog: catalog, targetSchema: targetSchema)
        } else if !targetSchema.isEmpty {
            naming.schema = { _, _ in targetSchema }
        }
        let converter = SchemaConverter(options: .init(
            naming: naming, createConstraintsAfterLoad: createConstraintsAfterLoad, postgreSQLVersion: postgreSQLVersion))
        return (catalog, converter.convert(catalog))
    }
}
