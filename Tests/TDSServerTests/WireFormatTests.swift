import Testing
@testable import TDSServer

/// Byte-level checks of encodings that FreeTDS accepts either way, so only the bytes tell.
@Suite("Wire format details")
struct WireFormatTests {
    static let ints = (0..<3).map { TDSColumnDescription(name: "c\($0)", type: .int) }

    @Test func nbcRowIsChosenOnlyWhenItIsShorter() throws {
        let sparse = try TokenEncoder.row([.null, .null, .int(1)], columns: Self.ints)
        #expect(sparse == [0xD2, 0b011, 4, 1, 0, 0, 0])
        let dense = try TokenEncoder.row([.int(1), .null, .int(2)], columns: Self.ints)
        #expect(dense == [0xD1, 4, 1, 0, 0, 0, 0, 4, 2, 0, 0, 0])
        let strings = (0..<3).map { TDSColumnDescription(name: "s\($0)", type: .nVarChar(maxLength: 10)) }
        // One NULL nvarchar costs 2 bytes as a ROW marker, more than the 1-byte bitmap.
        #expect(try TokenEncoder.row([.string("a"), .null, .string("")], columns: strings).first == 0xD2)
        #expect(throws: TDSServerError.self) { try TokenEncoder.row([.int(1)], columns: Self.ints) }
    }

    @Test func exactNumbersAndRounding() throws {
        var writer = ByteWriter()
        try TDSType.decimal(precision: 5, scale: 2).writeValue(.decimal(unscaled: -15, scale: 1), into: &writer)
        #expect(writer.bytes == [5, 0, 150, 0, 0, 0])
        #expect(throws: TDSServerError.self) {
            var writer = ByteWriter()
            try TDSType.decimal(precision: 5, scale: 1).writeValue(.decimal(unscaled: 1, scale: 2), into: &writer)
        }
        #expect(throws: TDSServerError.self) {
            var writer = ByteWriter()
            try TDSType.decimal(precision: 3, scale: 0).writeValue(.int(1000), into: &writer)
        }
        // 23:59:59.9983334 rounds to the next day's 00:00:00.000 as a datetime.
        writer = ByteWriter()
        try TDSType.dateTime.writeValue(.dateTime(daysSinceJanuaryFirst0001: 693_595, hundredNanoseconds: 863_999_983_334), into: &writer)
        #expect(writer.bytes == [8, 1, 0, 0, 0, 0, 0, 0, 0])
        // time(0) of 23:59:59.6 wraps to midnight, as SQL Server converts.
        writer = ByteWriter()
        try TDSType.time(scale: 0).writeValue(.time(hundredNanoseconds: 863_996_000_000), into: &writer)
        #expect(writer.bytes == [3, 0, 0, 0])
        // money: high half then low half.
        writer = ByteWriter()
        try TDSType.money.writeValue(.money(tenThousandths: -2), into: &writer)
        #expect(writer.bytes == [8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF])
    }

    @Test func codePagesAndCollations() {
        #expect(TDSCollation.sqlLatin1GeneralCP1CIAS.bytes == [0x09, 0x04, 0xD0, 0x00, 0x34])
        #expect(!TDSCollation.sqlLatin1GeneralCP1CIAS.isUTF8)
        #expect(TDSCollation.latin1General100CIASSCUTF8.isUTF8)
        #expect(TDSCodePage.windows1252.encode("€é😀") == [0x80, 0xE9, UInt8(ascii: "?")])
        #expect(TDSCodePage.windows1252.decode([0x80, 0xE9, 0x41]) == "€éA")
        #expect(TDSCollation.sqlLatin1GeneralCP1CIAS.codePage == .windows1252)
    }

    @Test func loginTokensAndEnvironmentChanges() {
        let ack = TokenEncoder.loginAck(tdsVersion: 0x7400_0004, programName: "Microsoft SQL Server", version: .sqlServer2022)
        #expect(Int(ack[1]) | Int(ack[2]) << 8 == 10 + 2 * 20)
        #expect(Array(ack[3..<8]) == [1, 0x74, 0, 0, 4])
        #expect(TDSEnvironmentChange.beginTransaction(descriptor: 0x0102).encoded() == [0xE3, 11, 0, 8, 8, 2, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(TDSEnvironmentChange.rollbackTransaction(descriptor: 0x0102).encoded() == [0xE3, 11, 0, 10, 0, 8, 2, 1, 0, 0, 0, 0, 0, 0])
        #expect(TDSEnvironmentChange.packetSize(new: 8192, old: 4096).encoded() == [0xE3, 19, 0, 4, 4] + RawTDSClient.utf16("8192") + [4] + RawTDSClient.utf16("4096"))
    }

    @Test func passwordsAreUnscrambled() throws {
        let login = try TDSLoginRequest(parsing: RawTDSClient.login7(user: "sa", password: "Pässwörd€"))
        #expect(login.password == "Pässwörd€")
        #expect(login.userName == "sa")
        #expect(login.database == "master")
        #expect(login.clientID == [1, 2, 3, 4, 5, 6])
        #expect(login.featureExtensions.isEmpty)
    }

    @Test func rpcPayloadsMustBeWellFormed() {
        // No separator between two RPCs.
        let twoWithoutSeparator = RawTDSClient.allHeaders + [0xFF, 0xFF, 10, 0, 0, 0] + [0x01]
        #expect(throws: TDSServerError.self) { try TDSRPCRequest.parseBatch(twoWithoutSeparator) }
        #expect(throws: TDSServerError.self) { try TDSRPCRequest.parseBatch(RawTDSClient.allHeaders) }
        let byName = RawTDSClient.allHeaders + [13, 0] + RawTDSClient.utf16("SP_EXECUTESQL") + [0, 0]
        #expect((try? TDSRPCRequest.parseBatch(byName))?.first?.isExecuteSQL == true)
    }
}
