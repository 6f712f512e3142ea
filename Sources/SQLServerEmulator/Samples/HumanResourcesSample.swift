/// The HumanResources sample: a slice of Microsoft's AdventureWorks2014 `HumanResources` schema
/// (written for the emulator, with generated rows) that exercises what CDC pipelines meet in
/// practice — alias types, identity, defaults (`getdate()`, `newid()`), a computed column, CHECK
/// and FOREIGN KEY constraints, a filtered unique index, a view and a procedure.
enum HumanResourcesSample {
    /// The schema: database, schema, alias types, tables, index, view, procedure.
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

    /// A few hundred rows, with identity, defaults and computed values filled in by the engine.
    static let rows: [String] = [
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

    /// The sample.
    static let sample = SampleDatabase(
        name: "humanresources", databaseName: "AdventureWorks2014",
        summary: "AdventureWorks2014's HumanResources schema: 6 tables, alias types, a view, a procedure, 300 employees",
        batches: schema + rows)
}
