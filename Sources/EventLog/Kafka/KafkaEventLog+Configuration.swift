extension KafkaEventLog {
    /// Where the Kafka cluster is and how to talk to it.
    public struct Configuration: Hashable, Sendable, CustomStringConvertible {
        /// Comma-separated `host:port` list of brokers to contact first.
        public var bootstrapServers: String
        /// Extra librdkafka properties (security, timeouts, ...), applied to every client.
        /// `enable.idempotence`, `acks` and `allow.auto.create.topics` are always set by the log.
        public var properties: [String: String]
        /// Copies of each partition of topics the log creates; `-1` takes the broker's default.
        public var replicationFactor: Int32
        /// How many records may await their acknowledgement at once before appends wait.
        public var maxInFlightRecords: Int

        /// Describes a cluster.
        public init(
            bootstrapServers: String,
            properties: [String: String] = [:],
            replicationFactor: Int32 = -1,
            maxInFlightRecords: Int = 100_000
        ) {
            self.bootstrapServers = bootstrapServers
            self.properties = properties
            self.replicationFactor = replicationFactor
            self.maxInFlightRecords = maxInFlightRecords
        }

        /// The settings, with secrets (`sasl.password`, ...) hidden.
        public var description: String {
            "KafkaEventLog.Configuration(\(clientConfiguration.description), replicationFactor: \(replicationFactor))"
        }
    }
}
