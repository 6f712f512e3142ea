import CFreeTDS
import Testing
@testable import FreeTDS

/// Buffers produced by FreeTDS's own converter (`dbconvert_ps`), which fills the same structs the
/// row reader hands out, decoded by this module: an independent check of the layouts.
@Suite("Decoding buffers FreeTDS itself produced")
struct FreeTDSCrossCheckTests {
    init() {
        // dbinit() and handlers that never return INT_EXIT on a conversion error.
        #expect(DBLibrary.shared.isInitialized)
    }

    private func convert(_ text: String, to type: TDSDataType, precision: Int32 = 0, scale: Int32 = 0, size: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: size)
        var typeInfo = DBTYPEINFO(precision: precision, scale: scale)
        let written = withUnsafeMutablePointer(to: &typeInfo) { typeInfoPointer in
            buffer.withUnsafeMutableBytes { destination in
                text.withCString { source in
                    source.withMemoryRebound(to: BYTE.self, capacity: text.utf8.count) { bytes in
                        dbconvert_ps(nil, Int32(SYBCHAR), bytes, -1, type.rawValue,
                                     destination.baseAddress!.assumingMemoryBound(to: BYTE.self), DBINT(size),
                                     precision > 0 ? typeInfoPointer : nil)
                    }
                }
            }
        }
        return written > 0 ? buffer : nil
    }

    @Test func numericOfEveryPrecision() throws {
        for precision in 1...38 {
            for scale in Set([0, precision / 2, precision]) {
                let digits = String(repeating: "9", count: precision)
                let text = scale == 0 ? digits
                    : scale == precision ? "0." + digits
                    : String(digits.dropLast(scale)) + "." + String(digits.suffix(scale))
                for signed in [text, "-" + text] {
                    let buffer = try #require(convert(signed, to: .numeric, precision: Int32(precision), scale: Int32(scale), size: MemoryLayout<DBNUMERIC>.size))
                    let value = try TDSValue(decoding: buffer, as: .numeric)
                    #expect(value.description == signed, "decimal(\(precision),\(scale))")
                }
            }
        }
    }

    @Test func moneyAndDatetime() throws {
        for text in ["-922337203685477.5808", "922337203685477.5807", "0.0001", "-1.5000"] {
            let buffer = try #require(convert(text, to: .money, size: 8))
            #expect(try TDSValue(decoding: buffer, as: .money).description == text)
        }
        let dateTime = try #require(convert("9999-12-31 23:59:59.997", to: .dateTime, size: 8))
        #expect(try TDSValue(decoding: dateTime, as: .dateTime).description == "9999-12-31 23:59:59.997")
        let early = try #require(convert("1753-01-01 00:00:00.000", to: .dateTime, size: 8))
        #expect(try TDSValue(decoding: early, as: .dateTime).description == "1753-01-01 00:00:00.000")
    }

    @Test func datetime2AndTime() throws {
        let size = MemoryLayout<DBDATETIMEALL>.size
        let dateTime2 = try #require(convert("2024-02-29 12:34:56.1234567", to: .dateTime2, size: size))
        #expect(try TDSValue(decoding: dateTime2, as: .dateTime2).description == "2024-02-29 12:34:56.1234567")
        let time = try #require(convert("23:59:59.9999999", to: .time, size: size))
        #expect(try TDSValue(decoding: time, as: .time).description == "23:59:59.9999999")
    }

    @Test func uniqueIdentifier() throws {
        let buffer = try #require(convert("6F9619FF-8B86-D011-B42D-00C04FC964FF", to: .uniqueIdentifier, size: 16))
        #expect(try TDSValue(decoding: buffer, as: .uniqueIdentifier).description == "6F9619FF-8B86-D011-B42D-00C04FC964FF")
    }
}
