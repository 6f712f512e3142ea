import Postgres
import Testing

@Suite("Errors")
struct ErrorTests {
    @Test("a unique violation carries SQLSTATE 23505, detail and constraint")
    func uniqueViolation() async throws {
        try await TestDatabase.withSchema { connection, schema in
            try await connection.execute("CREATE TABLE things (id int8, CONSTRAINT things_pk PRIMARY KEY (id))")
            try await connection.query("INSERT INTO things VALUES ($1)", [7])
            let error = await #expect(throws: PostgresError.self) {
                try await connection.query("INSERT INTO things VALUES ($1)", [7])
            }
            let failure = try #require(error)
            #expect(failure.code == .queryFailed)
            #expect(failure.sqlState == "23505")
            #expect(failure.constraintName == "things_pk")
            #expect(failure.tableName == "things")
            #expect(failure.schemaName == schema)
            #expect(failure.detail?.contains("(id)=(7) already exists") == true)
            #expect(failure.severity == "ERROR")
            #expect(!failure.isRetriable)
            #expect(failure.context?.contains("INSERT INTO things") == true)
            #expect(failure.description.contains("SQLSTATE 23505"))
            #expect(failure.description.contains("already exists"))
            #expect(failure.description.contains("queryFailed"))
        }
    }

    @Test("an undefined table is SQLSTATE 42P01 naming the table")
    func undefinedTable() async throws {
        let connection = try await TestDatabase.connect()
        let error = await #expect(throws: PostgresError.self) {
            try await connection.query("SELECT * FROM table_that_does_not_exist")
        }
        #expect(error?.sqlState == "42P01")
        #expect(error?.message.contains("table_that_does_not_exist") == true)
        #expect(error?.position == 15)
        // The connection recovers.
        #expect(try await connection.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
        await connection.close()
    }

    @Test("a syntax error is SQLSTATE 42601 with a position")
    func syntaxError() async throws {
        let connection = try await TestDatabase.connect()
        let error = await #expect(throws: PostgresError.self) {
            try await connection.execute("SELECT 1; SELEC 2")
        }
        #expect(error?.sqlState == "42601")
        #expect(error?.position == 11)
        #expect(error?.message.contains("SELEC") == true)
        #expect(error?.description.contains("position: 11") == true)
        await connection.close()
    }

    @Test("retriability follows the SQLSTATE class and the error code")
    func retriable() {
        func error(_ sqlState: String?, code: PostgresError.Code = .queryFailed) -> PostgresError {
            PostgresError(code: code, message: "m", sqlState: sqlState)
        }
        for state in ["08000", "08006", "08P01", "40001", "40P01", "57P01", "57P02", "57P03", "53300"] {
            #expect(error(state).isRetriable, "\(state)")
        }
        for state in ["23505", "42P01", "42601", "22P02", "53200", "40002", "57014"] {
            #expect(!error(state).isRetriable, "\(state)")
        }
        #expect(!error(nil).isRetriable)
        #expect(error(nil, code: .connectionFailed).isRetriable)
        #expect(error(nil, code: .connectionLost).isRetriable)
        #expect(!error(nil, code: .decodingFailed).isRetriable)
    }

    @Test("a serialization failure in a transaction is retriable")
    func serializationFailure() async throws {
        try await TestDatabase.withSchema { first, schema in
            let table = PostgresIdentifier.qualified(schema: schema, "counter")
            try await first.execute("CREATE TABLE \(table) (n int8); INSERT INTO \(table) VALUES (0)")
            let second = try await TestDatabase.connect()
            try await first.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            try await first.query("SELECT n FROM \(table)")
            try await second.query("UPDATE \(table) SET n = n + 1")
            let error = await #expect(throws: PostgresError.self) {
                try await first.query("UPDATE \(table) SET n = n + 10")
            }
            #expect(error?.sqlState == "40001")
            #expect(error?.isRetriable == true)
            try await first.execute("ROLLBACK")
            await second.close()
        }
    }
}
