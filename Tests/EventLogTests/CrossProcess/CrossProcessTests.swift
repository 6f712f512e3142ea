import EventLog
import FerryTestSupport
import Foundation
import Testing

/// The log kinds, so the cross-process checks run on both implementations.
enum LogKind: String, CaseIterable, Sendable {
    case embedded, kafka

    func makeEnvironment() async throws -> any LogEnvironment {
        switch self {
        case .embedded: try EmbeddedLogEnvironment()
        case .kafka: try await KafkaLogEnvironment()
        }
    }
}

/// Conformance checks that need more than one process: they run the `ferry` executable as the
/// writer or the reader, against the same log the test process opens.
///
/// Topics are created by the test process: librdkafka 2.0.2's mock cluster has no CreateTopics
/// request, so only the process that hosts the mock can add topics to it.
@Suite(.serialized) struct CrossProcessTests {
    @Test(arguments: LogKind.allCases)
    func writerKilledMidBatchLosesNoAcknowledgedRecord(kind: LogKind) async throws {
        let env = try await kind.makeEnvironment()
        defer { Task { await env.tearDown() } }
        try await env.createTopic("crash", partitions: 1)
        let writer = try ChildProcess(ferry: [
            "log", "append", "--log", env.url, "--topic", "crash",
            "--count", "1000000", "--batch", "250", "--size", "300",
        ])
        try await writer.waitForLines(8)
        writer.kill()
        try await writer.waitForExit()
        let acknowledged = writer.output.compactMap(Self.lastAcknowledged).max()
        let lastAcknowledged = try #require(acknowledged, "the writer acknowledged nothing: \(writer.standardError)")

        let sequences = try await env.withLog { log in
            try await Fixtures.readAll(TopicPartition(topic: "crash", partition: 0), in: log).map(Self.sequence)
        }
        // Everything acknowledged is there, once, in order; an unacknowledged tail may or may not be.
        #expect(sequences.count > lastAcknowledged)
        #expect(sequences == Array(0..<sequences.count))
    }

    @Test(arguments: LogKind.allCases)
    func readerProcessSeesWriterProcessRecordsInOrder(kind: LogKind) async throws {
        let env = try await kind.makeEnvironment()
        defer { Task { await env.tearDown() } }
        try await env.createTopic("shared", partitions: 2)
        let reader = try ChildProcess(ferry: [
            "log", "read", "--log", env.url, "--topic", "shared", "--follow", "--max", "2000", "--idle-timeout", "60",
        ])
        let writer = try ChildProcess(ferry: [
            "log", "append", "--log", env.url, "--topic", "shared", "--count", "2000", "--batch", "100",
        ])
        #expect(try await writer.waitForExit() == 0, "\(writer.standardError)")
        #expect(try await reader.waitForExit() == 0, "\(reader.standardError)")
        let records = try reader.output.map { line in
            try JSONDecoder().decode(PrintedRecord.self, from: Data(line.utf8))
        }
        #expect(records.count == 2000)
        for partition in Int32(0)..<2 {
            let mine = records.filter { $0.partition == partition }
            #expect(mine.map(\.offset) == Array(0..<Int64(mine.count)))
            let sequences = mine.map { Self.sequence(text: $0.value ?? "") }
            #expect(sequences == sequences.sorted())
        }
        #expect(Set(records.map { Self.sequence(text: $0.value ?? "") }) == Set(0..<2000))
    }

    @Test(arguments: LogKind.allCases)
    func offsetsAreStableAcrossWriterRestarts(kind: LogKind) async throws {
        let env = try await kind.makeEnvironment()
        defer { Task { await env.tearDown() } }
        try await env.createTopic("restart", partitions: 1)
        for run in 0..<3 {
            let writer = try ChildProcess(ferry: [
                "log", "append", "--log", env.url, "--topic", "restart",
                "--count", "100", "--start-sequence", "\(run * 100)",
            ])
            #expect(try await writer.waitForExit() == 0, "\(writer.standardError)")
        }
        let stored = try await env.withLog { log in
            try await Fixtures.readAll(TopicPartition(topic: "restart", partition: 0), in: log)
        }
        #expect(stored.map(\.offset) == Array(0..<300))
        #expect(stored.map(Self.sequence) == Array(0..<300))
    }

    @Test func badLogAddressIsAUsageError() async throws {
        let process = try ChildProcess(ferry: ["log", "offsets", "--log", "kafka://nohost", "--topic", "x"])
        #expect(try await process.waitForExit() == 2)
        #expect(process.standardError.contains("kafka://nohost"))
    }

    private static func lastAcknowledged(_ line: String) -> Int? {
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[0] == "acked" else { return nil }
        return Int(parts[2])
    }

    private static func sequence(_ record: StoredRecord) -> Int {
        sequence(text: String(decoding: record.value ?? [], as: UTF8.self))
    }

    private static func sequence(text: String) -> Int {
        guard text.hasPrefix("seq="), let end = text.firstIndex(of: ";") else { return -1 }
        return Int(text[text.index(text.startIndex, offsetBy: 4)..<end]) ?? -1
    }
}

/// A line of `ferry log read` output.
private struct PrintedRecord: Decodable {
    var partition: Int32
    var offset: Int64
    var value: String?
}
