import Testing
@testable import FreeTDS

@Suite("T-SQL literals and identifiers")
struct LiteralTests {
    @Test func stringLiteralsDoubleQuotes() {
        #expect(TDSLiteral.string("O'Brien") == "N'O''Brien'")
        #expect(TDSLiteral.string("") == "N''")
        #expect(TDSLiteral.string("''") == "N''''''")
        #expect(TDSLiteral.string("𝄞 ü") == "N'𝄞 ü'")
    }

    @Test func stringLiteralsCarryNulAsNChar() {
        #expect(TDSLiteral.string("a\u{0}b'") == "(N'a' + NCHAR(0) + N'b''')")
        #expect(!TDSLiteral.string("\u{0}").utf8.contains(0))
    }

    @Test func identifiersAreBracketQuoted() throws {
        #expect(try TDSLiteral.identifier("we]ird") == "[we]]ird]")
        #expect(try TDSLiteral.identifier("a[b") == "[a[b]")
        #expect(try TDSLiteral.identifier("]]") == "[]]]]]")
        #expect(try TDSLiteral.qualifiedIdentifier("db", "dbo", "order details") == "[db].[dbo].[order details]")
    }

    @Test func invalidIdentifiersAreRejected() {
        #expect(throws: TDSError.self) { try TDSLiteral.identifier("") }
        #expect(throws: TDSError.self) { try TDSLiteral.identifier("a\u{0}b") }
        #expect(throws: TDSError.self) { try TDSLiteral.identifier(String(repeating: "x", count: 129)) }
        #expect((try? TDSLiteral.identifier(String(repeating: "x", count: 128))) != nil)
    }

    @Test func binaryLiterals() {
        #expect(TDSLiteral.binary([]) == "0x")
        #expect(TDSLiteral.binary([0x0A, 0xFF, 0x00]) == "0x0AFF00")
    }

    @Test func valueLiterals() throws {
        #expect(TDSLiteral.value(.null) == "NULL")
        #expect(TDSLiteral.value(.bigInt(.min)) == "-9223372036854775808")
        #expect(TDSLiteral.value(.decimal(try #require(TDSDecimal(exactly: "-0.0500")))) == "CAST(-0.0500 AS decimal(5,4))")
        #expect(TDSLiteral.value(.string("it's")) == "N'it''s'")
        #expect(TDSLiteral.value(.bytes([1, 2])) == "0x0102")
        let dateTime = TDSDateTime(date: TDSDate(year: 2024, month: 2, day: 29), time: TDSTime(hour: 1, minute: 2, second: 3, nanosecond: 400, fractionalDigits: 3))
        #expect(TDSLiteral.value(.dateTime(dateTime)) == "CAST('2024-02-29 01:02:03.0000004' AS datetime2(7))")
        let guid = try #require(TDSGUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF"))
        #expect(TDSLiteral.value(.uniqueIdentifier(guid)) == "CAST('6F9619FF-8B86-D011-B42D-00C04FC964FF' AS uniqueidentifier)")
    }
}
