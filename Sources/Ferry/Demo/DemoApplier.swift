import EventLog
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// The demo's consumer: reads the demo topic from the offsets stored in the target, and applies
/// each batch with COPY into a staging table and a set-based merge, writing the new offsets in the
/// same transaction — so a crash or a Ctrl-C at any point neither loses nor doubles an event.
struct DemoApplier: Service {
    static let sinkName = "demo"

    let log: any EventLog
    let connection: PostgresConnection
    let progress: DemoProgress
    let batchSize: Int
    let logger: Logger

    func run() async throws {
        try await connection.execute(Self.schema)
        var positions = try await storedOffsets()
        await progress.applied(0, positions: positions)
        let reader = try await log.makeReader()
        try await reader.assign(positions)
        defer { Task { try? await reader.close() } }
        var applied = 0
        // On SIGINT/SIGTERM, stop after the batch in hand: its offsets commit with its rows.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if let ends = await progress.endOffsets, ends.allSatisfy({ positions[$0.key, default: 0] >= $0.value }) {
                break
            }
            let records = try await reader.poll(maxRecords: batchSize, timeout: .milliseconds(200))
            guard !records.isEmpty else { continue }
            for record in records { positions[record.partition] = record.offset + 1 }
            try await apply(records, positions: positions)
            applied += records.count
            await progress.applied(applied, positions: positions)
        }
        try await reader.close()
        logger.info("demo applier stopped", metadata: ["applied": "\(applied)"])
    }

    private func storedOffsets() async throws -> [TopicPartition: Int64] {
        var positions = Dictionary(uniqueKeysWithValues: (0..<DemoSource.partitions).map {
            (TopicPartition(topic: DemoSource.topic, partition: $0), Int64(0))
        })
        let rows = try await connection.query(
            "SELECT partition, next_offset FROM ferry.sink_offsets WHERE sink = $1 AND topic = $2",
            [.text(Self.sinkName), .text(DemoSource.topic)]
        )
        for row in rows {
            let partition = try row.decode(Int32.self, column: "partition")
            positions[TopicPartition(topic: DemoSource.topic, partition: partition)] = try row.decode(Int64.self, column: "next_offset")
        }
        return positions
    }

    /// Folds a batch to its net effect per order (one key lives in one partition, so log order is
    /// the key's commit order), then merges it and the offsets in one transaction.
    private func apply(_ records: [StoredRecord], positions: [TopicPartition: Int64]) async throws {
        let decoder = JSONDecoder()
        var net: [Int: DemoWorkload.Order?] = [:]
        for record in records {
            guard let value = record.value else { continue }
            let event = try decoder.decode(DemoWorkload.ChangeEvent.self, from: Data(value))
            guard let id = (event.after ?? event.before)?.id else { continue }
            net[id] = event.op == "d" ? .some(nil) : .some(event.after)
        }
        let changes = net
        try await connection.withTransaction { connection in
            try connection.copyIn("COPY demo_staging FROM STDIN") { writer in
                for (id, order) in changes {
                    try writer.writeRow([
                        .int64(Int64(id)), .bool(order == nil),
                        order.map { .text($0.customer) } ?? .null,
                        order.map { .text($0.amount) } ?? .null,
                        order.map { .text($0.status) } ?? .null,
                    ])
                }
            }
            try connection.execute("""
                DELETE FROM ferry_demo.orders o USING demo_staging s WHERE s.deleted AND o.id = s.id;
                INSERT INTO ferry_demo.orders (id, customer, amount, status)
                    SELECT id, customer, amount, status FROM demo_staging WHERE NOT deleted
                    ON CONFLICT (id) DO UPDATE
                    SET customer = excluded.customer, amount = excluded.amount, status = excluded.status;
                """)
            for (partition, next) in positions {
                try connection.query(
                    """
                    INSERT INTO ferry.sink_offsets (sink, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (sink, topic, partition) DO UPDATE SET next_offset = excluded.next_offset
                    """,
                    [.text(Self.sinkName), .text(partition.topic), .int32(partition.partition), .int64(next)]
                )
            }
        }
    }

    static let schema = """
        CREATE SCHEMA IF NOT EXISTS ferry;
        CREATE TABLE IF NOT EXISTS ferry.sink_offsets (
            sink text NOT NULL,
            topic text NOT NULL,
            partition integer NOT NULL,
            next_offset bigint NOT NULL,
            PRIMARY KEY (sink, topic, partition)
        );
        CREATE SCHEMA IF NOT EXISTS ferry_demo;
        CREATE TABLE IF NOT EXISTS ferry_demo.orders (
            id bigint PRIMARY KEY,
            customer text NOT NULL,
            amount numeric(12,2) NOT NULL,
            status text NOT NULL
        );
        CREATE TEMP TABLE demo_staging (
            id bigint, deleted boolean, customer text, amount numeric(12,2), status text
        ) ON COMMIT DELETE ROWS;
        """
}
