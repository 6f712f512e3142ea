public import Logging
import Postgres

/// The SQL Server emulator's engine: runs T-SQL batches against PostgreSQL, keeping SQL Server's
/// catalog there (see ``CatalogSchema``) and answering with SQL Server's results and errors.
///
/// ```swift
/// let engine = try await SQLServerEngine.open(postgresURL: url, logger: logger)
/// let session = try await engine.makeSession()
/// let results = try await session.execute(batch: "SELECT 1 AS one")
/// await session.close()
/// ```
///
/// Each ``EngineSession`` (one per client connection) owns one PostgreSQL connection. Everything the
/// engine knows is in PostgreSQL, so a new engine on the same database sees the same databases,
/// tables and rows.
public final class SQLServerEngine: Sendable {
    private let postgresURL: String
    private let logger: Logger

    private init(postgresURL: String, logger: Logger) {
        self.postgresURL = postgresURL
        self.logger = logger
    }

    /// Connects to PostgreSQL and creates the catalog if it is not there yet.
    ///
    /// - Throws: ``PostgresError`` when PostgreSQL cannot be reached or the catalog cannot be created.
    public static func open(postgresURL: String, logger: Logger) async throws -> SQLServerEngine {
        let connection = try await PostgresConnection.connect(url: postgresURL, logger: logger)
        do {
            // CDCSchema: change data capture's pending log, LSN sequence and triggers (CDC/CDCSchema.swift).
            try await connection.execute("BEGIN; \(CatalogSchema.bootstrap) \(CDCSchema.bootstrap) \(HashFunctionsSchema.bootstrap) \(CLRTypesSchema.bootstrap) \(SpatialSchema.bootstrap) COMMIT;")
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        logger.info("SQL Server emulator catalog ready")
        return SQLServerEngine(postgresURL: postgresURL, logger: logger)
    }

    /// Opens a session, as a client login does.
    ///
    /// - Parameter database: the initial database (`master` when nil).
    /// - Throws: ``SQLServerError`` 4060 when `database` does not exist; ``PostgresError`` when
    ///   PostgreSQL cannot be reached.
    public func makeSession(database: String? = nil) async throws -> EngineSession {
        let connection = try await PostgresConnection.connect(url: postgresURL, logger: logger)
        let catalog = Catalog(connection: connection)
        let name = database ?? "master"
        guard let record = try await catalog.database(named: name) else {
            await connection.close()
            throw SQLServerError(
                code: .init(4060), severity: 11,
                message: "Cannot open database \"\(name)\" requested by the login. The login failed.")
        }
        return EngineSession(connection: connection, database: record, logger: logger)
    }

    /// The capture and cleanup jobs of change data capture over this engine's PostgreSQL database
    /// (see ``CaptureJob``); run it for as long as the emulator serves.
    public func makeCaptureJob(configuration: CaptureJob.Configuration = .init()) -> CaptureJob {
        CaptureJob(postgresURL: postgresURL, configuration: configuration, logger: logger)
    }
}
