import ArgumentParser
import EventLog
import Logging

/// The options that say which event log to use, shared by every command that touches one.
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "The event log: kafka://host:port[,host:port…] or the path of an embedded log file.")
    var log: String

    @Option(
        name: .customLong("kafka-property"),
        help: ArgumentHelp("A librdkafka property for a Kafka log, as key=value (repeatable).", valueName: "key=value")
    )
    var kafkaProperties: [String] = []

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.", transform: LogLevel.parse)
    var logLevel: Logger.Level = .warning

    func validate() throws {
        _ = try parsedKafkaProperties()
        do {
            _ = try EventLogAddress(parsing: log)
        } catch let error as EventLogError {
            throw ValidationError("--log: \(error.message)")
        }
    }

    /// The `--kafka-property` values as a dictionary.
    func parsedKafkaProperties() throws -> [String: String] {
        var properties: [String: String] = [:]
        for pair in kafkaProperties {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--kafka-property '\(pair)' is not key=value")
            }
            properties[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return properties
    }

    /// Opens the event log named by `--log`.
    func openLog(logger: Logger) async throws -> any EventLog {
        try await EventLogAddress(parsing: log).open(kafkaProperties: parsedKafkaProperties(), logger: logger)
    }

    /// Runs `body` with the log named by `--log`, closing it afterwards whatever happens.
    func withLog<T>(label: String = "ferry.log", _ body: (any EventLog) async throws -> T) async throws -> T {
        let log = try await openLog(logger: makeLogger(label: label))
        do {
            let result = try await body(log)
            try await log.close()
            return result
        } catch {
            try? await log.close()
            throw error
        }
    }

    /// A logger writing to standard error at `--log-level`.
    func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        return logger
    }
}

/// Reads `--log-level` values.
enum LogLevel {
    static func parse(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("--log-level '\(text)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }
}
