import FerryTestSupport
import Foundation
import Logging
import Postgres
import Testing

/// `ferry demo` end to end: the executable, an embedded log file, and a real PostgreSQL database
/// of its own.
@Suite(.serialized) struct DemoCommandTests {
    @Test func roundTripContinuesAcrossRuns() async throws {
        try await withDemoDatabase { target, logPath in
            let first = try ChildProcess(ferry: ["demo", "--log", logPath, "--target", target, "--events", "3000", "--log-level", "warning"])
            #expect(try await first.waitForExit() == 0, "\(first.standardError)")
            #expect(first.output.contains("round trip OK"))
            #expect(first.output.contains { $0.contains("3000 events in all") })

            let second = try ChildProcess(ferry: ["demo", "--log", logPath, "--target", target, "--events", "2000", "--log-level", "warning"])
            #expect(try await second.waitForExit() == 0, "\(second.standardError)")
            #expect(second.output.contains("round trip OK"))
            #expect(second.output.contains { $0.contains("5000 events in all") })
            // 500 blocks of ten events: seven inserts and one delete each.
            #expect(try await count("SELECT count(*) FROM ferry_demo.orders", in: target) == 3000)
            #expect(try await count("SELECT sum(next_offset)::bigint FROM ferry.sink_offsets WHERE sink = 'demo'", in: target) == 5000)
        }
    }

    @Test func killedMidwayResumesWithoutLosingAnEvent() async throws {
        try await withDemoDatabase { target, logPath in
            let doomed = try ChildProcess(ferry: ["demo", "--log", logPath, "--target", target, "--events", "400000", "--batch", "500", "--log-level", "warning"])
            // Wait until the applier has committed some batches, then kill it without warning.
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(120))
            while clock.now < deadline {
                let applied = try? await count("SELECT coalesce(sum(next_offset), 0)::bigint FROM ferry.sink_offsets WHERE sink = 'demo'", in: target)
                if let applied, applied >= 5000 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            doomed.kill()
            try await doomed.waitForExit()
            let appliedBeforeCrash = try await count("SELECT sum(next_offset)::bigint FROM ferry.sink_offsets WHERE sink = 'demo'", in: target)
            #expect(appliedBeforeCrash >= 5000)

            // A new run appends nothing more and applies whatever the crash left behind.
            let resumed = try ChildProcess(ferry: ["demo", "--log", logPath, "--target", target, "--events", "0", "--log-level", "warning"])
            #expect(try await resumed.waitForExit() == 0, "\(resumed.standardError)")
            #expect(resumed.output.contains("round trip OK"), "\(resumed.output) \(resumed.standardError)")
        }
    }

    @Test func interruptStopsCleanlyAndTheNextRunCompletes() async throws {
        try await withDemoDatabase { target, logPath in
            let interrupted = try ChildProcess(ferry: ["demo", "--log", logPath, "--target", target, "--events", "400000", "--batch", "500", "--log-level", "warning"])
            try await Task.sleep(for: .seconds(2))
            interrupted.interrupt()
            #expect(try await interrupted.waitForExit() == 0, "\(interrupted.standardError)")
            let summary = interrupted.output.joined(separator: "\n")
            #expect(summary.contains("stopped early") || summary.contains("round trip OK"), "\(summary)")

            let resumed = try ChildProcess(ferry: ["demo", "--log", logPath, "--target", target, "--events", "0", "--log-level", "warning"])
            #expect(try await resumed.waitForExit() == 0, "\(resumed.standardError)")
            #expect(resumed.output.contains("round trip OK"))
        }
    }

    @Test func unreachableTargetIsARuntimeErrorNamingIt() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try ChildProcess(ferry: [
            "demo", "--log", directory + "/log.db", "--target", "postgresql://ferry:s3cret@127.0.0.1:1/nowhere", "--events", "10",
        ])
        #expect(try await process.waitForExit() == 1)
        #expect(process.standardError.contains("127.0.0.1"))
        #expect(!process.standardError.contains("s3cret"))
    }

    @Test func badOptionIsAUsageError() async throws {
        let process = try ChildProcess(ferry: ["demo", "--target", "postgresql://x", "--events", "-5"])
        #expect(try await process.waitForExit() == 2)
        #expect(process.standardError.contains("--events"))
    }

    // MARK: Helpers

    /// Runs `body` with a new database on the test server and a new log file, dropping both after.
    private func withDemoDatabase(_ body: (_ target: String, _ logPath: String) async throws -> Void) async throws {
        let name = TestPostgres.uniqueName("ferry_demo_test")
        let admin = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: Self.logger)
        try await admin.execute("CREATE DATABASE \(PostgresIdentifier.quote(name))")
        let directory = try temporaryDirectory()
        do {
            try await body(try TestPostgres.url(database: name), directory + "/demo.log")
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            _ = try? await admin.execute("DROP DATABASE IF EXISTS \(PostgresIdentifier.quote(name)) WITH (FORCE)")
            await admin.close()
            throw error
        }
        try? FileManager.default.removeItem(atPath: directory)
        try await admin.execute("DROP DATABASE IF EXISTS \(PostgresIdentifier.quote(name)) WITH (FORCE)")
        await admin.close()
    }

    private func count(_ sql: String, in url: String) async throws -> Int64 {
        let connection = try await PostgresConnection.connect(url: url, logger: Self.logger)
        defer { Task { await connection.close() } }
        let rows = try await connection.query(sql)
        return try rows[0].decode(Int64.self, at: 0)
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(TestPostgres.uniqueName("ferry-demo")).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private static var logger: Logger {
        var logger = Logger(label: "ferry.tests.demo")
        logger.logLevel = .warning
        return logger
    }
}
