@testable import SQLServerEmulator
import Testing

/// `CROSS APPLY` and `OUTER APPLY`: the right side is evaluated for each left row and may refer to
/// its columns, as SQL Server documents (FROM clause, "Using APPLY").
@Suite struct ApplyTests {
    static let setup = """
        CREATE TABLE dbo.Departments (DeptID int PRIMARY KEY, Name nvarchar(20));
        CREATE TABLE dbo.Employees (EmpID int PRIMARY KEY, DeptID int, Salary int);
        INSERT dbo.Departments VALUES (1, N'Sales'), (2, N'Research'), (3, N'Empty');
        INSERT dbo.Employees VALUES (10, 1, 100), (11, 1, 300), (12, 2, 200);
        """

    @Test("CROSS APPLY a correlated derived table keeps only left rows with right rows; OUTER APPLY keeps all")
    func crossAndOuterApply() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(Self.setup)
            let sets = try await session.resultSets("""
                SELECT d.DeptID, e.Total, e.Staff FROM dbo.Departments AS d
                CROSS APPLY (SELECT SUM(Salary) AS Total, COUNT(*) AS Staff FROM dbo.Employees WHERE DeptID = d.DeptID) AS e
                ORDER BY d.DeptID;
                SELECT d.DeptID, top1.EmpID FROM dbo.Departments AS d
                CROSS APPLY (SELECT TOP (1) EmpID FROM dbo.Employees WHERE DeptID = d.DeptID ORDER BY Salary DESC) AS top1
                ORDER BY d.DeptID;
                SELECT d.DeptID, top1.EmpID FROM dbo.Departments AS d
                OUTER APPLY (SELECT TOP (1) EmpID FROM dbo.Employees WHERE DeptID = d.DeptID ORDER BY Salary DESC) AS top1
                ORDER BY d.DeptID;
                """)
            // An aggregate without GROUP BY always gives one row, so every department appears.
            #expect(sets[0].rows == [
                [.integer(1), .integer(400), .integer(2)], [.integer(2), .integer(200), .integer(1)], [.integer(3), .null, .integer(0)],
            ])
            #expect(sets[1].rows == [[.integer(1), .integer(11)], [.integer(2), .integer(12)]])
            #expect(sets[2].rows == [[.integer(1), .integer(11)], [.integer(2), .integer(12)], [.integer(3), .null]])
        }
    }

    @Test("CROSS APPLY (VALUES …) over the left row's columns unpivots them")
    func applyValuesUnpivots() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(Self.setup)
            let sets = try await session.resultSets("""
                SELECT e.EmpID, v.Kind, v.Amount FROM dbo.Employees AS e
                CROSS APPLY (VALUES (N'salary', e.Salary), (N'bonus', e.Salary / 10)) AS v (Kind, Amount)
                WHERE e.EmpID = 10 ORDER BY v.Amount;
                SELECT g.p, a.n FROM (VALUES (0, 0, 10), (1, 11, 20)) AS g (p, lo, hi)
                CROSS APPLY (SELECT COUNT_BIG(*) AS n FROM dbo.Employees WHERE EmpID BETWEEN g.lo AND g.hi) AS a ORDER BY g.p;
                """)
            #expect(sets[0].rows == [[.integer(10), .string("bonus"), .integer(10)], [.integer(10), .string("salary"), .integer(100)]])
            #expect(sets[1].rows == [[.integer(0), .integer(1)], [.integer(1), .integer(2)]])
        }
    }

    @Test("a column of the right side is not visible to the left side (Msg 4104)")
    func rightSideIsNotVisibleToTheLeft() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(Self.setup)
            let errors = try await session.errors("""
                SELECT * FROM (SELECT x.Total AS t FROM dbo.Departments AS d) AS bad
                CROSS APPLY (SELECT 1 AS Total) AS x
                """)
            #expect(errors.first?.number == 4104)
        }
    }
}
