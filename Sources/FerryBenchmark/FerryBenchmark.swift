import ArgumentParser
import EventLog
import Foundation
import Kafka
import Logging

/// `ferry-benchmark`: append and read throughput of the event logs.
///
/// Prints one line per measurement: the implementation, the operation, how many records and bytes,
/// and the rate. Run it in release mode (`make benchmark`); record the figures, the machine and the
/// date in docs/benchmarks.md.
@main
struct FerryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry-benchmark",
        abstract: "Measure event log append and read throughput.",
        subcommands: [ConvertBenchmark.self, CaptureBenchmark.self, EmulatorBenchmark.self, SinkBenchmark.self, SourceBenchmark.self, ValidateBenchmark.self]
    )

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case embedded, kafka, all
    }

    @Option(help: "Which log: embedded, kafka or all.")
    var target: Target = .all

    @Option(help: "Records per measurement.")
    var records: Int = 100_000

    @Option(help: "Bytes per record value.")
    var size: Int = 1024

    @Option(help: "Records per append call.")
    var batch: Int = 1000

    @Option(help: "Partitions of the benchmark topic.")
    var partitions: Int32 = 1

    @Option(help: "Kafka bootstrap servers; without it, librdkafka's in-process mock cluster is used.")
    var kafkaBootstrap: String?

    @Option(help: "Directory for the embedded log file (default: a new temporary directory).")
    var directory: String?

    func validate() throws {
        guard records > 0, size > 0, batch > 0, partitions > 0 else {
            throw ValidationError("--records, --size, --batch and --partitions must be positive")
        }
    }

    func run() async throws {
        var logger = Logger(label: "ferry.benchmark") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        print("records=\(records) size=\(size)B batch=\(batch) partitions=\(partitions)")
        print(Measurement.header)
        if target == .embedded || target == .all {
            let folder = directory ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("ferry-benchmark-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
            let log = try await EmbeddedEventLog(path: folder + "/log.db", logger: logger)
            try await measure(log, name: "embedded", partitions: partitions)
            try await log.close()
        }
        if target == .kafka || target == .all {
            var cluster: KafkaMockCluster?
            let servers: String
            if let kafkaBootstrap {
                servers = kafkaBootstrap
            } else {
                let mock = try KafkaMockCluster(brokerCount: 3, logger: logger)
                cluster = mock
                servers = mock.bootstrapServers
            }
            let log = try await KafkaEventLog(
                configuration: KafkaEventLog.Configuration(bootstrapServers: servers, properties: [:]),
                logger: logger
            )
            // librdkafka's mock cluster keeps only about 5 MB per partition and drops older
            // records; spread the run so every record can still be read back.
            let needed = Int32(min(1024, (records * size) / Self.mockPartitionBytes + 1))
            let partitionCount = kafkaBootstrap == nil ? max(partitions, needed) : partitions
            if partitionCount != partitions {
                print("kafka mock cluster: \(partitionCount) partitions, to stay under its per-partition size limit")
            }
            try await measure(log, name: kafkaBootstrap == nil ? "kafka (mock cluster)" : "kafka", partitions: partitionCount)
            try await log.close()
            withExtendedLifetime(cluster) {}
        }
    }

    /// How much data one mock-cluster partition is given in the benchmark.
    static let mockPartitionBytes = 4 * 1024 * 1024

    private func measure(_ log: any EventLog, name: String, partitions: Int32) async throws {
        let topic = "benchmark-\(UInt32.random(in: 0...UInt32.max))"
        try await log.createTopic(TopicConfiguration(name: topic, partitions: partitions))
        let payload = [UInt8](repeating: 0x61, count: size)
        let clock = ContinuousClock()

        var appended = 0
        let appendTime = try await clock.measure {
            while appended < records {
                let count = min(batch, records - appended)
                let outgoing = (0..<count).map { i in
                    OutgoingRecord(
                        destination: TopicPartition(topic: topic, partition: Int32((appended + i) % Int(partitions))),
                        key: nil,
                        value: payload
                    )
                }
                _ = try await log.append(outgoing)
                appended += count
            }
        }
        print(Measurement(log: name, operation: "append", records: records, bytes: records * size, duration: appendTime))

        let reader = try await log.makeReader()
        try await reader.assign(Dictionary(uniqueKeysWithValues: (0..<partitions).map {
            (TopicPartition(topic: topic, partition: $0), Int64(0))
        }))
        var read = 0
        var bytes = 0
        let readTime = try await clock.measure {
            while read < records {
                let batch = try await reader.poll(maxRecords: 10_000, timeout: .seconds(10))
                guard !batch.isEmpty else { throw ValidationError("reading stalled after \(read) of \(records) records") }
                read += batch.count
                bytes += batch.reduce(0) { $0 + ($1.value?.count ?? 0) }
            }
        }
        try await reader.close()
        print(Measurement(log: name, operation: "read", records: read, bytes: bytes, duration: readTime))
    }
}

/// One line of output.
struct Measurement: CustomStringConvertible {
    static let header = "log                     operation   records        MB   seconds      msg/s      MB/s"

    var log: String
    var operation: String
    var records: Int
    var bytes: Int
    var duration: Duration

    var description: String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let megabytes = Double(bytes) / 1_048_576
        return log.padding(toLength: 24, withPad: " ", startingAt: 0)
            + operation.padding(toLength: 10, withPad: " ", startingAt: 0)
            + String(format: "%9d %9.1f %9.2f %10.0f %9.1f", records, megabytes, seconds, Double(records) / seconds, megabytes / seconds)
    }
}
