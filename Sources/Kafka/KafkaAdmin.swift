import CRdKafka
import Executors
public import Logging

/// Topic administration and partition lookups: create and delete topics, partition counts,
/// watermark offsets and offsets for timestamps.
///
/// Every call blocks on the network, so each runs on the admin's own thread (a
/// ``ThreadExecutor``); callers simply `await`. Topics are never created implicitly: the client
/// sets `allow.auto.create.topics=false` unless told otherwise.
public actor KafkaAdmin {
    private let executor: ThreadExecutor
    private var client: RdKafkaClient?
    private let bootstrapServers: String
    private let logger: Logger

    /// The admin runs every call on its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Makes an admin client.
    /// - Throws: ``KafkaError`` naming an invalid property.
    public init(configuration: KafkaConfiguration, logger: Logger) throws {
        var configuration = configuration
        if configuration.allowsAutoCreateTopics == nil { configuration.allowsAutoCreateTopics = false }
        self.client = try RdKafkaClient(kind: .producer, configuration: configuration, callbacks: ClientCallbacks(logger: logger))
        self.bootstrapServers = configuration.bootstrapServers
        self.logger = logger
        self.executor = ThreadExecutor(name: "kafka-admin")
    }

    deinit {
        executor.shutdown()
    }

    /// Creates a topic, or reports ``KafkaTopicCreation/alreadyExists`` (leaving the existing
    /// topic as it is).
    ///
    /// On a ``KafkaMockCluster`` of this process, which lacks the CreateTopics request, the topic
    /// is created in the mock directly; the mock stores no topic configuration, so `configs` are
    /// not kept there.
    public func createTopic(_ topic: KafkaTopicSpecification, timeout: Duration = .seconds(30)) throws -> KafkaTopicCreation {
        let client = try openClient()
        if let mock = MockClusterRegistry.cluster(forBootstrapServers: bootstrapServers) {
            return try mock.createTopic(topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor)
        }
        let context = ["topic": topic.name]
        var buffer = [CChar](repeating: 0, count: 512)
        guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, topic.replicationFactor, &buffer, buffer.count) else {
            throw KafkaError(.invalidArgument, "invalid topic specification: \(Self.string(buffer))", context: context)
        }
        defer { rd_kafka_NewTopic_destroy(newTopic) }
        for (name, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
            let code = rd_kafka_NewTopic_set_config(newTopic, name, value)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(code, "invalid topic configuration '\(name)'", context: context.merging(["config": name]) { $1 })
            }
        }
        let code = try runAdminRequest(client, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout: timeout, context: context) { handle, options, queue in
            var topics: [OpaquePointer?] = [newTopic]
            rd_kafka_CreateTopics(handle, &topics, 1, options, queue)
        } result: { event in
            var count = 0
            guard let result = rd_kafka_event_CreateTopics_result(event),
                  let topics = rd_kafka_CreateTopics_result_topics(result, &count), count > 0, let first = topics[0] else {
                return (RD_KAFKA_RESP_ERR__BAD_MSG, nil)
            }
            return (rd_kafka_topic_result_error(first), rd_kafka_topic_result_error_string(first).map { String(cString: $0) })
        }
        switch code {
        case RD_KAFKA_RESP_ERR_NO_ERROR: return .created
        case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: return .alreadyExists
        default: throw KafkaError(code, "could not create topic '\(topic.name)'", context: context)
        }
    }

    /// Deletes a topic.
    public func deleteTopic(_ name: String, timeout: Duration = .seconds(30)) throws {
        let client = try openClient()
        let context = ["topic": name]
        if MockClusterRegistry.cluster(forBootstrapServers: bootstrapServers) != nil {
            throw KafkaError(.unsupportedFeature, "librdkafka's mock cluster cannot delete topics", context: context)
        }
        guard let deleteTopic = rd_kafka_DeleteTopic_new(name) else {
            throw KafkaError(.invalidArgument, "invalid topic name '\(name)'", context: context)
        }
        defer { rd_kafka_DeleteTopic_destroy(deleteTopic) }
        let code = try runAdminRequest(client, RD_KAFKA_ADMIN_OP_DELETETOPICS, timeout: timeout, context: context) { handle, options, queue in
            var topics: [OpaquePointer?] = [deleteTopic]
            rd_kafka_DeleteTopics(handle, &topics, 1, options, queue)
        } result: { event in
            var count = 0
            guard let result = rd_kafka_event_DeleteTopics_result(event),
                  let topics = rd_kafka_DeleteTopics_result_topics(result, &count), count > 0, let first = topics[0] else {
                return (RD_KAFKA_RESP_ERR__BAD_MSG, nil)
            }
            return (rd_kafka_topic_result_error(first), rd_kafka_topic_result_error_string(first).map { String(cString: $0) })
        }
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code, "could not delete topic '\(name)'", context: context)
        }
    }

    /// The number of partitions of `topic` according to the cluster's metadata, or `nil` if the
    /// topic does not exist.
    public func partitionCount(of topic: String, timeout: Duration = .seconds(10)) throws -> Int32? {
        let client = try openClient()
        guard let handle = rd_kafka_topic_new(client.handle, topic, nil) else {
            throw KafkaError(.invalidArgument, "invalid topic name '\(topic)'", context: ["topic": topic])
        }
        defer { rd_kafka_topic_destroy(handle) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(client.handle, 0, handle, &metadata, Int32(clamping: timeout.milliseconds))
        defer { if let metadata { rd_kafka_metadata_destroy(metadata) } }
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(code, "could not read metadata of topic '\(topic)'", context: ["topic": topic])
        }
        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        guard let entry = topics.first(where: { String(cString: $0.topic) == topic }) else { return nil }
        switch entry.err {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            return entry.partition_cnt
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
            return nil
        default:
            throw KafkaError(entry.err, "could not read metadata of topic '\(topic)'", context: ["topic": topic])
        }
    }

    /// The first stored offset and the high watermark of a partition, asked of its leader.
    public func watermarks(of partition: KafkaTopicPartition, timeout: Duration = .seconds(10)) throws -> KafkaWatermarks {
        let client = try openClient()
        var low: Int64 = -1
        var high: Int64 = -1
        var code = rd_kafka_query_watermark_offsets(client.handle, partition.topic, partition.partition, &low, &high, Int32(clamping: timeout.milliseconds))
        if code == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, let count = try partitionCount(of: partition.topic, timeout: timeout), partition.partition < count {
            // The client's cached metadata predates the topic (just created, here or elsewhere):
            // the lookup above refreshed it.
            code = rd_kafka_query_watermark_offsets(client.handle, partition.topic, partition.partition, &low, &high, Int32(clamping: timeout.milliseconds))
        }
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code, "could not read the watermarks of \(partition)", context: ["topic": partition.topic, "partition": String(partition.partition)])
        }
        return KafkaWatermarks(low: low, high: high)
    }

    /// For each partition, the offset of the first message whose timestamp is at or after the
    /// given one (milliseconds since 1970), or `nil` where the broker answered -1 (no such
    /// message).
    public func offsets(
        forTimestamps timestamps: [KafkaTopicPartition: Int64],
        timeout: Duration = .seconds(10)
    ) throws -> [KafkaTopicPartition: Int64?] {
        let client = try openClient()
        let list = TopicPartitionList(timestamps)
        let code = rd_kafka_offsets_for_times(client.handle, list.pointer, Int32(clamping: timeout.milliseconds))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code, "could not look up offsets by timestamp")
        }
        var offsets: [KafkaTopicPartition: Int64?] = [:]
        for element in list.elements {
            guard element.error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(element.error, "could not look up offsets by timestamp for \(element.place)",
                                 context: ["topic": element.place.topic, "partition": String(element.place.partition)])
            }
            offsets[element.place] = element.offset < 0 ? nil : element.offset
        }
        return offsets
    }

    /// Releases the client and stops the thread; calls after this throw. Safe to call more than once.
    public func close() {
        // Destroyed here, on the admin's thread, if this was the last reference.
        client = nil
        executor.shutdown()
    }

    private func openClient() throws -> RdKafkaClient {
        guard let client else { throw KafkaError(.destroyed, "the admin client is closed", isRetriable: false) }
        return client
    }

    /// Sends an admin request and waits (on this actor's thread) for its result event.
    private func runAdminRequest(
        _ client: RdKafkaClient,
        _ operation: rd_kafka_admin_op_t,
        timeout: Duration,
        context: [String: String],
        request: (OpaquePointer, OpaquePointer?, OpaquePointer?) -> Void,
        result: (OpaquePointer) -> (rd_kafka_resp_err_t, String?)
    ) throws -> rd_kafka_resp_err_t {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        guard let queue = rd_kafka_queue_new(client.handle) else {
            throw KafkaError(.invalidState, "could not make a result queue", context: context)
        }
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(client.handle, operation)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var buffer = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &buffer, buffer.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, milliseconds, &buffer, buffer.count)
        request(client.handle, options, queue)
        // librdkafka times the request out itself; the margin only guards against a lost event.
        guard let event = rd_kafka_queue_poll(queue, milliseconds + 5000) else {
            throw KafkaError(.timedOut, "the admin request got no answer", context: context)
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            throw KafkaError(KafkaError.Code(eventError), "the admin request failed: \(text)", context: context)
        }
        let (code, text) = result(event)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR, let text {
            logger.debug("kafka admin request refused", metadata: ["kafka.error": .string(text)])
        }
        return code
    }

    private static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
