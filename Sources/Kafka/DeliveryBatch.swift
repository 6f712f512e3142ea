import CRdKafka
import Synchronization

/// Collects the delivery reports of one ``KafkaProducer/send(_:)`` call, in input order, and
/// wakes the sender once all have arrived.
final class DeliveryBatch: Sendable {
    private struct State {
        var reports: [KafkaDeliveryReport?]
        var remaining: Int
        var waiter: CheckedContinuation<[KafkaDeliveryReport], Never>?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(reports: Array(repeating: nil, count: count), remaining: count))
    }

    /// Records the report of message `index`; called once per message, from any thread.
    func complete(_ index: Int, with report: KafkaDeliveryReport) {
        let finished: (CheckedContinuation<[KafkaDeliveryReport], Never>, [KafkaDeliveryReport])? = state.withLock { state in
            precondition(state.reports[index] == nil, "a message was reported twice")
            state.reports[index] = report
            state.remaining -= 1
            guard state.remaining == 0, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.reports.map { $0! })
        }
        if let (waiter, reports) = finished { waiter.resume(returning: reports) }
    }

    /// Waits for every report.
    func reports() async -> [KafkaDeliveryReport] {
        await withCheckedContinuation { continuation in
            let ready: [KafkaDeliveryReport]? = state.withLock { state in
                guard state.remaining == 0 else {
                    state.waiter = continuation
                    return nil
                }
                return state.reports.map { $0! }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Travels through librdkafka as a message's opaque pointer, from produce to delivery report.
final class DeliveryTicket: Sendable {
    let batch: DeliveryBatch
    let index: Int
    let limiter: InFlightLimiter

    init(batch: DeliveryBatch, index: Int, limiter: InFlightLimiter) {
        self.batch = batch
        self.index = index
        self.limiter = limiter
    }

    /// Turns librdkafka's delivery report into a ``KafkaDeliveryReport`` and frees the slot.
    func deliver(_ message: rd_kafka_message_t, client rk: OpaquePointer?) {
        let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        let place = KafkaTopicPartition(topic: topic, partition: message.partition)
        let report: KafkaDeliveryReport
        if message.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            report = KafkaDeliveryReport(topicPartition: place, offset: message.offset, error: nil)
        } else {
            var error = KafkaError(message.err, "message was not delivered", context: ["topic": topic, "partition": String(message.partition)])
            if message.err == RD_KAFKA_RESP_ERR__FATAL, let rk {
                var buffer = [CChar](repeating: 0, count: 512)
                let underlying = rd_kafka_fatal_error(rk, &buffer, buffer.count)
                let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                error = KafkaError(KafkaError.Code(underlying), "message was not delivered: the producer hit a fatal error: \(reason)",
                                   context: error.context, isRetriable: false, isFatal: true)
            }
            report = KafkaDeliveryReport(topicPartition: place, offset: nil, error: error)
        }
        // Free the slot first: once the batch completes, its sender may already read the counts.
        limiter.release()
        batch.complete(index, with: report)
    }
}
