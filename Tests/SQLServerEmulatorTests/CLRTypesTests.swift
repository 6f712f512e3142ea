import SQLServerEmulator
import Testing

/// `sql_variant` and `hierarchyid` through the engine: storage keeps what SQL Server keeps, and
/// the functions and methods answer as Microsoft documents them.
@Suite struct CLRTypesTests {
    // MARK: sql_variant

    @Test func aVariantKeepsItsBaseTypeAndProperties() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("""
                CREATE TABLE dbo.v (id int NOT NULL PRIMARY KEY, value sql_variant NULL);
                INSERT INTO dbo.v (id, value) VALUES (1, CAST(46279.1 AS decimal(8,2)));
                INSERT INTO dbo.v (id, value) VALUES (2, 42);
                INSERT INTO dbo.v (id, value) VALUES (3, N'héllo');
                INSERT INTO dbo.v (id, value) VALUES (4, CAST('2024-02-29 10:11:12.123' AS datetime));
                INSERT INTO dbo.v (id, value) VALUES (5, 'abc');
                INSERT INTO dbo.v (id, value) VALUES (6, NULL);
                INSERT INTO dbo.v (id, value) VALUES (7, CAST('12:34:56.1234567' AS time(7)));
                """)
            let set = try await session.resultSets("""
                SELECT id, SQL_VARIANT_PROPERTY(value, 'BaseType'), SQL_VARIANT_PROPERTY(value, 'Precision'),
                       SQL_VARIANT_PROPERTY(value, 'Scale'), SQL_VARIANT_PROPERTY(value, 'MaxLength'),
                       SQL_VARIANT_PROPERTY(value, 'Collation'), SQL_VARIANT_PROPERTY(value, 'TotalBytes')
                FROM dbo.v ORDER BY id
                """)[0]
            // The documented example: decimal(8,2) → decimal, 8, 2; int → 10, 0, MaxLength 4;
            // nvarchar(5) → MaxLength 10 and the collation; datetime → 23, 3.
            #expect(set.rows[0] == [.integer(1), .string("decimal"), .integer(8), .integer(2), .integer(5), .null, .integer(9)])
            #expect(set.rows[1] == [.integer(2), .string("int"), .integer(10), .integer(0), .integer(4), .null, .integer(6)])
            #expect(set.rows[2] == [.integer(3), .string("nvarchar"), .integer(0), .integer(0), .integer(10),
                                    .string("SQL_Latin1_General_CP1_CI_AS"), .integer(19)])
            #expect(set.rows[3] == [.integer(4), .string("datetime"), .integer(23), .integer(3), .integer(8), .null, .integer(10)])
            #expect(set.rows[4] == [.integer(5), .string("varchar"), .integer(0), .integer(0), .integer(3),
                                    .string("SQL_Latin1_General_CP1_CI_AS"), .integer(12)])
            #expect(set.rows[5] == [.integer(6), .null, .null, .null, .null, .null, .null])
            #expect(set.rows[6] == [.integer(7), .string("time"), .integer(16), .integer(7), .integer(5), .null, .integer(8)])
        }
    }

    @Test func aVariantCastsBackToItsBaseTypeAndCompares() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("""
                CREATE TABLE dbo.v (id int NOT NULL PRIMARY KEY, value sql_variant NULL);
                INSERT INTO dbo.v (id, value) VALUES (1, CAST(12.5 AS decimal(10,2)));
                INSERT INTO dbo.v (id, value) VALUES (2, 7);
                INSERT INTO dbo.v (id, value) VALUES (3, N'seven');
                INSERT INTO dbo.v (id, value) VALUES (4, CAST('2020-01-02' AS date));
                INSERT INTO dbo.v (id, value) VALUES (5, 0x0A0B);
                """)
            let set = try await session.resultSets("""
                SELECT CAST(value AS decimal(10,2)) FROM dbo.v WHERE id = 1;
                SELECT CAST(value AS int) + 1 FROM dbo.v WHERE id = 2;
                SELECT CAST(value AS nvarchar(20)) FROM dbo.v WHERE id = 3;
                SELECT CAST(value AS date) FROM dbo.v WHERE id = 4;
                SELECT CAST(value AS varbinary(10)) FROM dbo.v WHERE id = 5;
                SELECT id FROM dbo.v WHERE value = CAST(7 AS sql_variant);
                """)
            #expect(set[0].rows == [[.decimal("12.50")]])
            #expect(set[1].rows == [[.integer(8)]])
            #expect(set[2].rows == [[.string("seven")]])
            #expect(set[3].rows == [[.date(SQLServerDate(year: 2020, month: 1, day: 2))]])
            #expect(set[4].rows == [[.binary([0x0A, 0x0B])]])
            #expect(set[5].rows == [[.integer(2)]])
        }
    }

    @Test func aVariantColumnSelectedRawIsItsValueWithItsBaseType() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("""
                CREATE TABLE dbo.v (id int NOT NULL PRIMARY KEY, value sql_variant NULL);
                INSERT INTO dbo.v VALUES (1, 42); INSERT INTO dbo.v VALUES (2, N'x'); INSERT INTO dbo.v VALUES (3, CAST(1.50 AS decimal(5,2)));
                INSERT INTO dbo.v VALUES (4, CAST('23:59:59.9999999' AS time(7))); INSERT INTO dbo.v VALUES (5, CAST('ab' AS char(4)));
                INSERT INTO dbo.v VALUES (6, NULL);
                """)
            let set = try await session.resultSets("SELECT value, CAST(value AS nvarchar(20)) FROM dbo.v ORDER BY id")[0]
            #expect(set.columns[0].type.base == .sqlVariant)
            #expect(set.rows.map { $0[0] } == [
                .variant(.int, .integer(42)), .variant(.nvarchar(1), .string("x")), .variant(.decimal(5, 2), .decimal("1.50")),
                .variant(SQLServerType(.time, scale: 7), .time(SQLServerTime(hour: 23, minute: 59, second: 59, nanoseconds: 999_999_900))),
                .variant(SQLServerType(.char, length: .bounded(4)), .string("ab")), .null,
            ])
            // CAST keeps the 100 ns digit and the char padding, as SQL Server prints them.
            #expect(set.rows.map { $0[1] } == [.string("42"), .string("x"), .string("1.50"), .string("23:59:59.9999999"), .string("ab  "), .null])
        }
    }

    @Test func typesAVariantCannotHoldAreOperandClashes() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.v (id int NOT NULL PRIMARY KEY, value sql_variant NULL)")
            let errors = try await session.errors("INSERT INTO dbo.v (id, value) VALUES (1, CAST(N'x' AS nvarchar(max)))")
            #expect(errors.map(\.number) == [206])
            #expect(errors.first?.message == "Operand type clash: nvarchar(max) is incompatible with sql_variant")
        }
    }

    // MARK: hierarchyid

    @Test func hierarchyidParsesPrintsAndAnswersItsMethods() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("""
                CREATE TABLE dbo.org (node hierarchyid NOT NULL PRIMARY KEY, name nvarchar(20) NOT NULL);
                INSERT INTO dbo.org (node, name) VALUES (hierarchyid::GetRoot(), N'root');
                INSERT INTO dbo.org (node, name) VALUES ('/1/', N'a'), ('/1/1/', N'a1'), ('/1/2.5/', N'a2.5'), ('/2/', N'b'),
                    ('/10/', N'j'), ('/1/-3/', N'a-3'), (hierarchyid::Parse('/1/2/'), N'a2'), (CAST('/1.1/' AS hierarchyid), N'a.1');
                """)
            let set = try await session.resultSets("""
                SELECT node.ToString(), node.GetLevel(), node.GetAncestor(1).ToString(), CAST(node AS nvarchar(100))
                FROM dbo.org ORDER BY node;
                SELECT o.name FROM dbo.org AS o WHERE o.node.IsDescendantOf(hierarchyid::Parse('/1/')) = 1 ORDER BY o.node;
                SELECT name FROM dbo.org WHERE node.GetAncestor(2) = hierarchyid::GetRoot() ORDER BY node DESC;
                SELECT name FROM dbo.org WHERE node > '/1/2/' AND node < '/2/' ORDER BY node;
                SELECT hierarchyid::GetRoot().ToString();
                """)
            #expect(set[0].rows.map { $0[0] } == ["/", "/1/", "/1/-3/", "/1/1/", "/1/2/", "/1/2.5/", "/1.1/", "/2/", "/10/"].map { SQLServerValue.string($0) })
            #expect(set[0].rows.map { $0[1] } == [0, 1, 2, 2, 2, 2, 1, 1, 1].map { SQLServerValue.integer($0) })
            #expect(set[0].rows.map { $0[2] } == [.null, .string("/"), .string("/1/"), .string("/1/"), .string("/1/"), .string("/1/"),
                                                  .string("/"), .string("/"), .string("/")])
            #expect(set[0].rows.map { $0[3] } == set[0].rows.map { $0[0] })
            #expect(set[1].rows == [[.string("a")], [.string("a-3")], [.string("a1")], [.string("a2")], [.string("a2.5")]])
            #expect(set[2].rows == [[.string("a2.5")], [.string("a2")], [.string("a1")], [.string("a-3")]])
            #expect(set[3].rows == [[.string("a2.5")], [.string("a.1")]])
            #expect(set[4].rows == [[.string("/")]])
        }
    }

    @Test func anInvalidPathIsSQLServersParseError() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.org (node hierarchyid NOT NULL)")
            for bad in ["1/", "/1", "/a/", "/1..2/"] {
                let errors = try await session.errors("INSERT INTO dbo.org (node) VALUES ('\(bad)')")
                #expect(errors.map(\.number) == [6522], "\(bad)")
                #expect(errors.first?.message.contains("24001: SqlHierarchyId.Parse failed because the input string '\(bad)'") == true)
            }
            let negative = try await session.errors("SELECT hierarchyid::Parse('/1/').GetAncestor(-1)")
            #expect(negative.map(\.number) == [6522])
            #expect(negative.first?.message.contains("24011: SqlHierarchyId.GetAncestor failed because 'n' was negative.") == true)
            let unknown = try await session.errors("SELECT node.NoSuchMethod() FROM dbo.org")
            #expect(unknown.map(\.number) == [6506])
        }
    }

    @Test func hierarchyidSelectedRawIsThePathBytes() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.org (node hierarchyid NOT NULL); INSERT INTO dbo.org VALUES ('/1/2/')")
            let set = try await session.resultSets("SELECT node FROM dbo.org")[0]
            #expect(set.rows == [[.binary(Array("/1/2/".utf8))]])
        }
    }
}
