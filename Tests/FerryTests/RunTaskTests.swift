import FerryTestSupport
import Foundation
import Kafka
import Logging
import Postgres
import Synchronization
import Testing
@testable import Ferry

/// `ferry run` end to end: where a cdc task starts, the DMS stop settings, and a Kafka log.
@Suite(.serialized) struct RunTaskTests {
    enum StartPosition: String, CaseIterable, Sendable { case lsn, time }

    @Test("--migration-type cdc --cdc-start-position: changes before the position are not replicated, from it on they are",
          arguments: StartPosition.allCases)
    func cdcStartPosition(_ kind: StartPosition) async throws {
        try await WalkthroughTests.withEnvironment { environment in
            try await WalkthroughTests.convert(environment)
            let source = try await environment.connect()
            _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Before start', N'Start position')")
            _ = try await RunTestSupport.capturedLSN(source, department: "Before start")
            // A time strictly between the two commits (the capture job stamps commit times in UTC).
            try await Task.sleep(for: .milliseconds(1100))
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let between = formatter.string(from: Date())
            try await Task.sleep(for: .milliseconds(1100))
            _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'At start', N'Start position')")
            let startLSN = try await RunTestSupport.capturedLSN(source, department: "At start")
            let position = kind == .lsn ? RunTestSupport.lsnText(startLSN) : between

            let run = try ChildProcess(ferry: RunTestSupport.runArguments(environment, migrationType: "cdc", extra: ["--cdc-start-position", position]))
            _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'After start', N'Start position')")
            await source.close()
            let target = try await PostgresConnection.connect(url: environment.targetURL, logger: WalkthroughTests.logger)
            try await WalkthroughTests.waitUntil("the change after the start", run: run) {
                try await RunTestSupport.targetDepartments(target, group: "Start position").contains("After start")
            }
            #expect(try await RunTestSupport.targetDepartments(target, group: "Start position") == ["At start", "After start"], "start \(position)")
            await target.close()
            let department = try #require(try await WalkthroughTests.status(environment)["Department"])
            #expect(department.inserts == 2)
            #expect(department.fullLoadRows == 0, "a cdc task loads nothing")
            run.terminate()
            #expect(try await run.waitForExit() == 0, "\(run.standardError)")
        }
    }

    /// Inserts departments `Cached 1`, `Cached 2`, … every 30 ms until `stop` is set; returns how
    /// many. (A flag, not cancellation: a cancelled insert may or may not have committed.)
    static func insertContinuously(_ environment: WalkthroughTests.Environment, stop: StopFlag) -> Task<Int, any Error> {
        Task {
            let source = try await environment.connect()
            var count = 0
            while !stop.isSet {
                count += 1
                _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Cached \(count)', N'Cached')")
                try await Task.sleep(for: .milliseconds(30))
            }
            await source.close()
            return count
        }
    }

    /// The `Cached n` rows of the target are `Cached 1`…`Cached k` with no gap; returns k.
    static func cachedPrefix(_ target: PostgresConnection) async throws -> Int {
        let names = try await RunTestSupport.targetDepartments(target, group: "Cached")
        #expect(names == Set((0..<names.count).map { "Cached \($0 + 1)" }), "the replicated rows are a prefix of the source's: \(names.sorted())")
        return names.count
    }

    /// Runs a task with `setting` in FullLoadSettings while departments are inserted throughout the
    /// load; waits for it to stop by itself with `message`. Returns the target (open), how many
    /// rows were written in all, and the Department statistics.
    static func runStoppingTask(_ environment: WalkthroughTests.Environment, setting: String, message: String)
        async throws -> (target: PostgresConnection, written: Int, department: WalkthroughTests.TableStatistics) {
        try await WalkthroughTests.convert(environment)
        let settings = try RunTestSupport.settingsFile { json in
            RunTestSupport.set(&json, "FullLoadSettings", setting, true)
            RunTestSupport.set(&json, "FullLoadSettings", "MaxFullLoadSubTasks", 1)
        }
        defer { try? FileManager.default.removeItem(atPath: settings) }
        let stop = StopFlag()
        let writer = Self.insertContinuously(environment, stop: stop)
        try await Task.sleep(for: .milliseconds(300))
        let run = try ChildProcess(ferry: RunTestSupport.runArguments(environment, settings: settings))
        #expect(try await run.waitForExit(timeout: .seconds(180)) == 0, "\(run.standardError)")
        #expect(run.output.contains(message), "\(run.output.suffix(10))")
        try await Task.sleep(for: .milliseconds(500))
        stop.set()
        let written = try await writer.value
        let target = try await PostgresConnection.connect(url: environment.targetURL, logger: WalkthroughTests.logger)
        let department = try #require(try await WalkthroughTests.status(environment)["Department"])
        return (target, written, department)
    }

    @Test("StopTaskCachedChangesApplied: the task stops once the full load and the changes committed during it are applied")
    func stopAfterCachedChangesApplied() async throws {
        try await WalkthroughTests.withEnvironment { environment in
            let (target, written, department) = try await Self.runStoppingTask(
                environment, setting: "StopTaskCachedChangesApplied", message: "full load and cached changes applied")
            let replicated = try await Self.cachedPrefix(target)
            await target.close()
            #expect(department.inserts >= 1, "changes committed during the load were applied as changes")
            #expect(replicated < written, "the task stopped: later inserts were not replicated (\(replicated) of \(written))")
        }
    }

    @Test("StopTaskCachedChangesNotApplied: the task stops after the full load without the cached changes; a later run applies them once")
    func stopBeforeCachedChangesApplied() async throws {
        try await WalkthroughTests.withEnvironment { environment in
            let (target, written, department) = try await Self.runStoppingTask(
                environment, setting: "StopTaskCachedChangesNotApplied", message: "full load applied")
            let loaded = try await Self.cachedPrefix(target)
            #expect(department.inserts == 0, "no change was applied, only the snapshot")
            #expect(loaded < written)

            // The checkpoint sits at the snapshot: an ordinary run streams the cached changes, once each.
            let resumed = try ChildProcess(ferry: RunTestSupport.runArguments(environment))
            try await WalkthroughTests.waitUntil("every cached insert", run: resumed) {
                try await RunTestSupport.targetDepartments(target, group: "Cached").count == written
            }
            #expect(try await Self.cachedPrefix(target) == written)
            await target.close()
            let inserts = try #require(try await WalkthroughTests.status(environment)["Department"]?.inserts)
            // The snapshot hands over to streaming at one LSN: every row the load missed comes as
            // exactly one insert, and none the load read comes again.
            #expect(inserts == written - loaded, "inserts \(inserts), written \(written), loaded \(loaded)")
            resumed.terminate()
            #expect(try await resumed.waitForExit() == 0, "\(resumed.standardError)")
        }
    }

    /// librdkafka's mock cluster has no CreateTopics request: only a client in the process that
    /// runs the mock can create topics (the Kafka module creates them in the mock directly). So the
    /// task runs in this process, through the same `RunCommand` the executable runs.
    @Test("--log kafka://: full load and changes through librdkafka's mock cluster, validated")
    func kafkaLog() async throws {
        var kafkaLogger = Logger(label: "ferry.test.kafka")
        kafkaLogger.logLevel = .critical
        let cluster = try KafkaMockCluster(brokerCount: 1, logger: kafkaLogger)
        defer { cluster.close() }
        try await WalkthroughTests.withEnvironment { environment in
            try await WalkthroughTests.convert(environment)
            var arguments = RunTestSupport.runArguments(
                environment, log: "kafka://" + cluster.bootstrapServers,
                extra: ["--kafka-property", "socket.timeout.ms=5000", "--kafka-property", "reconnect.backoff.ms=20",
                        "--kafka-property", "retry.backoff.ms=20"])
            arguments.removeFirst() // "run"
            arguments[arguments.firstIndex(of: "--progress")! + 1] = "none"
            let command = try RunCommand.parse(arguments)
            let task = Task { try await command.run() }
            do {
                let counts = try await WalkthroughTests.sourceCounts(environment)
                try await Self.waitUntil("the full load through Kafka", task: task) { try await WalkthroughTests.fullLoadApplied(environment, counts: counts) }

                let source = try await environment.connect()
                _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Kafka one', N'Kafka')")
                _ = try await source.execute("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Kafka two', N'Kafka')")
                _ = try await source.execute("UPDATE HumanResources.Department SET Name = N'Kafka one, renamed' WHERE Name = N'Kafka one'")
                _ = try await source.execute("DELETE FROM HumanResources.Department WHERE Name = N'Kafka two'")
                await source.close()
                let target = try await PostgresConnection.connect(url: environment.targetURL, logger: WalkthroughTests.logger)
                try await Self.waitUntil("the changes through Kafka", task: task) {
                    let department = try await WalkthroughTests.status(environment)["Department"]
                    let names = try await RunTestSupport.targetDepartments(target, group: "Kafka")
                    return department?.inserts == 2 && department?.updates == 1 && names == ["Kafka one, renamed"]
                }
                await target.close()
                let validate = try ChildProcess(ferry: ["validate", "--source", environment.sourceURL, "--target", environment.targetURL] + environment.taskFiles)
                #expect(try await validate.waitForExit() == 0, "\(validate.output.joined(separator: "\n"))")
            } catch {
                task.cancel()
                _ = await task.result
                throw error
            }
            task.cancel()
            _ = await task.result
        }
    }

    /// Polls until `condition` holds; fails when the in-process task ends first or after `timeout`.
    static func waitUntil(_ what: String, task: Task<Void, any Error>, timeout: Duration = .seconds(180), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw WalkthroughTimeout(description: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}

/// A flag one task sets and another polls.
final class StopFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
