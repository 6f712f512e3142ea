import EventLog
import Foundation
import Logging

/// A fresh directory holding one embedded log file for one test.
struct EmbeddedLogEnvironment: LogEnvironment {
    let directory: URL
    let configuration: EmbeddedEventLog.Configuration

    /// The log file's path (the embedded log's address is its path).
    var url: String { directory.appendingPathComponent("log.sqlite").path }
    var answersTimestampQueries: Bool { true }

    init(configuration: EmbeddedEventLog.Configuration = .init()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-embedded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.configuration = configuration
    }

    func open() async throws -> any EventLog {
        try await openEmbedded()
    }

    /// Opens a new client with its concrete type, for the tests of its own features.
    func openEmbedded() async throws -> EmbeddedEventLog {
        try await EmbeddedEventLog(path: url, configuration: configuration, logger: Logger(label: "test.embedded-log"))
    }

    func tearDown() async {
        try? FileManager.default.removeItem(at: directory)
    }
}

extension EmbeddedLogEnvironment {
    /// Runs `body` in a fresh environment and tears it down afterwards, whatever happens.
    static func with<T>(
        configuration: EmbeddedEventLog.Configuration = .init(),
        _ body: (EmbeddedLogEnvironment) async throws -> T
    ) async throws -> T {
        let environment = try EmbeddedLogEnvironment(configuration: configuration)
        do {
            let result = try await body(environment)
            await environment.tearDown()
            return result
        } catch {
            await environment.tearDown()
            throw error
        }
    }
}
