import ServiceLifecycle
import Synchronization
import PostgresSink
import SQLServerSource

/// One part of a `ferry run` task (the source or one sink) as a service: it names the part in
/// the error that ends the task, and records whether the part finished on its own or because the
/// task was shutting down.
final class RunPart: Service, Sendable {
    /// `source sqlserver://…` or `sink 1 (postgresql://…)`, without passwords.
    let name: String
    let body: @Sendable () async throws -> Void
    /// Set when `body` returned while no graceful shutdown was under way.
    private let finished = Mutex(false)

    /// Whether the part finished on its own (not stopped by a shutdown).
    var finishedOnItsOwn: Bool { finished.withLock { $0 } }

    init(name: String, body: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.body = body
    }

    func run() async throws {
        do {
            try await body()
        } catch let error as SourceError where error.code == .invalidConfiguration || error.code == .noTablesSelected {
            throw ConfigurationError(subject: name, message: error.message)
        } catch let error as SinkError where error.code == .invalidConfiguration {
            throw ConfigurationError(subject: name, message: error.message)
        } catch {
            throw RunError(part: name, underlying: error)
        }
        if !Task.isShuttingDownGracefully { finished.withLock { $0 = true } }
    }
}

/// A part of a `ferry run` task failed; the task stopped because of it.
struct RunError: Error, CustomStringConvertible {
    /// Codes of ``RunError``.
    struct Code: Hashable, Sendable {
        let name: String
        /// A part (the source or a sink) failed.
        static let partFailed = Code(name: "partFailed")
    }

    /// What went wrong.
    var code: Code
    /// The part that failed.
    var part: String
    /// Its error.
    var underlying: any Error
    /// The part and its error.
    var context: [String: String] { ["part": part] }
    /// The task stops; a restart resumes from the checkpoint and offsets.
    var isRetriable: Bool { false }

    init(part: String, underlying: any Error) {
        self.code = .partFailed
        self.part = part
        self.underlying = underlying
    }

    var description: String { "\(part) failed: \(underlying)" }
}
