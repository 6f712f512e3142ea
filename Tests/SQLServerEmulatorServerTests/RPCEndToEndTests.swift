import FreeTDS
import Testing

/// Parameterised calls (`sp_executesql`, stored procedures) through FreeTDS's RPC API to the emulator.
@Suite struct RPCEndToEndTests {
    @Test func spExecuteSQLWithTypedParameters() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let connection = try await EmulatorHarness.connect(port: port)
            _ = try await connection.execute("""
                CREATE TABLE dbo.people (id int NOT NULL PRIMARY KEY, name nvarchar(50) NULL, balance decimal(38, 10) NULL,
                    big bigint NULL, data varbinary(20) NULL, guid uniqueidentifier NULL, born datetime2(7) NULL);
                """)
            let insert = try await connection.call("sp_executesql", parameters: [
                .init(value: .string("INSERT INTO dbo.people VALUES (@id, @name, @balance, @big, @data, @guid, @born)")),
                .init(value: .string("@id int, @name nvarchar(50), @balance decimal(38, 10), @big bigint, @data varbinary(20), @guid uniqueidentifier, @born datetime2(7)")),
                .init(name: "@id", value: .int(5)),
                .init(name: "@name", value: .string("Grüße, 世界")),
                .init(name: "@balance", value: .decimal(try #require(TDSDecimal(exactly: "-1234567890123456789012345678.0123456789")))),
                .init(name: "@big", value: .bigInt(.min)),
                .init(name: "@data", value: .bytes([0, 1, 0xFE, 0xFF])),
                .init(name: "@guid", value: .uniqueIdentifier(try #require(TDSGUID(uuidString: "01020304-0506-0708-090A-0B0C0D0E0F10")))),
                .init(name: "@born", value: .dateTime(TDSDateTime(daysSinceJanuaryFirst0001: 730_000, nanosecondsSinceMidnight: 45_296_123_456_700, fractionalDigits: 7))),
            ])
            #expect(insert.results.rowCounts.contains(1))

            let select = try await connection.call("sp_executesql", parameters: [
                .init(value: .string("SELECT name, balance, big, data, guid, born FROM dbo.people WHERE id = @id")),
                .init(value: .string("@id int")),
                .init(name: "@id", value: .int(5)),
            ])
            let row = try #require(select.rows.first)
            #expect(row[0] == .string("Grüße, 世界"))
            #expect(row[1].description == "-1234567890123456789012345678.0123456789")
            #expect(row[2] == .bigInt(.min))
            #expect(row[3] == .bytes([0, 1, 0xFE, 0xFF]))
            #expect(row[4].description.uppercased() == "01020304-0506-0708-090A-0B0C0D0E0F10")
            if case .dateTime(let born) = row[5] {
                #expect(born.date.daysSinceJanuaryFirst0001 == 730_000)
                #expect(born.time.nanosecondsSinceMidnight == 45_296_123_456_700)
            } else {
                Issue.record("born is \(row[5])")
            }

            // db-lib would send an empty string as NULL: the wrapper refuses it instead.
            let empty = await #expect(throws: TDSError.self) {
                _ = try await connection.call("sp_executesql", parameters: [
                    .init(value: .string("SELECT @s")), .init(value: .string("@s nvarchar(5)")), .init(name: "@s", value: .string("")),
                ])
            }
            #expect(empty?.code == .invalidArgument)

            // NULL parameters of a declared type, and positional values.
            let nulls = try await connection.call("sp_executesql", parameters: [
                .init(value: .string("SELECT CASE WHEN @a IS NULL AND @b IS NULL THEN 1 ELSE 0 END, @c + 1")),
                .init(value: .string("@a int, @b nvarchar(10), @c int")),
                .init(value: .null, nullType: .intN),
                .init(value: .null),
                .init(value: .int(41)),
            ])
            #expect(nulls.rows.first?[0].int64Value == 1)
            #expect(nulls.rows.first?[1].int64Value == 42)
            await connection.close()
        }
    }

    @Test func outputParametersAndReturnStatus() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let connection = try await EmulatorHarness.connect(port: port)
            let output = try await connection.call("sp_executesql", parameters: [
                .init(value: .string("SET @total = @a * @b; SET @label = N'total ' + CAST(@total AS nvarchar(10))")),
                .init(value: .string("@a int, @b int, @total int OUTPUT, @label nvarchar(40) OUTPUT")),
                .init(name: "@a", value: .int(6)),
                .init(name: "@b", value: .int(7)),
                .init(name: "@total", value: .null, nullType: .intN, isOutput: true),
                .init(name: "@label", value: .null, isOutput: true, maximumOutputLength: 80),
            ])
            #expect(output.output("@total")?.int64Value == 42)
            #expect(output.output("label") == .string("total 42"))

            _ = try await connection.execute("""
                CREATE PROCEDURE dbo.usp_double @x int, @y int OUTPUT AS
                BEGIN
                    SET @y = @x * 2;
                    SELECT @x AS x;
                    RETURN 7;
                END
                """)
            let procedure = try await connection.call("dbo.usp_double", parameters: [
                .init(name: "@x", value: .int(21)),
                .init(name: "@y", value: .int(0), isOutput: true),
            ])
            #expect(procedure.rows.first?[0].int64Value == 21)
            #expect(procedure.returnStatus == 7)
            #expect(procedure.output("@y")?.int64Value == 42)

            // A failing call reports the server's error and leaves the connection usable.
            await #expect(throws: TDSError.self) {
                _ = try await connection.call("sp_executesql", parameters: [
                    .init(value: .string("SELECT * FROM dbo.missing WHERE id = @id")), .init(value: .string("@id int")),
                    .init(name: "@id", value: .int(1)),
                ])
            }
            #expect(try await connection.query("SELECT 1").first?[0].int64Value == 1)
            await connection.close()
        }
    }
}
