public import Foundation
import Synchronization

/// A `ferry` process started by a test, whose standard output is collected line by line.
public final class ChildProcess: Sendable {
    private let process: Process
    private let lines = Mutex<[String]>([])
    private let errorOutput = Mutex<Data>(Data())
    private let finished = Mutex(false)
    private let errorsFinished = Mutex(false)

    /// The `ferry` executable built next to the test bundle (or `FERRY_BINARY`).
    public static var ferryExecutable: URL {
        if let override = ProcessInfo.processInfo.environment["FERRY_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("ferry")
    }

    /// Starts `ferry` with `arguments`.
    public init(ferry arguments: [String]) throws {
        process = Process()
        process.executableURL = Self.ferryExecutable
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let reading = stdout.fileHandleForReading
        let errors = stderr.fileHandleForReading
        Thread.detachNewThread { [self] in
            var pending = Data()
            while true {
                let chunk = reading.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0a) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    lines.withLock { $0.append(line) }
                }
            }
            finished.withLock { $0 = true }
        }
        Thread.detachNewThread { [self] in
            let data = errors.readDataToEndOfFile()
            errorOutput.withLock { $0 = data }
            errorsFinished.withLock { $0 = true }
        }
    }

    /// The complete lines printed so far.
    public var output: [String] { lines.withLock { $0 } }

    /// What the process wrote to standard error (complete once it has exited).
    public var standardError: String { errorOutput.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Waits until at least `count` lines were printed, or the process ended, or the time ran out.
    public func waitForLines(_ count: Int, timeout: Duration = .seconds(60)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while output.count < count, clock.now < deadline, !finished.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends SIGINT, as Ctrl-C would.
    public func interrupt() {
        Foundation.kill(process.processIdentifier, SIGINT)
    }

    /// Sends SIGTERM, as a service manager stopping the process would.
    public func terminate() {
        Foundation.kill(process.processIdentifier, SIGTERM)
    }

    /// Kills the process with SIGKILL: no handler, no flush, no clean-up.
    public func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
    }

    /// Waits for the process to exit and for its output to be read; returns its exit status.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(120)) async throws -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        // Both pipes read to the end, so ``standardError`` is complete when this returns.
        while process.isRunning || !finished.withLock({ $0 }) || !errorsFinished.withLock({ $0 }) {
            guard clock.now < deadline else {
                kill()
                throw ChildProcessError(message: "ferry \(process.arguments ?? []) did not exit in time")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}

/// A child process misbehaved (it did not exit in time).
public struct ChildProcessError: Error, CustomStringConvertible {
    /// What happened.
    public var message: String
    public var description: String { message }
}
