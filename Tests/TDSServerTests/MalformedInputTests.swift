import FreeTDS
import Testing
import TDSServer

@Suite("Malformed and unusual input")
struct MalformedInputTests {
    /// Runs `attack` with a raw client while a FreeTDS session is open, then checks that only the
    /// raw session was closed: the FreeTDS session and new logins still work.
    func expectOnlyThatSessionCloses(_ attack: @escaping @Sendable (RawTDSClient) throws -> Void) async throws {
        let harness = try ServerHarness()
        let bystander = try await harness.connect()
        let client = try RawTDSClient(port: harness.port)
        let thread = BlockingThread()
        let closed = try await thread.run {
            try attack(client)
            return try client.readUntilClosed()
        }
        #expect(closed, "the server closes the offending connection")
        #expect(try await bystander.query("MANY 2").count == 2)
        let newcomer = try await harness.connect()
        #expect(try await newcomer.query("MANY 1").count == 1)
        await newcomer.close()
        await bystander.close()
        await harness.stop()
    }

    @Test func garbageBytes() async throws {
        try await expectOnlyThatSessionCloses { client in
            client.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            client.finishSending()
        }
    }

    @Test func packetShorterThanItsHeader() async throws {
        try await expectOnlyThatSessionCloses { client in
            client.send([0x12, 0x01, 0x00, 0x04, 0, 0, 1, 0])
        }
    }

    @Test func truncatedPacket() async throws {
        try await expectOnlyThatSessionCloses { client in
            client.send([0x12, 0x01, 0x00, 100, 0, 0, 1, 0] + [UInt8](repeating: 0, count: 20))
            client.finishSending()
        }
    }

    @Test func tds50LoginIsRefused() async throws {
        try await expectOnlyThatSessionCloses { client in
            client.sendMessage(type: 0x02, [UInt8](repeating: 0x41, count: 512))
        }
    }

    @Test func login7WithOffsetsOutsideTheMessage() async throws {
        try await expectOnlyThatSessionCloses { client in
            client.sendMessage(type: 0x12, RawTDSClient.prelogin)
            _ = try client.readMessage()
            var login = RawTDSClient.login7(user: "ferry", password: "secret")
            login[40] = 0xF0  // the user name's offset now points far past the end
            login[41] = 0x7F
            client.sendMessage(type: 0x10, login)
        }
    }

    @Test func truncatedLogin7() async throws {
        try await expectOnlyThatSessionCloses { client in
            client.sendMessage(type: 0x10, Array(RawTDSClient.login7(user: "ferry", password: "secret").prefix(60)))
        }
    }

    @Test func oddLengthBatchTextAfterLogin() async throws {
        try await expectOnlyThatSessionCloses { client in
            _ = try client.logIn()
            client.sendMessage(type: 0x01, RawTDSClient.allHeaders + [0x41, 0x00, 0x42])
        }
    }

    @Test func rpcWithATruncatedParameter() async throws {
        try await expectOnlyThatSessionCloses { client in
            _ = try client.logIn()
            let request = RawTDSClient.allHeaders + [0xFF, 0xFF, 10, 0, 0, 0] + [0, 0, 0xE7, 0x40, 0x1F, 0x09, 0x04, 0xD0, 0x00, 0x34, 0xFF, 0x00, 0x41]
            client.sendMessage(type: 0x03, request)
        }
    }

    @Test func aSecondRequestWhileTheResponseStreams() async throws {
        try await expectOnlyThatSessionCloses { client in
            _ = try client.logIn()
            client.sendMessage(type: 0x01, RawTDSClient.allHeaders + RawTDSClient.utf16("MANY 1000000"))
            client.sendMessage(type: 0x01, RawTDSClient.allHeaders + RawTDSClient.utf16("MANY 1"))
        }
    }

    @Test func aClientThatNeverLogsInIsClosedAfterTheLoginTimeout() async throws {
        let harness = try ServerHarness(loginTimeout: .milliseconds(200))
        let client = try RawTDSClient(port: harness.port)
        #expect(try await BlockingThread().run { try client.readUntilClosed() })
        #expect(await harness.recorder.wait { _ in harness.server.sessionCount == 0 })
        await harness.stop()
    }

    @Test func unsupportedParameterTypeIsAnErrorAndTheSessionGoesOn() async throws {
        let harness = try ServerHarness()
        let client = try RawTDSClient(port: harness.port)
        let thread = BlockingThread()
        let (login, reply, acknowledgement, rowsReply) = try await thread.run {
            let login = try client.logIn()
            // A sql_variant parameter (type 0x62).
            client.sendMessage(type: 0x03, RawTDSClient.allHeaders + [0xFF, 0xFF, 10, 0, 0, 0] + [0, 0, 0x62, 0x10, 0, 0, 0, 0, 0, 0, 0])
            let reply = try client.readMessage()
            // An attention while idle is acknowledged on its own.
            client.send([0x06, 0x01, 0x00, 0x08, 0, 0, 1, 0])
            let acknowledgement = try client.readMessage()
            client.sendMessage(type: 0x01, RawTDSClient.allHeaders + RawTDSClient.utf16("MANY 1"))
            return (login, reply, acknowledgement, try client.readMessage())
        }
        #expect(login.contains(0xAD), "LOGINACK")
        let error = try #require(reply)
        #expect(error.first == 0xAA, "an ERROR token")
        #expect(Array(error.suffix(13).prefix(3)) == [0xFD, 0x02, 0x00], "DONE with the error bit")
        #expect(acknowledgement == [0xFD, 0x20, 0x00, 0x00, 0x00] + [UInt8](repeating: 0, count: 8))
        let rows = try #require(rowsReply)
        #expect(rows.first == 0x81, "COLMETADATA")
        #expect(Array(rows.suffix(13)) == [0xFD, 0x10, 0x00, 0xC1, 0x00, 1, 0, 0, 0, 0, 0, 0, 0])
        await harness.stop()
    }
}
