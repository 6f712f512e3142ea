import Foundation
@testable import SQLServerEmulator
import Testing
import TSQL

/// The shipped HumanResources sample (``SampleDatabases/humanResources``), read back with SQL
/// Server's column types.
@Suite struct HumanResourcesSeedTests {
    @Test func seedRunsAndReadsBackWithSQLServerTypes() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            for batch in SampleDatabases.humanResources.batches { try await session.run(batch) }

            let counts = try await session.resultSets(
                """
                SELECT (SELECT COUNT(*) FROM HumanResources.Department) AS Departments,
                       (SELECT COUNT(*) FROM HumanResources.Employee) AS Employees,
                       (SELECT COUNT(*) FROM HumanResources.EmployeeDepartmentHistory) AS History,
                       (SELECT COUNT(*) FROM HumanResources.EmployeePayHistory) AS Pay
                """)
            #expect(counts.first?.rows == [[.integer(3), .integer(300), .integer(300), .integer(300)]])

            let departments = try #require(
                try await session.resultSets("SELECT * FROM HumanResources.Department ORDER BY DepartmentID").first)
            #expect(departments.columns.map(\.name) == ["DepartmentID", "Name", "GroupName", "ModifiedDate"])
            #expect(departments.columns.map(\.type.declaration) == ["smallint", "dbo.Name", "dbo.Name", "datetime"])
            #expect(departments.columns[1].type.systemDeclaration == "nvarchar(50)")
            #expect(departments.columns[0].isIdentity)
            #expect(departments.columns.map(\.isNullable) == [false, false, false, false])
            #expect(departments.rows[0][0] == .integer(1))
            #expect(departments.rows[0][1] == .string("Engineering"))
            #expect(
                departments.rows[0][3]
                    == .dateTime(SQLServerDate(year: 2008, month: 4, day: 30), SQLServerTime(hour: 0, minute: 0, second: 0)))
            guard case .dateTime = departments.rows[2][3] else {
                Issue.record("the getdate() default produced \(departments.rows[2][3])")
                return
            }

            let employee = try #require(
                try await session.resultSets(
                    """
                    SELECT TOP 1 e.BusinessEntityID, e.LoginID, e.SalariedFlag, e.rowguid, e.OrganizationLevel,
                        p.Rate, s.StartTime, d.Name AS Department
                    FROM HumanResources.Employee AS e
                    JOIN HumanResources.EmployeePayHistory p ON p.BusinessEntityID = e.BusinessEntityID
                    INNER JOIN HumanResources.EmployeeDepartmentHistory AS h ON h.BusinessEntityID = e.BusinessEntityID
                    JOIN HumanResources.Department d ON d.DepartmentID = h.DepartmentID
                    JOIN HumanResources.Shift s ON s.ShiftID = h.ShiftID
                    WHERE e.JobTitle = N'manager'
                    ORDER BY e.BusinessEntityID DESC
                    """
                ).first)
            #expect(
                employee.columns.map(\.type.declaration)
                    == ["int", "nvarchar(256)", "dbo.Flag", "uniqueidentifier", "int", "money", "time(7)", "dbo.Name"])
            let row = try #require(employee.rows.first)
            #expect(row[0] == .integer(300))
            #expect(row[1] == .string("adventure-works\\employee300"))
            #expect(row[2] == .bit(true))
            guard case .uniqueidentifier = row[3] else {
                Issue.record("rowguid is \(row[3])")
                return
            }
            #expect(row[4] == .integer(1))
            #expect(row[5] == .decimal("12.5000"))
            #expect(row[6] == .time(SQLServerTime(hour: 7, minute: 0, second: 0)))
            #expect(row[7] == .string("Engineering"))

            let view = try #require(
                try await session.resultSets(
                    "SELECT TOP (2) * FROM HumanResources.vEmployeeDepartment v WHERE v.Department = 'Sales' ORDER BY BusinessEntityID"
                ).first)
            #expect(view.columns.map(\.name) == ["BusinessEntityID", "JobTitle", "Department", "GroupName", "StartDate"])
            #expect(view.columns.map(\.type.declaration) == ["int", "nvarchar(50)", "dbo.Name", "dbo.Name", "date"])
            #expect(view.rows.map { $0[0] } == [.integer(2), .integer(5)])
            #expect(try await session.errors("UPDATE HumanResources.vEmployeeDepartment SET JobTitle = 'x'").first?.number == 40517)

            try await session.run(
                "EXEC HumanResources.uspUpdateEmployeeHireInfo 7, N'Lead', '2015-01-01', '2015-01-01', 40.00, 2, 1")
            let hired = try await session.resultSets(
                "SELECT JobTitle, HireDate FROM HumanResources.Employee WHERE BusinessEntityID = 7; SELECT COUNT(*) FROM HumanResources.EmployeePayHistory WHERE BusinessEntityID = 7")
            #expect(hired[0].rows == [[.string("Lead"), .date(SQLServerDate(year: 2015, month: 1, day: 1))]])
            #expect(hired[1].rows == [[.integer(2)]])
            // Same pay date again: every attempt hits the primary key, and the third rethrows it.
            let failure = try #require(
                try await session.errors(
                    "EXEC HumanResources.uspUpdateEmployeeHireInfo 7, N'Lead', '2015-01-01', '2015-01-01', 40.00, 2, 1"
                ).first)
            #expect(failure.number == 2627)
            #expect(failure.procedure == "uspUpdateEmployeeHireInfo")
            #expect(await session.transactionCount == 0)

            let grouped = try #require(
                try await session.resultSets(
                    """
                    SELECT d.GroupName, COUNT(*) AS People, SUM(e.VacationHours) AS Vacation, MAX(LEN(e.LoginID)) AS Longest
                    FROM HumanResources.Employee e
                    JOIN HumanResources.EmployeeDepartmentHistory h ON h.BusinessEntityID = e.BusinessEntityID
                    JOIN HumanResources.Department d ON d.DepartmentID = h.DepartmentID
                    GROUP BY d.GroupName ORDER BY People DESC, d.GroupName
                    """
                ).first)
            #expect(grouped.columns.map(\.type.declaration) == ["dbo.Name", "int", "int", "int"])
            #expect(grouped.columns[0].type.systemDeclaration == "nvarchar(50)")
            #expect(grouped.rows.map { $0[0] } == [.string("Research and Development"), .string("Sales and Marketing")])
            #expect(grouped.rows.map { $0[1] } == [.integer(200), .integer(100)])

            let page = try #require(
                try await session.resultSets(
                    """
                    SELECT DISTINCT JobTitle, UPPER(JobTitle) AS Upper, SUBSTRING(JobTitle, 1, 4) AS Prefix,
                        DATALENGTH(JobTitle) AS Bytes, ISNULL(NULL, JobTitle) AS Fallback, COALESCE(NULL, 7) AS Seven,
                        CONVERT(varchar(10), HireDate, 120) AS Hired
                    FROM HumanResources.Employee WHERE BusinessEntityID <> 7
                    ORDER BY JobTitle OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY
                    """
                ).first)
            #expect(
                page.rows == [[
                    .string("Technician"), .string("TECHNICIAN"), .string("Tech"), .integer(20), .string("Technician"),
                    .integer(7), .string("2010-06-01"),
                ]])
            #expect(page.columns[5].type.declaration == "int")
            #expect(page.columns[6].type.declaration == "varchar(10)")
        }
    }

    @Test func installIsIdempotent() async throws {
        try await EmulatorTestDatabase.withSession { session, engine, _ in
            #expect(try await engine.install(SampleDatabases.humanResources))
            #expect(try await engine.install(SampleDatabases.humanResources) == false)
            let counts = try await session.resultSets("SELECT COUNT(*) FROM AdventureWorks2014.HumanResources.Employee")
            #expect(counts.first?.rows == [[.integer(300)]])
        }
    }

    @Test func theScriptParsesAndSeparatesBatchesWithGo() throws {
        let sample = SampleDatabases.humanResources
        #expect(SampleDatabases.named("HumanResources") == sample)
        #expect(sample.script.components(separatedBy: "\nGO\n").count == sample.batches.count + 1)
        for batch in sample.batches {
            _ = try TSQLParser.parse(batch)
        }
    }
}
