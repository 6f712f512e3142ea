public import Logging
public import Postgres

/// Runs a conversion's DDL on the target in one transaction: all of it or none.
public struct SchemaApplier: Sendable {
    let logger: Logger

    /// Makes an applier.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Applies the statements of `phases`, in order, in one transaction.
    /// - Throws: ``SchemaConversionError`` `applyFailed` naming the source object and the statement; nothing is applied.
    public func apply(_ result: ConversionResult, phases: [LoadPhase] = LoadPhase.allCases, to connection: PostgresConnection) async throws {
        let statements = result.statements.filter { phases.contains($0.phase) }
        let logger = self.logger
        do {
            try await connection.withTransaction { connection in
                for statement in statements {
                    do throws(PostgresError) {
                        try connection.execute(statement.sql)
                    } catch {
                        throw SchemaConversionError(
                            .applyFailed,
                            "PostgreSQL refused the \(statement.kind.rawValue) for \(statement.sourceObject): \(error.message); nothing was applied",
                            context: ["object": statement.sourceObject, "statement": statement.sql], isRetriable: error.isRetriable)
                    }
                }
            }
        } catch let error as PostgresError {
            throw SchemaConversionError(.applyFailed, "the target transaction failed: \(error.message)", isRetriable: error.isRetriable)
        }
        logger.info("converted schema applied", metadata: ["statements": "\(statements.count)", "phases": "\(phases.map(\.rawValue))"])
    }
}
