import Postgres
@testable import SQLServerEmulator
import Testing

@Suite struct CatalogAndDDLTests {
    @Test func stateSurvivesANewEngine() async throws {
        try await EmulatorTestDatabase.withDatabase { url in
            var engine = try await SQLServerEngine.open(postgresURL: url, logger: EmulatorTestDatabase.logger)
            var session = try await engine.makeSession()
            try await session.run(
                """
                CREATE DATABASE Persist;
                """)
            try await session.run("USE Persist")
            try await session.run(
                """
                CREATE TYPE dbo.Name FROM nvarchar(50) NOT NULL;
                CREATE TABLE dbo.Person (ID int IDENTITY(1,1) PRIMARY KEY, Name dbo.Name, Joined datetime NOT NULL DEFAULT getdate());
                INSERT INTO dbo.Person (Name) VALUES (N'Ann'), (N'Bob');
                """)
            await session.close()

            engine = try await SQLServerEngine.open(postgresURL: url, logger: EmulatorTestDatabase.logger)
            session = try await engine.makeSession(database: "Persist")
            #expect(await session.database.name == "Persist")
            try await session.run("INSERT INTO dbo.Person (Name) VALUES (N'Cy')")
            let set = try #require(try await session.resultSets("SELECT ID, Name FROM dbo.Person ORDER BY ID").first)
            #expect(set.rows == [[.integer(1), .string("Ann")], [.integer(2), .string("Bob")], [.integer(3), .string("Cy")]])
            #expect(set.columns.map(\.type.declaration) == ["int", "dbo.Name"])
            #expect(set.columns[1].isNullable == false)
            let error = try #require(try await session.errors("INSERT INTO dbo.Person (Name) VALUES (NULL)").first)
            #expect(error.number == 515)
            await session.close()

            await #expect(throws: SQLServerError.self) { try await engine.makeSession(database: "Missing") }
        }
    }

    @Test func catalogRecordsColumnsConstraintsAndIndexes() async throws {
        try await EmulatorTestDatabase.withSession { session, _, url in
            try await session.run(
                """
                CREATE SCHEMA Sales;
                CREATE TABLE Sales.Product (
                    ProductID int IDENTITY(5, 2) NOT NULL,
                    Code char(4) NOT NULL,
                    Price decimal(9, 2) NOT NULL CONSTRAINT DF_Product_Price DEFAULT ((0)),
                    Tag varbinary(max) NULL,
                    Doubled AS (Price * 2),
                    CONSTRAINT PK_Product PRIMARY KEY (ProductID),
                    CONSTRAINT UQ_Product_Code UNIQUE (Code)
                );
                CREATE INDEX IX_Product_Price ON Sales.Product (Price DESC) INCLUDE (Code) WHERE Price > 0;
                """)
            let connection = try await PostgresConnection.connect(url: url, logger: EmulatorTestDatabase.logger)
            let catalog = Catalog(connection: connection)
            let database = try #require(try await catalog.database(named: "MASTER"))
            let schema = try #require(try await catalog.schema(in: database, named: "sales"))
            #expect(schema.pgSchema == "master.sales")
            let table = try #require(try await catalog.table(in: database, schema: schema, named: "product"))
            #expect(table.name == "Product")
            let columns = table.definition.columns
            #expect(columns.map(\.name) == ["ProductID", "Code", "Price", "Tag", "Doubled"])
            #expect(columns.map(\.type.declaration) == ["int", "char(4)", "decimal(9,2)", "varbinary(max)", "decimal(11,2)"])
            #expect(columns[0].identity == .init(seed: 5, increment: 2))
            #expect(columns[2].defaultDefinition == "((0))")
            #expect(columns[2].defaultName == "DF_Product_Price")
            #expect(columns[4].computedDefinition == "([Price] * 2)" || columns[4].computedDefinition == "(Price * 2)")
            #expect(columns[3].type.maxLength == -1)
            let indexes = table.definition.indexes
            #expect(indexes.map(\.name) == ["PK_Product", "UQ_Product_Code", "IX_Product_Price"])
            #expect(indexes[0].isClustered && indexes[0].indexID == 1)
            #expect(indexes[2].includedColumns == ["Code"])
            #expect(indexes[2].keyColumns == [.init(name: "Price", isDescending: true)])
            #expect(indexes[2].filterDefinition == "(Price > 0)")
            let objects = try await connection.query(
                "SELECT name, type FROM sqlserver_catalog.objects WHERE parent_object_id = $1 ORDER BY name",
                [.int64(Int64(table.objectID))])
            #expect(
                try objects.map { [try $0.decode(String.self, at: 0), try $0.decode(String.self, at: 1)] }
                    == [["DF_Product_Price", "D"], ["PK_Product", "PK"], ["UQ_Product_Code", "UQ"]])
            await connection.close()

            try await session.run("INSERT INTO Sales.Product (Code, Price) VALUES ('ab', 2.5)")
            let set = try #require(try await session.resultSets("SELECT ProductID, Code, Price, Doubled FROM Sales.Product").first)
            #expect(set.rows == [[.integer(5), .string("ab  "), .decimal("2.50"), .decimal("5.00")]])
        }
    }

    @Test func systemViewsDescribeTablesAndColumns() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE TYPE dbo.Name FROM nvarchar(50) NOT NULL;
                CREATE TABLE dbo.Department (
                    DepartmentID smallint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Department PRIMARY KEY,
                    Name dbo.Name NOT NULL,
                    Budget decimal(12, 2) NULL,
                    ModifiedDate datetime2 NOT NULL DEFAULT sysdatetime()
                );
                """)
            let columns = try #require(
                try await session.resultSets(
                    """
                    SELECT c.name, c.column_id, c.system_type_id, c.max_length, c.[precision], c.scale, c.is_nullable, c.is_identity,
                        ty.name AS type_name
                    FROM sys.columns AS c
                    JOIN sys.tables AS t ON t.object_id = c.object_id
                    JOIN sys.types ty ON ty.user_type_id = c.user_type_id
                    WHERE t.name = 'Department' AND SCHEMA_NAME() = 'dbo'
                    ORDER BY c.column_id
                    """
                ).first)
            #expect(
                columns.rows == [
                    [.string("DepartmentID"), .integer(1), .integer(52), .integer(2), .integer(5), .integer(0), .bit(false), .bit(true), .string("smallint")],
                    [.string("Name"), .integer(2), .integer(231), .integer(100), .integer(0), .integer(0), .bit(false), .bit(false), .string("Name")],
                    [.string("Budget"), .integer(3), .integer(106), .integer(9), .integer(12), .integer(2), .bit(true), .bit(false), .string("decimal")],
                    [.string("ModifiedDate"), .integer(4), .integer(42), .integer(8), .integer(27), .integer(7), .bit(false), .bit(false), .string("datetime2")],
                ])
            #expect(columns.columns[3].type.declaration == "smallint")
            let information = try #require(
                try await session.resultSets(
                    """
                    SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, COLUMN_DEFAULT, DOMAIN_NAME
                    FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'dbo' AND TABLE_NAME = 'Department' ORDER BY ORDINAL_POSITION
                    """
                ).first)
            #expect(information.rows[1] == [.string("Name"), .string("nvarchar"), .integer(50), .string("NO"), .null, .string("Name")])
            #expect(information.rows[3][4] == .string("(sysdatetime())"))
            let objects = try #require(
                try await session.resultSets(
                    """
                    SELECT name, type FROM sys.objects
                    WHERE parent_object_id = (SELECT object_id FROM sys.tables WHERE name = 'Department') ORDER BY type
                    """
                ).first)
            #expect(objects.rows.map { $0[1] } == [.string("D "), .string("PK")])

            try await session.run(
                """
                CREATE TABLE dbo.Budget (
                    DepartmentID smallint NOT NULL CONSTRAINT FK_Budget_Department REFERENCES dbo.Department (DepartmentID),
                    Year int NOT NULL,
                    Amount money NOT NULL CONSTRAINT CK_Budget_Amount CHECK (Amount > 0),
                    CONSTRAINT PK_Budget PRIMARY KEY (DepartmentID, Year DESC)
                );
                """)
            try await session.run("CREATE VIEW dbo.vBudget AS SELECT DepartmentID, Amount FROM dbo.Budget")
            let keys = try #require(
                try await session.resultSets(
                    """
                    SELECT i.name, c.name AS column_name, ic.key_ordinal, ic.is_descending_key
                    FROM sys.indexes i
                    JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
                    JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
                    WHERE i.is_primary_key = 1 AND i.object_id = (SELECT object_id FROM sys.tables WHERE name = 'Budget')
                    ORDER BY ic.key_ordinal
                    """
                ).first)
            #expect(
                keys.rows == [
                    [.string("PK_Budget"), .string("DepartmentID"), .integer(1), .bit(false)],
                    [.string("PK_Budget"), .string("Year"), .integer(2), .bit(true)],
                ])
            let references = try #require(
                try await session.resultSets(
                    """
                    SELECT f.name, t.name AS referenced
                    FROM sys.foreign_keys f JOIN sys.tables t ON t.object_id = f.referenced_object_id
                    """
                ).first)
            #expect(references.rows == [[.string("FK_Budget_Department"), .string("Department")]])
            let lookups = try #require(
                try await session.resultSets(
                    """
                    SELECT OBJECT_NAME(OBJECT_ID('dbo.Budget')) AS a, OBJECT_NAME(OBJECT_ID(N'[dbo].[vBudget]')) AS b,
                        OBJECT_ID('Budget') - (SELECT object_id FROM sys.tables WHERE name = 'Budget') AS zero,
                        OBJECT_ID('dbo.Missing') AS missing, SCHEMA_NAME(1) AS s, SERVERPROPERTY('ProductMajorVersion') AS v
                    """
                ).first)
            #expect(lookups.rows == [[.string("Budget"), .string("vBudget"), .integer(0), .null, .string("dbo"), .string("15")]])
            let checks = try #require(try await session.resultSets("SELECT name, definition FROM sys.check_constraints").first)
            #expect(checks.rows == [[.string("CK_Budget_Amount"), .string("(Amount > 0)")]])
            let identity = try #require(try await session.resultSets("SELECT name, seed_value, increment_value FROM sys.identity_columns").first)
            #expect(identity.rows == [[.string("DepartmentID"), .integer(1), .integer(1)]])
            let modules = try #require(try await session.resultSets("SELECT definition FROM sys.sql_modules").first)
            #expect(modules.rows == [[.string("CREATE VIEW dbo.vBudget AS SELECT DepartmentID, Amount FROM dbo.Budget")]])
        }
    }

    @Test func alterTableAddAndDropColumnAsInTheWalkthrough() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE TABLE dbo.Department (DepartmentID smallint IDENTITY(1,1) PRIMARY KEY, Name nvarchar(50) NOT NULL, GroupName nvarchar(50) NOT NULL);
                INSERT INTO dbo.Department (Name, GroupName) VALUES ('Operations', 'Operations');
                ALTER TABLE dbo.Department ADD GroupNumber int NULL;
                UPDATE dbo.Department SET GroupNumber = 7 WHERE Name = 'operations';
                """)
            var set = try #require(try await session.resultSets("SELECT * FROM dbo.Department").first)
            #expect(set.columns.map(\.name) == ["DepartmentID", "Name", "GroupName", "GroupNumber"])
            #expect(set.rows == [[.integer(1), .string("Operations"), .string("Operations"), .integer(7)]])

            let error = try #require(try await session.errors("ALTER TABLE dbo.Department ADD Code int NOT NULL").first)
            #expect(error.number == 4901)
            try await session.run("ALTER TABLE dbo.Department ALTER COLUMN GroupNumber bigint NOT NULL")
            set = try #require(try await session.resultSets("SELECT GroupNumber FROM dbo.Department").first)
            #expect(set.columns[0].type.declaration == "bigint")
            #expect(set.columns[0].isNullable == false)
            let shrink = try #require(try await session.errors("ALTER TABLE dbo.Department ALTER COLUMN Name nvarchar(3) NOT NULL").first)
            #expect(shrink.number == 2628)
            #expect(shrink.message == "String or binary data would be truncated in table 'master.dbo.Department', column 'Name'. Truncated value: 'Ope'.")
            try await session.run(
                """
                ALTER TABLE [dbo].[Department] ADD [Code] [nvarchar](5) NULL;
                ALTER TABLE [dbo].[Department] ADD CONSTRAINT [DF_Department_Code] DEFAULT (N'NEW') FOR [Code];
                CREATE TABLE dbo.Team (TeamID int NOT NULL, DepartmentID smallint NOT NULL);
                ALTER TABLE [dbo].[Team] WITH CHECK ADD CONSTRAINT [FK_Team_Department] FOREIGN KEY ([DepartmentID])
                    REFERENCES [dbo].[Department] ([DepartmentID]);
                ALTER TABLE [dbo].[Team] CHECK CONSTRAINT [FK_Team_Department];
                INSERT INTO dbo.Department (Name, GroupName, GroupNumber) VALUES (N'Tooling', N'Tooling', 1);
                INSERT INTO dbo.Team VALUES (1, 2);
                """)
            set = try #require(try await session.resultSets("SELECT Code FROM dbo.Department WHERE Name = N'Tooling'").first)
            #expect(set.rows == [[.string("NEW")]])
            #expect(try await session.errors("INSERT INTO dbo.Team VALUES (2, 99)").first?.number == 547)
            // NOCHECK disables the constraint (CatalogCompletenessTests covers what it changes).
            #expect(try await session.errors("ALTER TABLE dbo.Team NOCHECK CONSTRAINT ALL").isEmpty)
            try await session.run("DROP TABLE dbo.Team; ALTER TABLE dbo.Department DROP CONSTRAINT DF_Department_Code; ALTER TABLE dbo.Department DROP COLUMN Code")
            try await session.run("ALTER TABLE dbo.Department DROP COLUMN GroupNumber")
            set = try #require(try await session.resultSets("SELECT * FROM dbo.Department").first)
            #expect(set.columns.map(\.name) == ["DepartmentID", "Name", "GroupName"])
            try await session.run("DROP TABLE dbo.Department")
            #expect(try await session.errors("SELECT * FROM dbo.Department").first?.number == 208)
            #expect(try await session.errors("DROP TABLE dbo.Department").first?.number == 3701)
            try await session.run("DROP TABLE IF EXISTS dbo.Department")
        }
    }

    @Test func datesTimesGuidsAndBinary() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE TABLE dbo.Event (
                    ID int NOT NULL PRIMARY KEY,
                    At datetimeoffset(7) NOT NULL,
                    Local datetime2(3) NOT NULL,
                    Token uniqueidentifier NOT NULL,
                    Payload varbinary(4) NULL,
                    Active bit NOT NULL
                );
                INSERT INTO dbo.Event VALUES (1, '2024-03-01 10:30:00 +02:00', '2024-03-01 08:30:00.123',
                    '6F9619FF-8B86-D011-B42D-00C04FC964FF', 0x0102, 'true');
                """)
            let set = try #require(try await session.resultSets("SELECT At, Local, Token, Payload, Active FROM dbo.Event WHERE Active = 1").first)
            let row = try #require(set.rows.first)
            #expect(
                row[0]
                    == .dateTimeOffset(
                        SQLServerDate(year: 2024, month: 3, day: 1), SQLServerTime(hour: 10, minute: 30, second: 0), offsetMinutes: 120))
            #expect(
                row[1]
                    == .dateTime(
                        SQLServerDate(year: 2024, month: 3, day: 1),
                        SQLServerTime(hour: 8, minute: 30, second: 0, nanoseconds: 123_000_000)))
            #expect(row[2].description == "6F9619FF-8B86-D011-B42D-00C04FC964FF")
            #expect(row[3] == .binary([1, 2]))
            #expect(row[4] == .bit(true))
            #expect(set.columns.map(\.type.declaration) == ["datetimeoffset(7)", "datetime2(3)", "uniqueidentifier", "varbinary(4)", "bit"])
            let error = try #require(try await session.errors("INSERT INTO dbo.Event VALUES (2, 'not a date', '2024-01-01', NEWID(), NULL, 0)").first)
            #expect(error.number == 241)
            #expect(error.message == "Conversion failed when converting date and/or time from character string.")
        }
    }
}
