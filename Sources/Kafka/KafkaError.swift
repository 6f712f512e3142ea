import CRdKafka

/// An error from librdkafka or from this wrapper: a stable code, a message naming what is at
/// fault, where it happened, and whether retrying may help.
public struct KafkaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A librdkafka error code (`rd_kafka_resp_err_t`): negative values are client-side
    /// errors, positive values come from brokers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The numeric value of `rd_kafka_resp_err_t`.
        public let rawValue: Int32

        /// Wraps a raw librdkafka error code.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        init(_ error: rd_kafka_resp_err_t) { self.rawValue = error.rawValue }

        var rdKafkaValue: rd_kafka_resp_err_t { rd_kafka_resp_err_t(rawValue: rawValue) }

        /// librdkafka's symbolic name, e.g. `UNKNOWN_TOPIC_OR_PART` or `_QUEUE_FULL`.
        public var name: String { String(cString: rd_kafka_err2name(rdKafkaValue)) }

        public var description: String { name }

        /// The local queue of messages waiting to be sent is full.
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        /// A message was not delivered within `message.timeout.ms`.
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        /// A local operation timed out.
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        /// A broker connection failed.
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        /// No broker could be reached.
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        /// An argument or configuration property is invalid.
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        /// The client was closed or is being destroyed.
        public static let destroyed = Code(RD_KAFKA_RESP_ERR__DESTROY)
        /// The operation is not allowed in the client's current state.
        public static let invalidState = Code(RD_KAFKA_RESP_ERR__STATE)
        /// The broker or cluster does not support the operation.
        public static let unsupportedFeature = Code(RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE)
        /// The client hit an unrecoverable error (e.g. an idempotence guarantee was broken).
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        /// The topic is not known to the client.
        public static let unknownTopic = Code(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
        /// The partition is not known to the client.
        public static let unknownPartition = Code(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
        /// The broker does not know the topic or partition.
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        /// A topic of that name already exists.
        public static let topicAlreadyExists = Code(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        /// The requested partition count is invalid.
        public static let invalidPartitions = Code(RD_KAFKA_RESP_ERR_INVALID_PARTITIONS)
        /// A topic configuration is invalid.
        public static let invalidConfiguration = Code(RD_KAFKA_RESP_ERR_INVALID_CONFIG)
        /// The message is larger than the broker accepts.
        public static let messageTooLarge = Code(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        /// The broker is not the partition's leader.
        public static let notLeaderForPartition = Code(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
        /// The partition has no leader right now.
        public static let leaderNotAvailable = Code(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
        /// A broker request timed out.
        public static let requestTimedOut = Code(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        /// Fewer in-sync replicas than `min.insync.replicas`.
        public static let notEnoughReplicas = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
        /// Appended, but fewer in-sync replicas than required acknowledged it.
        public static let notEnoughReplicasAfterAppend = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND)
        /// A broker-side network problem.
        public static let networkException = Code(RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION)
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people, naming the thing at fault.
    public var message: String
    /// Where it happened: topic, partition, broker, property (never a secret).
    public var context: [String: String]
    /// Whether the same operation may succeed if tried again.
    public var isRetriable: Bool
    /// Whether the client that reported it can no longer be used.
    public var isFatal: Bool

    /// Makes an error; `isRetriable` defaults to librdkafka's view of the code.
    public init(
        _ code: Code,
        _ message: String,
        context: [String: String] = [:],
        isRetriable: Bool? = nil,
        isFatal: Bool = false
    ) {
        self.code = code
        self.message = message
        self.context = context
        self.isRetriable = isRetriable ?? Self.retriableCodes.contains(code)
        self.isFatal = isFatal
    }

    /// An error for a librdkafka code, with librdkafka's own explanation appended to `message`.
    init(_ error: rd_kafka_resp_err_t, _ message: String, context: [String: String] = [:]) {
        let explanation = String(cString: rd_kafka_err2str(error))
        self.init(Code(error), "\(message): \(explanation)", context: context)
    }

    /// Takes ownership of an `rd_kafka_error_t`, which carries its own retriable and fatal flags.
    init(consuming error: OpaquePointer, _ message: String, context: [String: String] = [:]) {
        defer { rd_kafka_error_destroy(error) }
        let explanation = String(cString: rd_kafka_error_string(error))
        self.init(
            Code(rd_kafka_error_code(error)),
            "\(message): \(explanation)",
            context: context,
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || Self.retriableCodes.contains(Code(rd_kafka_error_code(error))),
            isFatal: rd_kafka_error_is_fatal(error) != 0
        )
    }

    public var description: String {
        var text = "\(code.name) (\(code.rawValue)): \(message)"
        if !context.isEmpty {
            text += " (" + context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
        }
        if isFatal { text += " [fatal]" }
        return text
    }

    /// Transient conditions: broker moves, timeouts, full queues.
    private static let retriableCodes: Set<Code> = [
        .queueFull, .messageTimedOut, .timedOut, .transport, .allBrokersDown,
        .notLeaderForPartition, .leaderNotAvailable, .requestTimedOut, .notEnoughReplicas,
        .notEnoughReplicasAfterAppend, .networkException,
        Code(RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE), Code(RD_KAFKA_RESP_ERR__RESOLVE),
        Code(RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE), Code(RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE),
        Code(RD_KAFKA_RESP_ERR_NOT_COORDINATOR), Code(RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS),
        Code(RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR), Code(RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE),
        Code(RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH), Code(RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH),
        Code(RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE),
    ]
}
