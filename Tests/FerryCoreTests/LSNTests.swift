import FerryCore
import Testing

@Suite struct LSNTests {
    @Test func printsAndParsesSQLServersForm() throws {
        let lsn = try #require(LSN("0000002d:00000580:001d"))
        #expect(lsn == LSN(virtualLogFile: 0x2d, block: 0x580, slot: 0x1d))
        #expect(lsn.description == "0000002d:00000580:001d")
        #expect(LSN("0000002D:00000580:001D") == lsn)
        #expect(lsn.hexLiteral == "0x0000002D00000580001D")
        #expect(LSN(lsn.hexLiteral) == lsn)
    }

    @Test(arguments: ["", "1:2:3", "0000002d:00000580", "0000002d:00000580:001g", "0x00", "0000002d-00000580-001d", "0x0000002D00000580001DFF"])
    func rejectsMalformedText(_ text: String) {
        #expect(LSN(text) == nil)
    }

    @Test func bytesRoundTripBigEndian() throws {
        let bytes: [UInt8] = [0x00, 0x00, 0x00, 0x2d, 0x00, 0x00, 0x05, 0x80, 0x00, 0x1d]
        let lsn = try #require(LSN(bytes: bytes))
        #expect(lsn.bytes == bytes)
        #expect(LSN(bytes: [1, 2, 3]) == nil)
    }

    @Test func ordersAsAnUnsignedEightyBitInteger() {
        let values = [
            LSN(virtualLogFile: 0, block: 0, slot: 0xffff),
            LSN(virtualLogFile: 0, block: 1, slot: 0),
            LSN(virtualLogFile: 0, block: 0xffff_ffff, slot: 0),
            LSN(virtualLogFile: 1, block: 0, slot: 0),
            LSN(virtualLogFile: 0x8000_0000, block: 0, slot: 0),
        ]
        #expect(values.sorted() == values)
        #expect(values.shuffled().sorted() == values)
    }

    @Test func incrementAndDecrementCarryAcrossParts() {
        let edge = LSN(virtualLogFile: 7, block: 0xffff_ffff, slot: 0xffff)
        #expect(edge.incremented() == LSN(virtualLogFile: 8, block: 0, slot: 0))
        #expect(edge.incremented()?.decremented() == edge)
        #expect(LSN(virtualLogFile: 1, block: 2, slot: 3).incremented() == LSN(virtualLogFile: 1, block: 2, slot: 4))
        #expect(LSN.max.incremented() == nil)
        #expect(LSN.zero.decremented() == nil)
    }
}
