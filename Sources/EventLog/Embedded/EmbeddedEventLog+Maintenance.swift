import SQLite

extension EmbeddedEventLog {
    /// Deletes, in every `.delete` topic, the records older than the topic's retention and the
    /// oldest records beyond its size limit, raising each partition's log start offset. Offsets
    /// of the remaining records, and the next offset, do not change.
    /// - Parameter nowMilliseconds: the time to measure ages from; the current time by default.
    /// - Returns: how many records were deleted.
    @discardableResult
    public func enforceRetention(nowMilliseconds: Int64? = nil) async throws -> Int {
        let now = nowMilliseconds ?? Self.nowMilliseconds()
        return try await forEachPartition("enforcing retention") { target, db in
            try EmbeddedLogStore.enforceRetention(target, nowMilliseconds: now, db)
        }
    }

    /// Compacts every `.compact` topic: keeps only the latest record of each key, and removes
    /// tombstones older than ``Configuration/tombstoneRetentionMilliseconds``. Offsets of the
    /// remaining records, and the next offset, do not change; the log start offset rises to the
    /// first record left.
    /// - Parameter nowMilliseconds: the time to measure tombstone ages from; the current time by default.
    /// - Returns: how many records were deleted.
    @discardableResult
    public func compact(nowMilliseconds: Int64? = nil) async throws -> Int {
        let now = nowMilliseconds ?? Self.nowMilliseconds()
        let tombstoneRetention = configuration.tombstoneRetentionMilliseconds
        return try await forEachPartition("compacting") { target, db in
            try EmbeddedLogStore.compact(target, nowMilliseconds: now, tombstoneRetentionMilliseconds: tombstoneRetention, db)
        }
    }

    /// Applies retention and compaction, then gives the freed space back to the file system.
    /// The log calls this every ``Configuration/maintenanceInterval`` by itself.
    /// - Returns: how many records were deleted.
    @discardableResult
    public func runMaintenance(nowMilliseconds: Int64? = nil) async throws -> Int {
        let now = nowMilliseconds ?? Self.nowMilliseconds()
        let deleted = try await enforceRetention(nowMilliseconds: now) + compact(nowMilliseconds: now)
        if deleted > 0 {
            try await perform("releasing free pages") { db in try EmbeddedLogStore.releaseFreePages(db) }
            logger.info("Embedded event log maintenance deleted records", metadata: ["eventlog.deleted": "\(deleted)"])
        }
        return deleted
    }

    /// Runs `body` for each partition, each in its own write transaction, so that other writers
    /// wait for one partition's cleanup at most.
    private func forEachPartition(
        _ operation: String,
        _ body: @escaping @Sendable (EmbeddedLogStore.MaintenanceTarget, isolated SQLiteConnection) throws -> Int
    ) async throws -> Int {
        let targets = try await perform(operation) { db in try EmbeddedLogStore.maintenanceTargets(db) }
        var deleted = 0
        for target in targets {
            try Task.checkCancellation()
            deleted += try await perform(operation, transaction: .immediate) { db in try body(target, db) }
        }
        return deleted
    }
}
