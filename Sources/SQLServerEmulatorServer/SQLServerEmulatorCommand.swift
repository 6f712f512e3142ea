import ArgumentParser
import Foundation
import Logging
import SQLServerEmulator
import ServiceLifecycle
import TDSServer

/// `sqlserver-emulator`: a SQL Server look-alike on the TDS protocol, storing everything in PostgreSQL.
@main
struct SQLServerEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sqlserver-emulator",
        abstract: "Serves the TDS protocol as SQL Server does, running T-SQL on PostgreSQL.")

    @Option(name: .long, help: "The address to listen on, HOST:PORT.")
    var listen: String = "127.0.0.1:1433"

    @Option(name: .customLong("postgres"), help: "The PostgreSQL URL the emulator keeps its databases in (required to serve).")
    var postgresURL: String?

    @Option(
        name: .customLong("print-sample"),
        help: "Print a sample database's T-SQL script (with GO separators, for sqlcmd or tsql) and exit, e.g. to seed a real SQL Server.")
    var printSample: String?

    /// `--postgres`, checked by ``validateEndpoint()`` before anything is served.
    private var postgres: String { postgresURL ?? "" }

    @Option(name: .long, help: "The SQL login accepted.")
    var user: String = "sa"

    @Option(name: .long, help: "The login's password (default: $SQLSERVER_EMULATOR_PASSWORD, else Passw0rd!).")
    var password: String?

    @Option(name: .long, help: "Milliseconds between CDC capture scans (SQL Server's polling interval: 5000).")
    var captureIntervalMs: Int = 5000

    @Option(name: .long, help: "Milliseconds between CDC cleanup runs (SQL Server's cleanup job runs daily).")
    var cleanupIntervalMs: Int = 86_400_000

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(
        name: .long,
        help: "Install a sample database before serving, unless it exists (\(SampleDatabases.all.map(\.name).joined(separator: ", "))).")
    var seed: [String] = []

    /// Bad options exit with 2 (ArgumentParser's default is 64); help exits with 0.
    static func main() async {
        let command: Self
        do {
            command = try parse()
            if let name = command.printSample {
                guard let sample = SampleDatabases.named(name) else {
                    throw ValidationError("--print-sample \(name) is not a sample; choose from \(SampleDatabases.all.map(\.name).joined(separator: ", "))")
                }
                print(sample.script, terminator: "")
                Foundation.exit(0)
            }
            try command.validateEndpoint()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("sqlserver-emulator: \(fullMessage(for: error))\n".utf8))
            Foundation.exit(2)
        }
        Foundation.exit(await command.serve())
    }

    func validate() throws {
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical (got '\(logLevel)')")
        }
        guard !user.isEmpty else { throw ValidationError("--user must not be empty") }
        guard captureIntervalMs > 0 else { throw ValidationError("--capture-interval-ms must be a positive number of milliseconds (got \(captureIntervalMs))") }
        guard cleanupIntervalMs > 0 else { throw ValidationError("--cleanup-interval-ms must be a positive number of milliseconds (got \(cleanupIntervalMs))") }
        for name in seed where SampleDatabases.named(name) == nil {
            throw ValidationError(
                "--seed \(name) is not a sample; choose from \(SampleDatabases.all.map(\.name).joined(separator: ", "))")
        }
    }

    private func validateEndpoint() throws {
        _ = try endpoint()
        guard postgresURL != nil else { throw ValidationError("--postgres is required: the PostgreSQL URL the emulator keeps its databases in") }
        guard let components = URLComponents(string: postgres), let scheme = components.scheme,
              scheme == "postgresql" || scheme == "postgres" else {
            throw ValidationError("--postgres must be a postgresql:// URL")
        }
    }

    /// `HOST:PORT`, `[v6]:PORT`.
    private func endpoint() throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":") else {
            throw ValidationError("--listen must be HOST:PORT (got '\(listen)')")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen must be HOST:PORT with a port from 0 to 65535 (got '\(listen)')")
        }
        return (host, port)
    }

    /// Where PostgreSQL is, for messages: never the password.
    private var postgresEndpoint: String {
        let components = URLComponents(string: postgres)
        let host = components?.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        return "\(host):\(components?.port ?? 5432)"
    }

    /// Runs until SIGTERM or SIGINT; returns the exit status.
    private func serve() async -> Int32 {
        let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "sqlserver-emulator")
        let engine: SQLServerEngine
        do {
            engine = try await SQLServerEngine.open(postgresURL: postgres, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("sqlserver-emulator: cannot use PostgreSQL at \(postgresEndpoint): \(error)\n".utf8))
            return 1
        }
        for sample in seed.compactMap(SampleDatabases.named) {
            do {
                if try await engine.install(sample) {
                    logger.notice("sample database installed", metadata: ["sample": "\(sample.name)", "database": "\(sample.databaseName)"])
                } else {
                    logger.info("sample database already there; not installed again", metadata: ["sample": "\(sample.name)", "database": "\(sample.databaseName)"])
                }
            } catch {
                FileHandle.standardError.write(Data("sqlserver-emulator: --seed \(sample.name) failed: \(error)\n".utf8))
                return 1
            }
        }
        let password = self.password ?? ProcessInfo.processInfo.environment["SQLSERVER_EMULATOR_PASSWORD"] ?? "Passw0rd!"
        let handler = EmulatorRequestHandler(engine: engine, user: user, password: password, logger: logger)
        do {
            let (host, port) = try endpoint()
            let server = try TDSServer(configuration: .init(host: host, port: port), handler: handler, logger: logger)
            logger.notice("SQL Server emulator listening", metadata: ["tds.host": "\(host)", "tds.port": "\(server.port)", "postgres": "\(postgresEndpoint)"])
            let captureJob = engine.makeCaptureJob(configuration: .init(
                captureInterval: .milliseconds(captureIntervalMs), cleanupInterval: .milliseconds(cleanupIntervalMs)))
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: server), .init(service: CaptureJobService(job: captureJob))], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            return 0
        } catch {
            logger.critical("SQL Server emulator failed", metadata: ["error": "\(error)"])
            return 1
        }
    }
}
