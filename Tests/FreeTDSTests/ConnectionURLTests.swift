import FreeTDS
import Testing

@Suite struct ConnectionURLTests {
    @Test func sqlServerURLsParse() throws {
        let configuration = try TDSConnection.Configuration(url: "sqlserver://sa:p%40ss@db.example:14330/AdventureWorks2014")
        #expect(configuration.username == "sa")
        #expect(configuration.password == "p@ss")
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 14330)
        #expect(configuration.database == "AdventureWorks2014")
        #expect(configuration.url == "sqlserver://sa@db.example:14330/AdventureWorks2014")
        #expect(try TDSConnection.Configuration(url: "sqlserver://sa@h/db", password: "env").password == "env")
        #expect(try TDSConnection.Configuration(url: "sqlserver://sa:url@h/db", password: "env").password == "url")
        #expect(try TDSConnection.Configuration(url: "sqlserver://sa:x@h/db").port == 1433)
    }

    @Test("a bad URL names the part at fault and never shows the password", arguments: [
        ("sqlserver://sa@h/db", "no password"),
        ("postgres://sa:secret@h/db", "not a sqlserver:// URL"),
        ("sqlserver://sa:secret@h:99999/db", "port"),
        ("sqlserver://sa:secret@h", "no database"),
        ("sqlserver://:secret@h/db", "no user"),
    ])
    func badURLs(url: String, problem: String) throws {
        let error = try #require(throws: TDSError.self) { try TDSConnection.Configuration(url: url) }
        #expect(error.message.contains(problem))
        #expect(!"\(error)".contains("secret"))
    }

    @Test func redaction() {
        #expect(TDSConnection.Configuration.redacted("sqlserver://sa:secret@h:1/db") == "sqlserver://sa:***@h:1/db")
        #expect(TDSConnection.Configuration.redacted("sqlserver://sa@h/db") == "sqlserver://sa@h/db")
    }
}
