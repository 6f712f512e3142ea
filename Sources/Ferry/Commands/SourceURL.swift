import Foundation
import FreeTDS

/// A parsed `--source sqlserver://user:password@host:port/database`; the password may come from
/// `FERRY_SOURCE_PASSWORD` instead. `description` never shows the password.
struct SourceURL: CustomStringConvertible {
    var host: String
    var port: Int
    var user: String
    var password: String
    var database: String

    /// Parses the URL; `environmentPassword` is used when the URL has no password.
    init(parsing text: String, environmentPassword: String?) throws {
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "sqlserver" else {
            throw ConfigurationError(subject: "--source", message: "'\(Self.redacted(text))' is not sqlserver://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError(subject: "--source", message: "the URL names no host: use sqlserver://user:password@host:port/database")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError(subject: "--source", message: "the URL names no user: use sqlserver://user:password@host:port/database")
        }
        let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard !database.isEmpty, !database.contains("/") else {
            throw ConfigurationError(subject: "--source", message: "the URL names no database: use sqlserver://user:password@host:port/database")
        }
        guard let password = components.password ?? environmentPassword else {
            throw ConfigurationError(subject: "--source", message: "no password: put it in the URL or in FERRY_SOURCE_PASSWORD")
        }
        let port = components.port ?? 1433
        guard (1...65535).contains(port) else { throw ConfigurationError(subject: "--source", message: "port \(port) is out of range") }
        self.host = host
        self.port = port
        self.user = user.removingPercentEncoding ?? user
        self.password = password.removingPercentEncoding ?? password
        self.database = database.removingPercentEncoding ?? database
    }

    /// The FreeTDS connection settings.
    var connection: TDSConnection.Configuration {
        TDSConnection.Configuration(host: host, port: port, username: user, password: password, database: database)
    }

    var description: String { "sqlserver://\(user)@\(host):\(port)/\(database)" }

    /// The URL with any password replaced by `***`, for messages.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"), let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}
