public import FreeTDS
public import Logging
import Postgres
import Synchronization

/// Validates many tables with a few workers, each on its own source and target connection
/// (`ValidationSettings.ThreadCount`). With fewer tables than workers, the spare ones cut each
/// table's checksum scans into key ranges run at once (``TableValidator``'s `scansPerSide`).
public struct ValidationRunner: Sendable {
    private let source: TDSConnection.Configuration
    private let targetURL: String
    private let settings: TableValidator.Settings
    private let workers: Int
    private let logger: Logger

    /// Makes a runner.
    public init(source: TDSConnection.Configuration, targetURL: String, settings: TableValidator.Settings, workers: Int, logger: Logger) {
        self.source = source
        self.targetURL = targetURL
        self.settings = settings
        self.workers = max(1, workers)
        self.logger = logger
    }

    /// Compares every table; results in the order of `tables`. A table whose comparison fails
    /// (a query error) is reported as not validated with the error, and the others go on.
    public func run(_ tables: [ValidationTable]) async throws -> [TableValidationResult] {
        let shared = SharedProgress()
        let tableWorkers = min(workers, tables.count)
        let scansPerSide = tableWorkers == 0 ? 1 : workers / tableWorkers
        let openConnections: TableValidator.ConnectionOpener = {
            let sourceConnection = try await TDSConnection.connect(configuration: source, logger: logger)
            do {
                return (sourceConnection, try await PostgresConnection.connect(url: targetURL, logger: logger))
            } catch {
                await sourceConnection.close()
                throw error
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<tableWorkers {
                group.addTask {
                    let (sourceConnection, targetConnection) = try await openConnections()
                    let validator = TableValidator(
                        source: sourceConnection, target: targetConnection, settings: settings, scansPerSide: scansPerSide,
                        openConnections: openConnections, logger: logger)
                    while true {
                        let index = shared.next.add(1, ordering: .relaxed).oldValue
                        guard index < tables.count else {
                            await sourceConnection.close()
                            await targetConnection.close()
                            return
                        }
                        let table = tables[index]
                        let started = ContinuousClock.now
                        let result: TableValidationResult
                        do {
                            result = try await validator.validate(table)
                        } catch let error as CancellationError {
                            throw error
                        } catch {
                            logger.error("table validation failed", metadata: ["table": "\(table.source)", "error": "\(error)"])
                            result = TableValidationResult(
                                table: table, state: .notValidated(reason: "\(error)"), sourceRows: 0, targetRows: 0, matchedRows: 0,
                                mismatchCount: 0, mismatches: [], partitions: 0, skippedColumns: [:], duration: ContinuousClock.now - started)
                        }
                        shared.results.withLock { $0[index] = result }
                    }
                }
            }
            try await group.waitForAll()
        }
        return shared.results.withLock { collected in tables.indices.compactMap { collected[$0] } }
    }
}

/// The next table to take and the results so far, shared by the workers.
private final class SharedProgress: Sendable {
    let next = Atomic<Int>(0)
    let results = Mutex<[Int: TableValidationResult]>([:])
}
