import Foundation
import Kafka
import Logging
import Synchronization
import Testing

/// Shared set-up for tests against a ``KafkaMockCluster``.
enum TestSupport {
    /// Quiet by default: broker-down tests make librdkafka log connection failures on purpose.
    /// `FERRY_KAFKA_DEBUG=eos,msg,…` turns on librdkafka's debug contexts and logs everything.
    static let logger: Logger = {
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = debugContexts == nil ? .critical : .trace
        return logger
    }()

    private static let debugContexts = ProcessInfo.processInfo.environment["FERRY_KAFKA_DEBUG"]

    /// Client properties with short timeouts and back-offs, so that tests recover quickly.
    static func configuration(_ cluster: KafkaMockCluster) -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, properties: [
            "socket.timeout.ms": "3000",
            "reconnect.backoff.ms": "20",
            "reconnect.backoff.max.ms": "200",
            "retry.backoff.ms": "20",
            "topic.metadata.refresh.interval.ms": "1000",
            "allow.auto.create.topics": "false",
        ].merging(debugContexts.map { ["debug": $0] } ?? [:]) { $1 })
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    /// Polls until `count` messages arrived or `timeout` passed.
    static func consume(
        _ count: Int,
        from consumer: KafkaConsumer,
        timeout: Duration = .seconds(20)
    ) async throws -> [KafkaConsumerMessage] {
        var messages: [KafkaConsumerMessage] = []
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while messages.count < count, clock.now < deadline {
            messages += try await consumer.poll(maxMessages: count - messages.count, timeout: .milliseconds(200))
        }
        return messages
    }

    /// Waits until `condition` holds, checking every 10 ms, for at most `timeout`.
    static func waitUntil(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }
}

/// A log handler that keeps every record, to check what reaches the injected logger.
struct CollectingLogHandler: LogHandler {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    /// Shared by every copy of the handler.
    final class Store: Sendable {
        let records = Mutex<[Record]>([])
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    init(store: Store) {
        self.store = store
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.records.withLock {
            $0.append(Record(level: event.level, message: event.message.description, metadata: event.metadata ?? [:]))
        }
    }
}
