import SQLServerEmulator
import Testing

/// The catalog views and functions a schema reader (such as `ferry convert`) relies on, checked
/// against what SQL Server documents for them.
@Suite struct CatalogCompletenessTests {
    @Test func identityColumnsReportSeedIncrementAndLastValue() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE TABLE dbo.Ticket (TicketID int IDENTITY(100, 5) NOT FOR REPLICATION PRIMARY KEY, Title nvarchar(20) NOT NULL);
                CREATE TABLE dbo.Plain (ID bigint IDENTITY PRIMARY KEY, Note varchar(5) NULL);
                """)
            var set = try #require(
                try await session.resultSets(
                    """
                    SELECT OBJECT_NAME(object_id) AS t, name, is_identity, seed_value, increment_value, last_value, is_not_for_replication
                    FROM sys.identity_columns ORDER BY t
                    """
                ).first)
            // last_value is NULL until a value is generated.
            #expect(
                set.rows == [
                    [.string("Plain"), .string("ID"), .bit(true), .integer(1), .integer(1), .null, .bit(false)],
                    [.string("Ticket"), .string("TicketID"), .bit(true), .integer(100), .integer(5), .null, .bit(true)],
                ])
            set = try #require(
                try await session.resultSets(
                    "SELECT IDENT_CURRENT('dbo.Ticket') AS c, IDENT_SEED('Ticket') AS s, IDENT_INCR('[dbo].[Ticket]') AS i, IDENT_CURRENT('dbo.Missing') AS m"
                ).first)
            #expect(set.rows == [[.decimal("100"), .decimal("100"), .decimal("5"), .null]])
            #expect(set.columns[0].type.declaration == "numeric(38,0)")

            try await session.run("INSERT INTO dbo.Ticket (Title) VALUES (N'a'), (N'b'), (N'c')")
            set = try #require(
                try await session.resultSets(
                    """
                    SELECT CONVERT(nvarchar(40), seed_value) AS s, CONVERT(nvarchar(40), last_value) AS l
                    FROM sys.identity_columns WHERE object_id = OBJECT_ID('dbo.Ticket');
                    SELECT IDENT_CURRENT('dbo.Ticket') AS c, SCOPE_IDENTITY() AS si, @@IDENTITY AS ii;
                    """
                ).first)
            #expect(set.rows == [[.string("100"), .string("110")]])
            let current = try #require(try await session.resultSets("SELECT IDENT_CURRENT('dbo.Ticket') AS c, SCOPE_IDENTITY() AS si").first)
            #expect(current.rows == [[.decimal("110"), .decimal("110")]])
            // Explicit values under IDENTITY_INSERT move the identity on, as in SQL Server.
            try await session.run(
                "SET IDENTITY_INSERT dbo.Ticket ON; INSERT INTO dbo.Ticket (TicketID, Title) VALUES (500, N'x'); SET IDENTITY_INSERT dbo.Ticket OFF;")
            let moved = try #require(
                try await session.resultSets("SELECT last_value FROM sys.identity_columns WHERE name = 'TicketID'").first)
            #expect(moved.rows == [[.integer(500)]])
        }
    }

    @Test func indexesAndConstraintsHaveTheirDocumentedStateColumns() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE TABLE dbo.Dept (DeptID int NOT NULL CONSTRAINT PK_Dept PRIMARY KEY, Code char(3) NOT NULL CONSTRAINT UQ_Dept_Code UNIQUE);
                CREATE TABLE dbo.Emp (
                    EmpID int NOT NULL PRIMARY KEY,
                    DeptID int NULL CONSTRAINT FK_Emp_Dept REFERENCES dbo.Dept (DeptID) ON DELETE SET NULL ON UPDATE CASCADE,
                    DeptCode char(3) NOT NULL DEFAULT ('AAA'),
                    Salary money NOT NULL CONSTRAINT CK_Emp_Salary CHECK (Salary >= 0),
                    CONSTRAINT FK_Emp_Code FOREIGN KEY (DeptCode) REFERENCES dbo.Dept (Code) ON DELETE CASCADE
                );
                CREATE INDEX IX_Emp_Salary ON dbo.Emp (Salary) WHERE Salary > 1000;
                """)
            let indexes = try #require(
                try await session.resultSets(
                    """
                    SELECT name, type_desc, is_disabled, is_hypothetical, has_filter, filter_definition
                    FROM sys.indexes WHERE object_id = OBJECT_ID('dbo.Emp') AND index_id > 1 ORDER BY index_id
                    """
                ).first)
            #expect(indexes.rows == [[.string("IX_Emp_Salary"), .string("NONCLUSTERED"), .bit(false), .bit(false), .bit(true), .string("(Salary > 1000)")]])

            var keys = try #require(
                try await session.resultSets(
                    """
                    SELECT name, is_disabled, is_not_trusted, delete_referential_action, delete_referential_action_desc,
                        update_referential_action, update_referential_action_desc, key_index_id, type_desc
                    FROM sys.foreign_keys ORDER BY name
                    """
                ).first)
            #expect(
                keys.rows == [
                    [.string("FK_Emp_Code"), .bit(false), .bit(false), .integer(1), .string("CASCADE"), .integer(0), .string("NO_ACTION"), .integer(2), .string("FOREIGN_KEY_CONSTRAINT")],
                    [.string("FK_Emp_Dept"), .bit(false), .bit(false), .integer(2), .string("SET_NULL"), .integer(1), .string("CASCADE"), .integer(1), .string("FOREIGN_KEY_CONSTRAINT")],
                ])
            // The actions are enforced: ON UPDATE CASCADE, ON DELETE SET NULL, ON DELETE CASCADE.
            try await session.run(
                """
                INSERT INTO dbo.Dept VALUES (1, 'AAA'), (2, 'BBB');
                INSERT INTO dbo.Emp VALUES (10, 1, 'BBB', 5);
                UPDATE dbo.Dept SET DeptID = 3 WHERE DeptID = 1;
                """)
            var emp = try #require(try await session.resultSets("SELECT DeptID FROM dbo.Emp").first)
            #expect(emp.rows == [[.integer(3)]])
            try await session.run("DELETE FROM dbo.Dept WHERE DeptID = 3")
            emp = try #require(try await session.resultSets("SELECT DeptID FROM dbo.Emp").first)
            #expect(emp.rows == [[.null]])
            try await session.run("DELETE FROM dbo.Dept WHERE Code = 'BBB'")
            emp = try #require(try await session.resultSets("SELECT COUNT(*) FROM dbo.Emp").first)
            #expect(emp.rows == [[.integer(0)]])

            // NOCHECK disables (and untrusts); CHECK re-enables untrusted; WITH CHECK CHECK trusts again.
            try await session.run("INSERT INTO dbo.Dept VALUES (1, 'AAA'); ALTER TABLE dbo.Emp NOCHECK CONSTRAINT CK_Emp_Salary, FK_Emp_Dept")
            func state(_ view: String, _ name: String) async throws -> [SQLServerValue] {
                try #require(
                    try await session.resultSets("SELECT is_disabled, is_not_trusted FROM sys.\(view) WHERE name = '\(name)'").first?.rows.first)
            }
            #expect(try await state("check_constraints", "CK_Emp_Salary") == [.bit(true), .bit(true)])
            #expect(try await state("foreign_keys", "FK_Emp_Dept") == [.bit(true), .bit(true)])
            #expect(try await state("foreign_keys", "FK_Emp_Code") == [.bit(false), .bit(false)])
            try await session.run("INSERT INTO dbo.Emp VALUES (11, 99, 'AAA', -1)")  // not enforced while disabled
            try await session.run("ALTER TABLE dbo.Emp CHECK CONSTRAINT CK_Emp_Salary")
            #expect(try await state("check_constraints", "CK_Emp_Salary") == [.bit(false), .bit(true)])
            #expect(try await session.errors("INSERT INTO dbo.Emp VALUES (12, NULL, 'AAA', -2)").first?.number == 547)
            #expect(try await session.errors("ALTER TABLE dbo.Emp WITH CHECK CHECK CONSTRAINT CK_Emp_Salary").first?.number == 547)
            try await session.run("UPDATE dbo.Emp SET Salary = 1, DeptID = 1 WHERE EmpID = 11; ALTER TABLE dbo.Emp WITH CHECK CHECK CONSTRAINT ALL")
            #expect(try await state("check_constraints", "CK_Emp_Salary") == [.bit(false), .bit(false)])
            #expect(try await state("foreign_keys", "FK_Emp_Dept") == [.bit(false), .bit(false)])
            // WITH NOCHECK ADD: enforced for new rows, not trusted.
            try await session.run("ALTER TABLE dbo.Emp WITH NOCHECK ADD CONSTRAINT CK_Emp_Big CHECK (Salary > 100)")
            #expect(try await state("check_constraints", "CK_Emp_Big") == [.bit(false), .bit(true)])
            #expect(try await session.errors("ALTER TABLE dbo.Emp NOCHECK CONSTRAINT CK_Missing").first?.number == 4917)

            let defaults = try #require(
                try await session.resultSets("SELECT type, type_desc, definition, is_system_named FROM sys.default_constraints").first)
            #expect(defaults.rows == [[.string("D "), .string("DEFAULT_CONSTRAINT"), .string("('AAA')"), .bit(true)]])
            keys = try #require(
                try await session.resultSets("SELECT name, is_system_named, unique_index_id FROM sys.key_constraints WHERE parent_object_id = OBJECT_ID('dbo.Dept') ORDER BY name").first)
            #expect(keys.rows == [[.string("PK_Dept"), .bit(false), .integer(1)], [.string("UQ_Dept_Code"), .bit(false), .integer(2)]])
        }
    }

    @Test func sequencesAndNextValueFor() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE SEQUENCE dbo.OrderNumbers AS int START WITH 1000 INCREMENT BY 10;
                CREATE SEQUENCE dbo.Tiny AS tinyint MINVALUE 1 MAXVALUE 2 NO CYCLE NO CACHE;
                """)
            var set = try #require(
                try await session.resultSets(
                    """
                    SELECT name, type, type_desc, start_value, increment, minimum_value, maximum_value, is_cycling, is_cached,
                        TYPE_NAME(user_type_id) AS type_name, current_value, last_used_value, is_exhausted
                    FROM sys.sequences ORDER BY name
                    """
                ).first)
            #expect(
                set.rows == [
                    [.string("OrderNumbers"), .string("SO"), .string("SEQUENCE_OBJECT"), .integer(1000), .integer(10),
                     .integer(-2_147_483_648), .integer(2_147_483_647), .bit(false), .bit(true), .string("int"), .integer(1000), .null, .bit(false)],
                    [.string("Tiny"), .string("SO"), .string("SEQUENCE_OBJECT"), .integer(1), .integer(1), .integer(1), .integer(2),
                     .bit(false), .bit(false), .string("tinyint"), .integer(1), .null, .bit(false)],
                ])
            set = try #require(try await session.resultSets("SELECT NEXT VALUE FOR dbo.OrderNumbers AS a").first)
            #expect(set.rows == [[.integer(1000)]])
            #expect(set.columns[0].type.declaration == "int")
            set = try #require(try await session.resultSets("SELECT NEXT VALUE FOR OrderNumbers AS b").first)
            #expect(set.rows == [[.integer(1010)]])
            try await session.run(
                """
                CREATE TABLE dbo.Orders (OrderNo int NOT NULL DEFAULT (NEXT VALUE FOR dbo.OrderNumbers), Item nvarchar(10));
                INSERT INTO dbo.Orders (Item) VALUES (N'x');
                DECLARE @n int = NEXT VALUE FOR dbo.OrderNumbers;
                INSERT INTO dbo.Orders VALUES (@n, N'y');
                """)
            set = try #require(try await session.resultSets("SELECT OrderNo FROM dbo.Orders ORDER BY OrderNo").first)
            #expect(set.rows == [[.integer(1020)], [.integer(1030)]])
            set = try #require(
                try await session.resultSets("SELECT current_value, last_used_value FROM sys.sequences WHERE name = 'OrderNumbers'").first)
            #expect(set.rows == [[.integer(1030), .integer(1030)]])

            try await session.run("SELECT NEXT VALUE FOR dbo.Tiny; SELECT NEXT VALUE FOR dbo.Tiny;")
            set = try #require(try await session.resultSets("SELECT is_exhausted FROM sys.sequences WHERE name = 'Tiny'").first)
            #expect(set.rows == [[.bit(true)]])
            let exhausted = try #require(try await session.errors("SELECT NEXT VALUE FOR dbo.Tiny").first)
            #expect(exhausted.number == 11728)
            #expect(exhausted.message == "The sequence object 'Tiny' has reached its minimum or maximum value. Restart the sequence object to allow new values to be generated.")
            #expect(try await session.errors("SELECT NEXT VALUE FOR dbo.Nope").first?.number == 208)
            #expect(try await session.errors("CREATE SEQUENCE dbo.Bad AS varchar(5)").first?.number == 11702)
            #expect(try await session.errors("CREATE SEQUENCE dbo.Zero INCREMENT BY 0").first?.number == 11700)
            #expect(try await session.errors("CREATE SEQUENCE dbo.Out START WITH 5 MINVALUE 1 MAXVALUE 3").first?.number == 11703)
            #expect(try await session.errors("CREATE SEQUENCE dbo.OrderNumbers").first?.number == 2714)
            try await session.run("DROP SEQUENCE dbo.Tiny")
            #expect(try await session.errors("DROP SEQUENCE dbo.Tiny").first?.number == 3701)
            try await session.run("DROP SEQUENCE IF EXISTS dbo.Tiny")
        }
    }

    @Test func triggersFunctionsAndModulesAreCataloged() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.Item (ItemID int NOT NULL PRIMARY KEY, Price money NOT NULL, Changed datetime NULL)")
            let trigger = "CREATE TRIGGER dbo.trItem_Touch ON dbo.Item AFTER INSERT, UPDATE AS\nBEGIN\n    SET NOCOUNT ON;\n    UPDATE dbo.Item SET Changed = GETDATE() WHERE ItemID IN (SELECT ItemID FROM inserted);\nEND"
            try await session.run(trigger)
            try await session.run("CREATE TRIGGER trItem_Guard ON dbo.Item INSTEAD OF DELETE NOT FOR REPLICATION AS RAISERROR('no', 16, 1)")
            let scalar = "CREATE FUNCTION dbo.Taxed (@price money, @rate decimal(5, 2) = 0.2) RETURNS decimal(19, 4) WITH SCHEMABINDING AS BEGIN RETURN @price * (1 + @rate) END"
            try await session.run(scalar)
            try await session.run("CREATE FUNCTION dbo.Expensive (@min money) RETURNS TABLE AS RETURN (SELECT ItemID FROM dbo.Item WHERE Price > @min)")
            try await session.run("CREATE PROCEDURE dbo.ListItems AS SELECT ItemID FROM dbo.Item")
            try await session.run("CREATE VIEW dbo.vItem AS SELECT ItemID, Price FROM dbo.Item WITH CHECK OPTION")

            var set = try #require(
                try await session.resultSets(
                    "SELECT name, type, type_desc, OBJECT_NAME(parent_object_id) AS parent FROM sys.objects WHERE type IN ('TR', 'FN', 'IF', 'P', 'V') ORDER BY name"
                ).first)
            #expect(
                set.rows == [
                    [.string("Expensive"), .string("IF"), .string("SQL_INLINE_TABLE_VALUED_FUNCTION"), .null],
                    [.string("ListItems"), .string("P "), .string("SQL_STORED_PROCEDURE"), .null],
                    [.string("Taxed"), .string("FN"), .string("SQL_SCALAR_FUNCTION"), .null],
                    [.string("trItem_Guard"), .string("TR"), .string("SQL_TRIGGER"), .string("Item")],
                    [.string("trItem_Touch"), .string("TR"), .string("SQL_TRIGGER"), .string("Item")],
                    [.string("vItem"), .string("V "), .string("VIEW"), .null],
                ])
            set = try #require(
                try await session.resultSets(
                    """
                    SELECT name, parent_class, parent_class_desc, OBJECT_NAME(parent_id) AS parent, is_disabled, is_not_for_replication,
                        is_instead_of_trigger, OBJECT_DEFINITION(object_id) AS text
                    FROM sys.triggers ORDER BY name
                    """
                ).first)
            #expect(
                set.rows == [
                    [.string("trItem_Guard"), .integer(1), .string("OBJECT_OR_COLUMN"), .string("Item"), .bit(false), .bit(true), .bit(true),
                     .string("CREATE TRIGGER trItem_Guard ON dbo.Item INSTEAD OF DELETE NOT FOR REPLICATION AS RAISERROR('no', 16, 1)")],
                    [.string("trItem_Touch"), .integer(1), .string("OBJECT_OR_COLUMN"), .string("Item"), .bit(false), .bit(false), .bit(false),
                     .string(trigger)],
                ])
            set = try #require(
                try await session.resultSets(
                    "SELECT m.definition, m.is_schema_bound FROM sys.sql_modules m JOIN sys.objects o ON o.object_id = m.object_id WHERE o.name = 'Taxed'"
                ).first)
            #expect(set.rows == [[.string(scalar), .bit(true)]])
            set = try #require(
                try await session.resultSets(
                    """
                    SELECT OBJECTPROPERTY(OBJECT_ID('dbo.Item'), 'IsUserTable') AS a, OBJECTPROPERTY(OBJECT_ID('dbo.Item'), 'TableHasPrimaryKey') AS b,
                        OBJECTPROPERTY(OBJECT_ID('dbo.vItem'), 'IsView') AS c, OBJECTPROPERTY(OBJECT_ID('dbo.ListItems'), 'IsProcedure') AS d,
                        OBJECTPROPERTY(OBJECT_ID('dbo.Item'), 'IsView') AS e, OBJECTPROPERTY(OBJECT_ID('dbo.trItem_Touch'), 'IsTrigger') AS f,
                        OBJECTPROPERTY(OBJECT_ID('dbo.Item'), 'TableHasIdentity') AS g, OBJECTPROPERTY(12345, 'IsView') AS h,
                        OBJECT_ID('dbo.Item', 'U') AS u, OBJECT_ID('dbo.Item', 'V') AS v
                    """
                ).first)
            let itemID = try #require(set.rows.first?[8])
            #expect(set.rows == [[.integer(1), .integer(1), .integer(1), .integer(1), .integer(0), .integer(1), .integer(0), .null, itemID, .null]])
            #expect(try await session.errors("SELECT OBJECTPROPERTY(1, 'IsEncrypted')").first?.number == 40517)
            // A scalar function whose body is RETURN expression runs; other bodies are refused clearly.
            try await session.run("INSERT INTO dbo.Item (ItemID, Price) VALUES (1, 100)")
            set = try #require(
                try await session.resultSets("SELECT dbo.Taxed(10, 0.1) AS a, dbo.Taxed(Price, DEFAULT) AS b FROM dbo.Item").first)
            #expect(set.rows == [[.decimal("11.0000"), .decimal("120.0000")]])
            #expect(set.columns[0].type.declaration == "decimal(19,4)")
            #expect(try await session.errors("SELECT dbo.Taxed(10)").first?.number == 313)
            #expect(try await session.errors("SELECT dbo.Taxed(10, 1, 2)").first?.number == 8144)
            try await session.run("CREATE FUNCTION dbo.Busy (@a int) RETURNS int AS BEGIN DECLARE @b int = @a; RETURN @b END")
            #expect(try await session.errors("SELECT dbo.Busy(1)").first?.number == 40517)
            #expect(try await session.errors("SELECT dbo.Expensive(1)").first?.number == 40517)
            try await session.run("DROP FUNCTION dbo.Busy")
            // ALTER keeps the object_id and records the new text and kind.
            let before = try #require(try await session.resultSets("SELECT OBJECT_ID('dbo.Expensive')").first?.rows.first?.first)
            let altered = "ALTER FUNCTION dbo.Expensive (@min money) RETURNS @t TABLE (ItemID int) AS BEGIN INSERT INTO @t SELECT ItemID FROM dbo.Item WHERE Price > @min; RETURN END"
            try await session.run(altered)
            set = try #require(
                try await session.resultSets("SELECT object_id, type, OBJECT_DEFINITION(object_id) FROM sys.objects WHERE name = 'Expensive'").first)
            #expect(set.rows == [[before, .string("TF"), .string(altered)]])
            #expect(try await session.errors("ALTER TRIGGER dbo.trNope ON dbo.Item AFTER INSERT AS PRINT 1").first?.number == 208)
            #expect(try await session.errors("CREATE FUNCTION dbo.ListItems () RETURNS int AS BEGIN RETURN 1 END").first?.number == 2714)
            try await session.run("DROP FUNCTION dbo.Taxed; DROP TRIGGER dbo.trItem_Guard; DROP PROCEDURE dbo.ListItems")
            set = try #require(try await session.resultSets("SELECT COUNT(*) FROM sys.objects WHERE name IN ('Taxed', 'trItem_Guard', 'ListItems')").first)
            #expect(set.rows == [[.integer(0)]])
            // A table's triggers go with it.
            try await session.run("DROP VIEW dbo.vItem; DROP FUNCTION dbo.Expensive; DROP TABLE dbo.Item")
            set = try #require(try await session.resultSets("SELECT COUNT(*) FROM sys.triggers").first)
            #expect(set.rows == [[.integer(0)]])
            #expect(try await session.errors("CREATE TRIGGER trX ON dbo.Nothing AFTER INSERT AS PRINT 1").first?.number == 8197)
        }
    }

    @Test func typeAndColumnFunctions() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE TYPE dbo.Flag FROM bit NOT NULL;
                CREATE TABLE dbo.T (ID int IDENTITY PRIMARY KEY, Doubled AS (ID * 2), Active dbo.Flag, Note nvarchar(10) NULL);
                """)
            let set = try #require(
                try await session.resultSets(
                    """
                    SELECT TYPE_NAME(56) AS a, TYPE_NAME(231) AS b, TYPE_NAME(189) AS c, TYPE_NAME(TYPE_ID('dbo.Flag')) AS d,
                        TYPE_ID('int') AS e, TYPE_ID('NVARCHAR') AS f, TYPE_ID('Flag') - TYPE_ID('dbo.Flag') AS g, TYPE_ID('nope') AS h,
                        TYPE_NAME(256) AS i,
                        COLUMNPROPERTY(OBJECT_ID('dbo.T'), 'ID', 'IsIdentity') AS j, COLUMNPROPERTY(OBJECT_ID('dbo.T'), 'Doubled', 'IsComputed') AS k,
                        COLUMNPROPERTY(OBJECT_ID('dbo.T'), 'Active', 'AllowsNull') AS l, COLUMNPROPERTY(OBJECT_ID('dbo.T'), 'note', 'ColumnId') AS m,
                        COLUMNPROPERTY(OBJECT_ID('dbo.T'), 'Missing', 'IsIdentity') AS n
                    """
                ).first)
            #expect(
                set.rows == [[
                    .string("int"), .string("nvarchar"), .string("timestamp"), .string("Flag"), .integer(56), .integer(231), .integer(0),
                    .null, .string("sysname"), .integer(1), .integer(1), .integer(0), .integer(4), .null,
                ]])
            #expect(try await session.errors("SELECT COLUMNPROPERTY(1, 'a', 'Precision')").first?.number == 40517)
        }
    }

    @Test func informationSchemaReflectsConstraintsViewsAndRoutines() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                """
                CREATE SCHEMA hr;
                """)
            try await session.run(
                """
                CREATE TABLE hr.Dept (DeptID int NOT NULL CONSTRAINT PK_Dept PRIMARY KEY);
                CREATE TABLE dbo.Emp (EmpID int NOT NULL CONSTRAINT PK_Emp PRIMARY KEY, DeptID int NOT NULL,
                    CONSTRAINT FK_Emp_Dept FOREIGN KEY (DeptID) REFERENCES hr.Dept (DeptID) ON DELETE CASCADE,
                    CONSTRAINT CK_Emp CHECK NOT FOR REPLICATION (EmpID > 0));
                """)
            try await session.run("CREATE VIEW dbo.vEmp AS SELECT EmpID FROM dbo.Emp")
            let checks = try #require(
                try await session.resultSets(
                    """
                    SELECT c.CONSTRAINT_NAME, c.CHECK_CLAUSE, k.is_not_for_replication
                    FROM INFORMATION_SCHEMA.CHECK_CONSTRAINTS c JOIN sys.check_constraints k ON k.name = c.CONSTRAINT_NAME
                    """
                ).first)
            #expect(checks.rows == [[.string("CK_Emp"), .string("(EmpID > 0)"), .bit(true)]])
            try await session.run("CREATE PROCEDURE dbo.GetEmp @id int AS SELECT * FROM dbo.Emp WHERE EmpID = @id")
            try await session.run("CREATE FUNCTION dbo.Label (@id int) RETURNS nvarchar(20) AS BEGIN RETURN N'E' + CAST(@id AS nvarchar(10)) END")
            var set = try #require(
                try await session.resultSets(
                    "SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS ORDER BY CONSTRAINT_NAME"
                ).first)
            #expect(
                set.rows == [
                    [.string("dbo"), .string("Emp"), .string("CK_Emp"), .string("CHECK")],
                    [.string("dbo"), .string("Emp"), .string("FK_Emp_Dept"), .string("FOREIGN KEY")],
                    [.string("hr"), .string("Dept"), .string("PK_Dept"), .string("PRIMARY KEY")],
                    [.string("dbo"), .string("Emp"), .string("PK_Emp"), .string("PRIMARY KEY")],
                ])
            set = try #require(
                try await session.resultSets(
                    """
                    SELECT CONSTRAINT_NAME, UNIQUE_CONSTRAINT_SCHEMA, UNIQUE_CONSTRAINT_NAME, MATCH_OPTION, UPDATE_RULE, DELETE_RULE
                    FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS
                    """
                ).first)
            #expect(set.rows == [[.string("FK_Emp_Dept"), .string("hr"), .string("PK_Dept"), .string("SIMPLE"), .string("NO ACTION"), .string("CASCADE")]])
            set = try #require(
                try await session.resultSets(
                    "SELECT CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE WHERE TABLE_NAME = 'Emp' ORDER BY CONSTRAINT_NAME"
                ).first)
            #expect(set.rows == [[.string("FK_Emp_Dept"), .string("DeptID"), .integer(1)], [.string("PK_Emp"), .string("EmpID"), .integer(1)]])
            set = try #require(
                try await session.resultSets("SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, IS_UPDATABLE FROM INFORMATION_SCHEMA.VIEWS").first)
            #expect(set.rows == [[.string("vEmp"), .string("CREATE VIEW dbo.vEmp AS SELECT EmpID FROM dbo.Emp"), .string("NONE"), .string("NO")]])
            set = try #require(
                try await session.resultSets(
                    "SELECT ROUTINE_NAME, ROUTINE_TYPE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, ROUTINE_BODY FROM INFORMATION_SCHEMA.ROUTINES ORDER BY ROUTINE_NAME"
                ).first)
            #expect(
                set.rows == [
                    [.string("GetEmp"), .string("PROCEDURE"), .null, .null, .string("SQL")],
                    [.string("Label"), .string("FUNCTION"), .string("nvarchar"), .integer(20), .string("SQL")],
                ])
        }
    }
}
