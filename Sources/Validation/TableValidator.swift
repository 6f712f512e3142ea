import FerryCore
public import FreeTDS
public import Logging
public import Postgres

/// Compares one table between SQL Server and PostgreSQL.
///
/// First each server computes, in one scan, the row count and a checksum of every partition of
/// about `PartitionSize` rows (``PartitionChecksums``, over the canonical row text of
/// ``ChecksumExpressions``); when all agree the table is validated without any row leaving either
/// server. Partitions that differ are compared row by row, as follows, to name the differing keys.
/// Tables with a type that has no server-side checksum form are compared row by row throughout.
///
/// Row by row, both sides are read in key order, `partitionSize` rows at a time in lockstep, and matched by key
/// in a small reconciliation buffer rather than by a merge that trusts both orders to agree: SQL
/// Server's collations and PostgreSQL's order strings (and SQL Server orders `uniqueidentifier`s)
/// differently, and a merge would report those rows as missing on one side and extra on the other.
/// Rows whose keys both sides order alike meet within the same partition, so the buffer stays
/// about one partition large; only rows actually missing, or ordered differently, wait in it.
/// Where the key's order is the same on both sides (numbers, dates), a row left behind the other
/// side's position is settled at once, so even a target missing most rows stays bounded by memory.
///
/// Rows found different can be checked again after a delay (`ValidationQueryCdcDelaySeconds`):
/// while replication runs, a change may have reached the source but not yet the target.
public struct TableValidator: Sendable {
    /// How to compare.
    public struct Settings: Sendable {
        /// Rows read from each side per step (`PartitionSize`).
        public var partitionSize: Int
        /// Differing rows kept for the report (`FailureMaxCount`); all are counted.
        public var failureMaxCount: Int
        /// Compare rows found different again after this delay (`ValidationQueryCdcDelaySeconds`); `nil`: once.
        public var recheckDelay: Duration?
        /// Leave `(max)`, `text`, `ntext`, `image` and `xml` columns out (`SkipLobColumns`).
        public var skipLargeObjects: Bool
        /// Compare only the first this many bytes of each large-object value
        /// (`ValidationPartialLobSize` × 1024; `nil`: whole values). Set it to `LobMaxSize` × 1024 to
        /// validate a task in limited LOB mode, whose longer values the target holds cut to that size.
        public var largeObjectPrefixBytes: Int?
        /// Give up on a table when more unmatched rows than this wait in the buffer.
        public var maximumPendingRows: Int
        /// Let each server compute per-partition counts and checksums, and read rows only for the
        /// partitions that differ (tables whose types have no server-side checksum form are
        /// always compared row by row); `false` reads every row.
        public var serverChecksums: Bool
        /// The fewest partitions one checksum scan covers when spare workers cut a table into
        /// several scans per side: a smaller table is scanned once, as the fixed cost of another
        /// scan (a login, and on a server without a clustered key range a pass over the table)
        /// outweighs what a few cores save on it.
        public var partitionsPerScan: Int

        /// DMS's defaults: 10 000-row partitions, 10 000 failures kept, no recheck, LOBs compared;
        /// server-side partition checksums where the table's types allow.
        public init(partitionSize: Int = 10_000, failureMaxCount: Int = 10_000, recheckDelay: Duration? = nil, skipLargeObjects: Bool = false, largeObjectPrefixBytes: Int? = nil, maximumPendingRows: Int = 2_000_000, serverChecksums: Bool = true, partitionsPerScan: Int = 100) {
            self.partitionSize = max(1, partitionSize)
            self.failureMaxCount = max(0, failureMaxCount)
            self.recheckDelay = recheckDelay
            self.skipLargeObjects = skipLargeObjects
            self.largeObjectPrefixBytes = largeObjectPrefixBytes.map { max(0, $0) }
            self.maximumPendingRows = maximumPendingRows
            self.serverChecksums = serverChecksums
            self.partitionsPerScan = max(1, partitionsPerScan)
        }
    }

    /// Opens one more pair of connections (the source's in the source database), for the checksum
    /// scans of a table cut into slices. The validator closes what it opens.
    public typealias ConnectionOpener = @Sendable () async throws -> (source: TDSConnection, target: PostgresConnection)

    private let source: TDSConnection
    private let target: PostgresConnection
    private let settings: Settings
    private let scansPerSide: Int
    private let openConnections: ConnectionOpener?
    private let logger: Logger

    /// Makes a validator over two open connections: the source's in the source database.
    ///
    /// With `scansPerSide` above 1 and `openConnections`, a table with a single integer key has its
    /// checksum scans cut into up to that many key ranges per side, run at once on connections
    /// opened for the table, so that each server puts several cores to one large table (PostgreSQL
    /// does not run an ordered aggregate in parallel by itself).
    public init(
        source: TDSConnection, target: PostgresConnection, settings: Settings = Settings(), scansPerSide: Int = 1,
        openConnections: ConnectionOpener? = nil, logger: Logger
    ) {
        self.source = source
        self.target = target
        self.settings = settings
        self.scansPerSide = max(1, scansPerSide)
        self.openConnections = openConnections
        self.logger = logger
    }

    /// Compares `table` on both sides.
    public func validate(_ table: ValidationTable) async throws -> TableValidationResult {
        let started = ContinuousClock.now
        var skipped: [String: String] = [:]
        var compared: [ValidationTable.Column] = []
        for column in table.valueColumns {
            if !CanonicalValue.isComparable(column.type) {
                skipped[column.sourceName] = "\(column.type) is stored opaquely and has no common form on both sides"
            } else if settings.skipLargeObjects, column.type.isLargeObject {
                skipped[column.sourceName] = "SkipLobColumns is set"
            } else {
                var column = column
                if column.type.isLargeObject, let bytes = settings.largeObjectPrefixBytes { column.comparedPrefixBytes = bytes }
                compared.append(column)
            }
        }
        let columns = table.keyColumns + compared
        let keyCount = table.keyColumns.count
        var logger = logger
        logger[metadataKey: "table"] = "\(table.source)"

        let method: TableValidationResult.Method
        var rowFilter: (source: String, target: String)?
        var checksums: PartitionChecksums.Outcome?
        if !settings.serverChecksums {
            method = .rowByRow(reason: "server-side checksums are turned off")
        } else if let reason = try await PartitionChecksums.ineligibility(source: source, target: target, table: table, columns: columns) {
            method = .rowByRow(reason: reason)
        } else {
            method = .partitionChecksums
            let scheme = try await PartitionChecksums.scheme(source: source, target: target, table: table, keyCount: keyCount, partitionSize: settings.partitionSize)
            let partitions = PartitionChecksums(
                source: source, target: target, table: table, columns: columns, keyCount: keyCount, scheme: scheme,
                ordered: PartitionChecksums.hashesInKeyOrder(table: table, columns: columns, partitionSize: settings.partitionSize))
            let outcome = try await compareChecksums(partitions)
            checksums = outcome
            logger.debug("partition checksums compared", metadata: ["partitions": "\(outcome.partitions)", "mismatched": "\(outcome.mismatched.count)"])
            if outcome.mismatched.isEmpty {
                logger.info("table validated", metadata: ["state": "Validated", "source_rows": "\(outcome.sourceRows)", "target_rows": "\(outcome.targetRows)", "mismatches": "0"])
                return TableValidationResult(
                    table: table, state: .validated, sourceRows: Int(outcome.sourceRows), targetRows: Int(outcome.targetRows),
                    matchedRows: Int(outcome.matchedRows), mismatchCount: 0, mismatches: [], partitions: outcome.partitions,
                    skippedColumns: skipped, duration: ContinuousClock.now - started, method: method)
            }
            rowFilter = try partitions.filter(for: outcome.mismatched)
        }
        if case .rowByRow(let reason) = method {
            logger.debug("comparing row by row", metadata: ["reason": "\(reason)"])
        }

        // Row by row: the whole table, or only the partitions whose checksums differ.
        let rows = try await compareRows(table: table, columns: columns, keyCount: keyCount, filter: rowFilter, logger: logger)
        var matcher = rows.matcher
        // Outside the re-read partitions every source row matched.
        var outside: (source: Int, target: Int, matched: Int) = (0, 0, 0)
        if let outcome = checksums, rowFilter != nil {
            outside = (Int(outcome.sourceRows) - matcher.sourceRows, Int(outcome.targetRows) - matcher.targetRows, Int(outcome.matchedRows))
        }
        let partitionCount = checksums?.partitions ?? rows.partitions
        let mismatchedPartitions = checksums?.mismatched.count ?? 0
        if rows.overflowed {
            return TableValidationResult(
                table: table, state: .notValidated(reason: "more than \(settings.maximumPendingRows) rows differ or are ordered differently; fix the large differences (is the table loaded?) and validate again"),
                sourceRows: matcher.sourceRows + outside.source, targetRows: matcher.targetRows + outside.target, matchedRows: matcher.matchedRows + outside.matched,
                mismatchCount: matcher.mismatchCount, mismatches: matcher.mismatches, partitions: partitionCount,
                skippedColumns: skipped, duration: ContinuousClock.now - started, method: method, mismatchedPartitions: mismatchedPartitions
            )
        }
        matcher.finish()

        var mismatches = matcher.mismatches
        var mismatchCount = matcher.mismatchCount
        if let delay = settings.recheckDelay, mismatchCount > 0 {
            logger.info("rechecking differing rows after the CDC delay", metadata: ["rows": "\(mismatches.count)", "delay": "\(delay)"])
            try await Task.sleep(for: delay)
            let recheck = KeyRecheck(source: source, target: target, table: table, columns: columns, keyCount: keyCount)
            var confirmed: [RowMismatch] = []
            for mismatch in mismatches {
                if let still = try await recheck.compare(mismatch) { confirmed.append(still) }
            }
            // Rows beyond the kept ones were not rechecked; only the resolved ones leave the count.
            mismatchCount -= mismatches.count - confirmed.count
            mismatches = confirmed
        }
        let state: TableValidationResult.State = mismatchCount == 0 ? .validated : .mismatched
        let sourceRows = matcher.sourceRows + outside.source
        let targetRows = matcher.targetRows + outside.target
        logger.info("table validated", metadata: ["state": "\(state)", "source_rows": "\(sourceRows)", "target_rows": "\(targetRows)", "mismatches": "\(mismatchCount)"])
        return TableValidationResult(
            table: table, state: state, sourceRows: sourceRows, targetRows: targetRows,
            matchedRows: matcher.matchedRows + (matcher.mismatchCount - mismatchCount) + outside.matched,
            mismatchCount: mismatchCount, mismatches: mismatches, partitions: partitionCount,
            skippedColumns: skipped, duration: ContinuousClock.now - started, method: method, mismatchedPartitions: mismatchedPartitions
        )
    }

    /// Compares the partition checksums, in slices on extra connections when allowed.
    private func compareChecksums(_ partitions: PartitionChecksums) async throws -> PartitionChecksums.Outcome {
        guard let openConnections, scansPerSide > 1 else { return try await partitions.compare() }
        let slices = partitions.slices(scansPerSide, partitionsPerSlice: settings.partitionsPerScan)
        let extra = max(0, slices.count - 1)
        var opened: [(source: TDSConnection, target: PostgresConnection)] = []
        do {
            // Opened at once: the logins would otherwise add up before the first scan starts.
            try await withThrowingTaskGroup(of: (source: TDSConnection, target: PostgresConnection).self) { group in
                for _ in 0..<extra { group.addTask { try await openConnections() } }
                for try await connections in group { opened.append(connections) }
            }
            let outcome = try await partitions.compare(slices: slices, sliceConnections: opened)
            await Self.close(opened)
            return outcome
        } catch {
            await Self.close(opened)
            throw error
        }
    }

    private static func close(_ connections: [(source: TDSConnection, target: PostgresConnection)]) async {
        for connection in connections {
            await connection.source.close()
            await connection.target.close()
        }
    }

    /// Reads both sides (restricted by `filter`, if any) in key order, `partitionSize` rows at a
    /// time in lockstep, and matches the rows; `overflowed` when too many rows wait unmatched.
    private func compareRows(
        table: ValidationTable, columns: [ValidationTable.Column], keyCount: Int, filter: (source: String, target: String)?, logger: Logger
    ) async throws -> (matcher: RowMatcher, partitions: Int, overflowed: Bool) {
        let sourceReader = try await SourceTableReader(connection: source, table: table.source, columns: columns, keyCount: keyCount, batchSize: settings.partitionSize, filter: filter?.source)
        let targetReader = try await PostgresTableReader(connection: target, schema: table.targetSchema, table: table.targetTable, columns: columns, keyCount: keyCount, batchSize: settings.partitionSize, filter: filter?.target)
        var matcher = RowMatcher(columns: columns, keyCount: keyCount, keyOrderIsShared: table.keyColumns.allSatisfy { Self.ordersAlike($0.type) }, failureMaxCount: settings.failureMaxCount)
        var partitions = 0
        do {
            var sourceDone = false
            var targetDone = false
            while !(sourceDone && targetDone) {
                try Task.checkCancellation()
                let readTarget = !targetDone
                async let targetBatch = readTarget ? targetReader.next() : []
                let sourceBatch = sourceDone ? [] : try await sourceReader.next()
                let fetchedTarget = try await targetBatch
                sourceDone = sourceDone || sourceBatch.count < settings.partitionSize
                targetDone = targetDone || fetchedTarget.count < settings.partitionSize
                if !sourceBatch.isEmpty || !fetchedTarget.isEmpty { partitions += 1 }
                matcher.add(source: sourceBatch, target: fetchedTarget)
                if matcher.pendingCount > settings.maximumPendingRows {
                    await sourceReader.cancel()
                    try await targetReader.close()
                    return (matcher, partitions, true)
                }
                logger.trace("validation partition compared", metadata: ["partition": "\(partitions)", "pending": "\(matcher.pendingCount)"])
            }
        } catch {
            await sourceReader.cancel()
            try? await targetReader.close()
            throw error
        }
        try await targetReader.close()
        return (matcher, partitions, false)
    }

    /// Whether SQL Server and PostgreSQL order the type's values the same way (so a key can be
    /// settled as missing once the other side has passed it).
    static func ordersAlike(_ type: SQLServerDataType) -> Bool {
        switch type.category {
        case .boolean, .integer, .exactNumeric, .approximateNumeric, .date, .time, .dateTime, .dateTimeOffset: true
        default: false
        }
    }
}
