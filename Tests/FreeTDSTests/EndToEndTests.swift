import CFreeTDS
import Logging
import Testing
@testable import FreeTDS

/// The connection against ``ScriptedTDSServer``: real FreeTDS db-lib on the client side, a scripted
/// TDS 7.4 token stream on the other.
@Suite("Talking TDS 7.4 to a scripted server", .serialized)
struct EndToEndTests {
    static let guidStorage: [UInt8] = [0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF]
    static let typedColumns: [TokenWriter.Column] = [
        .int("id"), .nvarchar("name"), .decimal("amount", precision: 38, scale: 4), .datetime2("stamp"),
        .datetimeoffset("at"), .guid("guid"), .varbinary("data"),
    ]

    static func respond(_ batch: String) -> [UInt8] {
        var writer = TokenWriter()
        if batch.hasPrefix("SET TEXTSIZE") {
            writer.done(status: 0, command: 0xBE)
        } else if batch == "SELECT typed" {
            let columns = typedColumns
            writer.columns(columns)
            writer.row([
                .int(1), .text("Grüße 𝄞 😀"), .decimal(negative: true, magnitude: 123_456_789),
                .datetime2(days: 738_944, ticks: 452_961_234_567),
                .datetimeoffset(days: 737_424, ticks: 5 * 36_000_000_000 + 30 * 600_000_000, offset: -300),
                .guid(guidStorage), .bytes([0, 1, 2]),
            ], columns: columns)
            writer.row([.int(2), .text(""), .null, .null, .null, .null, .bytes([])], columns: columns)
            writer.row([.int(3), .null, .null, .null, .null, .null, .null], columns: columns)
            writer.done(status: 0x11, rowCount: 3)
            writer.message(token: 0xAB, number: 0, state: 1, severity: 0, text: "between sets", line: 2)
            writer.columns([.int("n")])
            writer.row([.int(42)], columns: [.int("n")])
            writer.done(status: 0x10, rowCount: 1)
        } else if batch == "SELECT large" {
            let columns: [TokenWriter.Column] = [.nvarcharMax("big"), .xml("doc"), .varchar("latin"), .varbinaryMax("blob")]
            writer.columns(columns)
            writer.row([
                .plp(utf16LE(largeText)), .plp(utf16LE("<a b=\"é\">𝄞</a>")), .bytes([0x63, 0x61, 0x66, 0xE9]),
                .plp((0..<70_000).map { UInt8(truncatingIfNeeded: $0) }),
            ], columns: columns)
            writer.row([.plp([]), .plp(nil), .bytes([]), .plp(nil)], columns: columns)
            writer.done(status: 0x10, rowCount: 2)
        } else if batch.hasPrefix("SELECT many ") {
            let count = Int(batch.dropFirst("SELECT many ".count)) ?? 0
            writer.columns([.int("n")])
            for n in 0..<count { writer.row([.int(Int32(n))], columns: [.int("n")]) }
            writer.done(status: 0x10, rowCount: UInt64(count))
        } else if batch == "WAITFOR forever" {
            return []
        } else if batch == "UPDATE t" {
            writer.done(status: 0x10, command: 0xC5, rowCount: 3)
        } else if batch == "INSERT duplicate" {
            writer.message(token: 0xAA, number: 2627, state: 1, severity: 14, text: "Violation of PRIMARY KEY constraint 'pk'.", procedure: "p_insert", line: 3)
            writer.done(status: 0x02, command: 0xC3)
        } else if batch == "DEADLOCK" {
            writer.message(token: 0xAA, number: 1205, state: 51, severity: 13, text: "Transaction was deadlocked.", line: 1)
            writer.done(status: 0x02, command: 0xC1)
        } else if batch == "EXEC p" {
            writer.returnStatus(-6)
            writer.done(token: 0xFE, status: 0, command: 0xE0)
        } else {
            writer.message(token: 0xAA, number: 2812, state: 62, severity: 16, text: "Could not find stored procedure '\(batch)'.", line: 1)
            writer.done(status: 0x02)
        }
        return writer.bytes
    }

    static let largeText = String(repeating: "ab𝄞é", count: 30_000)

    static func utf16LE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static func connect(_ server: ScriptedTDSServer, user: String = "ferry") async throws -> TDSConnection {
        try await TDSConnection.connect(
            configuration: .init(host: "127.0.0.1", port: server.port, username: user, password: "secret-pw", loginTimeout: .seconds(5)),
            logger: Logger(label: "test")
        )
    }

    @Test func logsInAndRaisesTheTextSize() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        #expect(server.batches == ["SET TEXTSIZE 2147483647"])
        #expect(await !connection.isClosed)
        await connection.close()
        #expect(await connection.isClosed)
        let error = await #expect(throws: TDSError.self) { try await connection.query("SELECT many 1") }
        #expect(error?.code == .closed)
    }

    @Test func refusedLoginCarriesTheServerMessage() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let error = await #expect(throws: TDSError.self) { try await Self.connect(server, user: "wrong") }
        #expect(error?.code == .loginFailed)
        #expect(error?.number == 18456)
        #expect(error?.severity == 14)
        #expect(error?.isRetriable == false)
        #expect(error?.description.contains("secret-pw") == false)
    }

    @Test func decodesEveryColumnOverTheWire() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        let result = try await connection.execute("SELECT typed")
        try #require(result.resultSets.count == 2)
        let columns = result.resultSets[0].columns
        #expect(columns.map(\.name) == ["id", "name", "amount", "stamp", "at", "guid", "data"])
        #expect(columns[2].precision == 38)
        #expect(columns[2].scale == 4)
        let rows = result.resultSets[0].rows
        try #require(rows.count == 3)
        #expect(rows[0]["id"] == .int(1))
        #expect(rows[0]["name"] == .string("Grüße 𝄞 😀"))
        #expect(rows[0]["amount"]?.description == "-12345.6789")
        #expect(rows[0]["stamp"]?.description == "2024-02-29 12:34:56.1234567")
        #expect(rows[0]["at"]?.description == "2020-01-01 00:30:00.0000000 -05:00")
        #expect(rows[0]["guid"]?.description == "6F9619FF-8B86-D011-B42D-00C04FC964FF")
        #expect(rows[0]["data"] == .bytes([0, 1, 2]))
        #expect(rows[1]["name"] == .string(""))
        #expect(rows[1]["data"] == .bytes([]))
        #expect(rows[1]["amount"] == .null)
        #expect(rows[2]["name"] == .null)
        #expect(rows[2]["data"] == .null)
        #expect(result.resultSets[0].rowCount == 3)
        #expect(result.resultSets[1].rows.map { $0[0] } == [.int(42)])
        #expect(result.messages.map(\.text) == ["between sets"])
        await connection.close()
    }

    @Test func decodesMaxTypesXmlAndCodePageText() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        let rows = try await connection.query("SELECT large")
        try #require(rows.count == 2)
        // What db-lib 1.3.17 reports: nvarchar(max) as char, xml as text, varbinary(max) as binary.
        #expect(rows[0].columns.map(\.type) == [.char, .text, .char, .binary])
        #expect(rows[0]["big"] == .string(Self.largeText))
        #expect(rows[0]["doc"] == .string("<a b=\"é\">𝄞</a>"))
        // varchar bytes in the column's code page (CP1252 for this collation) arrive as UTF-8.
        #expect(rows[0]["latin"] == .string("café"))
        #expect(rows[0]["blob"] == .bytes((0..<70_000).map { UInt8(truncatingIfNeeded: $0) }))
        #expect(rows[1]["big"] == .string(""))
        #expect(rows[1]["doc"] == .null)
        #expect(rows[1]["latin"] == .string(""))
        #expect(rows[1]["blob"] == .null)
        await connection.close()
    }

    @Test func reportsColumnTypes() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        let result = try await connection.execute("SELECT typed")
        let columns = try #require(result.resultSets.first?.columns)
        #expect(columns.map(\.type) == [.int, .char, .decimal, .dateTime2, .dateTimeOffset, .uniqueIdentifier, .binary])
        // db-lib 1.3.17 does not fill DBCOL2.ServerType; a later FreeTDS that does must report nvarchar.
        #expect(columns[1].serverType == nil || columns[1].serverType == .nVarChar)
        #expect(columns[1].maxLength > 0)
        #expect(columns[0].maxLength == 4)
        #expect(columns.allSatisfy { $0.isNullable })
        await connection.close()
    }

    @Test func streamsLargeResultsInChunks() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        var expected: Int32 = 0
        var rowCount: Int?
        for try await event in try await connection.stream("SELECT many 20000", chunkSize: 100) {
            switch event {
            case .row(let row):
                #expect(row[0] == .int(expected))
                expected += 1
            case .done(let count):
                rowCount = count
            default:
                break
            }
        }
        #expect(expected == 20000)
        #expect(rowCount == 20000)
        #expect(try await connection.query("UPDATE t").isEmpty)
        #expect(try await connection.execute("UPDATE t").rowCounts == [3])
        await connection.close()
    }

    @Test func serverErrorsKeepTheirDetailsAndLeaveTheConnectionUsable() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        let error = await #expect(throws: TDSError.self) { try await connection.execute("INSERT duplicate") }
        #expect(error?.code == .serverError)
        #expect(error?.number == 2627)
        #expect(error?.state == 1)
        #expect(error?.severity == 14)
        #expect(error?.line == 3)
        #expect(error?.procedure == "p_insert")
        #expect(error?.isRetriable == false)
        let deadlock = await #expect(throws: TDSError.self) { try await connection.execute("DEADLOCK") }
        #expect(deadlock?.number == 1205)
        #expect(deadlock?.isRetriable == true)
        #expect(try await connection.query("SELECT many 2").count == 2)
        await connection.close()
    }

    @Test func queryTimeoutCancelsTheBatchAndKeepsTheConnection() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await TDSConnection.connect(
            configuration: .init(host: "127.0.0.1", port: server.port, username: "ferry", password: "pw", queryTimeout: .seconds(1)),
            logger: Logger(label: "test")
        )
        let error = await #expect(throws: TDSError.self) { try await connection.execute("WAITFOR forever") }
        #expect(error?.code == .timedOut)
        #expect(error?.isRetriable == true)
        #expect(try await connection.query("SELECT many 2").count == 2)
        // The attention precedes that batch on the socket, so the server has counted it by now.
        #expect(server.attentions == 1)
        await connection.close()
    }

    @Test func aDroppedConnectionIsARetriableConnectionLoss() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        let error = await #expect(throws: TDSError.self) { try await connection.execute("KILL") }
        #expect(error?.code == .connectionLost)
        #expect(error?.isRetriable == true)
        #expect(await connection.isClosed)
        let next = await #expect(throws: TDSError.self) { try await connection.execute("SELECT many 1") }
        #expect(next?.code == .connectionLost || next?.code == .closed)
    }

    @Test func returnStatusOfAProcedure() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        #expect(try await connection.execute("EXEC p").returnStatus == -6)
        await connection.close()
    }

    @Test func explicitCancelStopsTheBatchAndKeepsTheConnection() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        let stream = try await connection.stream("SELECT many 50000", chunkSize: 10)
        var iterator = stream.makeAsyncIterator()
        var rows = 0
        while rows < 5, let event = try await iterator.next() {
            if case .row = event { rows += 1 }
        }
        await stream.cancel()
        let error = await #expect(throws: TDSError.self) { _ = try await iterator.next() }
        #expect(error?.code == .cancelled)
        #expect(try await connection.query("SELECT many 3").count == 3)
        // db-lib sends an attention only while the reply is still pending on the wire; under load it
        // may already have read it to the end, so the count is 0 or 1, never more.
        #expect(server.attentions <= 1)
        await connection.close()
    }

    @Test func taskCancellationStopsTheStream() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        let (firstRowSeen, firstRow) = AsyncStream.makeStream(of: Void.self)
        let reader = Task {
            var rows = 0
            for try await _ in try await connection.stream("SELECT many 50000", chunkSize: 10).rows {
                rows += 1
                if rows == 1 { firstRow.yield() }
            }
            return rows
        }
        for await _ in firstRowSeen { break }
        reader.cancel()
        let error = await #expect(throws: TDSError.self) { try await reader.value }
        #expect(error?.code == .cancelled)
        #expect(try await connection.query("SELECT many 4").count == 4)
        await connection.close()
    }

    @Test func aNewBatchCancelsAnUnfinishedStream() async throws {
        let server = try ScriptedTDSServer(respond: Self.respond)
        defer { server.stop() }
        let connection = try await Self.connect(server)
        var abandoned = try await connection.stream("SELECT many 50000", chunkSize: 10).makeAsyncIterator()
        _ = try await abandoned.next()
        #expect(try await connection.query("SELECT many 2").count == 2)
        // The old iterator still holds a buffered chunk, but it reports the cancellation at once.
        let error = await #expect(throws: TDSError.self) { _ = try await abandoned.next() }
        #expect(error?.code == .cancelled)
        await connection.close()
    }
}
