import CRdKafka

/// librdkafka properties for one client, as string keys and values, with typed conveniences for
/// the common ones.
///
/// Any property librdkafka knows may be set through ``subscript(_:)``; it is checked when a
/// client is made, and an unknown property or bad value is a ``KafkaError`` naming it. Printing a
/// configuration never shows secrets (`sasl.password`, `ssl.key.password`, ...).
public struct KafkaConfiguration: Hashable, Sendable, CustomStringConvertible {
    /// Every property set so far.
    public private(set) var properties: [String: String]

    /// Makes a configuration with `bootstrap.servers` and any extra properties.
    public init(bootstrapServers: String, properties: [String: String] = [:]) {
        self.properties = properties
        self.properties["bootstrap.servers"] = bootstrapServers
    }

    /// A property's value, or `nil` to remove it.
    public subscript(_ name: String) -> String? {
        get { properties[name] }
        set { properties[name] = newValue }
    }

    /// Comma-separated `host:port` list of brokers to contact first (`bootstrap.servers`).
    public var bootstrapServers: String {
        get { properties["bootstrap.servers"] ?? "" }
        set { properties["bootstrap.servers"] = newValue }
    }

    /// A name the brokers log for this client (`client.id`).
    public var clientID: String? {
        get { properties["client.id"] }
        set { properties["client.id"] = newValue }
    }

    /// The consumer group (`group.id`).
    public var groupID: String? {
        get { properties["group.id"] }
        set { properties["group.id"] = newValue }
    }

    /// How long a network request may take (`socket.timeout.ms`).
    public var socketTimeout: Duration? {
        get { properties["socket.timeout.ms"].flatMap(Int64.init).map { .milliseconds($0) } }
        set { properties["socket.timeout.ms"] = newValue.map { String($0.milliseconds) } }
    }

    /// How long a produced message may wait for delivery, retries included (`message.timeout.ms`;
    /// `.zero` means forever).
    public var messageTimeout: Duration? {
        get { properties["message.timeout.ms"].flatMap(Int64.init).map { .milliseconds($0) } }
        set { properties["message.timeout.ms"] = newValue.map { String($0.milliseconds) } }
    }

    /// Whether a metadata request or produce may create a missing topic
    /// (`allow.auto.create.topics`).
    public var allowsAutoCreateTopics: Bool? {
        get { properties["allow.auto.create.topics"].map { $0 == "true" } }
        set { properties["allow.auto.create.topics"] = newValue.map { $0 ? "true" : "false" } }
    }

    /// Where a consumer starts when it has no valid offset (`auto.offset.reset`).
    public var autoOffsetReset: AutoOffsetReset? {
        get { properties["auto.offset.reset"].flatMap(AutoOffsetReset.init(rawValue:)) }
        set { properties["auto.offset.reset"] = newValue?.rawValue }
    }

    /// Where a consumer starts without a valid offset.
    public enum AutoOffsetReset: String, Hashable, Sendable {
        /// At the first stored message.
        case earliest
        /// After the last stored message.
        case latest
    }

    /// The properties, with the values of secrets replaced by `***`.
    public var redactedProperties: [String: String] {
        properties.reduce(into: [:]) { result, entry in
            result[entry.key] = Self.isSecret(entry.key) ? "***" : entry.value
        }
    }

    public var description: String {
        let pairs = redactedProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "KafkaConfiguration(\(pairs.joined(separator: ", ")))"
    }

    /// Whether a property holds a secret that must never be printed.
    static func isSecret(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.contains("password") || lowered.contains("secret")
            || lowered == "sasl.oauthbearer.config" || lowered.hasSuffix(".pem") || lowered.hasSuffix("key.pem")
    }

    /// A new `rd_kafka_conf_t` holding these properties; the caller owns it.
    func makeNativeConfiguration() throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(.invalidState, "librdkafka could not allocate a configuration")
        }
        var buffer = [CChar](repeating: 0, count: 512)
        // Sorted so that the first bad property reported is stable.
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, name, value, &buffer, buffer.count)
            guard result == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let shown = Self.isSecret(name) ? "***" : value
                throw KafkaError(
                    .invalidArgument,
                    "invalid configuration property '\(name)': \(reason)",
                    context: ["property": name, "value": shown],
                    isRetriable: false
                )
            }
        }
        return conf
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
