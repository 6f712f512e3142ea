import Testing
import TSQL

@Suite("TSQLSyntaxError")
struct TSQLSyntaxErrorTests {
    @Test func nonKeywordTokenIsMsg102() throws {
        let error = try syntaxError("SELECT 1\nSELECT * FROM t WHERE a = = 1")
        #expect(error.code == .incorrectSyntax)
        #expect(error.code.number == 102)
        #expect(error.message == "Incorrect syntax near '='.")
        #expect(error.line == 2)
        #expect(error.severity == 15)
        #expect(error.description == "Msg 102, Level 15, State 1, Line 2\nIncorrect syntax near '='.")
    }

    @Test func reservedKeywordIsMsg156WithTheKeywordAsWritten() throws {
        let error = try syntaxError("SELECT *\nFROM\nWHERE x = 1")
        #expect(error.code == .incorrectSyntaxNearKeyword)
        #expect(error.code.number == 156)
        #expect(error.message == "Incorrect syntax near the keyword 'WHERE'.")
        #expect(error.line == 3)
        let lower = try syntaxError("create table select (a int)")
        #expect(lower.message == "Incorrect syntax near the keyword 'select'.")
    }

    @Test func reservedWordAsBareNameIsRefusedButBracketedIsFine() throws {
        #expect(try syntaxError("CREATE TABLE t (order int)").message == "Incorrect syntax near the keyword 'order'.")
        _ = try parseOne("CREATE TABLE t ([order] int, [key] int)")
    }

    @Test func incompleteStatementReportsItsLastToken() throws {
        let error = try syntaxError("SELECT a,\n  b FROM t WHERE (a = 1")
        #expect(error.message == "Incorrect syntax near '1'.")
        #expect(error.line == 2)
    }

    @Test func unclosedStringIsMsg105() throws {
        let error = try syntaxError("INSERT t VALUES ('O''Brien)")
        #expect(error.code.number == 105)
        #expect(error.message == "Unclosed quotation mark after the character string 'O''Brien)'.")
    }

    @Test func unclosedCommentIsMsg113() throws {
        let error = try syntaxError("SELECT 1 /* never closed")
        #expect(error.code.number == 113)
        #expect(error.message == "Missing end comment mark '*/'.")
    }

    @Test func goIsNotTSQL() throws {
        let separated = try syntaxError("CREATE TABLE t (a int)\nGO\nSELECT 1")
        #expect(separated.code.number == 102)
        #expect(separated.message == "Incorrect syntax near 'GO'.")
        #expect(separated.line == 2)
        // After a SELECT, SQL Server would take a bare GO for an alias; at the start of a line it is refused.
        #expect(try syntaxError("SELECT 1\nGO").message == "Incorrect syntax near 'GO'.")
        #expect(try syntaxError("GO").message == "Incorrect syntax near 'GO'.")
    }

    @Test func createViewAndProcedureMustStartTheBatch() throws {
        let view = try syntaxError("SELECT 1\nCREATE VIEW v AS SELECT 1")
        #expect(view.code == .mustBeFirstInBatch)
        #expect(view.message == "'CREATE VIEW' must be the first statement in a query batch.")
        #expect(view.line == 2)
        let procedure = try syntaxError("SET NOCOUNT ON; CREATE PROCEDURE p AS SELECT 1")
        #expect(procedure.message == "'CREATE/ALTER PROCEDURE' must be the first statement in a query batch.")
        #expect(try syntaxError("CREATE VIEW v AS SELECT 1 SELECT 2").message == "Incorrect syntax near the keyword 'SELECT'.")
    }

    @Test func reservedKeywordList() {
        #expect(TSQLKeywords.reserved.count == 185)
        for word in ["select", "OFF", "Identity_Insert", "TRY_CONVERT", "WITHIN", "TRAN"] {
            #expect(TSQLKeywords.isReserved(word))
        }
        for word in ["OFFSET", "NAME", "TYPE", "DATE", "THROW", "GO", "TRY_CAST", "INCLUDE"] {
            #expect(!TSQLKeywords.isReserved(word))
        }
    }
}
