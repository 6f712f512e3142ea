extension TDSConnection {
    /// How to reach and log in to SQL Server. The connection always speaks TDS 7.4 with a UTF-8
    /// client charset and needs no `freetds.conf` entry: the server is addressed as `host:port`.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// Host name or IP address of the server.
        public var host: String
        /// TCP port (SQL Server's default is 1433).
        public var port: Int
        /// SQL login name (SQL Server authentication; a `DOMAIN\user` name would make FreeTDS try NTLM).
        public var username: String
        /// The login's password; never logged or printed.
        public var password: String
        /// Database to use after login, or nil for the login's default database.
        public var database: String?
        /// Application name the server shows in `sys.dm_exec_sessions.program_name`.
        public var applicationName: String
        /// How long connecting and logging in may take. db-lib keeps this process-wide
        /// (`dbsetlogintime`), so connections opened at the same moment with different values may
        /// use either one.
        public var loginTimeout: Duration
        /// How long the server may take to answer a batch, or nil for no limit (set per connection
        /// with `dbsetopt(DBSETTIME)`).
        public var queryTimeout: Duration?
        /// The `SET TEXTSIZE` sent after login, in bytes, or nil to keep the server's default.
        /// FreeTDS otherwise lets the server cut `(max)`, `text` and `xml` values short.
        public var textSize: Int?

        /// Makes a configuration.
        public init(
            host: String,
            port: Int = 1433,
            username: String,
            password: String,
            database: String? = nil,
            applicationName: String = "ferry",
            loginTimeout: Duration = .seconds(15),
            queryTimeout: Duration? = nil,
            textSize: Int? = 2_147_483_647
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.applicationName = applicationName
            self.loginTimeout = loginTimeout
            self.queryTimeout = queryTimeout
            self.textSize = textSize
        }

        /// The server name given to `dbopen`: `host:port` (`[v6]:port` for IPv6), which FreeTDS
        /// 1.3 parses itself instead of looking the name up in `freetds.conf`.
        var serverName: String {
            host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }

        /// `host:port`, for messages.
        var endpoint: String { serverName }

        /// Host, port, database and user for error contexts; never the password.
        var errorContext: [String: String] {
            var context = ["host": host, "port": String(port), "user": username]
            if let database { context["database"] = database }
            return context
        }

        /// Everything but the password.
        public var description: String {
            "\(username)@\(endpoint)/\(database ?? "(default)") app=\(applicationName)"
        }

        /// `text` with the password masked, for texts that may echo login details.
        func masking(_ text: String) -> String {
            guard !password.isEmpty else { return text }
            return text.replacing(password, with: "********")
        }
    }
}

extension Duration {
    /// Whole seconds, rounded up, at least 1 (db-lib timeouts are in seconds and 0 means "forever").
    var wholeSecondsRoundedUp: Int32 {
        let (seconds, attoseconds) = components
        let rounded = seconds + (attoseconds > 0 ? 1 : 0)
        return Int32(clamping: max(rounded, 1))
    }
}
