public import Logging

/// Where an event log lives, parsed from Ferry's `--log` option.
///
/// - `kafka://host:port[,host:port…]` — a Kafka-compatible cluster (bootstrap servers);
/// - anything else — the path of an embedded log file (created if missing); `file://` is accepted.
public enum EventLogAddress: Hashable, Sendable, CustomStringConvertible {
    /// A Kafka cluster, by its bootstrap servers (`host:port,host:port`).
    case kafka(bootstrapServers: String)
    /// An embedded log in one SQLite file.
    case embedded(path: String)

    /// Parses a `--log` value. Throws `invalidConfiguration` naming the value when it is malformed.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw EventLogError(.invalidConfiguration, "the log address is empty: give kafka://host:port or a file path")
        }
        if trimmed.lowercased().hasPrefix("kafka://") {
            let servers = trimmed.dropFirst("kafka://".count)
                .split(separator: ",")
                .map { $0.trimmingWhitespace() }
                .filter { !$0.isEmpty }
            guard !servers.isEmpty else {
                throw EventLogError(.invalidConfiguration, "the Kafka log address '\(trimmed)' names no broker: use kafka://host:port[,host:port…]")
            }
            for server in servers {
                let parts = server.split(separator: ":")
                guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
                    throw EventLogError(
                        .invalidConfiguration,
                        "the Kafka broker '\(server)' in '\(trimmed)' is not host:port",
                        context: ["log": trimmed]
                    )
                }
            }
            self = .kafka(bootstrapServers: servers.joined(separator: ","))
        } else if trimmed.lowercased().hasPrefix("file://") {
            self = .embedded(path: String(trimmed.dropFirst("file://".count)))
        } else if trimmed.contains("://") {
            throw EventLogError(
                .invalidConfiguration,
                "unsupported log address '\(trimmed)': use kafka://host:port or a file path",
                context: ["log": trimmed]
            )
        } else {
            self = .embedded(path: trimmed)
        }
    }

    public var description: String {
        switch self {
        case .kafka(let servers): "kafka://\(servers)"
        case .embedded(let path): path
        }
    }

    /// Opens a client of the log.
    /// - Parameters:
    ///   - kafkaProperties: extra librdkafka properties (`--kafka-property key=value`); ignored
    ///     for the embedded log.
    ///   - logger: where the log client reports.
    public func open(kafkaProperties: [String: String] = [:], logger: Logger) async throws -> any EventLog {
        switch self {
        case .kafka(let servers):
            try await KafkaEventLog(
                configuration: KafkaEventLog.Configuration(bootstrapServers: servers, properties: kafkaProperties),
                logger: logger
            )
        case .embedded(let path):
            try await EmbeddedEventLog(path: path, logger: logger)
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
