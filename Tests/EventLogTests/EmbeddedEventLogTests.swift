import EventLog
import Foundation
import Logging
import SQLite
import Testing

@Suite struct EmbeddedEventLogTests {
    /// No periodic maintenance, so the tests decide when it runs.
    static let manual = EmbeddedEventLog.Configuration(maintenanceInterval: nil, tombstoneRetentionMilliseconds: 1000)
    static let base: Int64 = 1_700_000_000_000

    /// Every record of `partition` from its first stored offset, read until the log has no more.
    static func readAll(_ partition: TopicPartition, in log: any EventLog) async throws -> [StoredRecord] {
        let reader = try await log.makeReader()
        try await reader.assign([partition: 0])
        var records: [StoredRecord] = []
        while true {
            let batch = try await reader.poll(maxRecords: 1000, timeout: .milliseconds(200))
            if batch.isEmpty { break }
            records += batch
        }
        try await reader.close()
        return records
    }

    static func summary(_ records: [StoredRecord]) -> [String] {
        records.map { record in
            "\(record.offset) \(String(decoding: record.key ?? [], as: UTF8.self))=\(record.value.map { String(decoding: $0, as: UTF8.self) } ?? "nil")"
        }
    }

    @Test func retentionByAgeRaisesTheEarliestOffsetOnly() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let p = TopicPartition(topic: "aged", partition: 0)
            let log = try await environment.openEmbedded()
            try await log.createTopic(TopicConfiguration(name: "aged", retentionMilliseconds: 10_000))
            // Offset 3 is older than offset 2; like Kafka, age goes by the largest timestamp so far,
            // so it lives as long as offset 2 and retention always removes a prefix.
            let ages: [Int64] = [0, 1000, 5000, 2000, 6000]
            _ = try await log.append(ages.enumerated().map { index, age in
                OutgoingRecord(destination: p, key: nil, value: Array("v\(index)".utf8), timestampMilliseconds: Self.base + age)
            })
            #expect(try await log.enforceRetention(nowMilliseconds: Self.base + 13_000) == 2)
            #expect(try await log.offsets(of: p) == PartitionOffsets(earliest: 2, next: 5))
            let left = try await Self.readAll(p, in: log)
            #expect(left.map(\.offset) == [2, 3, 4])
            #expect(left.map(\.value) == [Array("v2".utf8), Array("v3".utf8), Array("v4".utf8)])
            #expect(try await log.offset(of: p, atOrAfter: 0) == 2)
            // Nothing else is old enough yet; running again removes nothing.
            #expect(try await log.enforceRetention(nowMilliseconds: Self.base + 13_000) == 0)
            try await log.close()

            // The log start offset lives in the file: a new client sees it, and offsets go on.
            let reopened = try await environment.openEmbedded()
            #expect(try await reopened.offsets(of: p) == PartitionOffsets(earliest: 2, next: 5))
            let positions = try await reopened.append([OutgoingRecord(destination: p, key: nil, value: [9], timestampMilliseconds: Self.base + 20_000)])
            #expect(positions.map(\.offset) == [5])
            // Everything but the new record expires; the next offset stays.
            #expect(try await reopened.runMaintenance(nowMilliseconds: Self.base + 25_000) == 3)
            #expect(try await reopened.offsets(of: p) == PartitionOffsets(earliest: 5, next: 6))
            #expect(try await reopened.runMaintenance(nowMilliseconds: Self.base + 60_000) == 1)
            #expect(try await reopened.offsets(of: p) == PartitionOffsets(earliest: 6, next: 6))
            #expect(try await reopened.append([OutgoingRecord(destination: p, key: nil, value: [10])]).map(\.offset) == [6])
            try await reopened.close()
        }
    }

    @Test func retentionBySizeKeepsTheNewestRecordsThatFit() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let log = try await environment.openEmbedded()
            let recordSize = 10 + EmbeddedEventLog.recordOverheadBytes
            try await log.createTopic(TopicConfiguration(name: "sized", partitions: 2, retentionBytes: 3 * recordSize + recordSize / 2))
            let p0 = TopicPartition(topic: "sized", partition: 0)
            let p1 = TopicPartition(topic: "sized", partition: 1)
            _ = try await log.append((0..<10).map { index in
                OutgoingRecord(destination: p0, key: nil, value: Array("value-\(String(format: "%04d", index))".utf8))
            })
            _ = try await log.append([OutgoingRecord(destination: p1, key: nil, value: Array("0123456789".utf8))])
            #expect(try await log.enforceRetention() == 7)
            #expect(try await log.offsets(of: p0) == PartitionOffsets(earliest: 7, next: 10))
            #expect(try await Self.readAll(p0, in: log).map(\.offset) == [7, 8, 9])
            #expect(try await Self.readAll(p0, in: log).map(\.value) == (7..<10).map { Array("value-000\($0)".utf8) })
            // A partition within its limit is left alone.
            #expect(try await log.offsets(of: p1) == PartitionOffsets(earliest: 0, next: 1))
            #expect(try await log.append([OutgoingRecord(destination: p0, key: nil, value: [1])]).map(\.offset) == [10])
            try await log.close()
        }
    }

    @Test func maintenanceGivesTheSpaceOfDeletedRecordsBack() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let log = try await environment.openEmbedded()
            try await log.createTopic(TopicConfiguration(name: "bulky", retentionBytes: 0))
            let p = TopicPartition(topic: "bulky", partition: 0)
            _ = try await log.append((0..<200).map { _ in OutgoingRecord(destination: p, key: nil, value: Array(repeating: 7, count: 4096)) })
            let file = try await SQLiteConnection.open(path: environment.url, mode: .readOnly)
            let pagesBefore = try #require(try await file.firstRow("PRAGMA page_count")?.int64(at: 0))
            #expect(try await log.runMaintenance() == 200)
            #expect(try await log.offsets(of: p) == PartitionOffsets(earliest: 200, next: 200))
            let pagesAfter = try #require(try await file.firstRow("PRAGMA page_count")?.int64(at: 0))
            #expect(pagesAfter < pagesBefore / 10)
            #expect(try await file.firstRow("PRAGMA freelist_count")?.int64(at: 0) == 0)
            await file.close()
            try await log.close()
        }
    }

    @Test func compactionKeepsTheLatestRecordPerKeyAtItsOffset() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let log = try await environment.openEmbedded()
            try await log.createTopic(TopicConfiguration(name: "state", cleanupPolicy: .compact))
            let p = TopicPartition(topic: "state", partition: 0)
            let writes: [(String, String?, Int64)] = [
                ("a", "1", 0), ("b", "1", 1), ("a", "2", 2), ("c", "1", 3), ("b", nil, 4),
                ("a", "3", 5), ("d", "1", 6), ("d", nil, 10_000), ("e", "1", 10_001),
            ]
            _ = try await log.append(writes.map { key, value, age in
                OutgoingRecord(destination: p, key: Array(key.utf8), value: value.map { Array($0.utf8) }, timestampMilliseconds: Self.base + age)
            })

            // Tombstones older than a second (the configured delete retention) go; d's is too recent.
            #expect(try await log.compact(nowMilliseconds: Self.base + 5000) == 5)
            #expect(Self.summary(try await Self.readAll(p, in: log)) == ["3 c=1", "5 a=3", "7 d=nil", "8 e=1"])
            #expect(try await log.offsets(of: p) == PartitionOffsets(earliest: 3, next: 9))

            #expect(try await log.compact(nowMilliseconds: Self.base + 20_000) == 1)
            #expect(Self.summary(try await Self.readAll(p, in: log)) == ["3 c=1", "5 a=3", "8 e=1"])
            #expect(try await log.offsets(of: p) == PartitionOffsets(earliest: 3, next: 9))

            // The last record of a partition stays, even a tombstone, so readers see where it ends.
            _ = try await log.append([OutgoingRecord(destination: p, key: Array("c".utf8), value: nil, timestampMilliseconds: Self.base)])
            #expect(try await log.compact(nowMilliseconds: Self.base + 20_000) == 1)
            #expect(Self.summary(try await Self.readAll(p, in: log)) == ["5 a=3", "8 e=1", "9 c=nil"])
            #expect(try await log.offsets(of: p) == PartitionOffsets(earliest: 5, next: 10))
            #expect(try await log.append([OutgoingRecord(destination: p, key: Array("a".utf8), value: [4])]).map(\.offset) == [10])

            // A `.delete` topic is never compacted, and a `.compact` one never expires by age.
            try await log.createTopic(TopicConfiguration(name: "events", retentionMilliseconds: nil))
            let events = TopicPartition(topic: "events", partition: 0)
            _ = try await log.append([("k", "1"), ("k", "2")].map { OutgoingRecord(destination: events, key: Array($0.0.utf8), value: Array($0.1.utf8)) })
            // Now a=3 is superseded and c's tombstone is no longer last: both go; `events` keeps both records.
            #expect(try await log.compact() == 2)
            #expect(Self.summary(try await Self.readAll(p, in: log)) == ["8 e=1", "10 a=\u{4}"])
            #expect(try await log.offsets(of: p) == PartitionOffsets(earliest: 8, next: 11))
            #expect(try await log.offsets(of: events) == PartitionOffsets(earliest: 0, next: 2))
            try await log.close()
        }
    }

    @Test func offsetForTimestampFollowsOffsetOrderWithOutOfOrderTimestamps() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let log = try await environment.openEmbedded()
            try await log.createTopic(TopicConfiguration(name: "clocks"))
            let p = TopicPartition(topic: "clocks", partition: 0)
            let ages: [Int64] = [0, 5000, 2000, 6000]
            _ = try await log.append(ages.map { OutgoingRecord(destination: p, key: nil, value: [1], timestampMilliseconds: Self.base + $0) })
            // The first offset whose own timestamp is at or after T, as Kafka answers it.
            #expect(try await log.offset(of: p, atOrAfter: Self.base + 1500) == 1)
            #expect(try await log.offset(of: p, atOrAfter: Self.base + 5000) == 1)
            #expect(try await log.offset(of: p, atOrAfter: Self.base + 5500) == 3)
            #expect(try await log.offset(of: p, atOrAfter: Self.base + 6001) == nil)
            await #expect {
                _ = try await log.offset(of: TopicPartition(topic: "clocks", partition: 1), atOrAfter: 0)
            } throws: { error in
                (error as? EventLogError)?.code == .unknownPartition
            }
            try await log.close()
        }
    }

    @Test func pollTakesFromEveryAssignedPartitionInTurn() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let log = try await environment.openEmbedded()
            try await log.createTopic(TopicConfiguration(name: "busy", partitions: 2))
            let p0 = TopicPartition(topic: "busy", partition: 0)
            let p1 = TopicPartition(topic: "busy", partition: 1)
            _ = try await log.append((0..<50).flatMap { _ in
                [OutgoingRecord(destination: p0, key: nil, value: [0]), OutgoingRecord(destination: p1, key: nil, value: [1])]
            })
            let reader = try await log.makeReader()
            try await reader.assign([p0: 0, p1: 0])
            var seen: [TopicPartition: [Int64]] = [:]
            for _ in 0..<4 {
                for record in try await reader.poll(maxRecords: 10, timeout: .seconds(5)) {
                    seen[record.partition, default: []].append(record.offset)
                }
            }
            #expect(seen[p0] == Array(0..<20))
            #expect(seen[p1] == Array(0..<20))
            try await reader.close()
            try await log.close()
        }
    }

    @Test func waitingPollEndsWhenItsTaskIsCancelled() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let log = try await environment.openEmbedded()
            try await log.createTopic(TopicConfiguration(name: "idle"))
            let reader = try await log.makeReader()
            try await reader.assign([TopicPartition(topic: "idle", partition: 0): 0])
            let poll = Task { try await reader.poll(maxRecords: 1, timeout: .seconds(600)) }
            try await Task.sleep(for: .milliseconds(100))
            poll.cancel()
            await #expect(throws: CancellationError.self) { _ = try await poll.value }
            try await reader.close()
            try await log.close()
        }
    }

    @Test func periodicMaintenanceRunsWithoutBeingCalled() async throws {
        let configuration = EmbeddedEventLog.Configuration(maintenanceInterval: .milliseconds(20))
        try await EmbeddedLogEnvironment.with(configuration: configuration) { environment in
            let log = try await environment.openEmbedded()
            try await log.createTopic(TopicConfiguration(name: "expiring", retentionMilliseconds: 60_000))
            let p = TopicPartition(topic: "expiring", partition: 0)
            _ = try await log.append([OutgoingRecord(destination: p, key: nil, value: [1], timestampMilliseconds: Self.base)])
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(20))
            while try await log.offsets(of: p).earliest == 0, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await log.offsets(of: p) == PartitionOffsets(earliest: 1, next: 1))
            try await log.close()
        }
    }

    @Test func refusesAnotherApplicationsSQLiteFile() async throws {
        try await EmbeddedLogEnvironment.with { environment in
            let foreign = try await SQLiteConnection.open(path: environment.url)
            try await foreign.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ada')")
            await foreign.close()

            let error = try await #require(throws: EventLogError.self) { _ = try await environment.openEmbedded() }
            #expect(error.code == .corrupt)
            #expect(error.message.contains(environment.url))
            #expect(error.message.contains("not an embedded Ferry event log"))
            let readerError = try await #require(throws: EventLogError.self) {
                _ = try await EmbeddedEventLogReader(path: environment.url, logger: Logger(label: "test.reader"))
            }
            #expect(readerError.code == .corrupt)

            // The file was left as it was.
            let check = try await SQLiteConnection.open(path: environment.url, mode: .readOnly)
            #expect(try await check.firstRow("SELECT name FROM customers")?.string(at: 0) == "Ada")
            #expect(try await check.journalMode() == .delete)
            #expect(try await check.firstRow("SELECT count(*) FROM sqlite_schema WHERE name = 'records'")?.int64(at: 0) == 0)
        }
    }

    @Test func refusesALogOfAnotherLayoutVersion() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            try await environment.openEmbedded().close()
            let file = try await SQLiteConnection.open(path: environment.url)
            try await file.run("PRAGMA user_version = 99")
            await file.close()
            let error = try await #require(throws: EventLogError.self) { _ = try await environment.openEmbedded() }
            #expect(error.code == .corrupt)
            #expect(error.message.contains("version 99"))
            #expect(error.context["path"] == environment.url)
        }
    }

    @Test(arguments: [
        Array(repeating: UInt8(ascii: "x"), count: 8192),
        Array("hello, this is a text file and not a database\n".utf8),
    ])
    func refusesAFileThatIsNotADatabase(contents: [UInt8]) async throws {
        try await EmbeddedLogEnvironment.with { environment in
            try Data(contents).write(to: URL(fileURLWithPath: environment.url))
            let error = try await #require(throws: EventLogError.self) { _ = try await environment.openEmbedded() }
            #expect(error.code == .corrupt)
            #expect(error.message.contains(environment.url))
            #expect(error.message.contains("not a SQLite database"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: environment.url)) == Data(contents))
        }
    }

    @Test func secondInstanceSeesWhatTheFirstAppended() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let writer = try await environment.openEmbedded()
            let other = try await environment.openEmbedded()
            let p = TopicPartition(topic: "shared", partition: 1)
            #expect(try await other.partitionCount(of: "shared") == nil)
            try await writer.createTopic(TopicConfiguration(name: "shared", partitions: 2))
            #expect(try await other.partitionCount(of: "shared") == 2)

            _ = try await writer.append((0..<3).map { OutgoingRecord(destination: p, key: nil, value: [UInt8($0)]) })
            #expect(try await other.offsets(of: p) == PartitionOffsets(earliest: 0, next: 3))
            #expect(try await Self.readAll(p, in: other).map(\.value) == [[0], [1], [2]])

            // A reader of the second instance waiting at the end receives the first's next append.
            let reader = try await other.makeReader()
            try await reader.assign([p: 3])
            let appender = Task {
                try await Task.sleep(for: .milliseconds(200))
                return try await writer.append([OutgoingRecord(destination: p, key: nil, value: [3])])
            }
            var tailed: [StoredRecord] = []
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(20))
            while tailed.isEmpty, clock.now < deadline {
                tailed = try await reader.poll(maxRecords: 10, timeout: .seconds(5))
            }
            #expect(try await appender.value.map(\.offset) == [3])
            #expect(tailed.map(\.offset) == [3])
            #expect(tailed.map(\.value) == [[3]])
            try await reader.close()
            try await writer.close()
            try await other.close()
        }
    }

    @Test func concurrentAppendsFromTwoInstancesGetDistinctOffsets() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let first = try await environment.openEmbedded()
            let second = try await environment.openEmbedded()
            try await first.createTopic(TopicConfiguration(name: "contended"))
            let p = TopicPartition(topic: "contended", partition: 0)
            let offsets = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for (index, log) in [first, second, first, second].enumerated() {
                    group.addTask {
                        var offsets: [Int64] = []
                        for i in 0..<25 {
                            let records = [OutgoingRecord(destination: p, key: nil, value: Array("\(index)-\(i)".utf8))]
                            offsets += try await log.append(records).map(\.offset)
                        }
                        return offsets
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(offsets.count == 100)
            #expect(Set(offsets) == Set(0..<100))
            #expect(try await second.offsets(of: p) == PartitionOffsets(earliest: 0, next: 100))
            let stored = try await Self.readAll(p, in: first)
            #expect(stored.map(\.offset) == Array(0..<100))
            try await first.close()
            try await second.close()
        }
    }

    @Test func callsAfterCloseFailWithClosed() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let log = try await environment.openEmbedded()
            try await log.createTopic(TopicConfiguration(name: "t"))
            let p = TopicPartition(topic: "t", partition: 0)
            let reader = try await log.makeReader()
            try await reader.assign([p: 0])
            try await reader.close()
            await #expect { _ = try await reader.poll(maxRecords: 1, timeout: .zero) } throws: { error in
                (error as? EventLogError)?.code == .closed
            }
            try await log.close()
            try await log.close()
            await #expect { _ = try await log.append([OutgoingRecord(destination: p, key: nil, value: [1])]) } throws: { error in
                (error as? EventLogError)?.code == .closed
            }
            await #expect { _ = try await log.makeReader() } throws: { error in
                (error as? EventLogError)?.code == .closed
            }
        }
    }

    @Test func invalidTopicConfigurationsAreRefused() async throws {
        try await EmbeddedLogEnvironment.with(configuration: Self.manual) { environment in
            let log = try await environment.openEmbedded()
            for topic in [
                TopicConfiguration(name: "", partitions: 1),
                TopicConfiguration(name: "zero", partitions: 0),
                TopicConfiguration(name: "negative", retentionMilliseconds: -1),
            ] {
                await #expect { try await log.createTopic(topic) } throws: { error in
                    (error as? EventLogError)?.code == .invalidConfiguration
                }
            }
            #expect(try await log.partitionCount(of: "zero") == nil)
            await #expect {
                _ = try await log.offsets(of: TopicPartition(topic: "zero", partition: 0))
            } throws: { error in
                (error as? EventLogError)?.code == .unknownTopic
            }
            try await log.close()
        }
    }
}
