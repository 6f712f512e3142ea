import CRdKafka
import Executors
public import Logging

/// A Kafka consumer that reads explicitly assigned partitions from explicit offsets, or joins a
/// consumer group and follows its rebalances.
///
/// Every call runs on the consumer's own thread (a ``ThreadExecutor``): librdkafka's blocking
/// poll never occupies Swift's cooperative pool, and callers simply `await`.
public actor KafkaConsumer {
    private let executor: ThreadExecutor
    private var client: RdKafkaClient?
    private let logger: Logger
    private let rebalanceContinuation: AsyncStream<KafkaRebalanceEvent>.Continuation
    /// An error met while a poll already had messages to return; thrown by the next poll.
    private var pendingError: KafkaError?

    /// Assignment changes of a group consumer (see ``subscribe(topics:)``), in the order they
    /// happened. They are delivered while ``poll(maxMessages:timeout:)`` runs.
    public nonisolated let rebalanceEvents: AsyncStream<KafkaRebalanceEvent>

    /// The consumer runs every call on its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Makes a consumer.
    ///
    /// librdkafka requires a `group.id` even for assigned partitions; without one, a unique group
    /// is made up and automatic offset commits are turned off, since the offsets would never be
    /// read again.
    /// - Throws: ``KafkaError`` naming an invalid property.
    public init(configuration: KafkaConfiguration, logger: Logger) throws {
        var configuration = configuration
        if configuration.groupID == nil {
            configuration.groupID = "kafka-consumer-\(UInt64.random(in: 0...UInt64.max))"
            if configuration["enable.auto.commit"] == nil { configuration["enable.auto.commit"] = "false" }
        }
        let (stream, continuation) = AsyncStream.makeStream(of: KafkaRebalanceEvent.self)
        let callbacks = ClientCallbacks(logger: logger, rebalanceContinuation: continuation)
        let client = try RdKafkaClient(kind: .consumer, configuration: configuration, callbacks: callbacks) { conf in
            rd_kafka_conf_set_rebalance_cb(conf) { rk, error, partitions, opaque in
                guard let rk, let opaque else { return }
                let callbacks = Unmanaged<ClientCallbacks>.fromOpaque(opaque).takeUnretainedValue()
                KafkaConsumer.rebalance(rk, error, partitions, callbacks)
            }
        }
        // Serve logs, errors and rebalances from the consumer queue, i.e. from poll.
        rd_kafka_poll_set_consumer(client.handle)
        self.client = client
        self.logger = logger
        self.rebalanceEvents = stream
        self.rebalanceContinuation = continuation
        self.executor = ThreadExecutor(name: "kafka-consumer")
    }

    deinit {
        rebalanceContinuation.finish()
        executor.shutdown()
    }

    /// Replaces the assignment: reads each partition from the given offset, outside any group.
    /// An empty dictionary stops reading.
    public func assign(_ offsets: [KafkaTopicPartition: KafkaOffset]) throws {
        let client = try openClient()
        let list = TopicPartitionList(offsets.mapValues(\.rawValue))
        let code = rd_kafka_assign(client.handle, offsets.isEmpty ? nil : list.pointer)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code, "could not assign partitions", context: ["partitions": offsets.keys.map(\.description).sorted().joined(separator: ",")])
        }
    }

    /// Moves the read position of partitions already assigned; the next ``poll(maxMessages:timeout:)``
    /// returns messages from the new offsets.
    ///
    /// The seek is handed to librdkafka without waiting for its fetcher to acknowledge it: a
    /// waiting seek can stall while the partition's fetch state settles, and librdkafka already
    /// discards messages prefetched from the old position. Errors of the seek itself arrive through
    /// ``poll(maxMessages:timeout:)``.
    public func seek(_ offsets: [KafkaTopicPartition: KafkaOffset]) throws {
        let client = try openClient()
        let list = TopicPartitionList(offsets.mapValues(\.rawValue))
        if let error = rd_kafka_seek_partitions(client.handle, list.pointer, 0) {
            throw KafkaError(consuming: error, "could not seek")
        }
        // `_IN_PROGRESS` is how librdkafka acknowledges a seek it has not finished yet.
        for element in list.elements where element.error != RD_KAFKA_RESP_ERR_NO_ERROR && element.error != RD_KAFKA_RESP_ERR__IN_PROGRESS {
            throw KafkaError(element.error, "could not seek", context: ["topic": element.place.topic, "partition": String(element.place.partition)])
        }
    }

    /// The partitions currently assigned, by ``assign(_:)`` or by the group.
    public func assignment() throws -> [KafkaTopicPartition] {
        let client = try openClient()
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let code = rd_kafka_assignment(client.handle, &list)
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, "could not read the assignment") }
        return TopicPartitionList.elements(of: list).map(\.place)
    }

    /// Joins the group named by `group.id` and reads the partitions it assigns; changes arrive on
    /// ``rebalanceEvents``.
    public func subscribe(topics: [String]) throws {
        let client = try openClient()
        let list = TopicPartitionList(capacity: topics.count)
        for topic in topics {
            // RD_KAFKA_PARTITION_UA: subscriptions name whole topics.
            list.add(KafkaTopicPartition(topic: topic, partition: -1))
        }
        let code = rd_kafka_subscribe(client.handle, list.pointer)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code, "could not subscribe", context: ["topics": topics.joined(separator: ",")])
        }
    }

    /// Returns up to `maxMessages` messages, waiting up to `timeout` for the first one. An empty
    /// array means none arrived in time.
    ///
    /// Transient errors (a broker going away) are logged and skipped, as librdkafka recovers from
    /// them; errors about a partition that cannot be read, and fatal errors, are thrown.
    public func poll(maxMessages: Int, timeout: Duration) throws -> [KafkaConsumerMessage] {
        if let pendingError {
            self.pendingError = nil
            throw pendingError
        }
        let client = try openClient()
        var messages: [KafkaConsumerMessage] = []
        var wait = Int32(clamping: max(timeout.milliseconds, 0))
        while messages.count < maxMessages {
            guard let raw = rd_kafka_consumer_poll(client.handle, wait) else { break }
            wait = 0
            defer { rd_kafka_message_destroy(raw) }
            let message = raw.pointee
            if message.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                if let error = consumerError(message, client: client) {
                    if messages.isEmpty { throw error }
                    pendingError = error
                    break
                }
                continue
            }
            messages.append(Self.convert(raw))
        }
        return messages
    }

    /// Commits offsets for the group (the offset of the next message to read, per partition).
    public func commit(_ offsets: [KafkaTopicPartition: Int64]) throws {
        let client = try openClient()
        let list = TopicPartitionList(offsets)
        let code = rd_kafka_commit(client.handle, list.pointer, 0)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code, "could not commit offsets") }
        for element in list.elements where element.error != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(element.error, "could not commit offset", context: ["topic": element.place.topic, "partition": String(element.place.partition)])
        }
    }

    /// Leaves the group (revoking its partitions), releases the client and stops the thread.
    /// Calls after this throw. Safe to call more than once.
    public func close() {
        guard let client else { return }
        let code = rd_kafka_consumer_close(client.handle)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("kafka consumer close failed", metadata: ["kafka.error": .string(KafkaError.Code(code).name)])
        }
        // Destroyed here, on the consumer's thread, if this was the last reference.
        self.client = nil
        rebalanceContinuation.finish()
        executor.shutdown()
    }

    private func openClient() throws -> RdKafkaClient {
        guard let client else { throw KafkaError(.destroyed, "the consumer is closed", isRetriable: false) }
        return client
    }

    /// The error to throw for an error message, or `nil` if it is informational.
    private func consumerError(_ message: rd_kafka_message_t, client: RdKafkaClient) -> KafkaError? {
        if message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return nil }
        if message.err == RD_KAFKA_RESP_ERR__FATAL { return client.fatalError() }
        let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) }
        var context: [String: String] = [:]
        if let topic {
            context["topic"] = topic
            context["partition"] = String(message.partition)
        }
        let text = message.payload.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? ""
        let error = KafkaError(message.err, "consumer error: \(text)", context: context)
        let permanent: Set<KafkaError.Code> = [.unknownTopicOrPartition, .unknownTopic, .unknownPartition,
                                               KafkaError.Code(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)]
        if permanent.contains(error.code) { return error }
        logger.warning("kafka consumer error", metadata: ["kafka.error": .string(error.description)])
        return nil
    }

    private static func convert(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaConsumerMessage {
        let message = raw.pointee
        let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(raw, &timestampType)
        var headers: [KafkaHeader] = []
        var nativeHeaders: OpaquePointer?
        if rd_kafka_message_headers(raw, &nativeHeaders) == RD_KAFKA_RESP_ERR_NO_ERROR, let nativeHeaders {
            var index = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(nativeHeaders, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(KafkaHeader(
                    name: name.map { String(cString: $0) } ?? "",
                    value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                ))
                index += 1
            }
        }
        return KafkaConsumerMessage(
            topicPartition: KafkaTopicPartition(topic: topic, partition: message.partition),
            offset: message.offset,
            key: message.key.map { Array(UnsafeRawBufferPointer(start: $0, count: message.key_len)) },
            value: message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: message.len)) },
            headers: headers,
            timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
        )
    }

    /// Applies and reports a group rebalance; runs on the consumer's thread, inside poll.
    private static func rebalance(
        _ rk: OpaquePointer,
        _ error: rd_kafka_resp_err_t,
        _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        _ callbacks: ClientCallbacks
    ) {
        let places = TopicPartitionList.elements(of: partitions).map(\.place)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        let event: KafkaRebalanceEvent
        switch error {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let failure = rd_kafka_incremental_assign(rk, partitions) {
                    callbacks.rebalanceContinuation?.yield(.failed(KafkaError(consuming: failure, "could not take the assigned partitions")))
                    return
                }
            } else {
                _ = rd_kafka_assign(rk, partitions)
            }
            event = .assigned(places)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            if cooperative {
                if let failure = rd_kafka_incremental_unassign(rk, partitions) {
                    rd_kafka_error_destroy(failure)
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
            event = .revoked(places)
        default:
            _ = rd_kafka_assign(rk, nil)
            event = .failed(KafkaError(error, "the group rebalance failed"))
        }
        callbacks.logger.debug("kafka rebalance", metadata: ["kafka.partitions": .string(places.map(\.description).joined(separator: ","))])
        callbacks.rebalanceContinuation?.yield(event)
    }
}
