import FerryCore
import FreeTDS
import Logging
import SchemaConversion

extension CatalogReader {
    /// The catalog of the tables `mappings` selects, read over a connection of its own that is
    /// closed again (validation plans from the catalog as it is now, so added columns count).
    static func read(source: TDSConnection.Configuration, mappings: TableMappings, logger: Logger) async throws -> FerryCore.SourceCatalog {
        let connection = try await TDSConnection.connect(configuration: source, logger: logger)
        do {
            let catalog = try await CatalogReader(connection: connection, selection: { mappings.selects(schema: $0, table: $1) }, logger: logger).read()
            await connection.close()
            return catalog
        } catch {
            await connection.close()
            throw error
        }
    }
}
