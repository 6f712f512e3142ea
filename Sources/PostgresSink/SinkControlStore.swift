import EventLog
import FerryCore
import Postgres

/// The sink's control tables in schema `ferry` of the target (docs/sink.md): offsets, statistics,
/// exceptions and suspended tables, all written in the transaction of the rows they describe.
struct SinkControlStore: Sendable {
    let sink: String

    static let schemaDDL = """
        CREATE SCHEMA IF NOT EXISTS ferry;
        CREATE TABLE IF NOT EXISTS ferry.sink_offsets (
            sink text NOT NULL, topic text NOT NULL, partition integer NOT NULL, next_offset bigint NOT NULL,
            PRIMARY KEY (sink, topic, partition));
        ALTER TABLE ferry.sink_offsets ADD COLUMN IF NOT EXISTS source_position text;
        CREATE TABLE IF NOT EXISTS ferry.table_statistics (
            sink text NOT NULL, source_table text NOT NULL, target_table text NOT NULL,
            full_load_rows bigint NOT NULL DEFAULT 0, inserts bigint NOT NULL DEFAULT 0, updates bigint NOT NULL DEFAULT 0,
            deletes bigint NOT NULL DEFAULT 0, ddls bigint NOT NULL DEFAULT 0, applied_lsn text, applied_commit_time timestamptz,
            last_update timestamptz NOT NULL DEFAULT now(), state text NOT NULL,
            PRIMARY KEY (sink, source_table));
        CREATE TABLE IF NOT EXISTS ferry.apply_exceptions (
            id bigserial PRIMARY KEY, sink text NOT NULL, topic text NOT NULL, partition integer NOT NULL, "offset" bigint NOT NULL,
            target_table text, event text, error text NOT NULL, sqlstate text, at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS ferry.suspended_tables (
            sink text NOT NULL, target_table text NOT NULL, reason text NOT NULL, at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (sink, target_table));
        """

    /// Creates the control schema if needed. Concurrent sinks may race on `CREATE … IF NOT EXISTS`;
    /// a lost race (unique violation in the catalog) is retried once.
    func prepare(_ connection: PostgresConnection) async throws {
        for attempt in 1...2 {
            do {
                try await connection.execute(Self.schemaDDL)
                return
            } catch {
                let lostRace = (error as (any Error) as? PostgresError).map { $0.sqlState == "23505" || $0.sqlState == "42P07" } ?? false
                if !lostRace || attempt == 2 { throw error }
            }
        }
    }

    struct StoredOffset {
        var next: Int64
        var position: SourcePosition?
    }

    func offsets(_ connection: PostgresConnection) async throws -> [TopicPartition: StoredOffset] {
        let rows = try await connection.query("SELECT topic, partition, next_offset, source_position FROM ferry.sink_offsets WHERE sink = $1", [.text(sink)])
        var result: [TopicPartition: StoredOffset] = [:]
        for row in rows {
            let partition = TopicPartition(topic: try row.decode(String.self, column: "topic"), partition: try row.decode(Int32.self, column: "partition"))
            result[partition] = StoredOffset(next: try row.decode(Int64.self, column: "next_offset"),
                                             position: try row.decode(String?.self, column: "source_position").flatMap { SourcePosition(parsing: $0) })
        }
        return result
    }

    /// Writes the offsets (and applied-through source positions) of the partitions in `offsets`.
    func save(_ connection: PostgresConnection, offsets: [TopicPartition: Int64], positions: [TopicPartition: SourcePosition]) async throws {
        guard !offsets.isEmpty else { return }
        let entries = offsets.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
        try await connection.query("""
            INSERT INTO ferry.sink_offsets (sink, topic, partition, next_offset, source_position)
            SELECT $1, u.topic, u.partition, u.next_offset, u.source_position
            FROM unnest($2::text[], $3::int[], $4::bigint[], $5::text[]) AS u(topic, partition, next_offset, source_position)
            ON CONFLICT (sink, topic, partition) DO UPDATE
            SET next_offset = EXCLUDED.next_offset, source_position = COALESCE(EXCLUDED.source_position, sink_offsets.source_position)
            """, [.text(sink), .text(arrayLiteral(entries.map { $0.key.topic })), .text(arrayLiteral(entries.map { String($0.key.partition) })),
                  .text(arrayLiteral(entries.map { String($0.value) })), .text(arrayLiteral(entries.map { positions[$0.key]?.description }))])
    }

    /// Forgets offsets and positions: all of them, or those of the listed partitions.
    func reset(_ connection: PostgresConnection, partitions: [TopicPartition]?) async throws {
        guard let partitions else {
            try await connection.query("DELETE FROM ferry.sink_offsets WHERE sink = $1", [.text(sink)])
            return
        }
        for partition in partitions {
            try await connection.query("DELETE FROM ferry.sink_offsets WHERE sink = $1 AND topic = $2 AND partition = $3",
                                       [.text(sink), .text(partition.topic), .int32(partition.partition)])
        }
    }

    func suspendedTables(_ connection: PostgresConnection) async throws -> Set<String> {
        let rows = try await connection.query("SELECT target_table FROM ferry.suspended_tables WHERE sink = $1", [.text(sink)])
        return Set(try rows.map { try $0.decode(String.self, column: "target_table") })
    }

    func suspend(_ connection: PostgresConnection, table: String, reason: String) async throws {
        try await connection.query("""
            INSERT INTO ferry.suspended_tables (sink, target_table, reason) VALUES ($1, $2, $3)
            ON CONFLICT (sink, target_table) DO UPDATE SET reason = EXCLUDED.reason, at = now()
            """, [.text(sink), .text(table), .text(reason)])
        try await connection.query("UPDATE ferry.table_statistics SET state = 'Suspended', last_update = now() WHERE sink = $1 AND target_table = $2",
                                   [.text(sink), .text(table)])
    }

    func recordException(_ connection: PostgresConnection, record: StoredRecord, table: String?, error: String, sqlState: String?) async throws {
        let event = record.value.map { String(decoding: $0.filter { $0 != 0 }, as: UTF8.self) }
        try await connection.query("""
            INSERT INTO ferry.apply_exceptions (sink, topic, partition, "offset", target_table, event, error, sqlstate)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [.text(sink), .text(record.partition.topic), .int32(record.partition.partition), .int64(record.offset),
                  table.map { .text($0) } ?? .null, event.map { .text($0) } ?? .null, .text(error), sqlState.map { .text($0) } ?? .null])
    }

    func addStatistics(_ connection: PostgresConnection, _ deltas: [TableIdentity: TableStatisticsDelta]) async throws {
        for (source, delta) in deltas.sorted(by: { $0.key < $1.key }) {
            let commitTime: PostgresValue = delta.appliedCommitTime.map { .text(String(Double($0) / 1000)) } ?? .null
            try await connection.query("""
                INSERT INTO ferry.table_statistics AS s (sink, source_table, target_table, full_load_rows, inserts, updates, deletes, ddls,
                                                        applied_lsn, applied_commit_time, last_update, state)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10::double precision), now(), $11)
                ON CONFLICT (sink, source_table) DO UPDATE SET
                    target_table = EXCLUDED.target_table,
                    full_load_rows = s.full_load_rows + EXCLUDED.full_load_rows, inserts = s.inserts + EXCLUDED.inserts,
                    updates = s.updates + EXCLUDED.updates, deletes = s.deletes + EXCLUDED.deletes, ddls = s.ddls + EXCLUDED.ddls,
                    applied_lsn = COALESCE(EXCLUDED.applied_lsn, s.applied_lsn),
                    applied_commit_time = COALESCE(EXCLUDED.applied_commit_time, s.applied_commit_time),
                    last_update = now(), state = CASE WHEN s.state = 'Suspended' THEN s.state ELSE EXCLUDED.state END
                """, [.text(sink), .text(source.description), .text(delta.target), .int64(delta.fullLoadRows), .int64(delta.inserts),
                      .int64(delta.updates), .int64(delta.deletes), .int64(delta.ddls), delta.appliedLSN.map { .text($0.description) } ?? .null,
                      commitTime, .text(delta.state)])
        }
    }
}

/// Counts for one table within one target transaction, added to `ferry.table_statistics` at commit.
struct TableStatisticsDelta {
    var target: String
    var fullLoadRows: Int64 = 0
    var inserts: Int64 = 0
    var updates: Int64 = 0
    var deletes: Int64 = 0
    var ddls: Int64 = 0
    var appliedLSN: LSN?
    var appliedCommitTime: Int64?
    var state = "Table completed"
}

/// A PostgreSQL array literal of text elements (`{"a","b",NULL}`), for `unnest($n::text[])`.
func arrayLiteral(_ items: [String?]) -> String {
    "{" + items.map { item -> String in
        guard let item else { return "NULL" }
        var escaped = "\""
        for ch in item.unicodeScalars {
            if ch == "\"" || ch == "\\" { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(ch)
        }
        return escaped + "\""
    }.joined(separator: ",") + "}"
}
