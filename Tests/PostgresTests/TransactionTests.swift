import Postgres
import Testing

@Suite("Transactions")
struct TransactionTests {
    struct Abort: Error {}

    @Test("a transaction commits when its body returns")
    func commit() async throws {
        try await TestDatabase.withSchema { connection, schema in
            try await connection.execute("CREATE TABLE ledger (amount int8)")
            let returned = try await connection.withTransaction { connection in
                try connection.query("INSERT INTO ledger VALUES ($1), ($2)", [10, 20])
                #expect(connection.transactionStatus == .inTransaction)
                return try connection.query("SELECT sum(amount)::int8 AS total FROM ledger")[0].decode(Int64.self, column: "total")
            }
            #expect(returned == 30)
            #expect(await connection.transactionStatus == .idle)

            // Another session sees the rows, so they were committed.
            let observer = try await TestDatabase.connect()
            let table = PostgresIdentifier.qualified(schema: schema, "ledger")
            let count = try await observer.query("SELECT count(*) AS n FROM \(table)")[0].decode(Int64.self, column: "n")
            #expect(count == 2)
            await observer.close()
        }
    }

    @Test("a transaction rolls back and rethrows when its body throws")
    func rollback() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE ledger (amount int8)")
            await #expect(throws: Abort.self) {
                try await connection.withTransaction { connection in
                    try connection.query("INSERT INTO ledger VALUES (1)")
                    throw Abort()
                }
            }
            #expect(await connection.transactionStatus == .idle)
            let count = try await connection.query("SELECT count(*) AS n FROM ledger")[0].decode(Int64.self, column: "n")
            #expect(count == 0)
        }
    }

    @Test("a failed statement inside the body makes the transaction fail, even if the body swallows it")
    func swallowedFailure() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE ledger (amount int8 NOT NULL)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.withTransaction { connection in
                    try connection.query("INSERT INTO ledger VALUES (1)")
                    _ = try? connection.query("INSERT INTO ledger VALUES (NULL)")
                }
            }
            #expect(error?.code == .queryFailed)
            #expect(await connection.transactionStatus == .idle)
            let count = try await connection.query("SELECT count(*) AS n FROM ledger")[0].decode(Int64.self, column: "n")
            #expect(count == 0)
        }
    }

    @Test("isolation level is applied and nesting is refused")
    func isolationAndNesting() async throws {
        let connection = try await TestDatabase.connect()
        for level in PostgresIsolationLevel.allCases {
            let shown = try await connection.withTransaction(isolation: level) { connection in
                try connection.query("SHOW transaction_isolation")[0].decode(String.self, at: 0)
            }
            #expect(shown.uppercased() == level.rawValue)
        }
        let nested = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try await connection.withTransaction { _ in 1 }
            }
        }
        #expect(nested?.code == .invalidUsage)
        #expect(await connection.transactionStatus == .idle)
        await connection.close()
    }
}
