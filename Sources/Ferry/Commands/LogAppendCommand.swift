import ArgumentParser
import EventLog
import Foundation

/// `ferry log append`: writes numbered test records and prints each acknowledged batch.
///
/// Each record's value starts with `seq=<n>;`, so a reader can check that nothing acknowledged was
/// lost and nothing was written twice — which is how the crash tests use it.
struct LogAppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append numbered test records; print 'acked FIRST LAST' after each durable batch."
    )

    @OptionGroup var logOptions: LogOptions

    @Option(help: "The topic (created with --partitions if missing).")
    var topic: String

    @Option(help: "Partitions of the topic if it must be created.")
    var partitions: Int32 = 1

    @Option(help: "How many records.")
    var count: Int = 1000

    @Option(help: "The first sequence number.")
    var startSequence: Int = 0

    @Option(help: "Bytes per value (at least the 'seq=<n>;' prefix).")
    var size: Int = 100

    @Option(help: "Records per append call.")
    var batch: Int = 100

    @Flag(help: "Key each record by its sequence number (spread with Kafka's partitioner) instead of round-robin.")
    var keyed = false

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard partitions >= 1 else { throw ValidationError("--partitions must be at least 1") }
        guard size >= 0 else { throw ValidationError("--size must not be negative") }
    }

    func run() async throws {
        try await logOptions.withLog { log in try await append(to: log) }
    }

    private func append(to log: any EventLog) async throws {
        if try await log.partitionCount(of: topic) == nil {
            try await log.createTopic(TopicConfiguration(name: topic, partitions: partitions))
        }
        guard let partitionCount = try await log.partitionCount(of: topic) else {
            throw EventLogError(.unknownTopic, "topic '\(topic)' could not be created in \(logOptions.log)")
        }
        var sequence = startSequence
        let end = startSequence + count
        while sequence < end {
            let last = Swift.min(end, sequence + batch)
            let records = (sequence..<last).map { seq in
                let key = Array(String(seq).utf8)
                let partition = keyed
                    ? Partitioner.partition(forKey: key, partitionCount: partitionCount)
                    : Int32(seq % Int(partitionCount))
                return OutgoingRecord(
                    destination: TopicPartition(topic: topic, partition: partition),
                    key: keyed ? key : nil,
                    value: Self.value(sequence: seq, size: size)
                )
            }
            _ = try await log.append(records)
            FileHandle.standardOutput.write(Data("acked \(sequence) \(last - 1)\n".utf8))
            sequence = last
        }
    }

    /// `seq=<n>;` padded with `.` to `size` bytes.
    static func value(sequence: Int, size: Int) -> [UInt8] {
        var bytes = Array("seq=\(sequence);".utf8)
        if bytes.count < size { bytes += repeatElement(UInt8(ascii: "."), count: size - bytes.count) }
        return bytes
    }
}
