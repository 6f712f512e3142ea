import Testing
@testable import FreeTDS

@Suite("Decoding integers, bit, floats, decimal and money")
struct NumericDecodingTests {
    @Test func integersAtTheirExtremes() throws {
        #expect(try TDSValue(decoding: [0], as: .tinyInt) == .tinyInt(0))
        #expect(try TDSValue(decoding: [255], as: .tinyInt) == .tinyInt(255))
        #expect(try TDSValue(decoding: Buffers.of(Int16.min), as: .smallInt) == .smallInt(.min))
        #expect(try TDSValue(decoding: Buffers.of(Int16.max), as: .smallInt) == .smallInt(.max))
        #expect(try TDSValue(decoding: Buffers.of(Int32.min), as: .int) == .int(.min))
        #expect(try TDSValue(decoding: Buffers.of(Int32.max), as: .int) == .int(.max))
        #expect(try TDSValue(decoding: Buffers.of(Int64.min), as: .bigInt) == .bigInt(-9_223_372_036_854_775_808))
        #expect(try TDSValue(decoding: Buffers.of(Int64.max), as: .bigInt) == .bigInt(9_223_372_036_854_775_807))
        #expect(try TDSValue(decoding: Buffers.of(Int64(-42)), as: .intN) == .bigInt(-42))
        #expect(try TDSValue(decoding: Buffers.of(Int32(-42)), as: .intN) == .int(-42))
        #expect(try TDSValue(decoding: Buffers.of(Int64.max), as: .bigInt).int64Value == Int64.max)
    }

    @Test func integerOfTheWrongLengthFails() {
        #expect(throws: TDSError.self) { try TDSValue(decoding: [1, 2, 3], as: .int) }
        #expect(throws: TDSError.self) { try TDSValue(decoding: [1, 2, 3], as: .intN) }
    }

    @Test func bit() throws {
        #expect(try TDSValue(decoding: [0], as: .bit) == .bit(false))
        #expect(try TDSValue(decoding: [1], as: .bit) == .bit(true))
        #expect(try TDSValue(decoding: [1], as: .bitN) == .bit(true))
    }

    @Test func realAndFloat() throws {
        #expect(try TDSValue(decoding: Buffers.of(Float(1.5)), as: .real) == .real(1.5))
        #expect(try TDSValue(decoding: Buffers.of(-2.25e300), as: .float) == .float(-2.25e300))
        #expect(try TDSValue(decoding: Buffers.of(Float(-0.125)), as: .floatN) == .real(-0.125))
        #expect(try TDSValue(decoding: Buffers.of(Double.leastNonzeroMagnitude), as: .floatN) == .float(.leastNonzeroMagnitude))
    }

    @Test func decimal38Maximum() throws {
        // 10^38 - 1 needs 16 magnitude bytes; FreeTDS sizes precision 38 as 17 bytes with the sign.
        let magnitude: [UInt8] = [75, 59, 76, 168, 90, 134, 196, 122, 9, 138, 34, 63, 255, 255, 255, 255]
        let positive = try TDSValue(decoding: Buffers.numeric(precision: 38, scale: 0, negative: false, magnitude: magnitude), as: .decimal)
        let negative = try TDSValue(decoding: Buffers.numeric(precision: 38, scale: 0, negative: true, magnitude: magnitude), as: .numeric)
        #expect(positive.description == "99999999999999999999999999999999999999")
        #expect(negative.description == "-99999999999999999999999999999999999999")
        guard case .decimal(let decimal) = negative else {
            Issue.record("expected a decimal, got \(negative)")
            return
        }
        #expect(decimal.precision == 38)
        #expect(decimal.scale == 0)
        #expect(decimal.unscaledValue == -99_999_999_999_999_999_999_999_999_999_999_999_999)
    }

    @Test func negativeDecimalWithScale() throws {
        // decimal(10,2) -12345678.90: unscaled 1234567890 = 0x499602D2 in the 5 bytes precision 10 uses.
        let value = try TDSValue(
            decoding: Buffers.numeric(precision: 10, scale: 2, negative: true, magnitude: [0x00, 0x49, 0x96, 0x02, 0xD2]),
            as: .decimal
        )
        #expect(value == .decimal(TDSDecimal(unscaledValue: -1_234_567_890, scale: 2, precision: 10)))
        #expect(value.description == "-12345678.90")
    }

    @Test func magnitudeLengthFollowsFreeTDSPrecisionTable() throws {
        // precision 5 occupies 3 magnitude bytes; bytes after them (zeros from the wider wire form) are ignored.
        let value = try TDSValue(decoding: Buffers.numeric(precision: 5, scale: 0, negative: false, magnitude: [0x01, 0x86, 0x9F, 0, 0]), as: .decimal)
        #expect(value.description == "99999")
    }

    @Test func smallDecimalsKeepLeadingZerosAndScale() throws {
        let tiny = try TDSValue(decoding: Buffers.numeric(precision: 5, scale: 5, negative: false, magnitude: [0x00, 0x00, 0x01]), as: .numeric)
        #expect(tiny.description == "0.00001")
        let negative = try TDSValue(decoding: Buffers.numeric(precision: 18, scale: 4, negative: true, magnitude: [0, 0, 0, 0, 0, 0, 0x01, 0xF4]), as: .decimal)
        #expect(negative.description == "-0.0500")
        let zero = try TDSValue(decoding: Buffers.numeric(precision: 1, scale: 0, negative: false, magnitude: [0]), as: .decimal)
        #expect(zero.description == "0")
    }

    @Test func decimalWithImpossiblePrecisionOrMagnitudeFails() {
        #expect(throws: TDSError.self) {
            try TDSValue(decoding: Buffers.numeric(precision: 0, scale: 0, negative: false, magnitude: []), as: .decimal)
        }
        #expect(throws: TDSError.self) {
            try TDSValue(decoding: Buffers.numeric(precision: 39, scale: 0, negative: false, magnitude: []), as: .decimal)
        }
        // 100 does not fit precision 2 (one magnitude byte).
        #expect(throws: TDSError.self) {
            try TDSValue(decoding: Buffers.numeric(precision: 2, scale: 0, negative: false, magnitude: [0x64]), as: .decimal)
        }
    }

    @Test func decimalParsingAndPrinting() throws {
        let parsed = try #require(TDSDecimal(exactly: "-123.4500"))
        #expect(parsed.unscaledValue == -1_234_500)
        #expect(parsed.scale == 4)
        #expect(parsed.precision == 7)
        #expect(parsed.description == "-123.4500")
        #expect(TDSDecimal(exactly: ".5")?.description == "0.5")
        #expect(TDSDecimal(exactly: "1e5") == nil)
        #expect(TDSDecimal(exactly: String(repeating: "9", count: 39)) == nil)
        #expect(TDSDecimal(exactly: String(repeating: "9", count: 38))?.description == String(repeating: "9", count: 38))
    }

    @Test func moneyAtItsExtremes() throws {
        #expect(try TDSValue(decoding: Buffers.money(.max), as: .money).description == "922337203685477.5807")
        #expect(try TDSValue(decoding: Buffers.money(.min), as: .money).description == "-922337203685477.5808")
        #expect(try TDSValue(decoding: Buffers.money(12_345), as: .moneyN) == .money(TDSMoney(tenThousandths: 12_345)))
        #expect(try TDSValue(decoding: Buffers.money(-1), as: .money).description == "-0.0001")
        // A value whose low half has the top bit set checks that the halves are not sign-mixed.
        #expect(try TDSValue(decoding: Buffers.money(0x0000_0001_8000_0000), as: .money) == .money(TDSMoney(tenThousandths: 0x0000_0001_8000_0000)))
    }

    @Test func smallMoneyAtItsExtremes() throws {
        #expect(try TDSValue(decoding: Buffers.smallMoney(.max), as: .smallMoney).description == "214748.3647")
        #expect(try TDSValue(decoding: Buffers.smallMoney(.min), as: .moneyN).description == "-214748.3648")
    }

    @Test func unsupportedTypesFail() throws {
        // A sql_variant is the base type's buffer: bytes until the base type is known.
        #expect(try TDSValue(decoding: [1, 2, 3, 4], as: .variant) == .bytes([1, 2, 3, 4]))
        let error = #expect(throws: TDSError.self) { try TDSValue(decoding: [1], as: TDSDataType(rawValue: 200)) }
        #expect(error?.code == .decodingFailed)
    }
}
