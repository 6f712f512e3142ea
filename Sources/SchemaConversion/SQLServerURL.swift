public import FreeTDS

/// A source address `sqlserver://user:password@host:port/database`.
///
/// The password may be left out of the URL and given in `FERRY_SOURCE_PASSWORD` instead (so it
/// does not show in the process list). User and password are percent-decoded.
public struct SQLServerURL: Sendable, CustomStringConvertible {
    /// The connection settings.
    public var configuration: TDSConnection.Configuration

    /// Parses a URL.
    /// - Parameter passwordFromEnvironment: `FERRY_SOURCE_PASSWORD`, used when the URL has no password.
    /// - Throws: ``SchemaConversionError`` `invalidConfiguration` naming the part at fault.
    public init(parsing text: String, passwordFromEnvironment: String? = nil, option: String = "--source") throws {
        func fail(_ why: String) -> SchemaConversionError {
            SchemaConversionError(.invalidConfiguration, "\(option): \(why); expected sqlserver://user:password@host:port/database", context: ["option": option])
        }
        guard text.lowercased().hasPrefix("sqlserver://") else { throw fail("the URL does not start with sqlserver://") }
        var rest = Substring(text.dropFirst("sqlserver://".count))
        guard let at = rest.lastIndex(of: "@") else { throw fail("the URL names no user (user@host)") }
        let credentials = rest[..<at]
        rest = rest[rest.index(after: at)...]
        let user: Substring
        var password: String?
        if let colon = credentials.firstIndex(of: ":") {
            user = credentials[..<colon]
            password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
        } else {
            user = credentials
        }
        guard !user.isEmpty else { throw fail("the user is empty") }
        if password == nil || password == "" { password = passwordFromEnvironment }
        guard let password else { throw fail("no password: put it in the URL or in FERRY_SOURCE_PASSWORD") }
        let hostPort: Substring
        var database: String?
        if let slash = rest.firstIndex(of: "/") {
            hostPort = rest[..<slash]
            let name = rest[rest.index(after: slash)...].split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
            database = name.isEmpty ? nil : Self.percentDecoded(Substring(name))
        } else {
            hostPort = rest
        }
        var host = String(hostPort)
        var port = 1433
        if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let number = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(number) else {
                throw fail("the port '\(hostPort[hostPort.index(after: colon)...])' is not a number from 1 to 65535")
            }
            port = number
        }
        guard !host.isEmpty else { throw fail("the host is empty") }
        guard database != nil else { throw fail("the URL names no database (…/database)") }
        configuration = TDSConnection.Configuration(
            host: host, port: port, username: Self.percentDecoded(user), password: password, database: database)
    }

    /// The URL without its password.
    public var description: String {
        "sqlserver://\(configuration.username)@\(configuration.host):\(configuration.port)/\(configuration.database ?? "")"
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
