import FreeTDS
import Testing
import TDSServer

@Suite("Logging in through FreeTDS")
struct LoginTests {
    @Test func acceptsALoginAndDecodesLogin7() async throws {
        let harness = try ServerHarness()
        let connection = try await harness.connect(database: "ferrydb")
        #expect(try await connection.query("MANY 3").map { $0[0] } == [.int(0), .int(1), .int(2)])
        await connection.close()
        let login = try #require(harness.recorder.snapshot.logins.first)
        #expect(login.userName == "ferry")
        #expect(login.password == "secret")
        #expect(login.database == "ferrydb")
        #expect(login.applicationName == "tds-server-tests")
        #expect(login.tdsVersion == 0x7400_0004)
        #expect(login.requestedPacketSize >= 512)
        #expect(!login.hostName.isEmpty)
        #expect(!login.usesIntegratedSecurity)
        #expect(!login.description.contains("secret"))
        // FreeTDS 7.4 announces UTF-8 support in a feature extension, which the server acknowledges.
        #expect(login.supportsUTF8)
        await harness.stop()
    }

    @Test func wrongPasswordIsLoginFailed18456() async throws {
        let harness = try ServerHarness()
        let error = await #expect(throws: TDSError.self) { try await harness.connect(password: "wrong") }
        #expect(error?.code == .loginFailed)
        #expect(error?.number == 18456)
        #expect(error?.severity == 14)
        #expect(error?.state == 1)
        #expect(error?.serverMessage?.text == "Login failed for user 'ferry'.")
        // The refused session was closed and never reached sessionEnded (it never logged in).
        #expect(await harness.recorder.wait { $0.logins.count == 1 })
        #expect(harness.recorder.snapshot.endedSessions.isEmpty)
        // The server keeps serving.
        let connection = try await harness.connect()
        #expect(try await connection.query("MANY 1").count == 1)
        await connection.close()
        await harness.stop()
    }

    @Test func stopEndsRunAndSessions() async throws {
        let harness = try ServerHarness()
        let connection = try await harness.connect()
        #expect(harness.server.sessionCount == 1)
        await harness.stop()
        #expect(harness.server.sessionCount == 0)
        #expect(harness.recorder.snapshot.endedSessions.count == 1)
        let error = await #expect(throws: TDSError.self) { try await connection.query("MANY 1") }
        #expect(error?.code == .connectionLost || error?.code == .closed)
    }
}
