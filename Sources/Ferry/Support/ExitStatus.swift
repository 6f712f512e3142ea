import ArgumentParser
import EventLog

/// Ferry's exit statuses.
enum ExitStatus {
    /// A runtime failure: a server unreachable, a write refused.
    static let failure: Int32 = 1
    /// Bad usage or configuration: the message names the option, file or field.
    static let usage: Int32 = 2

    /// The status for an error that ended a command.
    static func of(_ error: any Error) -> Int32 {
        switch error {
        case is ValidationError, is ConfigurationError:
            return usage
        case let error as EventLogError where error.code == .invalidConfiguration:
            return usage
        default:
            return failure
        }
    }
}

/// A configuration problem found after parsing: a value that is well-formed but unusable.
struct ConfigurationError: Error, CustomStringConvertible {
    /// The option, file or field at fault.
    var subject: String
    /// What is wrong and how to fix it.
    var message: String

    var description: String { "\(subject): \(message)" }
}
