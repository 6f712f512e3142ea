import SQLServerEmulator
import Testing

@Suite struct RPCTests {
    @Test func executeSQLWithParameters() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.T (ID int PRIMARY KEY, Name nvarchar(20) NOT NULL, At datetime2(3) NULL)")
            var outcome = try await session.execute(
                procedure: "sp_executesql",
                parameters: [
                    RPCParameter(value: .string("INSERT INTO dbo.T VALUES (@id, @name, @at)"), type: .nvarcharMax),
                    RPCParameter(value: .string("@id int, @name nvarchar(20), @at datetime2(3)"), type: .nvarcharMax),
                    RPCParameter(name: "@id", value: .integer(7), type: .int),
                    RPCParameter(name: "@name", value: .string("Seven"), type: .nvarchar(20)),
                    RPCParameter(
                        name: "@at",
                        value: .dateTime(SQLServerDate(year: 2024, month: 5, day: 6), SQLServerTime(hour: 1, minute: 2, second: 3, nanoseconds: 4_000_000)),
                        type: SQLServerType(.datetime2, scale: 3)),
                ])
            #expect(outcome.results == [.rowCount(1)])
            outcome = try await session.execute(
                procedure: "sys.sp_executesql",
                parameters: [
                    RPCParameter(value: .string("SELECT @n = COUNT(*) FROM dbo.T WHERE Name = @name; SELECT At FROM dbo.T"), type: .nvarcharMax),
                    RPCParameter(value: .string("@name nvarchar(20), @n int OUTPUT"), type: .nvarcharMax),
                    RPCParameter(name: "@name", value: .string("seven"), type: .nvarchar(20)),
                    RPCParameter(name: "@n", value: .null, type: .int, isOutput: true),
                ])
            #expect(outcome.outputParameters.map(\.value) == [.integer(1)])
            guard case .resultSet(let set)? = outcome.results.first else {
                Issue.record("expected a result set, got \(outcome.results)")
                return
            }
            #expect(
                set.rows == [[.dateTime(SQLServerDate(year: 2024, month: 5, day: 6), SQLServerTime(hour: 1, minute: 2, second: 3, nanoseconds: 4_000_000))]])
        }
    }

    @Test func storedProcedureCallWithReturnStatusAndOutput() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE PROCEDURE dbo.Twice @value int, @result int OUTPUT AS
                BEGIN
                    SET @result = @value * 2;
                    IF @value < 0 RETURN -1;
                    RETURN 5;
                END
                """)
            let outcome = try await session.execute(
                procedure: "dbo.Twice",
                parameters: [
                    RPCParameter(name: "@value", value: .integer(21), type: .int),
                    RPCParameter(name: "@result", value: .null, type: .int, isOutput: true),
                ])
            #expect(outcome.returnStatus == 5)
            #expect(outcome.outputParameters == [.init(name: "@result", value: .integer(42), type: .int)])
            let sets = try await session.resultSets("DECLARE @rc int, @r int; EXEC @rc = dbo.Twice -3, @r OUTPUT; SELECT @rc AS rc, @r AS r")
            #expect(sets.last?.rows == [[.integer(-1), .integer(-6)]])
            let missing = try await session.execute(procedure: "dbo.Nope", parameters: [])
            #expect(missing.results.count == 1)
            if case .error(let error) = missing.results.first { #expect(error.number == 2812) }
        }
    }
}
