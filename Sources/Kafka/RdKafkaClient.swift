import CRdKafka
import Logging
import Synchronization

/// Owns one `rd_kafka_t` and the Swift object its C callbacks reach through the opaque pointer.
///
/// The handle is destroyed in `deinit`, which may block while librdkafka joins its threads, so
/// owners arrange for the last reference to drop on one of their own threads.
final class RdKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer
        case consumer
    }

    /// The `rd_kafka_t *`; valid until `deinit`.
    let handle: OpaquePointer
    /// Reached from librdkafka's threads through `rd_kafka_opaque`.
    let callbacks: ClientCallbacks
    private let retainedCallbacks: Unmanaged<ClientCallbacks>
    let kind: Kind

    init(
        kind: Kind,
        configuration: KafkaConfiguration,
        callbacks: ClientCallbacks,
        customize: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) {
        let conf = try configuration.makeNativeConfiguration()
        let retained = Unmanaged.passRetained(callbacks)
        rd_kafka_conf_set_opaque(conf, retained.toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
            guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
            let callbacks = Unmanaged<ClientCallbacks>.fromOpaque(opaque).takeUnretainedValue()
            callbacks.log(level: level, facility: facility, message: message)
        }
        customize(conf)
        var buffer = [CChar](repeating: 0, count: 512)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        // On success rd_kafka_new owns `conf`; on failure the caller still does.
        guard let handle = rd_kafka_new(type, conf, &buffer, buffer.count) else {
            rd_kafka_conf_destroy(conf)
            retained.release()
            let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw KafkaError(.invalidArgument, "librdkafka refused the configuration: \(reason)", context: ["configuration": configuration.description])
        }
        self.handle = handle
        self.callbacks = callbacks
        self.retainedCallbacks = retained
        self.kind = kind
    }

    deinit {
        rd_kafka_destroy(handle)
        retainedCallbacks.release()
    }

    /// The error that made this client unusable, if there is one.
    func fatalError() -> KafkaError? {
        var buffer = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &buffer, buffer.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return KafkaError(KafkaError.Code(code), "the client hit a fatal error: \(reason)", isRetriable: false, isFatal: true)
    }

    /// The broker's name for this client, e.g. `rdkafka#producer-1`.
    var name: String { String(cString: rd_kafka_name(handle)) }
}

/// State the C callbacks need: the logger and, for group consumers, where rebalances go.
final class ClientCallbacks: Sendable {
    let logger: Logger
    /// Set by ``KafkaConsumer``; receives assignment changes.
    let rebalanceContinuation: AsyncStream<KafkaRebalanceEvent>.Continuation?

    init(logger: Logger, rebalanceContinuation: AsyncStream<KafkaRebalanceEvent>.Continuation? = nil) {
        self.logger = logger
        self.rebalanceContinuation = rebalanceContinuation
    }

    /// Forwards one librdkafka log line (syslog levels) to the injected logger.
    func log(level: Int32, facility: UnsafePointer<CChar>?, message: UnsafePointer<CChar>?) {
        let swiftLevel: Logger.Level = switch level {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
        guard logger.logLevel <= swiftLevel else { return }
        logger.log(level: swiftLevel, "librdkafka", metadata: [
            "kafka.facility": .string(facility.map { String(cString: $0) } ?? ""),
            "kafka.message": .string(message.map { String(cString: $0) } ?? ""),
        ])
    }
}
