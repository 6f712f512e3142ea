import FerryCore
import Foundation
import FreeTDS
import Logging
import Metrics
import Postgres
import SchemaConversion
import SQLServerSource
import Synchronization
import Validation

/// Validation inside `ferry run` (`ValidationSettings.EnableValidation`), as DMS does it: each
/// table is compared once its full load is applied on a target, then again whenever changes have
/// been applied to it since its last comparison, every `interval`. Outcomes go to
/// `ferry.table_validation` on each target (read by `ferry status`) and the differing keys to
/// `awsdms_validation_failures_v1` in the control schema.
///
/// Validation never stops replication: a failed comparison is logged and tried again on the next
/// pass. `TableFailureMaxCount` suspends the validation of one table, `FailureMaxCount` the
/// validation of the whole task (as DMS does); replication goes on either way.
final class RunValidator: Sendable {
    /// What to validate and how often.
    struct Configuration: Sendable {
        /// The task's sink name (the key of the rows in `ferry.table_validation`).
        var sink: String
        var source: SourceURL
        var targets: [String]
        var mappings: TableMappings
        /// `TargetMetadata.TargetSchema` (empty: none).
        var targetSchema: String
        var settings: ValidationSettings
        /// Where `awsdms_validation_failures_v1` goes (`ControlSchema`, or `public`).
        var controlSchema: String
        /// Time between passes.
        var interval: Duration
        var migrationType: SourceConfiguration.MigrationType
    }

    /// The outcome of one pass over every target.
    struct PassOutcome: Sendable {
        /// No table waits for a comparison (every one is validated, mismatched or cannot be validated).
        var settled: Bool
        /// `FailureMaxCount` was passed: validation of the task is suspended.
        var suspended: Bool
    }

    /// What passes remember: tables whose validation is suspended and failed records per target.
    private struct Memory {
        var suspendedTables: Set<String> = []
        var failedByTarget: [Int: [String: Int64]] = [:]
        var prepared: Set<Int> = []
        var taskSuspended = false
    }

    let configuration: Configuration
    private let state: RunTask.State
    private let output: RunOutput
    private let logger: Logger
    private let memory = Mutex(Memory())

    /// `ValidationOnly`: compare, replicate nothing.
    var validationOnly: Bool { configuration.settings.validationOnly }

    init(configuration: Configuration, state: RunTask.State, output: RunOutput, logger: Logger) {
        self.configuration = configuration
        self.state = state
        self.output = output
        var logger = logger
        logger[metadataKey: "part"] = "validation"
        self.logger = logger
    }

    /// Passes every `interval` until cancelled or until validation of the task is suspended. A pass
    /// that fails is logged and the next one tries again: validation never fails the task.
    func runPeriodically() async {
        while !Task.isCancelled {
            do {
                if try await pass().suspended { return }
            } catch {
                if Task.isCancelled { return }
                logger.warning("validation pass failed; trying again at the next interval", metadata: ["error": "\(error)"])
            }
            do { try await Task.sleep(for: configuration.interval) } catch { return }
        }
    }

    /// For a task that ended on its own: passes until every table is settled (a few at most, as
    /// nothing is applied any more).
    func finalPasses() async {
        for attempt in 1...3 {
            do {
                let outcome = try await pass()
                if outcome.settled || outcome.suspended { return }
            } catch {
                if Task.isCancelled { return }
                logger.warning("validation pass failed", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
            }
        }
    }

    /// One pass: plans the tables from the source catalog, then validates on each target the
    /// tables that are due.
    func pass() async throws -> PassOutcome {
        guard !memory.withLock({ $0.taskSuspended }) else { return PassOutcome(settled: true, suspended: true) }
        let plan = try await self.plan()
        var settled = true
        for (index, target) in configuration.targets.enumerated() {
            if try await pass(plan: plan, target: target, index: index) == false { settled = false }
            if memory.withLock({ $0.taskSuspended }) { return PassOutcome(settled: settled, suspended: true) }
        }
        return PassOutcome(settled: settled, suspended: false)
    }

    /// The tables to compare, from the source catalog as it is now (so added columns and tables count).
    private func plan() async throws -> ValidationPlan {
        let catalog = try await CatalogReader.read(source: configuration.source.connection, mappings: configuration.mappings, logger: logger)
        return try ValidationPlan(catalog: catalog, mappings: configuration.mappings, targetSchema: configuration.targetSchema)
    }

    /// One table's row in `ferry.table_statistics`.
    private struct Statistics {
        var state: String
        var applied: Int64
        var fullLoadRows: Int64
    }

    private func statistics(_ connection: PostgresConnection) async throws -> [String: Statistics] {
        let exists = try await connection.query("SELECT to_regclass('ferry.table_statistics') IS NOT NULL")
        guard try exists.first?.decode(Bool.self, at: 0) == true else { return [:] }
        let rows = try await connection.query("""
            SELECT source_table, state, full_load_rows, full_load_rows + inserts + updates + deletes AS applied FROM ferry.table_statistics WHERE sink = $1
            """, [.text(configuration.sink)])
        var result: [String: Statistics] = [:]
        for row in rows {
            result[try row.decode(String.self, column: "source_table")] = Statistics(state: try row.decode(String.self, column: "state"),
                                                                                     applied: try row.decode(Int64.self, column: "applied"),
                                                                                     fullLoadRows: try row.decode(Int64.self, column: "full_load_rows"))
        }
        return result
    }

    /// Validates the due tables on one target; returns whether every table is settled there.
    private func pass(plan: ValidationPlan, target: String, index: Int) async throws -> Bool {
        let settings = configuration.settings
        let store = ValidationStatusStore(sink: configuration.sink, failuresSchema: configuration.controlSchema)
        let connection = try await PostgresConnection.connect(url: target, logger: logger)
        do {
            let settled = try await pass(plan: plan, target: target, index: index, store: store, connection: connection, settings: settings)
            await connection.close()
            return settled
        } catch {
            await connection.close()
            throw error
        }
    }

    private func pass(plan: ValidationPlan, target: String, index: Int, store: ValidationStatusStore, connection: PostgresConnection,
                      settings: ValidationSettings) async throws -> Bool {
        if !memory.withLock({ $0.prepared.contains(index) }) {
            try await store.prepare(connection)
            memory.withLock { _ = $0.prepared.insert(index) }
        }
        let sink = configuration.sink
        let statistics = try await self.statistics(connection)
        let entries = try await store.entries(connection)
        let source = await sourceProgress()
        let loadedEarlier = statistics.values.contains { $0.state == "Table completed" && $0.fullLoadRows > 0 }
        var settled = true

        func save(_ entry: ValidationStatusStore.Entry) async throws {
            let previous = entries[entry.sourceTable]
            guard previous?.state != entry.state || previous?.details != entry.details || previous?.validatedApplied != entry.validatedApplied
                    || previous?.pending != entry.pending || previous?.failed != entry.failed else { return }
            try await store.save(entry, connection: connection)
        }

        for (table, reason) in plan.notValidated {
            let noKey = reason.contains("no primary key")
            try await save(.init(sink: sink, sourceTable: table.description, targetTable: "", state: noKey ? ValidationStatusStore.Entry.noPrimaryKey : ValidationStatusStore.Entry.error,
                                 details: reason))
        }
        let planned = Set(plan.tables.map(\.source.description))
        let kept = planned.union(plan.notValidated.map(\.table.description))
        let gone = entries.keys.filter { !kept.contains($0) }
        if !gone.isEmpty { try await store.remove(sourceTables: gone, connection: connection) }

        var due: [ValidationTable] = []
        var appliedBefore: [String: Int64] = [:]
        let suspendedTables = memory.withLock { $0.suspendedTables }
        let failureDelay: Duration? = settings.recordFailureDelayInMinutes > 0 ? .seconds(60 * settings.recordFailureDelayInMinutes) : nil
        let nowMicroseconds = Int64(Date().timeIntervalSince1970 * 1_000_000)
        for table in plan.tables {
            let key = table.source.description
            let targetName = "\(table.targetSchema).\(table.targetTable)"
            let row = statistics[key]
            let entry = entries[key]
            if row?.state == "Suspended" {
                try await save(.init(sink: sink, sourceTable: key, targetTable: targetName, state: ValidationStatusStore.Entry.tableError,
                                     details: "the table is suspended (see ferry.suspended_tables): some of its data was not applied"))
                continue
            }
            if row?.state == "Table dropped" || suspendedTables.contains("\(index)/\(key)") { continue }
            let ready: Bool
            if validationOnly || configuration.migrationType == .cdc {
                ready = true
            } else if let counts = source.tables[table.source], counts.snapshotStartMilliseconds != nil {
                // Snapshotted by this process: loaded once the snapshot of the table is complete and
                // the sink has applied every row it read. (Statistics rows are no guide: the sink
                // writes `Table completed` rows for the schema records before the snapshot, and a
                // loaded table stays `Full load` until its first change unless it held the
                // snapshot's last record.)
                ready = counts.snapshotEndMilliseconds != nil && (row?.fullLoadRows ?? 0) >= counts.snapshotRows
            } else {
                // Not snapshotted in this process: loaded by an earlier run once the snapshot's last
                // record was applied (a completed table with full-load rows).
                ready = !source.snapshotRunning && loadedEarlier
            }
            let applied = row?.applied ?? 0
            guard ready else {
                settled = false
                try await save(.init(sink: sink, sourceTable: key, targetTable: targetName, state: ValidationStatusStore.Entry.pendingRecords,
                                     pending: applied, details: "waiting for the table's full load to be applied"))
                continue
            }
            let isDue: Bool
            if validationOnly {
                isDue = true
            } else if let entry {
                switch entry.state {
                case ValidationStatusStore.Entry.validated, ValidationStatusStore.Entry.tableError, ValidationStatusStore.Entry.noPrimaryKey:
                    isDue = applied > entry.validatedApplied || entry.state != ValidationStatusStore.Entry.validated
                case ValidationStatusStore.Entry.mismatchedRecords:
                    let age = Duration.microseconds(nowMicroseconds - entry.updatedMicroseconds)
                    isDue = applied > entry.validatedApplied || failureDelay.map { age >= $0 } ?? false
                default:
                    isDue = true
                }
            } else {
                isDue = true
            }
            if isDue {
                due.append(table)
                appliedBefore[key] = applied
            }
        }
        guard !due.isEmpty else { return settled }

        let runner = ValidationRunner(
            source: configuration.source.connection, targetURL: target,
            settings: .init(settings, failureMaxCount: max(1, settings.tableFailureMaxCount)),
            workers: settings.threadCount, logger: logger)
        let results = try await runner.run(due)
        let after = try await self.statistics(connection)
        for result in results {
            let key = result.table.source.description
            let dimensions = [("sink", sink), ("table", key), ("target", "\(index + 1)")]
            let outcome = switch result.state {
            case .validated: "validated"
            case .mismatched: "mismatched"
            case .notValidated: "error"
            }
            Counter(label: "ferry_validation_comparisons_total", dimensions: dimensions + [("outcome", outcome)]).increment()
            Gauge(label: "ferry_validation_failed_records", dimensions: dimensions).record(result.state == .validated ? 0 : result.mismatchCount)
            let targetName = "\(result.table.targetSchema).\(result.table.targetTable)"
            let before = appliedBefore[key] ?? 0
            let previous = entries[key]?.state
            switch result.state {
            case .validated:
                try await store.save(.init(sink: sink, sourceTable: key, targetTable: targetName, state: ValidationStatusStore.Entry.validated,
                                           details: "\(result.sourceRows) rows compared", validatedApplied: before),
                                     failures: [], table: result.table, connection: connection)
                memory.withLock { $0.failedByTarget[index, default: [:]][key] = 0 }
                if previous != ValidationStatusStore.Entry.validated {
                    output.line("validation: \(key) → \(targetName) on target \(index + 1): Validated (\(result.sourceRows) rows)")
                }
            case .mismatched:
                if (after[key]?.applied ?? before) != before && !validationOnly {
                    // Changes were applied while the table was read: some differences may be theirs.
                    settled = false
                    try await store.save(.init(sink: sink, sourceTable: key, targetTable: targetName, state: ValidationStatusStore.Entry.pendingRecords,
                                               pending: (after[key]?.applied ?? before) - before,
                                               details: "changes were applied during the comparison; comparing again", validatedApplied: before),
                                         connection: connection)
                    continue
                }
                let failed = Int64(result.mismatchCount)
                var details = "\(failed) record\(failed == 1 ? "" : "s") differ: " + result.mismatches.prefix(5).map(\.description).joined(separator: "; ")
                    + (result.mismatches.count > 5 ? "; …" : "")
                if result.mismatchCount > settings.tableFailureMaxCount {
                    memory.withLock { _ = $0.suspendedTables.insert("\(index)/\(key)") }
                    details = "validation of the table suspended: \(failed) failed records exceed TableFailureMaxCount (\(settings.tableFailureMaxCount)); " + details
                }
                try await store.save(.init(sink: sink, sourceTable: key, targetTable: targetName, state: ValidationStatusStore.Entry.mismatchedRecords,
                                           failed: failed, details: details, validatedApplied: before),
                                     failures: result.mismatches, table: result.table, connection: connection)
                logger.warning("table validation found mismatched records",
                               metadata: ["table": "\(key)", "target": "\(index + 1)", "failed_records": "\(failed)",
                                          "keys": "\(result.mismatches.prefix(5).map(\.description).joined(separator: "; "))"])
                output.line("validation: \(key) → \(targetName) on target \(index + 1): Mismatched records (\(failed)): "
                            + result.mismatches.prefix(5).map(\.description).joined(separator: "; "))
                let total = memory.withLock { memory -> Int64 in
                    memory.failedByTarget[index, default: [:]][key] = failed
                    return memory.failedByTarget.values.flatMap(\.values).reduce(0, +)
                }
                if total > Int64(settings.failureMaxCount) {
                    memory.withLock { $0.taskSuspended = true }
                    logger.error("validation of the task suspended: failed records exceed FailureMaxCount; replication goes on",
                                 metadata: ["failed_records": "\(total)", "failure_max_count": "\(settings.failureMaxCount)"])
                    output.line("validation suspended: \(total) failed records exceed FailureMaxCount (\(settings.failureMaxCount)); replication goes on")
                    return settled
                }
            case .notValidated(let reason):
                settled = false
                try await store.save(.init(sink: sink, sourceTable: key, targetTable: targetName, state: ValidationStatusStore.Entry.error,
                                           details: reason, validatedApplied: before),
                                     connection: connection)
                logger.warning("table could not be validated", metadata: ["table": "\(key)", "target": "\(index + 1)", "reason": "\(reason)"])
            }
        }
        return settled
    }

    /// The source's snapshot progress in this process (none in a validation-only task).
    private func sourceProgress() async -> (tables: [TableIdentity: SourceStatistics.TableCounts], snapshotRunning: Bool) {
        guard let statistics = state.statistics else { return ([:], false) }
        return (await statistics.tables, await statistics.snapshotRunning)
    }
}
