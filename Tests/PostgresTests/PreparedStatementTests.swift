import Postgres
import Testing

@Suite("Prepared statements")
struct PreparedStatementTests {
    @Test("a prepared statement is reused with different parameters")
    func reuse() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE people (id int8 PRIMARY KEY, name text, photo bytea)")
            let insert = try await connection.prepare(sql: "INSERT INTO people VALUES ($1, $2, $3)")
            #expect(insert.parameterTypes == [.int8, .text, .bytea])
            for (id, name) in [(1, "Ada"), (2, "Grace"), (3, "Édith")] {
                let result = try await connection.query(insert, [.int64(Int64(id)), .text(name), .bytes([UInt8(id)])])
                #expect(result.affectedRowCount == 1)
            }
            try await connection.query(insert, [4, nil, nil])

            let select = try await connection.prepare(name: "person by id", sql: "SELECT name, photo FROM people WHERE id = $1")
            #expect(select.name == "person by id")
            for format in PostgresFormat.allCases {
                let grace = try await connection.query(select, [2], resultFormat: format)
                #expect(try grace[0].decode(String.self, column: "name") == "Grace")
                #expect(try grace[0].decode([UInt8].self, column: "photo") == [2])
                let edith = try await connection.query(select, [3], resultFormat: format)
                #expect(try edith[0].decode(String.self, column: "name") == "Édith")
                let nobody = try await connection.query(select, [99], resultFormat: format)
                #expect(nobody.isEmpty)
                let anonymous = try await connection.query(select, [4], resultFormat: format)
                #expect(try anonymous[0].decode(String?.self, column: "name") == nil)
            }

            let wrongCount = await #expect(throws: PostgresError.self) { try await connection.query(select, [1, 2]) }
            #expect(wrongCount?.code == .invalidParameter)

            let otherConnection = try await TestDatabase.connect()
            let foreign = await #expect(throws: PostgresError.self) { try await otherConnection.query(select, [1]) }
            #expect(foreign?.code == .invalidUsage)
            await otherConnection.close()

            try await connection.deallocate(select)
            let gone = await #expect(throws: PostgresError.self) { try await connection.query(select, [1]) }
            #expect(gone?.sqlState == "26000")
        }
    }

    @Test("preparing an invalid statement reports the server error")
    func invalidStatement() async throws {
        let connection = try await TestDatabase.connect()
        let error = await #expect(throws: PostgresError.self) {
            try await connection.prepare(sql: "SELECT * FROM no_such_table_anywhere WHERE id = $1")
        }
        #expect(error?.sqlState == "42P01")
        await connection.close()
    }
}
