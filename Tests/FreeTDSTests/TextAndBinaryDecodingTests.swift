import Testing
@testable import FreeTDS

@Suite("Decoding text, binary and uniqueidentifier")
struct TextAndBinaryDecodingTests {
    @Test func utf8TextWithCharactersOutsideTheBasicPlane() throws {
        // FreeTDS hands nvarchar to a UTF-8 client as UTF-8, surrogate pairs already combined.
        let text = "Grüße 𝄞 😀 中文"
        for type in [TDSDataType.char, .varChar, .text, .nText, .nVarChar, .nChar, .bigVarChar, .xml] {
            #expect(try TDSValue(decoding: Array(text.utf8), as: type) == .string(text))
        }
    }

    @Test func emptyStringIsNotNull() throws {
        #expect(try TDSValue(decoding: [UInt8](), as: .char) == .string(""))
        #expect(try TDSValue(decoding: nil as [UInt8]?, as: .char) == .null)
        #expect(try TDSValue(decoding: nil as UnsafeRawBufferPointer?, as: .nVarChar).isNull)
    }

    @Test func invalidUTF8Fails() {
        let error = #expect(throws: TDSError.self) { try TDSValue(decoding: [0x61, 0xFF, 0x62], as: .char) }
        #expect(error?.code == .decodingFailed)
    }

    @Test func binaryKeepsEveryByte() throws {
        let bytes: [UInt8] = [0x00, 0xFF, 0x10, 0x00]
        for type in [TDSDataType.binary, .varBinary, .image, .bigVarBinary, .bigBinary] {
            #expect(try TDSValue(decoding: bytes, as: type) == .bytes(bytes))
        }
        #expect(try TDSValue(decoding: [UInt8](), as: .binary) == .bytes([]))
        #expect(try TDSValue(decoding: nil as [UInt8]?, as: .image) == .null)
    }

    @Test func guidStorageOrderIsMixedEndian() throws {
        // SQL Server stores 6F9619FF-8B86-D011-B42D-00C04FC964FF with the first three groups little-endian.
        let stored: [UInt8] = [0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF]
        let value = try TDSValue(decoding: stored, as: .uniqueIdentifier)
        #expect(value.description == "6F9619FF-8B86-D011-B42D-00C04FC964FF")
        let parsed = try #require(TDSGUID(uuidString: "{6f9619ff-8b86-d011-b42d-00c04fc964ff}"))
        #expect(value == .uniqueIdentifier(parsed))
        #expect(parsed.storageBytes == stored)
        #expect(TDSGUID(uuidString: "6F9619FF-8B86-D011-B42D") == nil)
        #expect(throws: TDSError.self) { try TDSValue(decoding: Array(stored.prefix(15)), as: .uniqueIdentifier) }
    }
}
