import Testing
import TSQL

@Suite("TSQLLexer")
struct TSQLLexerTests {
    private func kinds(_ sql: String) throws -> [TSQLToken.Kind] {
        try TSQLLexer.tokenize(sql).map(\.kind).dropLast()
    }

    private func values(_ sql: String) throws -> [String] {
        try TSQLLexer.tokenize(sql).map(\.value).dropLast()
    }

    @Test func wordsKeepTheirSpellingAndAreMatchedCaseInsensitively() throws {
        let tokens = try TSQLLexer.tokenize("select Name from #temp ##global _x a$b@c")
        #expect(tokens.map(\.kind) == [.word, .word, .word, .word, .word, .word, .word, .endOfInput])
        #expect(tokens.map(\.value).dropLast() == ["select", "Name", "from", "#temp", "##global", "_x", "a$b@c"])
        #expect(tokens[0].isWord("SELECT"))
        #expect(tokens[0].isReservedKeyword)
        #expect(!tokens[1].isReservedKeyword)
    }

    @Test func bracketedIdentifiersUndoubleClosingBrackets() throws {
        let tokens = try TSQLLexer.tokenize("[order]]s] [with space] [a[b]")
        #expect(tokens.map(\.kind).dropLast() == [.quotedIdentifier, .quotedIdentifier, .quotedIdentifier])
        #expect(tokens.map(\.value).dropLast() == ["order]s", "with space", "a[b"])
        #expect(tokens[0].text == "[order]]s]")
    }

    @Test func doubleQuotedIdentifiers() throws {
        #expect(try kinds(#""Group" "a""b""#) == [.quotedIdentifier, .quotedIdentifier])
        #expect(try values(#""Group" "a""b""#) == ["Group", #"a"b"#])
    }

    @Test func stringsUndoubleQuotesAndKnowUnicode() throws {
        let tokens = try TSQLLexer.tokenize("'it''s' N'Grüße' n'x' '' N''''")
        #expect(tokens.map(\.kind).dropLast() == [.string, .unicodeString, .unicodeString, .string, .unicodeString])
        #expect(tokens.map(\.value).dropLast() == ["it's", "Grüße", "x", "", "'"])
    }

    @Test func stringsMaySpanLines() throws {
        let tokens = try TSQLLexer.tokenize("'a\nb' x")
        #expect(tokens[0].value == "a\nb")
        #expect(tokens[1].location.line == 2)
    }

    @Test func numbers() throws {
        #expect(try kinds("42 4.2 .5 5. 1e5 2.5E-3 1E+2 0x0A1b 0x $12.50 $3") == [
            .integer, .decimal, .decimal, .decimal, .float, .float, .float, .binary, .binary, .money, .money,
        ])
        #expect(try values("0x0A1b 0x 1e5") == ["0A1b", "", "1e5"])
        // `1e` is not a float: the integer is followed by a word (an alias in SELECT 1e).
        #expect(try kinds("1e") == [.integer, .word])
    }

    @Test func variablesAndSystemVariables() throws {
        #expect(try kinds("@id @@VERSION @@ROWCOUNT @p_1") == [.variable, .systemVariable, .systemVariable, .variable])
        #expect(try values("@id @@VERSION") == ["@id", "@@VERSION"])
    }

    @Test func operatorsAndPunctuation() throws {
        let sql = "( ) , . ; = < > <= >= <> != !< !> + - * / % & | ^ ~ += -= *= /= %= &= |= ^="
        let values = try values(sql)
        #expect(values == sql.split(separator: " ").map(String.init))
        #expect(try kinds(sql).allSatisfy { $0 == .symbol })
    }

    @Test func commentsAreSkippedIncludingNestedBlockComments() throws {
        let sql = """
            SELECT -- a line comment
            /* outer /* inner */ still comment */ 1 --last
            """
        #expect(try values(sql) == ["SELECT", "1"])
        #expect(try values("a/**/b") == ["a", "b"])
        #expect(try values("a - -1") == ["a", "-", "-", "1"])
    }

    @Test func positionsCountLinesAndColumns() throws {
        let tokens = try TSQLLexer.tokenize("SELECT\n  é,\r\n  x")
        #expect(tokens[0].location == SourcePosition(line: 1, column: 1, offset: 0))
        #expect(tokens[1].location.line == 2)
        #expect(tokens[1].location.column == 3)
        #expect(tokens[2].location.column == 4)  // é is one column, two bytes
        #expect(tokens[3].location.line == 3)
        #expect(tokens[3].isFirstOnLine)
        #expect(!tokens[2].isFirstOnLine)
    }

    @Test func unterminatedStringIsMsg105() throws {
        let error = try #require(throws: TSQLSyntaxError.self) { try TSQLLexer.tokenize("SELECT 1\nSELECT 'abc") }
        #expect(error.code == .unclosedQuotationMark)
        #expect(error.code.number == 105)
        #expect(error.message == "Unclosed quotation mark after the character string 'abc'.")
        #expect(error.line == 2)
    }

    @Test func unterminatedBracketIsMsg105() throws {
        let error = try #require(throws: TSQLSyntaxError.self) { try TSQLLexer.tokenize("SELECT [abc") }
        #expect(error.code.number == 105)
        #expect(error.message == "Unclosed quotation mark after the character string 'abc'.")
    }

    @Test func unterminatedCommentIsMsg113() throws {
        let error = try #require(throws: TSQLSyntaxError.self) {
            try TSQLLexer.tokenize("SELECT 1\n/* open /* nested */ still open")
        }
        #expect(error.code == .missingEndComment)
        #expect(error.message == "Missing end comment mark '*/'.")
        #expect(error.line == 2)
    }
}
