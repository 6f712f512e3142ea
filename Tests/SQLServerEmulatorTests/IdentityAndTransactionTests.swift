import SQLServerEmulator
import Testing

@Suite struct IdentityTests {
    @Test func identityValuesAndIdentityInsert() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.Item (ItemID int IDENTITY(100, 10) PRIMARY KEY, Name varchar(20) NOT NULL)")
            try await session.run("INSERT INTO dbo.Item (Name) VALUES ('a'), ('b')")
            var rows = try await session.resultSets("SELECT ItemID, SCOPE_IDENTITY() AS Last, @@IDENTITY AS Also FROM dbo.Item ORDER BY ItemID")[0].rows
            #expect(rows.map { $0[0] } == [.integer(100), .integer(110)])
            #expect(rows[0][1] == .decimal("110"))

            var error = try #require(try await session.errors("INSERT INTO dbo.Item (ItemID, Name) VALUES (5, 'x')").first)
            #expect(error.number == 544)
            #expect(
                error.message
                    == "Cannot insert explicit value for identity column in table 'dbo.Item' when IDENTITY_INSERT is set to OFF.")

            try await session.run("SET IDENTITY_INSERT dbo.Item ON")
            error = try #require(try await session.errors("INSERT INTO dbo.Item (Name) VALUES ('x')").first)
            #expect(error.number == 545)
            try await session.run("INSERT INTO dbo.Item (ItemID, Name) VALUES (500, 'explicit')")
            try await session.run("SET IDENTITY_INSERT dbo.Item OFF")
            // SQL Server continues after the highest explicit value.
            try await session.run("INSERT INTO dbo.Item (Name) VALUES ('after')")
            rows = try await session.resultSets("SELECT ItemID FROM dbo.Item WHERE Name = 'after'")[0].rows
            #expect(rows == [[.integer(510)]])

            try await session.run("TRUNCATE TABLE dbo.Item; INSERT INTO dbo.Item (Name) VALUES ('fresh')")
            rows = try await session.resultSets("SELECT ItemID FROM dbo.Item")[0].rows
            #expect(rows == [[.integer(100)]])
        }
    }

    @Test func rowCountsAndNoCount() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.N (x int)")
            var results = try await session.run("INSERT INTO dbo.N VALUES (1), (2), (3); UPDATE dbo.N SET x = x + 1 WHERE x > 1; DELETE FROM dbo.N WHERE x = 4")
            #expect(results == [.rowCount(3), .rowCount(2), .rowCount(1)])
            results = try await session.run("SET NOCOUNT ON; INSERT INTO dbo.N VALUES (9); SELECT @@ROWCOUNT AS n")
            #expect(results.count == 1)
            guard case .resultSet(let set) = results.first else { return }
            #expect(set.rows == [[.integer(1)]])
        }
    }
}

@Suite struct TransactionTests {
    @Test func commitRollbackAndTranCount() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.Account (ID int PRIMARY KEY, Balance money NOT NULL)")
            try await session.run("BEGIN TRAN; INSERT INTO dbo.Account VALUES (1, 10); BEGIN TRANSACTION; INSERT INTO dbo.Account VALUES (2, 20)")
            #expect(await session.transactionCount == 2)
            var rows = try await session.resultSets("SELECT @@TRANCOUNT AS tc")[0].rows
            #expect(rows == [[.integer(2)]])
            try await session.run("COMMIT")
            #expect(await session.transactionCount == 1)
            try await session.run("ROLLBACK")
            #expect(await session.transactionCount == 0)
            rows = try await session.resultSets("SELECT COUNT(*) AS n FROM dbo.Account")[0].rows
            #expect(rows == [[.integer(0)]])

            try await session.run("BEGIN TRAN; INSERT INTO dbo.Account VALUES (1, 10); COMMIT TRAN")
            rows = try await session.resultSets("SELECT ID, Balance FROM dbo.Account")[0].rows
            #expect(rows == [[.integer(1), .decimal("10.0000")]])
        }
    }

    @Test func failedStatementKeepsTheTransaction() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.Account (ID int PRIMARY KEY)")
            let results = try await session.execute(
                batch: "BEGIN TRAN; INSERT INTO dbo.Account VALUES (1); INSERT INTO dbo.Account VALUES (1); INSERT INTO dbo.Account VALUES (2); COMMIT")
            #expect(results.filter { if case .error = $0 { true } else { false } }.count == 1)
            let rows = try await session.resultSets("SELECT ID FROM dbo.Account ORDER BY ID")[0].rows
            #expect(rows == [[.integer(1)], [.integer(2)]])
            #expect(await session.transactionCount == 0)
        }
    }

    @Test func savepoints() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.T (ID int)")
            try await session.run(
                "BEGIN TRAN; INSERT INTO dbo.T VALUES (1); SAVE TRAN before_two; INSERT INTO dbo.T VALUES (2); ROLLBACK TRAN before_two; INSERT INTO dbo.T VALUES (3)")
            #expect(await session.transactionCount == 1)
            try await session.run("COMMIT")
            let rows = try await session.resultSets("SELECT ID FROM dbo.T ORDER BY ID")[0].rows
            #expect(rows == [[.integer(1)], [.integer(3)]])
        }
    }

    @Test func commitAndRollbackWithoutBegin() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            var error = try #require(try await session.errors("COMMIT").first)
            #expect(error.number == 3902)
            #expect(error.message == "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.")
            error = try #require(try await session.errors("ROLLBACK TRANSACTION").first)
            #expect(error.number == 3903)
            #expect(error.message == "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.")
        }
    }

    @Test func otherSessionsSeeOnlyCommittedRows() async throws {
        try await EmulatorTestDatabase.withSession { session, engine, _ in
            try await session.run("CREATE TABLE dbo.T (ID int)")
            let other = try await engine.makeSession()
            try await session.run("BEGIN TRAN; INSERT INTO dbo.T VALUES (1)")
            var rows = try await other.resultSets("SELECT COUNT(*) AS n FROM dbo.T")[0].rows
            #expect(rows == [[.integer(0)]])
            try await session.run("COMMIT")
            rows = try await other.resultSets("SELECT COUNT(*) AS n FROM dbo.T")[0].rows
            #expect(rows == [[.integer(1)]])
            await other.close()
        }
    }
}
