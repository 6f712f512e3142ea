import Kafka

extension KafkaError {
    /// The event log's view of this error: same message, context and retriability, with a code
    /// from ``EventLogError/Code``.
    func eventLogError(_ context: [String: String] = [:]) -> EventLogError {
        let mapped: EventLogError.Code = switch code {
        case .unknownTopic, .unknownTopicOrPartition: .unknownTopic
        case .unknownPartition: .unknownPartition
        case .messageTooLarge: .recordTooLarge
        case .timedOut, .messageTimedOut, .requestTimedOut: .timedOut
        case .invalidArgument, .invalidConfiguration, .invalidPartitions: .invalidConfiguration
        case .destroyed: .closed
        default: .unavailable
        }
        var details = self.context.merging(context) { $1 }
        details["kafka.error"] = code.name
        return EventLogError(mapped, message, context: details, isRetriable: isRetriable && !isFatal)
    }
}

/// Runs `body`, turning any ``KafkaError`` it throws into an ``EventLogError``.
func mappingKafkaErrors<Result>(
    _ context: [String: String] = [:],
    _ body: () async throws -> Result
) async throws -> Result {
    do {
        return try await body()
    } catch let error as KafkaError {
        throw error.eventLogError(context)
    }
}
