import ArgumentParser
import EventLog
import Foundation

/// `ferry log offsets`: the bounds of each partition of a topic, or the offsets at a point in time.
struct LogOffsetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offsets",
        abstract: "Print the first and next offset of each partition of a topic.",
        discussion: "With --at, print for each partition the first offset whose timestamp is at or after that time."
    )

    @OptionGroup var logOptions: LogOptions

    @Option(help: "The topic.")
    var topic: String

    @Option(help: "A time: milliseconds since 1970 or ISO 8601 (2026-11-27T10:00:00Z).")
    var at: String?

    func validate() throws {
        if let at { _ = try Timestamps.milliseconds(parsing: at, option: "--at") }
    }

    func run() async throws {
        try await logOptions.withLog { log in
            guard let count = try await log.partitionCount(of: topic) else {
                throw EventLogError(.unknownTopic, "topic '\(topic)' does not exist in \(logOptions.log)")
            }
            let time = try at.map { try Timestamps.milliseconds(parsing: $0, option: "--at") }
            for partition in 0..<count {
                let tp = TopicPartition(topic: topic, partition: partition)
                let bounds = try await log.offsets(of: tp)
                if let time {
                    let offset = try await log.offset(of: tp, atOrAfter: time)
                    print("partition=\(partition) offset=\(offset.map(String.init) ?? "none")")
                } else {
                    print("partition=\(partition) earliest=\(bounds.earliest) next=\(bounds.next)")
                }
            }
        }
    }
}
