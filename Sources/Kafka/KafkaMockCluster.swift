import CRdKafka
public import Logging
import Synchronization

/// librdkafka's in-process mock Kafka cluster, listening on real TCP ports of 127.0.0.1.
///
/// Any client, in this process or another, can connect to ``bootstrapServers``. The mock keeps
/// messages in memory, supports produce (idempotent included), fetch, list offsets, metadata and
/// consumer groups, and lets tests break things: take brokers down, inject request errors, add
/// latency. It does not implement the CreateTopics/DeleteTopics requests; ``KafkaAdmin`` creates
/// topics through ``createTopic(_:partitions:replicationFactor:)`` when its bootstrap servers
/// name a mock cluster of this process.
///
/// librdkafka 2.0.2's mock answers every offsets-for-timestamp lookup with offset -1, and creates
/// an unknown topic (4 partitions) when a client that allows it (`allow.auto.create.topics`, on
/// by default for producers) looks it up.
public final class KafkaMockCluster: Sendable {
    /// A Kafka protocol request type, for injecting errors.
    public struct RequestType: Hashable, Sendable {
        /// The protocol's ApiKey number.
        public let apiKey: Int16
        /// Wraps an ApiKey number.
        public init(apiKey: Int16) { self.apiKey = apiKey }

        /// ProduceRequest.
        public static let produce = RequestType(apiKey: 0)
        /// FetchRequest.
        public static let fetch = RequestType(apiKey: 1)
        /// ListOffsetsRequest.
        public static let listOffsets = RequestType(apiKey: 2)
        /// MetadataRequest.
        public static let metadata = RequestType(apiKey: 3)
        /// OffsetCommitRequest.
        public static let offsetCommit = RequestType(apiKey: 8)
        /// FindCoordinatorRequest.
        public static let findCoordinator = RequestType(apiKey: 10)
        /// JoinGroupRequest.
        public static let joinGroup = RequestType(apiKey: 11)
        /// InitProducerIdRequest.
        public static let initProducerID = RequestType(apiKey: 22)
    }

    /// `rd_kafka_mock_cluster_t *`; used only under the lock of `native`.
    private struct ClusterPointer: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private struct Native: Sendable {
        var client: RdKafkaClient?
        var cluster: ClusterPointer?
    }

    /// Comma-separated `127.0.0.1:port` addresses of the brokers.
    public let bootstrapServers: String
    /// The number of brokers; their ids are `1...brokerCount`.
    public let brokerCount: Int
    private let native: Mutex<Native>

    /// Starts a mock cluster of `brokerCount` brokers.
    public init(brokerCount: Int = 3, logger: Logger = Logger(label: "kafka.mock-cluster")) throws {
        precondition(brokerCount > 0, "a cluster has at least one broker")
        // The mock needs a client instance to run in; it never connects anywhere.
        var configuration = KafkaConfiguration(bootstrapServers: "")
        configuration["bootstrap.servers"] = nil
        configuration["log_level"] = "3" // the idle client would warn about its missing bootstrap servers
        let client = try RdKafkaClient(kind: .producer, configuration: configuration, callbacks: ClientCallbacks(logger: logger))
        guard let cluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokerCount)) else {
            throw KafkaError(.invalidState, "librdkafka could not start a mock cluster", context: ["brokers": String(brokerCount)])
        }
        // The mock offers MetadataRequest v2 by default, which predates AllowAutoTopicCreation, so
        // it would create every unknown topic a client merely looks up. From v4 on it honours the
        // client's `allow.auto.create.topics`.
        _ = rd_kafka_mock_set_apiversion(cluster, RequestType.metadata.apiKey, 0, 4)
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        self.brokerCount = brokerCount
        self.native = Mutex(Native(client: client, cluster: ClusterPointer(pointer: cluster)))
        MockClusterRegistry.register(self)
    }

    deinit {
        close()
    }

    /// Stops the brokers and frees the cluster. Safe to call more than once.
    public func close() {
        MockClusterRegistry.unregister(bootstrapServers)
        native.withLock { native in
            if let cluster = native.cluster { rd_kafka_mock_cluster_destroy(cluster.pointer) }
            native.cluster = nil
            native.client = nil
        }
    }

    /// Creates a topic whose partitions' leaders are spread over the brokers.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws -> KafkaTopicCreation {
        let code = try withCluster { rd_kafka_mock_topic_create($0, name, partitions, max(replicationFactor, 1)) }
        switch code {
        case RD_KAFKA_RESP_ERR_NO_ERROR: return .created
        case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: return .alreadyExists
        default: throw KafkaError(code, "the mock cluster could not create the topic", context: ["topic": name])
        }
    }

    /// Makes a broker close its connections and refuse new ones. Its partitions keep it as leader.
    public func setBrokerDown(_ brokerID: Int32) throws {
        try check(withCluster { rd_kafka_mock_broker_set_down($0, brokerID) }, "could not take the broker down", brokerID)
    }

    /// Makes a broker accept connections again.
    public func setBrokerUp(_ brokerID: Int32) throws {
        try check(withCluster { rd_kafka_mock_broker_set_up($0, brokerID) }, "could not bring the broker up", brokerID)
    }

    /// Delays every response of a broker (`nil`: all brokers) by `roundTripTime`.
    public func setRoundTripTime(_ roundTripTime: Duration, broker brokerID: Int32? = nil) throws {
        let milliseconds = Int32(clamping: roundTripTime.milliseconds)
        try check(withCluster { rd_kafka_mock_broker_set_rtt($0, brokerID ?? -1, milliseconds) }, "could not set the round-trip time", brokerID ?? -1)
    }

    /// Makes the next requests of a type fail with these errors, one per request, in order.
    public func pushRequestErrors(_ errors: [KafkaError.Code], for request: RequestType) throws {
        let native = errors.map(\.rdKafkaValue)
        try withCluster { cluster in
            native.withUnsafeBufferPointer { buffer in
                rd_kafka_mock_push_request_errors_array(cluster, request.apiKey, buffer.count, buffer.baseAddress)
            }
        }
    }

    /// Moves a partition's leadership to a broker.
    public func setPartitionLeader(_ partition: KafkaTopicPartition, broker brokerID: Int32) throws {
        let code = try withCluster { rd_kafka_mock_partition_set_leader($0, partition.topic, partition.partition, brokerID) }
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code, "could not move the partition's leader", context: ["topic": partition.topic, "partition": String(partition.partition), "broker": String(brokerID)])
        }
    }

    private func withCluster<Result>(_ body: (OpaquePointer) -> Result) throws -> Result {
        try native.withLock { native in
            guard let cluster = native.cluster else {
                throw KafkaError(.destroyed, "the mock cluster is closed", context: ["bootstrap.servers": bootstrapServers])
            }
            return body(cluster.pointer)
        }
    }

    private func check(_ code: rd_kafka_resp_err_t, _ message: String, _ brokerID: Int32) throws {
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code, message, context: ["broker": String(brokerID)])
        }
    }
}

/// The mock clusters running in this process, by broker address, so that a ``KafkaAdmin`` given
/// only bootstrap servers can create topics on them.
enum MockClusterRegistry {
    private struct Entry {
        weak var cluster: KafkaMockCluster?
    }

    private static let clusters = Mutex<[String: Entry]>([:])

    static func register(_ cluster: KafkaMockCluster) {
        clusters.withLock { clusters in
            for address in addresses(cluster.bootstrapServers) { clusters[address] = Entry(cluster: cluster) }
        }
    }

    static func unregister(_ bootstrapServers: String) {
        clusters.withLock { clusters in
            for address in addresses(bootstrapServers) { clusters[address] = nil }
        }
    }

    /// The running mock cluster one of these servers belongs to, if any.
    static func cluster(forBootstrapServers bootstrapServers: String) -> KafkaMockCluster? {
        clusters.withLock { clusters in
            for address in addresses(bootstrapServers) {
                if let cluster = clusters[address]?.cluster { return cluster }
            }
            return nil
        }
    }

    private static func addresses(_ servers: String) -> [String] {
        servers.split(separator: ",").map { entry in
            var address = String(entry.filter { $0 != " " })
            // Accept "PLAINTEXT://host:port" as librdkafka does.
            if let range = address.firstRange(of: "://") { address = String(address[range.upperBound...]) }
            return address.replacing("localhost:", with: "127.0.0.1:")
        }
    }
}
