import ArgumentParser
import EventLog

/// `ferry log create-topic`: creates a topic, or checks that it exists as described.
struct LogTopicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-topic",
        abstract: "Create a topic (nothing happens if it exists with the same partition count)."
    )

    @OptionGroup var logOptions: LogOptions

    @Option(help: "The topic's name.")
    var topic: String

    @Option(help: "How many partitions.")
    var partitions: Int32 = 1

    @Flag(help: "Keep only the latest record of each key (cleanup.policy=compact).")
    var compact = false

    @Option(help: "Delete records older than this many milliseconds.")
    var retentionMs: Int64?

    @Option(help: "Trim each partition to this many bytes.")
    var retentionBytes: Int64?

    func validate() throws {
        guard partitions >= 1 else { throw ValidationError("--partitions must be at least 1") }
    }

    func run() async throws {
        try await logOptions.withLog { log in
            try await log.createTopic(TopicConfiguration(
                name: topic,
                partitions: partitions,
                cleanupPolicy: compact ? .compact : .delete,
                retentionMilliseconds: retentionMs,
                retentionBytes: retentionBytes
            ))
        }
        print("topic \(topic): \(partitions) partition(s)\(compact ? ", compacted" : "")")
    }
}
