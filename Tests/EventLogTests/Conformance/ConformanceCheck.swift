import EventLog
import Testing

/// One behaviour every `EventLog` implementation must have. Each implementation runs all of them
/// through one parametrised test, so adding a check here tests every implementation.
struct ConformanceCheck: Sendable, CustomTestStringConvertible {
    let name: String
    let run: @Sendable (any LogEnvironment) async throws -> Void

    var testDescription: String { name }

    init(_ name: String, _ run: @escaping @Sendable (any LogEnvironment) async throws -> Void) {
        self.name = name
        self.run = run
    }
}

/// Helpers shared by the checks.
enum Fixtures {
    static func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

    /// Reads exactly `count` records from the reader, failing if they do not arrive in time.
    static func read(
        _ count: Int,
        from reader: any EventLogReader,
        timeout: Duration = .seconds(20)
    ) async throws -> [StoredRecord] {
        var records: [StoredRecord] = []
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while records.count < count, clock.now < deadline {
            records += try await reader.poll(maxRecords: count - records.count, timeout: .milliseconds(500))
        }
        #expect(records.count == count, "expected \(count) records, read \(records.count)")
        return records
    }

    /// Reads a whole partition from its first stored record.
    static func readAll(_ partition: TopicPartition, in log: any EventLog) async throws -> [StoredRecord] {
        let bounds = try await log.offsets(of: partition)
        let reader = try await log.makeReader()
        defer { Task { try? await reader.close() } }
        try await reader.assign([partition: bounds.earliest])
        var records: [StoredRecord] = []
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(20))
        while records.last.map({ $0.offset + 1 < bounds.next }) ?? (bounds.next > bounds.earliest), clock.now < deadline {
            records += try await reader.poll(maxRecords: 10_000, timeout: .milliseconds(500))
        }
        try await reader.close()
        return records
    }
}
