import Foundation
@testable import SQLServerEmulator
import Testing

/// The HumanResources walkthrough schema, seeded with a few hundred rows, read back with SQL
/// Server's column types.
@Suite struct HumanResourcesSeedTests {
    static let schema: [String] = [
        "CREATE DATABASE AdventureWorks2014;",
        "USE AdventureWorks2014;",
        "CREATE SCHEMA HumanResources AUTHORIZATION dbo;",
        """
        CREATE TYPE dbo.Name FROM nvarchar(50) NULL;
        CREATE TYPE dbo.Flag FROM bit NOT NULL;
        CREATE TYPE dbo.NameStyle FROM bit NOT NULL;
        CREATE TYPE [dbo].[Phone] FROM [nvarchar](25) NULL;
        """,
        """
        CREATE TABLE HumanResources.Department (
            DepartmentID smallint IDENTITY(1, 1) NOT NULL,
            Name dbo.Name NOT NULL,
            GroupName dbo.Name NOT NULL,
            ModifiedDate datetime NOT NULL CONSTRAINT DF_Department_ModifiedDate DEFAULT (getdate()),
            CONSTRAINT PK_Department_DepartmentID PRIMARY KEY CLUSTERED (DepartmentID ASC)
        ) ON [PRIMARY];
        CREATE TABLE HumanResources.Shift (
            ShiftID tinyint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
            Name dbo.Name NOT NULL,
            StartTime time(7) NOT NULL,
            EndTime time(7) NOT NULL,
            ModifiedDate datetime NOT NULL DEFAULT getdate()
        );
        CREATE TABLE HumanResources.Employee (
            BusinessEntityID int NOT NULL CONSTRAINT PK_Employee PRIMARY KEY,
            NationalIDNumber nvarchar(15) NOT NULL,
            LoginID nvarchar(256) NOT NULL,
            JobTitle nvarchar(50) NOT NULL,
            BirthDate date NOT NULL,
            MaritalStatus nchar(1) NOT NULL CHECK (MaritalStatus IN ('M', 'S')),
            Gender nchar(1) NOT NULL,
            HireDate date NOT NULL,
            SalariedFlag dbo.Flag NOT NULL DEFAULT ((1)),
            VacationHours smallint NOT NULL DEFAULT 0,
            CurrentFlag dbo.Flag NOT NULL DEFAULT 1,
            rowguid uniqueidentifier ROWGUIDCOL NOT NULL CONSTRAINT DF_Employee_rowguid DEFAULT newid(),
            ModifiedDate datetime NOT NULL DEFAULT getdate(),
            OrganizationLevel AS (LEN(LoginID) - LEN(REPLACE(LoginID, '\\', ''))) PERSISTED,
            CONSTRAINT CK_Employee_Gender CHECK (upper(Gender) = 'F' OR upper(Gender) = 'M')
        );
        CREATE TABLE HumanResources.EmployeeDepartmentHistory (
            BusinessEntityID int NOT NULL REFERENCES HumanResources.Employee (BusinessEntityID),
            DepartmentID smallint NOT NULL,
            ShiftID tinyint NOT NULL,
            StartDate date NOT NULL,
            EndDate date NULL,
            ModifiedDate datetime NOT NULL DEFAULT getdate(),
            CONSTRAINT PK_EDH PRIMARY KEY CLUSTERED (BusinessEntityID, StartDate, DepartmentID, ShiftID),
            CONSTRAINT FK_EDH_Department FOREIGN KEY (DepartmentID) REFERENCES HumanResources.Department (DepartmentID),
            CONSTRAINT FK_EDH_Shift FOREIGN KEY (ShiftID) REFERENCES HumanResources.Shift (ShiftID) ON DELETE NO ACTION,
            CONSTRAINT CK_EDH_EndDate CHECK (EndDate >= StartDate OR EndDate IS NULL)
        );
        CREATE TABLE HumanResources.EmployeePayHistory (
            BusinessEntityID int NOT NULL,
            RateChangeDate datetime NOT NULL,
            Rate money NOT NULL,
            PayFrequency tinyint NOT NULL,
            ModifiedDate datetime NOT NULL DEFAULT (getdate()),
            PRIMARY KEY (BusinessEntityID, RateChangeDate),
            FOREIGN KEY (BusinessEntityID) REFERENCES HumanResources.Employee (BusinessEntityID) ON DELETE CASCADE,
            CHECK (Rate >= 6.50 AND Rate <= 200.00)
        );
        CREATE TABLE HumanResources.JobCandidate (
            JobCandidateID int IDENTITY NOT NULL PRIMARY KEY,
            BusinessEntityID int NULL REFERENCES HumanResources.Employee,
            Resume xml NULL,
            ModifiedDate datetime NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        CREATE UNIQUE NONCLUSTERED INDEX AK_Employee_LoginID ON HumanResources.Employee (LoginID)
            INCLUDE (JobTitle) WHERE CurrentFlag = 1;
        """,
        """
        CREATE VIEW HumanResources.vEmployeeDepartment
        AS
        SELECT e.BusinessEntityID, e.JobTitle, d.Name AS Department, d.GroupName, edh.StartDate
        FROM HumanResources.Employee AS e
        INNER JOIN HumanResources.EmployeeDepartmentHistory AS edh ON e.BusinessEntityID = edh.BusinessEntityID
        INNER JOIN HumanResources.Department AS d ON edh.DepartmentID = d.DepartmentID
        WHERE edh.EndDate IS NULL
        """,
        """
        CREATE PROCEDURE HumanResources.uspUpdateEmployeeHireInfo
            @BusinessEntityID int,
            @JobTitle nvarchar(50),
            @HireDate datetime,
            @RateChangeDate datetime,
            @Rate money,
            @PayFrequency tinyint,
            @CurrentFlag dbo.Flag
        AS
        BEGIN
            SET NOCOUNT ON;
            DECLARE @attempt int = 0;
            WHILE @attempt < 3
            BEGIN
                SET @attempt = @attempt + 1;
                BEGIN TRY
                    BEGIN TRANSACTION;
                    UPDATE HumanResources.Employee
                    SET JobTitle = @JobTitle, HireDate = @HireDate, CurrentFlag = @CurrentFlag
                    WHERE BusinessEntityID = @BusinessEntityID;
                    INSERT INTO HumanResources.EmployeePayHistory (BusinessEntityID, RateChangeDate, Rate, PayFrequency)
                    VALUES (@BusinessEntityID, @RateChangeDate, @Rate, @PayFrequency);
                    COMMIT TRANSACTION;
                    BREAK;
                END TRY
                BEGIN CATCH
                    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
                    IF @attempt >= 3 THROW;
                END CATCH
            END
        END;
        """,
    ]

    static let seed: [String] = [
        """
        SET NOCOUNT ON;
        SET IDENTITY_INSERT HumanResources.Department ON;
        INSERT INTO HumanResources.Department (DepartmentID, Name, GroupName, ModifiedDate)
        VALUES (1, N'Engineering', N'Research and Development', '2008-04-30 00:00:00.000'),
               (2, N'Tool Design', N'Research and Development', '2008-04-30'),
               (3, N'Sales', N'Sales and Marketing', DEFAULT);
        SET IDENTITY_INSERT HumanResources.Department OFF;
        INSERT HumanResources.Shift (Name, StartTime, EndTime)
        VALUES (N'Day', '07:00:00', '15:00:00'), (N'Evening', '15:00:00', '23:00:00');
        DECLARE @i int = 1;
        WHILE @i <= 300
        BEGIN
            INSERT INTO HumanResources.Employee (BusinessEntityID, NationalIDNumber, LoginID, JobTitle, BirthDate,
                MaritalStatus, Gender, HireDate, VacationHours)
            VALUES (@i, CAST(100000 + @i AS nvarchar(15)), N'adventure-works\\employee' + CAST(@i AS nvarchar(10)),
                CASE WHEN @i % 10 = 0 THEN N'Manager' ELSE N'Technician' END, '1980-01-01', CASE WHEN @i % 2 = 0 THEN N'M' ELSE N'S' END,
                CASE WHEN @i % 3 = 0 THEN N'F' ELSE N'M' END, '2010-06-01', @i % 40);
            SET @i = @i + 1;
        END;
        INSERT INTO HumanResources.EmployeeDepartmentHistory (BusinessEntityID, DepartmentID, ShiftID, StartDate)
        SELECT BusinessEntityID, (BusinessEntityID % 3) + 1, (BusinessEntityID % 2) + 1, HireDate
        FROM HumanResources.Employee;
        INSERT INTO HumanResources.EmployeePayHistory (BusinessEntityID, RateChangeDate, Rate, PayFrequency)
        SELECT BusinessEntityID, '2010-06-01', $12.50 + BusinessEntityID % 50, 2 FROM HumanResources.Employee;
        INSERT INTO HumanResources.JobCandidate (BusinessEntityID, Resume)
        VALUES (NULL, N'<Resume><Name>Ann</Name></Resume>'), (1, NULL);
        """
    ]

    @Test func seedRunsAndReadsBackWithSQLServerTypes() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            for batch in Self.schema + Self.seed { try await session.run(batch) }

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
}
