import CLibPQ
import Logging

/// Owns one `PGconn` and closes it with `PQfinish`.
///
/// Only ``PostgresConnection`` holds one, and only ever touches it on its own thread.
final class PostgresConnectionHandle {
    private let pointer: OpaquePointer
    // Retained for as long as libpq may call the notice receiver, released after PQfinish.
    private var noticeSink: Unmanaged<NoticeSink>?

    /// Takes ownership of `pointer`.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        PQfinish(pointer)
        noticeSink?.release()
    }

    /// Runs `body` with the raw connection; the pointer must not escape the closure.
    func withConnection<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try body(pointer)
    }

    /// The libpq error message of the connection, on one line.
    var errorMessage: String {
        guard let message = PQerrorMessage(pointer) else { return "unknown libpq error" }
        let text = String(cString: message).singleLine()
        return text.isEmpty ? "unknown libpq error" : text
    }

    var isBad: Bool { PQstatus(pointer) == CONNECTION_BAD }

    /// Routes server notices (NOTICE, WARNING, …) to `logger` instead of libpq's default, stderr.
    func routeNotices(to logger: Logger) {
        let sink = Unmanaged.passRetained(NoticeSink(logger: logger))
        noticeSink?.release()
        noticeSink = sink
        PQsetNoticeReceiver(pointer, { argument, result in
            guard let argument, let result else { return }
            let sink = Unmanaged<NoticeSink>.fromOpaque(argument).takeUnretainedValue()
            sink.receive(result)
        }, sink.toOpaque())
    }
}

/// Receives libpq notices on the connection's thread and logs them.
final class NoticeSink {
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func receive(_ result: OpaquePointer) {
        func field(_ code: UInt8) -> String {
            guard let value = PQresultErrorField(result, Int32(code)) else { return "" }
            return String(cString: value)
        }
        let severity = field(UInt8(ascii: "V"))
        let metadata: Logger.Metadata = [
            "postgres.severity": "\(severity)",
            "postgres.sqlstate": "\(field(UInt8(ascii: "C")))",
            "postgres.message": "\(field(UInt8(ascii: "M")))",
        ]
        switch severity {
        case "WARNING":
            logger.warning("PostgreSQL warning", metadata: metadata)
        default:
            // NOTICE and below are routine ("relation already exists, skipping").
            logger.debug("PostgreSQL notice", metadata: metadata)
        }
    }
}

extension String {
    /// The lines of a multi-line libpq message joined with spaces, for one-line errors and logs.
    func singleLine() -> String {
        split(whereSeparator: \.isNewline)
            .map { $0.trimmingPrefix(while: \.isWhitespace) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
            .trimmingNewlines()
    }

    func trimmingNewlines() -> String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == "\r" || last == " " {
            text.removeLast()
        }
        return String(text)
    }
}
