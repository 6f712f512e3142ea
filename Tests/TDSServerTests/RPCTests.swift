import CFreeTDS
import FreeTDS
import Testing
import TDSServer

@Suite("RPC requests")
struct RPCTests {
    static let rpcScript: @Sendable (TDSRPCRequest, TDSResponseWriter) async throws -> Void = { request, response in
        try await response.writeColumns([.init(name: "parameters", type: .int), .init(name: "procedure", type: .nVarChar(maxLength: 100))])
        try await response.writeRow([.int(Int32(request.parameters.count)), .string(request.procedureName)])
        try await response.writeDone(.doneInProc, rowCount: 1)
        try await response.writeReturnStatus(0)
        for parameter in request.parameters where parameter.isOutput {
            try await response.writeReturnValue(parameter, value: .int(99))
        }
    }

    @Test func executeSQLFromDBLibHasTypedParameters() async throws {
        let harness = try ServerHarness(rpcScript: Self.rpcScript)
        let client = DBLibRPCClient()
        try await client.connect(port: harness.port)
        let statement = "SELECT * FROM t WHERE id = @id AND name = @name"
        let declarations = "@id int, @name varchar(20), @big bigint, @f float, @data varbinary(10), @out int OUTPUT"
        let reply = try await client.call("sp_executesql", [
            .init(name: "@stmt", type: Int32(SYBVARCHAR), bytes: Array(statement.utf8)),
            .init(name: "@params", type: Int32(SYBVARCHAR), bytes: Array(declarations.utf8)),
            .init(name: "@id", type: Int32(SYBINT4), bytes: littleEndianBytes(Int32(42))),
            .init(name: "@name", type: Int32(SYBVARCHAR), bytes: Array("Grüße".utf8)),
            .init(name: "@big", type: Int32(SYBINT8), bytes: littleEndianBytes(Int64.min)),
            .init(name: "@f", type: Int32(SYBFLT8), bytes: littleEndianBytes((-2.5).bitPattern)),
            .init(name: "@data", type: Int32(SYBVARBINARY), bytes: [1, 2, 3]),
            .init(name: "@out", isOutput: true, type: Int32(SYBINT4), bytes: littleEndianBytes(Int32(7))),
        ])
        await client.close()

        let request = try #require(harness.recorder.snapshot.rpcs.first)
        #expect(request.isExecuteSQL)
        let call = try #require(request.executeSQL)
        #expect(call.statement == statement)
        #expect(call.parameterDeclarations == declarations)
        #expect(call.parameters.map(\.name) == ["@id", "@name", "@big", "@f", "@data", "@out"])
        #expect(call.parameters.map(\.value) == [.int(42), .string("Grüße"), .bigInt(.min), .float(-2.5), .bytes([1, 2, 3]), .int(7)])
        #expect(call.parameters.map(\.isOutput) == [false, false, false, false, false, true])
        #expect(call.parameters[0].type == .int)
        #expect(call.parameters[2].type == .bigInt)
        #expect(call.parameters[5].ordinal == 7)

        // db-lib hands the int column over as its 4 native bytes.
        #expect(reply.rows == [[String(decoding: littleEndianBytes(Int32(8)), as: UTF8.self), "sp_executesql"]])
        #expect(reply.returnStatus == 0)
        try #require(reply.returnValues.count == 1)
        #expect(reply.returnValues[0].name == "@out")
        #expect(reply.returnValues[0].bytes == littleEndianBytes(Int32(99)))
        await harness.stop()
    }

    // MARK: Hand-built requests

    static let collation: [UInt8] = [0x09, 0x04, 0xD0, 0x00, 0x34]

    static func name(_ text: String) -> [UInt8] { [UInt8(text.utf16.count)] + RawTDSClient.utf16(text) }

    static func plp(_ bytes: [UInt8]) -> [UInt8] {
        littleEndianBytes(UInt64(bytes.count)) + littleEndianBytes(UInt32(3)) + bytes.prefix(3)
            + littleEndianBytes(UInt32(bytes.count - 3)) + bytes.dropFirst(3) + littleEndianBytes(UInt32(0))
    }

    @Test func twoRPCsInOneRequestByIdAndByName() async throws {
        let harness = try ServerHarness(rpcScript: { request, response in try await response.writeReturnStatus(Int32(request.parameters.count)) })
        let client = try RawTDSClient(port: harness.port)
        let statement = RawTDSClient.utf16("SELECT @d, @t")
        let magnitude: UInt128 = 12_345_678_901_234_567_890_123_456_789_012_345_678
        var request = RawTDSClient.allHeaders
        // RPC 1: sp_executesql by id 10.
        request += [0xFF, 0xFF, 10, 0, 0, 0]
        request += Self.name("") + [0, 0xE7, 0xFF, 0xFF] + Self.collation + Self.plp(statement)
        request += Self.name("") + [0, 0xE7, 0x40, 0x1F] + Self.collation + littleEndianBytes(UInt16(36)) + RawTDSClient.utf16("@d decimal(38,4), @t datetime2(7), …").prefix(36)
        request += Self.name("@d") + [0, 0x6A, 17, 38, 4, 17, 0] + (0..<16).map { UInt8(truncatingIfNeeded: magnitude >> (8 * $0)) }
        request += Self.name("@t") + [0, 0x2A, 7, 8] + littleEndianBytes(UInt64(863_999_999_999)).prefix(5) + [0xDB, 0xB9, 0x37]
        request += Self.name("@g") + [0, 0x24, 16, 16, 0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF]
        request += Self.name("@n") + [0, 0x26, 4, 0]
        request += Self.name("@o") + [1, 0xEF, 8, 0] + Self.collation + littleEndianBytes(UInt16(4)) + RawTDSClient.utf16("ab")
        request += [0xFF]
        // RPC 2: a procedure by name, with a NULL varbinary(max), an empty nvarchar(max) and money.
        request += littleEndianBytes(UInt16(5)) + RawTDSClient.utf16("dbo.p") + [0x01, 0x00]
        request += Self.name("@blob") + [0, 0xA5, 0xFF, 0xFF] + littleEndianBytes(UInt64.max)
        request += Self.name("@empty") + [0, 0xE7, 0xFF, 0xFF] + Self.collation + littleEndianBytes(UInt64(0)) + littleEndianBytes(UInt32(0))
        request += Self.name("@m") + [0, 0x6E, 8, 8] + littleEndianBytes(Int32(-1)) + littleEndianBytes(UInt32(0xFFFF_FFFF))
        let sent = request
        let received = try await BlockingThread().run {
            _ = try client.logIn()
            client.sendMessage(type: 0x03, sent)
            return try client.readMessage()
        }
        let reply = try #require(received)

        let rpcs = harness.recorder.snapshot.rpcs
        try #require(rpcs.count == 2)
        #expect(rpcs[0].procedure == .id(10))
        #expect(rpcs[0].procedureName == "sp_executesql")
        let call = try #require(rpcs[0].executeSQL)
        #expect(call.statement == "SELECT @d, @t")
        #expect(call.parameterDeclarations == "@d decimal(38,4), ")
        #expect(call.parameters.map(\.name) == ["@d", "@t", "@g", "@n", "@o"])
        #expect(call.parameters[0].type == .decimal(precision: 38, scale: 4))
        #expect(call.parameters[0].value == .decimal(unscaled: -Int128(magnitude), scale: 4))
        #expect(call.parameters[1].type == .dateTime2(scale: 7))
        #expect(call.parameters[1].value == .dateTime(daysSinceJanuaryFirst0001: 0x37B9DB, hundredNanoseconds: 863_999_999_999))
        #expect(call.parameters[2].value == .uniqueIdentifier([0x6F, 0x96, 0x19, 0xFF, 0x8B, 0x86, 0xD0, 0x11, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF]))
        #expect(call.parameters[3].type == .int)
        #expect(call.parameters[3].value == .null)
        #expect(call.parameters[4].type == .nChar(length: 4, collation: TDSCollation(bytes: Self.collation)!))
        #expect(call.parameters[4].isOutput)
        #expect(call.parameters[4].value == .string("ab"))

        #expect(rpcs[1].procedure == .name("dbo.p"))
        #expect(rpcs[1].withRecompile)
        #expect(!rpcs[1].isExecuteSQL)
        #expect(rpcs[1].parameters.map(\.value) == [.null, .string(""), .money(tenThousandths: -1)])
        #expect(rpcs[1].parameters[0].type == .varBinary(maxLength: nil))

        // Reply: RETURNSTATUS 7 + DONEPROC(more), RETURNSTATUS 3 + DONEPROC (last, no DONE_MORE).
        #expect(reply.count == 2 * (5 + 13))
        #expect(Array(reply[0..<5]) == [0x79, 7, 0, 0, 0])
        #expect(reply[5] == 0xFE)
        #expect(reply[6] & 0x01 == 0x01)
        #expect(Array(reply[18..<23]) == [0x79, 3, 0, 0, 0])
        #expect(reply[23] == 0xFE)
        #expect(reply[24] & 0x01 == 0)
        await harness.stop()
    }
}
