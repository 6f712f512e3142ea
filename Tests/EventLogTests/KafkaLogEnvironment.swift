import EventLog
import Kafka
import Logging

/// A fresh in-process mock Kafka cluster (librdkafka's), reached over TCP like a real one.
final class KafkaLogEnvironment: LogEnvironment {
    let cluster: KafkaMockCluster
    let url: String
    /// librdkafka 2.0.2's mock answers every lookup by timestamp with -1.
    let answersTimestampQueries = false

    init() async throws {
        var logger = Logger(label: "kafka-conformance")
        logger.logLevel = .critical
        cluster = try KafkaMockCluster(brokerCount: 3, logger: logger)
        url = "kafka://" + cluster.bootstrapServers
    }

    func open() async throws -> any EventLog {
        var logger = Logger(label: "kafka-conformance")
        logger.logLevel = .critical
        let servers = String(url.dropFirst("kafka://".count))
        return try await KafkaEventLog(
            configuration: KafkaEventLog.Configuration(bootstrapServers: servers, properties: [
                // Short timeouts and back-offs: the mock answers at once, and tests should not
                // wait on defaults meant for real networks.
                "socket.timeout.ms": "5000",
                "reconnect.backoff.ms": "20",
                "reconnect.backoff.max.ms": "200",
                "retry.backoff.ms": "20",
            ]),
            logger: logger
        )
    }

    func tearDown() async {
        cluster.close()
    }
}
