import Postgres
import Testing

@Suite("Quoting")
struct QuotingTests {
    @Test("identifiers are double-quoted with quotes doubled")
    func identifiers() {
        #expect(PostgresIdentifier.quote("we\"ird ta ble") == "\"we\"\"ird ta ble\"")
        #expect(PostgresIdentifier.quote("select") == "\"select\"")
        #expect(PostgresIdentifier.quote("MixedCase") == "\"MixedCase\"")
        #expect(PostgresIdentifier.quote("ünï") == "\"ünï\"")
        #expect(PostgresIdentifier.quote("") == "\"\"")
        #expect(PostgresIdentifier.qualified(schema: "my schema", "t\"x") == "\"my schema\".\"t\"\"x\"")
        #expect(PostgresIdentifier.qualified(schema: nil, "t") == "\"t\"")
    }

    @Test("literals are single-quoted, with E'' only when backslashes appear")
    func literals() {
        #expect(PostgresLiteral.quote("it's") == "'it''s'")
        #expect(PostgresLiteral.quote("a\\b") == "E'a\\\\b'")
        #expect(PostgresLiteral.quote("") == "''")
    }

    @Test("literals mean the same string to the server", arguments: ["plain", "it's", "back\\slash 'and' quote", "ünï 🚀\n\t", "\\x41", "''"])
    func literalRoundTrip(value: String) async throws {
        let connection = try await TestDatabase.connect()
        for setting in ["on", "off"] {
            try await connection.execute("SET standard_conforming_strings = \(setting)")
            let rows = try await connection.query("SELECT \(PostgresLiteral.quote(value)) AS v")
            #expect(try rows[0].decode(String.self, column: "v") == value)
        }
        await connection.close()
    }

    @Test("awkward table and column names work through the quoting helper")
    func awkwardNames() async throws {
        try await TestDatabase.withSchema { connection, schema in
            let tables = ["we\"ird ta ble", "select", "MixedCase", "ünïcödé"]
            let columns = ["we\"ird ta ble", "select", "MixedCase", "from", "ünï col"]
            for table in tables {
                let name = PostgresIdentifier.qualified(schema: schema, table)
                let definitions = columns.map { PostgresIdentifier.quote($0) + " text" }.joined(separator: ", ")
                try await connection.execute("CREATE TABLE \(name) (\(definitions))")
                let columnList = columns.map(PostgresIdentifier.quote).joined(separator: ", ")
                let placeholders = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
                try await connection.query(
                    "INSERT INTO \(name) (\(columnList)) VALUES (\(placeholders))",
                    columns.map { .text("\(table)/\($0)") })
                let rows = try await connection.query(
                    "SELECT \(columnList) FROM \(name) WHERE \(PostgresIdentifier.quote("select")) = $1",
                    [.text("\(table)/select")])
                #expect(rows.count == 1)
                #expect(rows.columnNames == columns)
                for column in columns {
                    #expect(try rows[0].decode(String.self, column: column) == "\(table)/\(column)")
                }
                let loaded = try await connection.copyIn("COPY \(name) (\(columnList)) FROM STDIN") { writer in
                    try writer.writeRow(columns.map { .text($0) })
                }
                #expect(loaded == 1)
            }
            let catalog = try await connection.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", [.text(schema)])
            #expect(Set(try catalog.map { try $0.decode(String.self, column: "table_name") }) == Set(tables))
        }
    }
}
