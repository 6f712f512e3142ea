import Logging
import Testing
@testable import FreeTDS

@Suite("Connecting without a server", .serialized)
struct ConnectionTests {
    private static let password = "pa55-Wörd-never-printed"

    private static func configuration(host: String = "127.0.0.1", port: Int, loginTimeout: Duration = .seconds(2)) -> TDSConnection.Configuration {
        TDSConnection.Configuration(
            host: host, port: port, username: "ferry", password: Self.password, database: "inventory",
            loginTimeout: loginTimeout
        )
    }

    private static func connectionError(_ configuration: TDSConnection.Configuration) async -> TDSError? {
        do {
            let connection = try await TDSConnection.connect(configuration: configuration, logger: Logger(label: "test"))
            await connection.close()
            Issue.record("connecting to \(configuration.endpoint) unexpectedly succeeded")
            return nil
        } catch let error as TDSError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test func closedPortIsARetriableConnectionFailure() async throws {
        let closed = try LocalListener.closedPort()
        let error = try #require(await Self.connectionError(Self.configuration(port: closed.port)))
        #expect(error.code == .connectionFailed)
        #expect(error.isRetriable)
        #expect(error.description.contains("127.0.0.1:\(closed.port)"))
        #expect(!error.description.contains(Self.password))
        #expect(!String(reflecting: error).contains(Self.password))
        #expect(error.context["host"] == "127.0.0.1")
        #expect(error.context["port"] == String(closed.port))
        #expect(error.context["database"] == "inventory")
        #expect(error.context["user"] == "ferry")
        // db-lib's own report (SYBECONN 20009) reached this connection's collector.
        #expect(error.libraryErrors.contains { $0.number == 20009 })
        #expect(error.serverMessage == nil)
    }

    @Test func serverThatNeverAnswersTimesOut() async throws {
        let silent = try LocalListener(listening: true)
        let error = try #require(await Self.connectionError(Self.configuration(port: silent.port, loginTimeout: .seconds(1))))
        #expect(error.code == .timedOut)
        #expect(error.isRetriable)
        #expect(error.description.contains("127.0.0.1:\(silent.port)"))
        #expect(!error.description.contains(Self.password))
        #expect(error.libraryErrors.contains { $0.number == 20003 })
    }

    @Test func concurrentFailuresCollectTheirOwnErrors() async throws {
        // Each connection fails against its own loopback address; db-lib's process-wide handler must
        // deliver every report to the connection it concerns.
        let closed = try LocalListener.closedPort()
        let hosts = (1...6).map { "127.0.0.\($0)" }
        let port = closed.port
        let errors = await withTaskGroup(of: (String, TDSError?).self) { group in
            for host in hosts {
                group.addTask { (host, await Self.connectionError(Self.configuration(host: host, port: port))) }
            }
            var errors: [String: TDSError?] = [:]
            for await (host, error) in group { errors[host] = error }
            return errors
        }
        for host in hosts {
            let error = try #require(errors[host] ?? nil, "no error for \(host)")
            #expect(error.code == .connectionFailed)
            #expect(!error.libraryErrors.isEmpty)
            for libraryError in error.libraryErrors {
                #expect(libraryError.text.contains("(\(host))"), "\(host) received \(libraryError)")
            }
        }
    }

    @Test func configurationDescriptionHidesThePassword() {
        let configuration = Self.configuration(port: 1433)
        #expect(!configuration.description.contains(Self.password))
        #expect(!String(reflecting: configuration).contains(Self.password))
        #expect(configuration.serverName == "127.0.0.1:1433")
        #expect(TDSConnection.Configuration(host: "::1", username: "u", password: "p").serverName == "[::1]:1433")
    }
}
