/// The HumanResources walkthrough schema (AdventureWorks2014), as the emulator takes it, with a
/// simple procedure that converts and one that does not.
enum HumanResourcesSchema {
    static let batches: [String] = [
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
        );
        CREATE TABLE HumanResources.Shift (
            ShiftID tinyint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Shift_ShiftID PRIMARY KEY,
            Name dbo.Name NOT NULL,
            StartTime time(7) NOT NULL,
            EndTime time(7) NOT NULL,
            ModifiedDate datetime NOT NULL CONSTRAINT DF_Shift_ModifiedDate DEFAULT getdate()
        );
        CREATE TABLE HumanResources.Employee (
            BusinessEntityID int NOT NULL CONSTRAINT PK_Employee_BusinessEntityID PRIMARY KEY,
            NationalIDNumber nvarchar(15) NOT NULL,
            LoginID nvarchar(256) NOT NULL,
            JobTitle nvarchar(50) NOT NULL,
            BirthDate date NOT NULL,
            MaritalStatus nchar(1) NOT NULL CONSTRAINT CK_Employee_MaritalStatus CHECK (upper(MaritalStatus) IN ('M', 'S')),
            Gender nchar(1) NOT NULL,
            HireDate date NOT NULL,
            SalariedFlag dbo.Flag NOT NULL CONSTRAINT DF_Employee_SalariedFlag DEFAULT ((1)),
            VacationHours smallint NOT NULL CONSTRAINT DF_Employee_VacationHours DEFAULT 0,
            CurrentFlag dbo.Flag NOT NULL CONSTRAINT DF_Employee_CurrentFlag DEFAULT 1,
            rowguid uniqueidentifier ROWGUIDCOL NOT NULL CONSTRAINT DF_Employee_rowguid DEFAULT newid(),
            ModifiedDate datetime NOT NULL CONSTRAINT DF_Employee_ModifiedDate DEFAULT getdate(),
            CreatedBy nvarchar(128) NOT NULL CONSTRAINT DF_Employee_CreatedBy DEFAULT suser_sname(),
            OrganizationLevel AS (LEN(LoginID) - LEN(REPLACE(LoginID, '\\', ''))) PERSISTED,
            HireAge AS (datediff(year, BirthDate, HireDate)),
            CONSTRAINT CK_Employee_Gender CHECK (upper(Gender) = 'F' OR upper(Gender) = 'M')
        );
        CREATE TABLE HumanResources.EmployeeDepartmentHistory (
            BusinessEntityID int NOT NULL CONSTRAINT FK_EDH_Employee REFERENCES HumanResources.Employee (BusinessEntityID),
            DepartmentID smallint NOT NULL,
            ShiftID tinyint NOT NULL,
            StartDate date NOT NULL,
            EndDate date NULL,
            ModifiedDate datetime NOT NULL CONSTRAINT DF_EDH_ModifiedDate DEFAULT getdate(),
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
            ModifiedDate datetime NOT NULL CONSTRAINT DF_EPH_ModifiedDate DEFAULT (getdate()),
            CONSTRAINT PK_EPH PRIMARY KEY (BusinessEntityID, RateChangeDate),
            CONSTRAINT FK_EPH_Employee FOREIGN KEY (BusinessEntityID) REFERENCES HumanResources.Employee (BusinessEntityID) ON DELETE CASCADE,
            CONSTRAINT CK_EPH_Rate CHECK (Rate >= 6.50 AND Rate <= 200.00)
        );
        CREATE TABLE HumanResources.JobCandidate (
            JobCandidateID int IDENTITY NOT NULL CONSTRAINT PK_JobCandidate PRIMARY KEY,
            BusinessEntityID int NULL CONSTRAINT FK_JobCandidate_Employee REFERENCES HumanResources.Employee,
            Resume xml NULL,
            Phone dbo.Phone NULL,
            ModifiedDate datetime NOT NULL CONSTRAINT DF_JobCandidate_ModifiedDate DEFAULT CURRENT_TIMESTAMP
        );
        CREATE UNIQUE NONCLUSTERED INDEX AK_Employee_LoginID ON HumanResources.Employee (LoginID)
            INCLUDE (JobTitle) WHERE CurrentFlag = 1;
        CREATE NONCLUSTERED INDEX IX_EDH_DepartmentID ON HumanResources.EmployeeDepartmentHistory (DepartmentID DESC, ShiftID);
        """,
        """
        CREATE VIEW HumanResources.vEmployeeDepartment
        AS
        SELECT TOP (100) e.BusinessEntityID, e.JobTitle + N' (' + d.Name + N')' AS Title, d.Name AS Department,
            ISNULL(d.GroupName, N'none') AS GroupName, CONVERT(varchar(10), edh.StartDate, 120) AS StartDate, GETDATE() AS AsOf
        FROM HumanResources.Employee AS e WITH (NOLOCK)
        INNER JOIN [HumanResources].[EmployeeDepartmentHistory] AS edh ON e.BusinessEntityID = edh.BusinessEntityID
        INNER JOIN HumanResources.Department AS d ON edh.DepartmentID = d.DepartmentID
        WHERE edh.EndDate IS NULL AND e.CurrentFlag = 1
        ORDER BY e.BusinessEntityID
        """,
        """
        CREATE VIEW HumanResources.vCurrentDepartments
        AS
        SELECT Department, COUNT(*) AS Employees FROM HumanResources.vEmployeeDepartment GROUP BY Department
        """,
        """
        CREATE PROCEDURE HumanResources.uspUpdateEmployeeLogin
            @BusinessEntityID int,
            @LoginID nvarchar(256),
            @CurrentFlag dbo.Flag
        AS
        BEGIN
            SET NOCOUNT ON;
            DECLARE @attempts int = 0;
            IF @LoginID IS NULL
                THROW 50001, N'LoginID is required', 1;
            UPDATE HumanResources.Employee
            SET LoginID = @LoginID, CurrentFlag = @CurrentFlag, ModifiedDate = GETDATE()
            WHERE BusinessEntityID = @BusinessEntityID;
        END;
        """,
        """
        CREATE PROCEDURE HumanResources.uspUpdateEmployeeHireInfo
            @BusinessEntityID int,
            @JobTitle nvarchar(50),
            @Rate money
        AS
        BEGIN
            SET NOCOUNT ON;
            BEGIN TRY
                BEGIN TRANSACTION;
                UPDATE HumanResources.Employee SET JobTitle = @JobTitle WHERE BusinessEntityID = @BusinessEntityID;
                INSERT INTO HumanResources.EmployeePayHistory (BusinessEntityID, RateChangeDate, Rate, PayFrequency)
                VALUES (@BusinessEntityID, GETDATE(), @Rate, 2);
                COMMIT TRANSACTION;
            END TRY
            BEGIN CATCH
                IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
                THROW;
            END CATCH
        END;
        """,
        """
        SET IDENTITY_INSERT HumanResources.Department ON;
        INSERT INTO HumanResources.Department (DepartmentID, Name, GroupName) VALUES (1, N'Engineering', N'Research and Development'), (2, N'Sales', N'Sales and Marketing');
        SET IDENTITY_INSERT HumanResources.Department OFF;
        INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Tool Design', N'Research and Development');
        """,
    ]
}
