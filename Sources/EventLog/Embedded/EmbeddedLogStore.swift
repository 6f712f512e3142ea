import SQLite

/// The embedded log's reads and writes, each run on the isolated connection (so several
/// statements never interleave with another caller's) and usually inside one transaction.
enum EmbeddedLogStore {
    // MARK: Topics and partitions

    static func createTopic(_ topic: TopicConfiguration, _ db: isolated SQLiteConnection) throws {
        if let existing = try db.firstRow("SELECT partition_count FROM topics WHERE name = ?", [.text(topic.name)])?.int64(at: 0) {
            guard existing == Int64(topic.partitions) else {
                throw EventLogError(
                    .topicMismatch,
                    "topic '\(topic.name)' exists with \(existing) partitions, not \(topic.partitions)",
                    context: ["topic": topic.name, "path": db.path]
                )
            }
            return
        }
        try db.run(
            "INSERT INTO topics (name, partition_count, cleanup_policy, retention_ms, retention_bytes) VALUES (?, ?, ?, ?, ?)",
            [.text(topic.name), .integer(Int64(topic.partitions)), .text(topic.cleanupPolicy.rawValue),
             .integer(orNull: topic.retentionMilliseconds), .integer(orNull: topic.retentionBytes)]
        )
        for partition in 0..<Int64(topic.partitions) {
            try db.run("INSERT INTO partitions (topic, partition_index) VALUES (?, ?)", [.text(topic.name), .integer(partition)])
        }
    }

    static func partitionCount(of topic: String, _ db: isolated SQLiteConnection) throws -> Int32? {
        try db.firstRow("SELECT partition_count FROM topics WHERE name = ?", [.text(topic)])?.int64(at: 0).map { Int32($0) }
    }

    /// A partition's row: its id in `records`, bounds and largest timestamp so far.
    struct PartitionState: Sendable {
        var id: Int64
        var logStartOffset: Int64
        var nextOffset: Int64
        var maxTimestamp: Int64?
    }

    /// The partition's state, or `unknownTopic` / `unknownPartition`.
    static func partition(_ partition: TopicPartition, _ db: isolated SQLiteConnection) throws -> PartitionState {
        let row = try db.firstRow(
            "SELECT id, log_start_offset, next_offset, max_timestamp FROM partitions WHERE topic = ? AND partition_index = ?",
            [.text(partition.topic), .integer(Int64(partition.partition))]
        )
        if let row, let id = row.int64(at: 0), let start = row.int64(at: 1), let next = row.int64(at: 2) {
            return PartitionState(id: id, logStartOffset: start, nextOffset: next, maxTimestamp: row.int64(at: 3))
        }
        let context = ["topic": partition.topic, "partition": "\(partition.partition)", "path": db.path]
        guard let count = try partitionCount(of: partition.topic, db) else {
            throw EventLogError(.unknownTopic, "topic '\(partition.topic)' does not exist", context: context)
        }
        throw EventLogError(
            .unknownPartition,
            "partition \(partition.partition) does not exist in topic '\(partition.topic)' of \(count) partitions",
            context: context
        )
    }

    static func offsets(of partition: TopicPartition, _ db: isolated SQLiteConnection) throws -> PartitionOffsets {
        let state = try self.partition(partition, db)
        return PartitionOffsets(earliest: state.logStartOffset, next: state.nextOffset)
    }

    static func offset(
        of partition: TopicPartition,
        atOrAfter timestamp: Int64,
        _ db: isolated SQLiteConnection
    ) throws -> Int64? {
        let state = try self.partition(partition, db)
        // max_timestamp first reaches T at the first record (in offset order) whose own timestamp is >= T.
        return try db.firstRow(
            "SELECT record_offset FROM records WHERE partition_id = ? AND max_timestamp >= ? ORDER BY max_timestamp, record_offset LIMIT 1",
            [.integer(state.id), .integer(timestamp)]
        )?.int64(at: 0)
    }

    // MARK: Appending

    private static let insertRecordSQL = """
        INSERT INTO records (partition_id, record_offset, timestamp, max_timestamp, size, key, value, headers)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Stores `records`; run inside one `BEGIN IMMEDIATE` transaction, so the offsets read from
    /// `partitions` cannot be taken by another writer before the commit.
    static func append(_ records: [OutgoingRecord], nowMilliseconds: Int64, _ db: isolated SQLiteConnection) throws -> [RecordPosition] {
        var partitions: [TopicPartition: PartitionState] = [:]
        var positions: [RecordPosition] = []
        positions.reserveCapacity(records.count)
        for record in records {
            var state = try partitions[record.destination] ?? partition(record.destination, db)
            let timestamp = record.timestampMilliseconds ?? nowMilliseconds
            let maxTimestamp = max(state.maxTimestamp ?? timestamp, timestamp)
            let headers = EmbeddedLogHeaders.encode(record.headers)
            let size = Int64((record.key?.count ?? 0) + (record.value?.count ?? 0) + (headers?.count ?? 0)) + EmbeddedEventLog.recordOverheadBytes
            try db.run(insertRecordSQL, [
                .integer(state.id), .integer(state.nextOffset), .integer(timestamp), .integer(maxTimestamp), .integer(size),
                .blob(orNull: record.key), .blob(orNull: record.value), .blob(orNull: headers),
            ])
            positions.append(RecordPosition(partition: record.destination, offset: state.nextOffset))
            state.nextOffset += 1
            state.maxTimestamp = maxTimestamp
            partitions[record.destination] = state
        }
        for state in partitions.values {
            try db.run(
                "UPDATE partitions SET next_offset = ?, max_timestamp = ? WHERE id = ?",
                [.integer(state.nextOffset), .integer(orNull: state.maxTimestamp), .integer(state.id)]
            )
        }
        return positions
    }

    // MARK: Reading

    /// Where a reader stands in one partition.
    struct ReadPosition: Sendable {
        var partition: TopicPartition
        var partitionID: Int64
        var offset: Int64
    }

    /// Up to `maxRecords` records from the positions, in offset order per partition, taking from
    /// each partition in turn; read in one snapshot.
    static func read(from positions: [ReadPosition], maxRecords: Int, _ db: isolated SQLiteConnection) throws -> [StoredRecord] {
        try db.withTransaction(.deferred) { db in
            var records: [StoredRecord] = []
            for position in positions where records.count < maxRecords {
                var malformed = false
                try db.forEachRow(
                    "SELECT record_offset, timestamp, key, value, headers FROM records WHERE partition_id = ? AND record_offset >= ? ORDER BY record_offset LIMIT ?",
                    [.integer(position.partitionID), .integer(position.offset), .integer(Int64(maxRecords - records.count))]
                ) { row in
                    guard let offset = row.int64(at: 0), let timestamp = row.int64(at: 1), let headers = EmbeddedLogHeaders.decode(row.blob(at: 4)) else {
                        malformed = true
                        return
                    }
                    records.append(StoredRecord(
                        partition: position.partition, offset: offset, key: row.blob(at: 2), value: row.blob(at: 3),
                        headers: headers, timestampMilliseconds: timestamp
                    ))
                }
                if malformed {
                    throw EventLogError(
                        .corrupt,
                        "a record of \(position.partition) in '\(db.path)' is malformed",
                        context: ["topic": position.partition.topic, "partition": "\(position.partition.partition)", "path": db.path]
                    )
                }
            }
            return records
        }
    }

    // MARK: Maintenance

    /// A partition with its topic's cleanup settings.
    struct MaintenanceTarget: Sendable {
        var partitionID: Int64
        var partition: TopicPartition
        var cleanupPolicy: TopicConfiguration.CleanupPolicy
        var retentionMilliseconds: Int64?
        var retentionBytes: Int64?
    }

    static func maintenanceTargets(_ db: isolated SQLiteConnection) throws -> [MaintenanceTarget] {
        try db.query("""
            SELECT p.id, p.topic, p.partition_index, t.cleanup_policy, t.retention_ms, t.retention_bytes
            FROM partitions p JOIN topics t ON t.name = p.topic ORDER BY p.id
            """).compactMap { row in
            guard let id = row.int64(at: 0), let topic = row.string(at: 1), let index = row.int64(at: 2),
                  let policy = row.string(at: 3).flatMap(TopicConfiguration.CleanupPolicy.init(rawValue:)) else { return nil }
            return MaintenanceTarget(
                partitionID: id, partition: TopicPartition(topic: topic, partition: Int32(index)), cleanupPolicy: policy,
                retentionMilliseconds: row.int64(at: 4), retentionBytes: row.int64(at: 5)
            )
        }
    }

    /// Deletes the records of a `.delete` partition that are older than the retention (by the
    /// running max timestamp, as Kafka deletes a segment by its largest timestamp) and the oldest
    /// records beyond the size limit. Returns how many records went.
    static func enforceRetention(_ target: MaintenanceTarget, nowMilliseconds: Int64, _ db: isolated SQLiteConnection) throws -> Int {
        guard target.cleanupPolicy == .delete else { return 0 }
        var deleted = 0
        if let retention = target.retentionMilliseconds {
            let (cutoff, overflow) = nowMilliseconds.subtractingReportingOverflow(retention)
            if !overflow {
                deleted += try db.run(
                    "DELETE FROM records WHERE partition_id = ? AND max_timestamp < ?",
                    [.integer(target.partitionID), .integer(cutoff)]
                )
            }
        }
        if let limit = target.retentionBytes {
            // The newest record whose size, with everything after it, exceeds the limit: it and
            // everything older go, leaving the longest suffix that fits.
            let newestBeyond = try db.firstRow("""
                SELECT record_offset FROM (
                    SELECT record_offset, sum(size) OVER (ORDER BY record_offset DESC) AS suffix_size
                    FROM records WHERE partition_id = ?
                ) WHERE suffix_size > ? ORDER BY record_offset DESC LIMIT 1
                """, [.integer(target.partitionID), .integer(limit)])?.int64(at: 0)
            if let newestBeyond {
                deleted += try db.run(
                    "DELETE FROM records WHERE partition_id = ? AND record_offset <= ?",
                    [.integer(target.partitionID), .integer(newestBeyond)]
                )
            }
        }
        if deleted > 0 { try raiseLogStartOffset(target.partitionID, db) }
        return deleted
    }

    /// Keeps only the latest record of each key in a `.compact` partition, and removes tombstones
    /// whose timestamp is older than `tombstoneRetentionMilliseconds`. The partition's last record
    /// always stays (like Kafka's active segment), so its end stays visible to readers. Returns
    /// how many records went.
    static func compact(
        _ target: MaintenanceTarget,
        nowMilliseconds: Int64,
        tombstoneRetentionMilliseconds: Int64,
        _ db: isolated SQLiteConnection
    ) throws -> Int {
        guard target.cleanupPolicy == .compact else { return 0 }
        let state = try partition(target.partition, db)
        let last = state.nextOffset - 1
        var deleted = try db.run("""
            DELETE FROM records WHERE partition_id = ?1 AND key IS NOT NULL AND record_offset < ?2
            AND record_offset NOT IN (
                SELECT max(record_offset) FROM records WHERE partition_id = ?1 AND key IS NOT NULL GROUP BY key
            )
            """, [.integer(state.id), .integer(last)])
        let (horizon, overflow) = nowMilliseconds.subtractingReportingOverflow(tombstoneRetentionMilliseconds)
        if !overflow {
            deleted += try db.run("""
                DELETE FROM records WHERE partition_id = ? AND key IS NOT NULL AND value IS NULL
                AND record_offset < ? AND max_timestamp < ?
                """, [.integer(state.id), .integer(last), .integer(horizon)])
        }
        if deleted > 0 { try raiseLogStartOffset(state.id, db) }
        return deleted
    }

    /// Moves the log start offset up to the first record still stored (or the next offset when
    /// none is); it never moves down.
    private static func raiseLogStartOffset(_ partitionID: Int64, _ db: isolated SQLiteConnection) throws {
        try db.run("""
            UPDATE partitions SET log_start_offset = max(log_start_offset,
                coalesce((SELECT min(record_offset) FROM records WHERE partition_id = ?1), next_offset))
            WHERE id = ?1
            """, [.integer(partitionID)])
    }

    /// Returns the pages of deleted records to the file system.
    static func releaseFreePages(_ db: isolated SQLiteConnection) throws {
        try db.execute("PRAGMA incremental_vacuum")
    }
}
