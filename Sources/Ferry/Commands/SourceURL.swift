import Foundation
import FreeTDS

/// A parsed `--source sqlserver://user:password@host:port/database`; the password may come from
/// `FERRY_SOURCE_PASSWORD` instead. `description` never shows the password.
struct SourceURL: CustomStringConvertible {
    /// The FreeTDS connection settings.
    let connection: TDSConnection.Configuration

    var host: String { connection.host }
    var port: Int { connection.port }
    var user: String { connection.username }
    var password: String { connection.password }
    var database: String { connection.database ?? "" }

    /// Parses the URL; `environmentPassword` is used when the URL has no password. A malformed URL
    /// is a configuration error naming `--source` (exit status 2).
    init(parsing text: String, environmentPassword: String? = ProcessInfo.processInfo.environment["FERRY_SOURCE_PASSWORD"], option: String = "--source") throws {
        do {
            connection = try TDSConnection.Configuration(url: text, password: environmentPassword)
        } catch {
            throw ConfigurationError(subject: option, message: error.message)
        }
    }

    var description: String { connection.url }

    /// The URL with any password replaced by `***`, for messages.
    static func redacted(_ text: String) -> String {
        TDSConnection.Configuration.redacted(text)
    }
}
