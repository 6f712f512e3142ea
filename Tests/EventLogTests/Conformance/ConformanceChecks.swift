import EventLog
import Testing

extension ConformanceCheck {
    /// Every check, in a stable order.
    static let all: [ConformanceCheck] = [
        createTopicIsIdempotent,
        appendAssignsConsecutiveOffsetsInOrder,
        recordsRoundTripExactly,
        orderingPerPartitionUnderLoad,
        concurrentAppendsGetDistinctOffsets,
        readerStartsAtRequestedOffset,
        readerTailsNewRecords,
        pollTimesOutEmpty,
        offsetsSurviveReopening,
        offsetForTimestamp,
        compactedTopicKeepsLatestPerKey,
        unknownTopicAndPartitionAreErrors,
        keyedAppendUsesKafkaPartitioner,
    ]

    static let createTopicIsIdempotent = ConformanceCheck("createTopic is idempotent, and a mismatch is an error") { env in
        try await env.withLog { log in
            #expect(try await log.partitionCount(of: "orders") == nil)
            try await log.createTopic(TopicConfiguration(name: "orders", partitions: 3))
            try await log.createTopic(TopicConfiguration(name: "orders", partitions: 3))
            #expect(try await log.partitionCount(of: "orders") == 3)
            await #expect {
                try await log.createTopic(TopicConfiguration(name: "orders", partitions: 5))
            } throws: { error in
                (error as? EventLogError)?.code == .topicMismatch
            }
        }
    }

    static let appendAssignsConsecutiveOffsetsInOrder = ConformanceCheck("append assigns consecutive offsets in order") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "t", partitions: 2))
            let p0 = TopicPartition(topic: "t", partition: 0)
            let p1 = TopicPartition(topic: "t", partition: 1)
            let records = (0..<10).map { i in
                OutgoingRecord(destination: i % 2 == 0 ? p0 : p1, key: nil, value: Fixtures.bytes("v\(i)"))
            }
            let positions = try await log.append(records)
            #expect(positions.count == 10)
            #expect(positions.filter { $0.partition == p0 }.map(\.offset) == [0, 1, 2, 3, 4])
            #expect(positions.filter { $0.partition == p1 }.map(\.offset) == [0, 1, 2, 3, 4])
            for (record, position) in zip(records, positions) {
                #expect(record.destination == position.partition)
            }
            let more = try await log.append([OutgoingRecord(destination: p0, key: nil, value: [1])])
            #expect(more.map(\.offset) == [5])
            #expect(try await log.offsets(of: p0) == PartitionOffsets(earliest: 0, next: 6))
            #expect(try await log.offsets(of: p1) == PartitionOffsets(earliest: 0, next: 5))
            let stored = try await Fixtures.readAll(p0, in: log)
            #expect(stored.map(\.value) == [[118, 48], [118, 50], [118, 52], [118, 54], [118, 56], [1]])
        }
    }

    static let recordsRoundTripExactly = ConformanceCheck("keys, values, tombstones, headers and timestamps round-trip") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "rt", partitions: 1))
            let p = TopicPartition(topic: "rt", partition: 0)
            let binary = (0...255).map { UInt8($0) }
            let records = [
                OutgoingRecord(destination: p, key: Fixtures.bytes("k"), value: binary,
                               headers: [RecordHeader(name: "h1", value: [0, 1]), RecordHeader(name: "h2", value: nil)],
                               timestampMilliseconds: 1_700_000_000_123),
                OutgoingRecord(destination: p, key: Fixtures.bytes("k"), value: nil, timestampMilliseconds: 1_700_000_000_124),
                OutgoingRecord(destination: p, key: nil, value: [], timestampMilliseconds: 1_700_000_000_125),
                OutgoingRecord(destination: p, key: [], value: Fixtures.bytes("ünïcødé ✓"), timestampMilliseconds: 1_700_000_000_126),
            ]
            _ = try await log.append(records)
            let stored = try await Fixtures.readAll(p, in: log)
            try #require(stored.count == records.count)
            for (sent, got) in zip(records, stored) {
                #expect(got.partition == p)
                #expect(got.key == sent.key)
                #expect(got.value == sent.value)
                #expect(got.headers == sent.headers)
                #expect(got.timestampMilliseconds == sent.timestampMilliseconds)
            }
        }
    }

    static let orderingPerPartitionUnderLoad = ConformanceCheck("10,000 records keep their order in each partition") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "load", partitions: 3))
            var sequence = [Int32: Int](uniqueKeysWithValues: (0..<3).map { (Int32($0), 0) })
            for batch in 0..<10 {
                var records: [OutgoingRecord] = []
                for i in 0..<1000 {
                    let partition = Int32((batch * 1000 + i) % 3)
                    records.append(OutgoingRecord(
                        destination: TopicPartition(topic: "load", partition: partition),
                        key: nil,
                        value: Fixtures.bytes("\(sequence[partition]!)")
                    ))
                    sequence[partition]! += 1
                }
                _ = try await log.append(records)
            }
            for partition in Int32(0)..<3 {
                let stored = try await Fixtures.readAll(TopicPartition(topic: "load", partition: partition), in: log)
                let values = stored.map { String(decoding: $0.value ?? [], as: UTF8.self) }
                #expect(values == (0..<sequence[partition]!).map(String.init))
                #expect(stored.map(\.offset) == (0..<Int64(sequence[partition]!)).map { $0 })
            }
        }
    }

    static let concurrentAppendsGetDistinctOffsets = ConformanceCheck("concurrent appends get distinct offsets") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "conc", partitions: 1))
            let p = TopicPartition(topic: "conc", partition: 0)
            let offsets = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for task in 0..<8 {
                    group.addTask {
                        var offsets: [Int64] = []
                        for i in 0..<25 {
                            let record = OutgoingRecord(destination: p, key: nil, value: Fixtures.bytes("\(task)-\(i)"))
                            offsets += try await log.append([record]).map(\.offset)
                        }
                        return offsets
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(offsets) == Set(0..<200))
            let stored = try await Fixtures.readAll(p, in: log)
            #expect(stored.count == 200)
            // Each task's records are in the order that task appended them.
            for task in 0..<8 {
                let mine = stored.compactMap { record -> Int? in
                    let text = String(decoding: record.value ?? [], as: UTF8.self)
                    let parts = text.split(separator: "-")
                    return parts[0] == "\(task)" ? Int(parts[1]) : nil
                }
                #expect(mine == Array(0..<25))
            }
        }
    }

    static let readerStartsAtRequestedOffset = ConformanceCheck("a reader starts at the offset it is assigned") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "seek", partitions: 2))
            let p0 = TopicPartition(topic: "seek", partition: 0)
            let p1 = TopicPartition(topic: "seek", partition: 1)
            _ = try await log.append((0..<10).map { OutgoingRecord(destination: p0, key: nil, value: [UInt8($0)]) })
            _ = try await log.append((0..<4).map { OutgoingRecord(destination: p1, key: nil, value: [UInt8(100 + $0)]) })
            let reader = try await log.makeReader()
            try await reader.assign([p0: 7, p1: -5])
            let records = try await Fixtures.read(3 + 4, from: reader)
            #expect(records.filter { $0.partition == p0 }.map(\.offset) == [7, 8, 9])
            #expect(records.filter { $0.partition == p1 }.map(\.offset) == [0, 1, 2, 3])
            // Re-assigning moves the position.
            try await reader.assign([p0: 2])
            let again = try await Fixtures.read(8, from: reader)
            #expect(again.map(\.offset) == Array(2..<10))
            #expect(again.allSatisfy { $0.partition == p0 })
            try await reader.close()
        }
    }

    static let readerTailsNewRecords = ConformanceCheck("a reader at the end receives records appended later") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "tail", partitions: 1))
            let p = TopicPartition(topic: "tail", partition: 0)
            let reader = try await log.makeReader()
            try await reader.assign([p: 0])
            let appender = Task {
                try await Task.sleep(for: .milliseconds(300))
                _ = try await log.append([OutgoingRecord(destination: p, key: nil, value: [42])])
            }
            let records = try await Fixtures.read(1, from: reader, timeout: .seconds(20))
            try await appender.value
            #expect(records.first?.value == [42])
            try await reader.close()
        }
    }

    static let pollTimesOutEmpty = ConformanceCheck("poll returns nothing when nothing arrives in time") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "quiet", partitions: 1))
            let p = TopicPartition(topic: "quiet", partition: 0)
            _ = try await log.append([OutgoingRecord(destination: p, key: nil, value: [1])])
            let reader = try await log.makeReader()
            try await reader.assign([p: 1])
            let records = try await reader.poll(maxRecords: 10, timeout: .milliseconds(300))
            #expect(records.isEmpty)
            try await reader.close()
        }
    }

    static let offsetsSurviveReopening = ConformanceCheck("offsets and records survive closing and reopening") { env in
        let p = TopicPartition(topic: "durable", partition: 0)
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "durable", partitions: 1))
            _ = try await log.append((0..<5).map { OutgoingRecord(destination: p, key: nil, value: [UInt8($0)]) })
        }
        try await env.withLog { log in
            #expect(try await log.partitionCount(of: "durable") == 1)
            #expect(try await log.offsets(of: p).next == 5)
            let positions = try await log.append([OutgoingRecord(destination: p, key: nil, value: [5])])
            #expect(positions.map(\.offset) == [5])
            let stored = try await Fixtures.readAll(p, in: log)
            #expect(stored.map(\.value) == (0...5).map { [UInt8($0)] })
        }
    }

    static let offsetForTimestamp = ConformanceCheck("the offset for a timestamp is the first record at or after it") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "time", partitions: 1))
            let p = TopicPartition(topic: "time", partition: 0)
            let base: Int64 = 1_700_000_000_000
            _ = try await log.append((0..<5).map { i in
                OutgoingRecord(destination: p, key: nil, value: [UInt8(i)], timestampMilliseconds: base + Int64(i) * 1000)
            })
            let afterAll = try await log.offset(of: p, atOrAfter: base + 60_000)
            #expect(afterAll == nil)
            let exact = try await log.offset(of: p, atOrAfter: base + 2000)
            let between = try await log.offset(of: p, atOrAfter: base + 2500)
            let beforeAll = try await log.offset(of: p, atOrAfter: 0)
            if env.answersTimestampQueries {
                #expect(exact == 2)
                #expect(between == 3)
                #expect(beforeAll == 0)
            } else {
                // The mock cluster answers -1 ("no such offset") to every lookup: the client must
                // pass that on as "none", never as a made-up offset.
                #expect(exact == nil || exact == 2)
                #expect(between == nil || between == 3)
                #expect(beforeAll == nil || beforeAll == 0)
            }
        }
    }

    static let compactedTopicKeepsLatestPerKey = ConformanceCheck("a compacted topic yields the latest value of each key") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "state", partitions: 1, cleanupPolicy: .compact))
            let p = TopicPartition(topic: "state", partition: 0)
            let writes: [(String, String?)] = [("a", "1"), ("b", "1"), ("a", "2"), ("c", "1"), ("b", nil), ("a", "3")]
            _ = try await log.append(writes.map { key, value in
                OutgoingRecord(destination: p, key: Fixtures.bytes(key), value: value.map(Fixtures.bytes))
            })
            let stored = try await Fixtures.readAll(p, in: log)
            var latest: [String: String] = [:]
            for record in stored {
                let key = String(decoding: record.key ?? [], as: UTF8.self)
                latest[key] = record.value.map { String(decoding: $0, as: UTF8.self) }
            }
            #expect(latest == ["a": "3", "c": "1"])
            // Offsets keep counting past whatever compaction removed.
            #expect(try await log.offsets(of: p).next == 6)
        }
    }

    static let unknownTopicAndPartitionAreErrors = ConformanceCheck("appending to an unknown topic or partition is an error") { env in
        try await env.withLog { log in
            await #expect {
                _ = try await log.append([OutgoingRecord(destination: TopicPartition(topic: "nope", partition: 0), key: nil, value: [1])])
            } throws: { error in
                (error as? EventLogError)?.code == .unknownTopic
            }
            try await log.createTopic(TopicConfiguration(name: "two", partitions: 2))
            await #expect {
                _ = try await log.append([OutgoingRecord(destination: TopicPartition(topic: "two", partition: 2), key: nil, value: [1])])
            } throws: { error in
                (error as? EventLogError)?.code == .unknownPartition
            }
        }
    }

    static let keyedAppendUsesKafkaPartitioner = ConformanceCheck("keyed append spreads keys with Kafka's partitioner") { env in
        try await env.withLog { log in
            try await log.createTopic(TopicConfiguration(name: "keyed", partitions: 4))
            let keys = (0..<40).map { Fixtures.bytes("customer-\($0)") }
            let positions = try await log.append(toTopic: "keyed", keys.map { (key: $0, value: $0) })
            for (key, position) in zip(keys, positions) {
                #expect(position.partition.partition == Partitioner.partition(forKey: key, partitionCount: 4))
            }
            #expect(Set(positions.map(\.partition.partition)).count > 1)
        }
    }
}
