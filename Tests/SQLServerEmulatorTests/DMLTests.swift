import SQLServerEmulator
import Testing

@Suite struct DMLTests {
    static let setup = """
        CREATE TABLE dbo.Department (DepartmentID int PRIMARY KEY, Name nvarchar(50) NOT NULL, Budget money NULL);
        CREATE TABLE dbo.Employee (ID int PRIMARY KEY, DepartmentID int NOT NULL REFERENCES dbo.Department, Salary int NOT NULL);
        INSERT INTO dbo.Department VALUES (1, N'Engineering', NULL), (2, N'Sales', NULL);
        INSERT INTO dbo.Employee VALUES (1, 1, 100), (2, 1, 200), (3, 2, 50), (4, 2, 70), (5, 2, 80);
        """

    @Test func updateAndDeleteWithFromAndTop() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(Self.setup)
            var results = try await session.run(
                """
                UPDATE d SET Budget = e.Salary * 10
                FROM dbo.Department AS d JOIN dbo.Employee AS e ON e.DepartmentID = d.DepartmentID
                WHERE e.ID IN (2, 5)
                """)
            #expect(results == [.rowCount(2)])
            var rows = try await session.resultSets("SELECT DepartmentID, Budget FROM dbo.Department ORDER BY 1")[0].rows
            #expect(rows == [[.integer(1), .decimal("2000.0000")], [.integer(2), .decimal("800.0000")]])

            results = try await session.run("DELETE TOP (2) FROM dbo.Employee WHERE DepartmentID = 2")
            #expect(results == [.rowCount(2)])
            results = try await session.run(
                "DELETE e FROM dbo.Employee e JOIN dbo.Department d ON d.DepartmentID = e.DepartmentID WHERE d.Name = N'engineering'")
            #expect(results == [.rowCount(2)])
            rows = try await session.resultSets("SELECT COUNT(*) FROM dbo.Employee")[0].rows
            #expect(rows == [[.integer(1)]])
            results = try await session.run("UPDATE TOP (1) dbo.Department SET Name = N'Renamed' WHERE Budget IS NOT NULL")
            #expect(results == [.rowCount(1)])
        }
    }

    @Test func conditionalAndTryConversions() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(Self.setup)
            let set = try #require(
                try await session.resultSets(
                    """
                    SELECT ID, IIF(Salary >= 100, 'high', 'low') AS Band, TRY_CAST('12' AS int) AS Good, TRY_CONVERT(int, 'x') AS Bad,
                        CASE DepartmentID WHEN 1 THEN N'Eng' ELSE N'Other' END AS Dept
                    FROM dbo.Employee WHERE ID <= 3 ORDER BY ID
                    """
                ).first)
            #expect(set.rows.map { $0[1] } == [.string("high"), .string("high"), .string("low")])
            #expect(set.rows[0][2] == .integer(12))
            #expect(set.rows[0][3] == .null)
            #expect(set.rows[2][4] == .string("Other"))
            #expect(set.columns[2].type.declaration == "int")
            #expect(set.columns[4].type.declaration == "nvarchar(5)")

            let arithmetic = try #require(
                try await session.resultSets(
                    "SELECT CAST(1.25 AS decimal(5,2)) * 3 AS m, 10.0 / 4 AS d, CAST(2 AS decimal(4,1)) + 1.25 AS a, AVG(CAST(Salary AS decimal(9,2))) AS av FROM dbo.Employee"
                ).first)
            #expect(arithmetic.columns.map(\.type.declaration) == ["decimal(7,2)", "decimal(8,6)", "decimal(6,2)", "decimal(38,6)"])
            #expect(arithmetic.rows == [[.decimal("3.75"), .decimal("2.500000"), .decimal("3.25"), .decimal("100.000000")]])

            let like = try await session.resultSets(
                    """
                    DECLARE @pattern nvarchar(10) = N'%ale%';
                    SELECT Name FROM dbo.Department WHERE Name LIKE 'e%' OR Name LIKE @pattern ORDER BY Name;
                    SELECT Name FROM dbo.Department WHERE Name LIKE '[a-f]%';
                    SELECT Name FROM dbo.Department WHERE Name NOT LIKE '[^s]_les' AND Name LIKE '%.%' ESCAPE '!';
                    SELECT Name FROM dbo.Department WHERE Name LIKE 'S_l[e]s'
                    """)
            #expect(like[0].rows == [[.string("Engineering")], [.string("Sales")]])
            #expect(like[1].rows == [[.string("Engineering")]])
            #expect(like[2].rows == [])
            #expect(like[3].rows == [[.string("Sales")]])
        }
    }

    @Test func insertSelectWithCTEAndUnion() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(Self.setup)
            try await session.run("CREATE TABLE dbo.Summary (DepartmentID int, Total int, Kind varchar(10))")
            let results = try await session.run(
                """
                WITH totals AS (SELECT DepartmentID, SUM(Salary) AS Total FROM dbo.Employee GROUP BY DepartmentID)
                INSERT INTO dbo.Summary (DepartmentID, Total, Kind)
                SELECT DepartmentID, Total, 'sum' FROM totals
                """)
            #expect(results == [.rowCount(2)])
            let set = try #require(
                try await session.resultSets(
                    """
                    SELECT DepartmentID, Total FROM dbo.Summary
                    UNION ALL SELECT 0, COUNT(*) FROM dbo.Employee
                    ORDER BY DepartmentID
                    """
                ).first)
            #expect(set.rows == [[.integer(0), .integer(5)], [.integer(1), .integer(300)], [.integer(2), .integer(200)]])
            let exists = try #require(
                try await session.resultSets(
                    "SELECT d.Name FROM dbo.Department d WHERE EXISTS (SELECT 1 FROM dbo.Employee e WHERE e.DepartmentID = d.DepartmentID AND e.Salary > 150)"
                ).first)
            #expect(exists.rows == [[.string("Engineering")]])
        }
    }
}
