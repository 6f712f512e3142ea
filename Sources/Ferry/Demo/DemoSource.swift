import EventLog
import Foundation
import Logging
import ServiceLifecycle

/// The demo's producer: appends the next `count` events of ``DemoWorkload`` to the demo topic,
/// keyed by order id, and records where it stopped so the applier knows when it has caught up.
struct DemoSource: Service {
    static let topic = "demo.sales.orders"
    static let partitions: Int32 = 3

    let log: any EventLog
    let count: Int
    let batchSize: Int
    let progress: DemoProgress
    let logger: Logger

    func run() async throws {
        try await log.createTopic(TopicConfiguration(name: Self.topic, partitions: Self.partitions))
        var next = 0
        for partition in 0..<Self.partitions {
            next += Int(try await log.offsets(of: TopicPartition(topic: Self.topic, partition: partition)).next)
        }
        let first = next
        let end = first + count
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        logger.info("appending demo events", metadata: ["first": "\(first)", "count": "\(count)"])
        // Stops between batches on SIGINT/SIGTERM; an appended batch is always whole.
        while next < end, !Task.isShuttingDownGracefully, !Task.isCancelled {
            let last = min(end, next + batchSize)
            let records = try (next..<last).map { n in
                let event = DemoWorkload.event(n)
                let id = (event.after ?? event.before)!.id
                let key = try Array(encoder.encode(DemoWorkload.Key(id: id)))
                return OutgoingRecord(
                    destination: TopicPartition(
                        topic: Self.topic,
                        partition: Partitioner.partition(forKey: key, partitionCount: Self.partitions)
                    ),
                    key: key,
                    value: try Array(encoder.encode(event))
                )
            }
            _ = try await log.append(records)
            next = last
        }
        var ends: [TopicPartition: Int64] = [:]
        for partition in 0..<Self.partitions {
            let tp = TopicPartition(topic: Self.topic, partition: partition)
            ends[tp] = try await log.offsets(of: tp).next
        }
        await progress.sourceFinished(appended: next - first, totalEvents: next, endOffsets: ends)
    }
}

/// What the demo's source has done, shared with the applier.
actor DemoProgress {
    private(set) var appended = 0
    private(set) var totalEvents = 0
    private(set) var endOffsets: [TopicPartition: Int64]?
    private(set) var appliedEvents = 0
    private(set) var appliedPositions: [TopicPartition: Int64] = [:]

    func sourceFinished(appended: Int, totalEvents: Int, endOffsets: [TopicPartition: Int64]) {
        self.appended = appended
        self.totalEvents = totalEvents
        self.endOffsets = endOffsets
    }

    func applied(_ count: Int, positions: [TopicPartition: Int64]) {
        appliedEvents = count
        appliedPositions = positions
    }

    /// Whether the applier has applied everything the source appended (known once it finished).
    var isCaughtUp: Bool {
        guard let endOffsets else { return false }
        return endOffsets.allSatisfy { appliedPositions[$0.key, default: 0] >= $0.value }
    }
}
