extension TDSServer {
    /// A SQL Server version as LOGINACK and PRELOGIN report it.
    public struct Version: Sendable, Hashable {
        /// Major version (16 = SQL Server 2022).
        public var major: UInt8
        /// Minor version.
        public var minor: UInt8
        /// Build number.
        public var build: UInt16

        /// Makes a version.
        public init(major: UInt8, minor: UInt8, build: UInt16) {
            self.major = major
            self.minor = minor
            self.build = build
        }

        /// SQL Server 2022 RTM (16.0.1000).
        public static let sqlServer2022 = Version(major: 16, minor: 0, build: 1000)
    }

    /// Where to listen and how to present the server.
    public struct Configuration: Sendable {
        /// The address to bind (an IPv4 or IPv6 literal; `0.0.0.0` for every interface).
        public var host: String
        /// The TCP port; 0 picks a free one (read it from ``TDSServer/port``).
        public var port: Int
        /// The name in ERROR/INFO tokens (`@@SERVERNAME`).
        public var serverName: String
        /// The program name LOGINACK reports.
        public var programName: String
        /// The version LOGINACK and PRELOGIN report.
        public var version: Version
        /// The largest packet size granted; a client asking more gets this (TDS allows 512…32 767).
        public var maximumPacketSize: Int
        /// The largest request message accepted (a bigger one ends the session): bounds memory per client.
        public var maximumRequestSize: Int
        /// The listen backlog.
        public var backlog: Int
        /// How long a new connection may take to send PRELOGIN and LOGIN7 before it is closed
        /// (so idle sockets cannot hold session threads).
        public var loginTimeout: Duration

        /// Makes a configuration.
        public init(
            host: String = "127.0.0.1",
            port: Int = 1433,
            serverName: String = "ferry",
            programName: String = "Microsoft SQL Server",
            version: Version = .sqlServer2022,
            maximumPacketSize: Int = 32_767,
            maximumRequestSize: Int = 256 << 20,
            backlog: Int = 128,
            loginTimeout: Duration = .seconds(30)
        ) {
            self.host = host
            self.port = port
            self.serverName = serverName
            self.programName = programName
            self.version = version
            self.maximumPacketSize = maximumPacketSize
            self.maximumRequestSize = maximumRequestSize
            self.backlog = backlog
            self.loginTimeout = loginTimeout
        }
    }
}
