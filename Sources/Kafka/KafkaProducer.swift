import CRdKafka
public import Logging
import Synchronization

/// An idempotent Kafka producer that reports every message's fate back to its sender.
///
/// Messages go to librdkafka with `enable.idempotence=true` and `acks=all`: retries after broker
/// failures never duplicate or reorder them. ``send(_:)`` returns once each message has a
/// delivery report. A dedicated thread serves `rd_kafka_poll`, so no Swift task ever blocks.
///
/// Senders wait instead of failing when too many messages are in flight: when
/// `maxInFlightMessages` is reached, or when librdkafka's own queue
/// (`queue.buffering.max.messages`) is full, a sender suspends until delivery reports free room.
public final class KafkaProducer: Sendable {
    /// Counters of the in-flight limit, for monitoring and tests.
    public struct Statistics: Hashable, Sendable {
        /// Messages handed to librdkafka and not yet reported.
        public var inFlight: Int
        /// The largest `inFlight` seen so far.
        public var maxObservedInFlight: Int
        /// Senders waiting for an in-flight slot right now.
        public var waitingSenders: Int
        /// How many times a sender had to wait for a slot.
        public var waitsForSlot: Int
        /// How many times a sender found librdkafka's queue full and waited.
        public var waitsForQueueSpace: Int
    }

    private struct State {
        var isClosed = false
        var activeSends = 0
        var sendsFinished: [CheckedContinuation<Void, Never>] = []
    }

    private let client: RdKafkaClient
    private let pollingThread: PollingThread
    private let limiter: InFlightLimiter
    private let state = Mutex(State())
    private let logger: Logger

    /// Starts a producer.
    ///
    /// - Parameters:
    ///   - configuration: librdkafka properties; `enable.idempotence` and `acks` are forced to
    ///     `true` and `all`.
    ///   - maxInFlightMessages: how many messages may await their delivery report at once before
    ///     senders wait.
    ///   - logger: receives librdkafka's logs.
    /// - Throws: ``KafkaError`` naming an invalid property.
    public init(configuration: KafkaConfiguration, maxInFlightMessages: Int = 100_000, logger: Logger) throws {
        var configuration = configuration
        configuration["enable.idempotence"] = "true"
        configuration["acks"] = "all"
        let client = try RdKafkaClient(kind: .producer, configuration: configuration, callbacks: ClientCallbacks(logger: logger)) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf) { rk, message, _ in
                guard let message, let opaque = message.pointee._private else { return }
                let ticket = Unmanaged<DeliveryTicket>.fromOpaque(opaque).takeRetainedValue()
                ticket.deliver(message.pointee, client: rk)
            }
        }
        self.client = client
        self.limiter = InFlightLimiter(limit: maxInFlightMessages)
        self.logger = logger
        // The thread holds the client, so the handle is destroyed there, off the Swift pool.
        self.pollingThread = PollingThread {
            rd_kafka_poll(client.handle, 100)
        }
    }

    deinit {
        pollingThread.requestStop()
    }

    /// The in-flight counters right now.
    public var statistics: Statistics { limiter.statistics }

    /// Produces one message and waits for its delivery report.
    public func send(_ message: KafkaProducerMessage) async throws -> KafkaDeliveryReport {
        try await send([message])[0]
    }

    /// Produces messages in order and waits for every delivery report.
    ///
    /// Returns one report per message, in input order; a message that could not be delivered has
    /// an `error`. If librdkafka refuses a message outright (unknown partition, too large), the
    /// messages after it are not sent and report the same error.
    /// - Throws: ``KafkaError`` if the producer is closed or hit a fatal error.
    public func send(_ messages: [KafkaProducerMessage]) async throws -> [KafkaDeliveryReport] {
        try beginSend()
        defer { endSend() }
        let batch = DeliveryBatch(count: messages.count)
        var refusal: KafkaError?
        for (index, message) in messages.enumerated() {
            if let refusal {
                let skipped = KafkaError(refusal.code, "not sent because an earlier message was refused: \(refusal.message)", context: refusal.context)
                batch.complete(index, with: KafkaDeliveryReport(topicPartition: place(of: message), offset: nil, error: skipped))
                continue
            }
            await limiter.acquire()
            while true {
                let marker = limiter.releaseCount
                let ticket = Unmanaged.passRetained(DeliveryTicket(batch: batch, index: index, limiter: limiter))
                let code = enqueue(message, opaque: ticket.toOpaque())
                if code == RD_KAFKA_RESP_ERR_NO_ERROR { break }
                ticket.release()
                if code == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    await limiter.waitForRelease(after: marker)
                    continue
                }
                limiter.release()
                let error = KafkaError(code, "librdkafka refused the message", context: [
                    "topic": message.topic, "partition": message.partition.map(String.init) ?? "any",
                ])
                refusal = error
                batch.complete(index, with: KafkaDeliveryReport(topicPartition: place(of: message), offset: nil, error: error))
                break
            }
        }
        let reports = await batch.reports()
        if let fatal = client.fatalError() { throw fatal }
        return reports
    }

    /// Waits until every message sent so far has its delivery report.
    public func flush() async {
        await limiter.waitUntilIdle()
    }

    /// Refuses new sends, waits for the ongoing ones and every delivery report, then stops the
    /// polling thread and releases the client. Safe to call more than once.
    public func close() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state in
                state.isClosed = true
                if state.activeSends == 0 { return true }
                state.sendsFinished.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
        await limiter.waitUntilIdle()
        await pollingThread.stop()
    }

    private func beginSend() throws {
        try state.withLock { state in
            guard !state.isClosed else {
                throw KafkaError(.destroyed, "the producer is closed", isRetriable: false)
            }
            state.activeSends += 1
        }
    }

    private func endSend() {
        let waiters = state.withLock { state in
            state.activeSends -= 1
            guard state.activeSends == 0 else { return [CheckedContinuation<Void, Never>]() }
            defer { state.sendsFinished.removeAll() }
            return state.sendsFinished
        }
        for waiter in waiters { waiter.resume() }
    }

    private func place(of message: KafkaProducerMessage) -> KafkaTopicPartition {
        KafkaTopicPartition(topic: message.topic, partition: message.partition ?? -1)
    }

    /// Hands one message to librdkafka (which copies it) without blocking.
    private func enqueue(_ message: KafkaProducerMessage, opaque: UnsafeMutableRawPointer) -> rd_kafka_resp_err_t {
        var headers: OpaquePointer?
        if !message.headers.isEmpty {
            headers = rd_kafka_headers_new(message.headers.count)
            for header in message.headers {
                withOptionalBytes(header.value) { pointer, count in
                    _ = rd_kafka_header_add(headers, header.name, -1, pointer, count)
                }
            }
        }
        let code = message.topic.withCString { topic in
            withOptionalBytes(message.key) { key, keyCount in
                withOptionalBytes(message.value) { value, valueCount in
                    var fields: [rd_kafka_vu_t] = []
                    fields.reserveCapacity(8)
                    var field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_TOPIC
                    field.u.cstr = topic
                    fields.append(field)
                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_PARTITION
                    field.u.i32 = message.partition ?? -1 // RD_KAFKA_PARTITION_UA
                    fields.append(field)
                    if let key {
                        field = rd_kafka_vu_t()
                        field.vtype = RD_KAFKA_VTYPE_KEY
                        field.u.mem.ptr = UnsafeMutableRawPointer(mutating: key)
                        field.u.mem.size = keyCount
                        fields.append(field)
                    }
                    if let value {
                        field = rd_kafka_vu_t()
                        field.vtype = RD_KAFKA_VTYPE_VALUE
                        field.u.mem.ptr = UnsafeMutableRawPointer(mutating: value)
                        field.u.mem.size = valueCount
                        fields.append(field)
                    }
                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    field.u.i = RD_KAFKA_MSG_F_COPY
                    fields.append(field)
                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_OPAQUE
                    field.u.ptr = opaque
                    fields.append(field)
                    if let timestamp = message.timestampMilliseconds {
                        field = rd_kafka_vu_t()
                        field.vtype = RD_KAFKA_VTYPE_TIMESTAMP
                        field.u.i64 = timestamp
                        fields.append(field)
                    }
                    if let headers {
                        field = rd_kafka_vu_t()
                        field.vtype = RD_KAFKA_VTYPE_HEADERS
                        field.u.headers = headers
                        fields.append(field)
                    }
                    guard let error = rd_kafka_produceva(client.handle, fields, fields.count) else {
                        return RD_KAFKA_RESP_ERR_NO_ERROR
                    }
                    defer { rd_kafka_error_destroy(error) }
                    return rd_kafka_error_code(error)
                }
            }
        }
        // The message owns its headers only once it was accepted.
        if code != RD_KAFKA_RESP_ERR_NO_ERROR, let headers { rd_kafka_headers_destroy(headers) }
        return code
    }
}

/// librdkafka tells a null (`NULL`) from an empty (non-null, length 0) key, value or header, but
/// an empty Swift array may have no address: this one byte stands in for "empty".
nonisolated(unsafe) private let emptyBytes = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

/// Calls `body` with the bytes' address and count: `nil` for `nil`, a non-null address for empty.
func withOptionalBytes<Result>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> Result) -> Result {
    guard let bytes else { return body(nil, 0) }
    if bytes.isEmpty { return body(UnsafeRawPointer(emptyBytes), 0) }
    return bytes.withUnsafeBytes { body($0.baseAddress, $0.count) }
}
