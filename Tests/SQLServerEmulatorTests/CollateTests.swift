@testable import SQLServerEmulator
import Testing

/// An explicit `COLLATE` changes how character values compare and sort, as SQL Server documents:
/// columns compare case-insensitively by the default collation, `_CS` and `_BIN2` collations do not.
@Suite struct CollateTests {
    @Test("COLLATE _CS_ and _BIN2 compare case-sensitively; _CI_ and the default do not")
    func comparisons() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.Names (id int PRIMARY KEY, name nvarchar(20))")
            try await session.run("INSERT dbo.Names VALUES (1, N'abc'), (2, N'ABC'), (3, N'Abd')")
            let sets = try await session.resultSets("""
                SELECT COUNT(*) FROM dbo.Names WHERE name = N'abc';
                SELECT COUNT(*) FROM dbo.Names WHERE name = N'abc' COLLATE Latin1_General_CS_AS;
                SELECT COUNT(*) FROM dbo.Names WHERE name COLLATE Latin1_General_100_BIN2_UTF8 = N'ABC';
                SELECT COUNT(*) FROM dbo.Names WHERE name COLLATE SQL_Latin1_General_CP1_CI_AS = N'ABC';
                SELECT id FROM dbo.Names ORDER BY name COLLATE Latin1_General_BIN2, id;
                SELECT CAST(42 AS int) COLLATE Latin1_General_BIN2;
                """)
            #expect(sets[0].rows == [[.integer(2)]])
            #expect(sets[1].rows == [[.integer(1)]])
            #expect(sets[2].rows == [[.integer(1)]])
            #expect(sets[3].rows == [[.integer(2)]])
            // Binary order: upper case before lower case.
            #expect(sets[4].rows == [[.integer(2)], [.integer(3)], [.integer(1)]])
            #expect(sets[5].rows == [[.integer(42)]])
        }
    }

    @Test("an unknown collation is Msg 448")
    func unknownCollation() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            let errors = try await session.errors("SELECT N'a' COLLATE NotACollation")
            #expect(errors.first?.number == 448)
        }
    }
}
