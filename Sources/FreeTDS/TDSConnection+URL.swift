import Foundation

extension TDSConnection.Configuration {
    /// Reads a SQL Server address, `sqlserver://user:password@host[:port]/database`.
    ///
    /// User, password and database are percent-decoded (`p%40ss` is `p@ss`); the port defaults to
    /// 1433. `password` is used when the URL has none, so a password can stay out of the process
    /// list (Ferry passes `FERRY_SOURCE_PASSWORD`).
    /// - Throws: ``TDSError`` `invalidArgument`, naming the part at fault; the message never
    ///   contains the password.
    public init(url text: String, password fallbackPassword: String? = nil) throws(TDSError) {
        let usage = "use sqlserver://user:password@host:port/database"
        func invalid(_ why: String) -> TDSError {
            TDSError(.invalidArgument, "\(why): \(usage)", context: ["url": Self.redacted(text)])
        }
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "sqlserver" else {
            throw invalid("'\(Self.redacted(text))' is not a sqlserver:// URL")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw invalid("the URL names no user") }
        let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard !database.isEmpty, !database.contains("/") else { throw invalid("the URL names no database") }
        let urlPassword = components.password.flatMap { $0.isEmpty ? nil : $0 }
        guard let password = urlPassword ?? fallbackPassword else {
            throw invalid("no password: put it in the URL or in FERRY_SOURCE_PASSWORD")
        }
        let port = components.port ?? 1433
        guard (1...65535).contains(port) else { throw invalid("the port \(port) is not from 1 to 65535") }
        self.init(
            host: host, port: port, username: user.removingPercentEncoding ?? user,
            password: urlPassword.map { $0.removingPercentEncoding ?? $0 } ?? password,
            database: database.removingPercentEncoding ?? database)
    }

    /// `text` with the password of a `scheme://user:password@…` URL replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }

    /// `sqlserver://user@host:port/database`: the address without the password.
    public var url: String {
        "sqlserver://\(username)@\(host):\(port)/\(database ?? "")"
    }
}
