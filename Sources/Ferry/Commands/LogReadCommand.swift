import ArgumentParser
import EventLog
import Foundation

/// `ferry log read`: prints records as JSON lines.
struct LogReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print a topic's records as JSON lines.",
        discussion: """
            Reads every partition (or one, with --partition) from --from up to the end offsets seen at \
            start, or, with --follow, until --max records were printed or nothing arrived for --idle-timeout.
            """
    )

    @OptionGroup var logOptions: LogOptions

    @Option(help: "The topic.")
    var topic: String

    @Option(help: "Only this partition.")
    var partition: Int32?

    @Option(help: "Where to start: earliest, latest, or an offset.")
    var from: String = "earliest"

    @Option(help: "Stop after this many records.")
    var max: Int?

    @Flag(help: "Keep waiting for new records.")
    var follow = false

    @Option(help: "With --follow: stop after this many seconds without a record.")
    var idleTimeout: Double = 10

    func validate() throws {
        guard from == "earliest" || from == "latest" || Int64(from) != nil else {
            throw ValidationError("--from must be earliest, latest or an offset, not '\(from)'")
        }
        if let max, max < 1 { throw ValidationError("--max must be at least 1") }
    }

    func run() async throws {
        try await logOptions.withLog { log in
            let reader = try await log.makeReader()
            do {
                try await read(log: log, reader: reader)
                try await reader.close()
            } catch {
                try? await reader.close()
                throw error
            }
        }
    }

    private func read(log: any EventLog, reader: any EventLogReader) async throws {
        guard let count = try await log.partitionCount(of: topic) else {
            throw EventLogError(.unknownTopic, "topic '\(topic)' does not exist in \(logOptions.log)")
        }
        let partitions: [Int32]
        if let partition {
            guard (0..<count).contains(partition) else {
                throw ValidationError("--partition \(partition): topic '\(topic)' has partitions 0 to \(count - 1)")
            }
            partitions = [partition]
        } else {
            partitions = Array(0..<count)
        }
        var start: [TopicPartition: Int64] = [:]
        var end: [TopicPartition: Int64] = [:]
        for index in partitions {
            let tp = TopicPartition(topic: topic, partition: index)
            let bounds = try await log.offsets(of: tp)
            start[tp] = from == "earliest" ? bounds.earliest : from == "latest" ? bounds.next : Int64(from)!
            end[tp] = bounds.next
        }
        try await reader.assign(start)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var printed = 0
        var position = start
        let clock = ContinuousClock()
        var lastRecord = clock.now
        while true {
            if let max, printed >= max { return }
            if !follow, position.allSatisfy({ $0.value >= end[$0.key]! }) { return }
            if follow, clock.now - lastRecord > .seconds(idleTimeout) { return }
            let batch = try await reader.poll(maxRecords: Swift.min(1000, (max ?? .max) - printed), timeout: .milliseconds(200))
            for record in batch {
                if !follow, record.offset >= end[record.partition]! { continue }
                var line = try encoder.encode(PrintedRecord(record))
                line.append(0x0a)
                FileHandle.standardOutput.write(line)
                position[record.partition] = record.offset + 1
                printed += 1
                lastRecord = clock.now
                if let max, printed >= max { return }
            }
        }
    }
}

/// A record as `ferry log read` prints it: text where the bytes are UTF-8, base64 otherwise.
private struct PrintedRecord: Encodable {
    var topic: String
    var partition: Int32
    var offset: Int64
    var timestamp: Int64
    var key: String?
    var keyBase64: String?
    var value: String?
    var valueBase64: String?
    var headers: [String: String?]?

    init(_ record: StoredRecord) {
        topic = record.partition.topic
        partition = record.partition.partition
        offset = record.offset
        timestamp = record.timestampMilliseconds
        (key, keyBase64) = Self.text(record.key)
        (value, valueBase64) = Self.text(record.value)
        if !record.headers.isEmpty {
            headers = Dictionary(record.headers.map { ($0.name, $0.value.map { String(decoding: $0, as: UTF8.self) }) }) { _, last in last }
        }
    }

    private static func text(_ bytes: [UInt8]?) -> (String?, String?) {
        guard let bytes else { return (nil, nil) }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, nil) }
        return (nil, Data(bytes).base64EncodedString())
    }
}
