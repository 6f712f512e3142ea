@testable import SQLServerEmulator
import Testing

/// HASHBYTES and the byte-level conversions that go with it, as Microsoft documents them.
@Suite struct HashFunctionTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    @Test("HASHBYTES hashes nvarchar as UTF-16LE, varbinary as is, and NULL as NULL")
    func hashbytesInputs() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.Test1 (c1 nvarchar(50), v varchar(20), b varbinary(10))")
            try await session.run("INSERT dbo.Test1 VALUES (N'This is a test.', 'abc', 0x00FF10), (NULL, NULL, NULL)")
            let sets = try await session.resultSets("""
                SELECT HASHBYTES('SHA2_256', c1), HASHBYTES('MD5', v), HASHBYTES('md5', b) FROM dbo.Test1 ORDER BY CASE WHEN c1 IS NULL THEN 1 ELSE 0 END;
                SELECT HASHBYTES('MD5', N'abc'), HASHBYTES('MD5', N'Grüße 😀'), HASHBYTES('MD5', 'abc'), DATALENGTH(HASHBYTES('SHA2_512', 0x));
                DECLARE @algorithm varchar(10) = 'MD5';
                SELECT HASHBYTES(@algorithm, N'abc'), HASHBYTES('NOPE', N'abc');
                """)
            // Microsoft's example hashes nvarchar 'This is a test.': the UTF-16LE bytes.
            #expect(sets[0].rows[0] == [
                .binary(Self.bytes("741238c01d9db821cf171bf61d72260b998f7c7881d90091099945e0b9e0c2e3")),
                .binary(Self.bytes("900150983cd24fb0d6963f7d28e17f72")),
                .binary(Self.bytes("481e4551ec039aada760901cf52b1917")),
            ])
            #expect(sets[0].rows[1] == [.null, .null, .null])
            #expect(sets[1].rows[0] == [
                .binary(Self.bytes("ce1473cf80c6b3fda8e3dfc006adc315")),
                .binary(Self.bytes("d35f83aea6743d49f9ce6182bf7c3d8e")),
                .binary(Self.bytes("900150983cd24fb0d6963f7d28e17f72")),
                .integer(64),
            ])
            #expect(sets[2].rows[0] == [.binary(Self.bytes("ce1473cf80c6b3fda8e3dfc006adc315")), .null])
        }
    }

    @Test("HASHBYTES rejects a number with error 8116")
    func hashbytesRejectsNumbers() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            let errors = try await session.errors("SELECT HASHBYTES('MD5', 42)")
            #expect(errors.first?.number == 8116)
        }
    }

    @Test("numbers convert to binary big-endian, padded on the left; binary converts back to integers")
    func numbersToBinary() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            let sets = try await session.resultSets("""
                SELECT CAST(1 AS binary(4)), CAST(-1 AS binary(4)), CAST(CAST(258 AS smallint) AS binary(4)), CAST(CAST(5 AS bigint) AS varbinary(8)),
                       CAST(CAST(1.0 AS float) AS binary(8)), CAST(CAST(-2.5 AS real) AS binary(4)), CAST(CAST(0 AS float) AS binary(8)),
                       CAST(CAST(258 AS int) AS binary(1));
                SELECT CAST(0x00000001 AS int), CAST(0xFFFFFFFF AS int), CAST(0xFFFFFFFFFFFFFFFE AS bigint), CAST(0x0102030405 AS int),
                       CAST(0xFFFF AS smallint), CAST(0x01 AS bigint), CAST(SUBSTRING(0x0102030405060708090A, 3, 4) AS int);
                SELECT CONVERT(varchar(20), 0x4E6F, 1), CONVERT(nvarchar(20), 0x4E6f00, 2), CONVERT(varchar(20), CAST(CAST(1.0 AS float) AS binary(8)), 2),
                       CAST(0x0102 AS binary(4)), SUBSTRING(0x0102030405, 2, 2);
                """)
            #expect(sets[0].rows[0] == [
                .binary([0, 0, 0, 1]), .binary([255, 255, 255, 255]), .binary([0, 0, 1, 2]), .binary([0, 0, 0, 0, 0, 0, 0, 5]),
                .binary([0x3F, 0xF0, 0, 0, 0, 0, 0, 0]), .binary([0xC0, 0x20, 0, 0]), .binary([0, 0, 0, 0, 0, 0, 0, 0]),
                .binary([2]),
            ])
            #expect(sets[1].rows[0] == [
                .integer(1), .integer(-1), .integer(-2), .integer(0x02030405), .integer(-1), .integer(1), .integer(0x03040506),
            ])
            #expect(sets[2].rows[0] == [
                .string("0x4E6F"), .string("4E6F00"), .string("3FF0000000000000"), .binary([1, 2, 0, 0]), .binary([2, 3]),
            ])
        }
    }

    @Test("CONVERT style 121 writes all of datetime2's fractional digits")
    func datetime2Style121() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE t (a datetime2(7), b datetime2(3), c datetime2(0), d datetime)")
            try await session.run("INSERT INTO t VALUES ('2024-02-29 23:59:59.1234567', '0001-01-01 00:00:00.5', '9999-12-31 23:59:59', '2024-02-29 23:59:59.997')")
            let sets = try await session.resultSets("SELECT CONVERT(varchar(30), a, 121), CONVERT(nvarchar(30), b, 121), CONVERT(varchar(30), c, 121), CONVERT(varchar(30), d, 121) FROM t")
            #expect(sets[0].rows[0] == [
                .string("2024-02-29 23:59:59.1234567"), .string("0001-01-01 00:00:00.500"), .string("9999-12-31 23:59:59"),
                .string("2024-02-29 23:59:59.997"),
            ])
        }
    }

    @Test("a row's canonical text becomes UTF-8 through a _UTF8 collation and hashes as PostgreSQL's md5 does")
    func utf8CollationRowHash() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            let sets = try await session.resultSets("""
                SELECT DATALENGTH(CAST(CAST(N'Grüße 😀' AS nvarchar(max)) COLLATE Latin1_General_100_BIN2_UTF8 AS varchar(max))),
                       HASHBYTES('MD5', CAST(N'Grüße 😀' COLLATE Latin1_General_100_BIN2_UTF8 AS varchar(max)));
                """)
            #expect(sets[0].rows[0] == [.integer(12), .binary(Self.bytes("0a04968a90b7dd01f77c7f2f348a2f7e"))])
        }
    }

    @Test("STRING_AGG joins a group's non-NULL values in WITHIN GROUP order")
    func stringAgg() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE t (g int NOT NULL, k int NULL, v nvarchar(10) NULL)")
            try await session.run("INSERT INTO t VALUES (1, 3, N'c'), (1, 1, N'a'), (1, NULL, N'z'), (1, 2, NULL), (2, 5, N'ü')")
            let sets = try await session.resultSets("""
                SELECT g, STRING_AGG(v, N',') WITHIN GROUP (ORDER BY k) FROM t GROUP BY g ORDER BY g;
                SELECT STRING_AGG(v, '-') WITHIN GROUP (ORDER BY k DESC) FROM t WHERE g = 1;
                SELECT STRING_AGG(v, ',') FROM t WHERE g = 3;
                """)
            #expect(sets[0].rows == [[.integer(1), .string("z,a,c")], [.integer(2), .string("ü")]])
            #expect(sets[1].rows == [[.string("c-a-z")]])
            #expect(sets[2].rows == [[.null]])
        }
    }
}
