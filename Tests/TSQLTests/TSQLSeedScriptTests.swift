import Testing
import TSQL

/// A HumanResources seed script in the shape of the migration walkthrough, as a client would send
/// it: one batch per `GO`-separated part.
enum HumanResourcesScript {
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
        SET ANSI_NULLS ON;
        SET QUOTED_IDENTIFIER ON;
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
            SickLeaveHours smallint NOT NULL DEFAULT 0,
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
        """
        SET IDENTITY_INSERT HumanResources.Department ON;
        INSERT INTO HumanResources.Department (DepartmentID, Name, GroupName, ModifiedDate)
        VALUES (1, N'Engineering', N'Research and Development', '2008-04-30 00:00:00.000'),
               (2, N'Tool Design', N'Research and Development', '2008-04-30'),
               (3, N'Sales', N'Sales and Marketing', DEFAULT);
        SET IDENTITY_INSERT HumanResources.Department OFF;
        INSERT HumanResources.Shift (Name, StartTime, EndTime) VALUES (N'Day', '07:00:00', '15:00:00');
        INSERT INTO HumanResources.Employee (BusinessEntityID, NationalIDNumber, LoginID, JobTitle, BirthDate,
            MaritalStatus, Gender, HireDate)
        VALUES (1, N'295847284', N'adventure-works\\ken0', N'Chief Executive Officer', '1969-01-29', N'S', N'M', '2009-01-14');
        INSERT INTO HumanResources.EmployeePayHistory (BusinessEntityID, RateChangeDate, Rate, PayFrequency)
        VALUES (1, '2009-01-14', $125.50, 2);
        INSERT INTO HumanResources.JobCandidate (BusinessEntityID, Resume)
        VALUES (NULL, N'<ns:Resume xmlns:ns="http://schemas.microsoft.com/sqlserver/2004/07/adventure-works/Resume"/>');
        """,
        """
        EXEC sys.sp_cdc_enable_db;
        EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Department', @role_name = NULL;
        EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Employee',
            @role_name = NULL, @supports_net_changes = 1, @captured_column_list = N'BusinessEntityID, JobTitle';
        """,
        """
        INSERT INTO HumanResources.Department (Name, GroupName) VALUES ('Operations', 'Operations');
        ALTER TABLE HumanResources.Department ADD GroupNumber int NULL;
        UPDATE HumanResources.Department SET GroupNumber = 7 WHERE Name = 'Operations';
        DECLARE @from binary(10) = sys.fn_cdc_get_min_lsn('HumanResources_Department'), @to binary(10) = sys.fn_cdc_get_max_lsn();
        SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(@from, @to, N'all update old')
        ORDER BY __$start_lsn, __$seqval, __$operation;
        """,
    ]

    /// The statement kinds expected per batch, by the name of their enum case.
    static let expectedKinds: [[String]] = [
        ["createDatabase"],
        ["use"],
        ["createSchema"],
        ["createType", "createType", "createType", "createType"],
        ["setOption", "setOption", "createTable", "createTable", "createTable", "createTable", "createTable",
         "createTable", "createIndex"],
        ["createView"],
        ["createProcedure"],
        ["setIdentityInsert", "insert", "setIdentityInsert", "insert", "insert", "insert", "insert"],
        ["execute", "execute", "execute"],
        ["insert", "alterTable", "update", "declare", "select"],
    ]
}

func caseName(_ statement: Statement) -> String {
    String(String(describing: statement).prefix { $0 != "(" })
}

@Suite("HumanResources seed script")
struct TSQLSeedScriptTests {
    @Test func everyBatchParsesIntoTheExpectedStatements() throws {
        for (batch, expected) in zip(HumanResourcesScript.batches, HumanResourcesScript.expectedKinds) {
            let statements = try TSQLParser.parse(batch).statements
            #expect(statements.map { caseName($0.kind) } == expected)
        }
    }

    @Test func tablesCarryTheirDetails() throws {
        let statements = try TSQLParser.parse(HumanResourcesScript.batches[4]).statements
        let tables = statements.compactMap { if case .createTable(let table) = $0.kind { table } else { nil } }
        #expect(tables.map(\.name.name.value) == [
            "Department", "Shift", "Employee", "EmployeeDepartmentHistory", "EmployeePayHistory", "JobCandidate",
        ])
        let department = tables[0]
        #expect(department.columns[0].identity != nil)
        #expect(department.columns[1].dataType?.name == ObjectName("dbo", "Name"))
        #expect(department.columns[3].defaultValue == .function(FunctionCall(name: ObjectName("getdate"))))
        let employee = tables[2]
        #expect(employee.columns.first { $0.name == "rowguid" }?.isRowGuidCol == true)
        #expect(employee.columns.first { $0.name == "OrganizationLevel" }?.isPersisted == true)
        #expect(tables[3].constraints.filter { if case .foreignKey = $0.kind { true } else { false } }.count == 2)
        #expect(tables[5].columns[2].dataType?.systemType == .xml)
        // Each statement keeps its own text, for ddl_history.
        #expect(statements[2].sourceText.hasPrefix("CREATE TABLE HumanResources.Department ("))
        #expect(statements[2].sourceText.hasSuffix(") ON [PRIMARY]"))
        #expect(statements[2].location.line == 3)
    }

    @Test func procedureBodyIsParsed() throws {
        let statement = try #require(try TSQLParser.parse(HumanResourcesScript.batches[6]).statements.first)
        guard case .createProcedure(let procedure) = statement.kind else {
            Issue.record("not a procedure")
            return
        }
        #expect(procedure.parameters.count == 7)
        #expect(procedure.parameters[6].type.name == ObjectName("dbo", "Flag"))
        #expect(procedure.definition == HumanResourcesScript.batches[6])
        guard case .block(let body) = procedure.body.first?.kind else {
            Issue.record("no BEGIN … END body")
            return
        }
        #expect(body.map { caseName($0.kind) } == ["setOption", "declare", "while"])
    }

    @Test func everyBatchRoundTripsThroughThePrinter() throws {
        for batch in HumanResourcesScript.batches {
            try expectRoundTrip(batch)
        }
    }
}
