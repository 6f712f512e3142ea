import FreeTDS
import Logging
import TDSServer

/// A running ``TDSServer`` on an ephemeral port with a scripted handler.
struct ServerHarness {
    let server: TDSServer
    let recorder: Recorder
    private let serving: Task<Void, any Error>

    static let logger: Logger = {
        var logger = Logger(label: "tds-server-test")
        logger.logLevel = .error
        return logger
    }()

    init(
        scripts: [String: ScriptedHandler.Script] = [:],
        rpcScript: (@Sendable (TDSRPCRequest, TDSResponseWriter) async throws -> Void)? = nil,
        loginTimeout: Duration = .seconds(30)
    ) throws {
        let recorder = Recorder()
        let handler = ScriptedHandler(recorder: recorder, scripts: scripts, rpcScript: rpcScript)
        let server = try TDSServer(configuration: .init(host: "127.0.0.1", port: 0, loginTimeout: loginTimeout), handler: handler, logger: Self.logger)
        self.server = server
        self.recorder = recorder
        self.serving = Task { try await server.run() }
    }

    var port: Int { server.port }

    /// Logs in with the FreeTDS wrapper.
    func connect(user: String = "ferry", password: String = "secret", database: String? = nil) async throws -> TDSConnection {
        try await TDSConnection.connect(
            configuration: .init(host: "127.0.0.1", port: port, username: user, password: password, database: database, applicationName: "tds-server-tests", loginTimeout: .seconds(10)),
            logger: Logger(label: "tds-client-test")
        )
    }

    /// Stops the server and waits until every session has ended.
    func stop() async {
        serving.cancel()
        _ = await serving.result
    }
}
