@testable import SQLServerEmulator
import Testing

/// Smaller points where the emulator follows SQL Server rather than PostgreSQL.
@Suite struct FidelityTests {
    @Test func trailingSpacesDoNotMatterInStringComparisons() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE t (id int NOT NULL, c char(5) NULL, v varchar(10) NULL, n nvarchar(10) NULL)")
            try await session.run("INSERT INTO t VALUES (1, 'a', 'a  ', N'a '), (2, 'b', 'b', N'b')")
            let sets = try await session.resultSets("""
                SELECT CASE WHEN 'a' = 'a  ' THEN 1 ELSE 0 END, CASE WHEN 'a' < 'a ' THEN 1 ELSE 0 END,
                       CASE WHEN N'a ' <> 'a' THEN 1 ELSE 0 END, CASE WHEN ' a' = 'a' THEN 1 ELSE 0 END;
                SELECT id FROM t WHERE v = 'a' AND n = N'a' AND c = 'a   ' ORDER BY id;
                SELECT COUNT(*) FROM t WHERE v LIKE 'a';
                """)
            #expect(sets[0].rows == [[.integer(1), .integer(0), .integer(0), .integer(0)]])
            #expect(sets[1].rows == [[.integer(1)]])
            // LIKE does not pad: 'a  ' is not LIKE 'a'.
            #expect(sets[2].rows == [[.integer(0)]])
        }
    }

    @Test func raiserrorFormatsItsArguments() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            let results = try await session.execute(batch: """
                DECLARE @name nvarchar(20) = N'orders';
                RAISERROR(N'Table %s has %d rows (%5.2s|%-4d|%04d|%x)', 10, 1, @name, 42, 'abc', 7, -7, 255);
                RAISERROR('%s and %d of %%', 16, 2, NULL, 3);
                """)
            let info = results.compactMap { if case .message(let message) = $0 { message } else { nil } }
            #expect(info.first?.text == "Table orders has 42 rows (   ab|7   |-007|ff)")
            let errors = results.compactMap { if case .error(let error) = $0 { error } else { nil } }
            #expect(errors.first?.number == 50000)
            #expect(errors.first?.state == 2)
            #expect(errors.first?.message == "(null) and 3 of %")
        }
    }

    @Test func formatEdgeCases() {
        #expect(RaiserrorFormat.format("%*d|%.*s|%+d|%u", arguments: ["5", "42", "2", "xyz", "3", "-1"]) == "   42|xy|+3|4294967295")
        #expect(RaiserrorFormat.format("%d %d", arguments: ["1"]) == "1 (null)")
        #expect(RaiserrorFormat.format("100%% done %q", arguments: []) == "100% done %q")
        #expect(RaiserrorFormat.format("%I64d %ld %#X", arguments: ["9000000000", "5", "255"]) == "9000000000 5 0XFF")
    }
}
