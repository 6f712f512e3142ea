import SQLServerEmulator
import Testing

@Suite struct ProcedureTests {
    @Test func proceduresWithParametersOutputAndTryCatch() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.Pay (ID int PRIMARY KEY, Rate money NOT NULL CHECK (Rate > 0))")
            try await session.run(
                """
                CREATE PROCEDURE dbo.uspAddPay
                    @ID int,
                    @Rate money = 10,
                    @Count int OUTPUT
                AS
                BEGIN
                    SET NOCOUNT ON;
                    BEGIN TRY
                        BEGIN TRANSACTION;
                        INSERT INTO dbo.Pay (ID, Rate) VALUES (@ID, @Rate);
                        COMMIT TRANSACTION;
                    END TRY
                    BEGIN CATCH
                        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
                        SELECT ERROR_NUMBER() AS Number, ERROR_PROCEDURE() AS ProcName;
                    END CATCH
                    SELECT @Count = COUNT(*) FROM dbo.Pay;
                END
                """)
            var results = try await session.run("DECLARE @n int; EXEC dbo.uspAddPay 1, @Count = @n OUTPUT; SELECT @n AS n")
            #expect(results.last == .rowCount(1))
            var sets = results.compactMap { if case .resultSet(let set) = $0 { set } else { nil } }
            #expect(sets.last?.rows == [[.integer(1)]])

            results = try await session.run("DECLARE @n int; EXEC dbo.uspAddPay @ID = 1, @Rate = 5, @Count = @n OUTPUT; SELECT @n AS n")
            sets = results.compactMap { if case .resultSet(let set) = $0 { set } else { nil } }
            #expect(sets.first?.rows == [[.integer(2627), .string("uspAddPay")]])
            #expect(sets.last?.rows == [[.integer(1)]])
            #expect(await session.transactionCount == 0)

            let missing = try #require(try await session.errors("EXEC dbo.uspAddPay").first)
            #expect(missing.number == 201)
            #expect(missing.message == "Procedure or function 'uspAddPay' expects parameter '@ID', which was not supplied.")
            #expect(try await session.errors("EXEC dbo.NoSuchProc").first?.number == 2812)
        }
    }

    @Test func errorInsideAProcedureNamesItAndThrowRethrows() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE PROCEDURE dbo.Fail AS
                BEGIN
                    BEGIN TRY
                        SELECT 1 / 0 AS x;
                    END TRY
                    BEGIN CATCH
                        THROW;
                    END CATCH
                END
                """)
            let errors = try await session.errors("EXEC dbo.Fail; SELECT 2")
            #expect(errors.count == 1)
            #expect(errors.first?.number == 8134)
            #expect(errors.first?.procedure == "Fail")
            #expect(errors.first?.line == 4)

            let thrown = try #require(try await session.errors("THROW 50001, N'Custom failure', 3;").first)
            #expect(thrown.number == 50001)
            #expect(thrown.state == 3)
            #expect(thrown.message == "Custom failure")
            let results = try await session.execute(batch: "RAISERROR('just saying', 10, 1); PRINT 'printed'")
            #expect(results.count == 2)
        }
    }
}
