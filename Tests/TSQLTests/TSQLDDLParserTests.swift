import Testing
import TSQL

@Suite("TSQLParser: DDL")
struct TSQLDDLParserTests {
    @Test func databaseSchemaAndUse() throws {
        #expect(try parseOne("CREATE DATABASE AdventureWorks2014") == .createDatabase(name: "AdventureWorks2014"))
        #expect(try parseOne("USE [AdventureWorks2014];") == .use(database: "AdventureWorks2014"))
        #expect(try parseOne("CREATE SCHEMA HumanResources AUTHORIZATION dbo")
            == .createSchema(name: "HumanResources", authorization: "dbo"))
    }

    @Test func aliasTypes() throws {
        #expect(try parseOne("CREATE TYPE dbo.Name FROM nvarchar(50) NULL") == .createType(CreateTypeStatement(
            name: ObjectName("dbo", "Name"), baseType: DataType("nvarchar", .value(50)), isNullable: true)))
        #expect(try parseOne("CREATE TYPE [dbo].[Flag] FROM [bit] NOT NULL") == .createType(CreateTypeStatement(
            name: ObjectName("dbo", "Flag"), baseType: DataType("bit"), isNullable: false)))
    }

    @Test func everySystemType() throws {
        let types = [
            "tinyint", "smallint", "int", "bigint", "bit", "decimal(18, 2)", "numeric(5)", "money", "smallmoney",
            "float(53)", "real", "date", "time(7)", "datetime", "smalldatetime", "datetime2(3)", "datetimeoffset(7)",
            "char(10)", "varchar(max)", "nchar(1)", "nvarchar(4000)", "text", "ntext", "image", "binary(8)",
            "varbinary(max)", "uniqueidentifier", "xml", "rowversion", "timestamp", "sql_variant", "hierarchyid",
            "geography", "dbo.Name", "double precision",
        ]
        let columns = types.enumerated().map { "c\($0.offset) \($0.element)" }.joined(separator: ", ")
        guard case .createTable(let table) = try parseOne("CREATE TABLE t (\(columns))") else {
            Issue.record("not a CREATE TABLE")
            return
        }
        #expect(table.columns.count == types.count)
        #expect(table.columns[5].dataType == DataType("decimal", .value(18), .value(2)))
        #expect(table.columns[18].dataType == DataType("varchar", .max))
        #expect(table.columns[33].dataType?.name == ObjectName("dbo", "Name"))
        #expect(table.columns[33].dataType?.systemType == nil)
        #expect(table.columns[34].dataType == DataType("float"))
        let systemTypes = table.columns.dropLast(2).compactMap { $0.dataType?.systemType }
        #expect(systemTypes.count == types.count - 2)
        #expect(systemTypes.contains(.sqlVariant))
    }

    @Test func columnOptionsAndConstraints() throws {
        let sql = """
            CREATE TABLE HumanResources.Department (
                DepartmentID smallint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Department PRIMARY KEY CLUSTERED,
                Name dbo.Name NOT NULL,
                rowguid uniqueidentifier ROWGUIDCOL NOT NULL CONSTRAINT DF_rowguid DEFAULT (newid()),
                Code varchar(10) COLLATE Latin1_General_CI_AS NULL UNIQUE,
                ManagerID int NULL REFERENCES HumanResources.Employee (BusinessEntityID) ON DELETE SET NULL,
                Rate money CHECK (Rate > 0),
                Total AS (Rate * 2) PERSISTED,
                ModifiedDate datetime NOT NULL DEFAULT getdate()
            ) ON [PRIMARY]
            """
        guard case .createTable(let table) = try parseOne(sql) else {
            Issue.record("not a CREATE TABLE")
            return
        }
        #expect(table.name == ObjectName("HumanResources", "Department"))
        #expect(table.fileGroup == "PRIMARY")
        let columns = table.columns
        #expect(columns.count == 8)
        #expect(columns[0].identity == ColumnDefinition.Identity(seed: .int(1), increment: .int(1)))
        #expect(columns[0].isNullable == false)
        #expect(columns[0].constraints == [TableConstraint(
            name: "PK_Department", kind: .primaryKey(KeyConstraint(clustering: .clustered)))])
        #expect(columns[2].isRowGuidCol)
        #expect(columns[2].defaultValue == .function(FunctionCall(name: ObjectName("newid"))))
        #expect(columns[2].constraints.first?.name == "DF_rowguid")
        #expect(columns[3].collation == "Latin1_General_CI_AS")
        #expect(columns[3].constraints == [TableConstraint(kind: .unique(KeyConstraint()))])
        #expect(columns[4].constraints == [TableConstraint(kind: .foreignKey(ForeignKeyConstraint(
            referencedTable: ObjectName("HumanResources", "Employee"), referencedColumns: ["BusinessEntityID"],
            onDelete: .setNull)))])
        #expect(columns[5].constraints == [TableConstraint(kind: .check(
            .binary(.col("Rate"), .greater, .int(0)), notForReplication: false))])
        #expect(columns[6].dataType == nil)
        #expect(columns[6].computedExpression == .binary(.col("Rate"), .multiply, .int(2)))
        #expect(columns[6].isPersisted)
        #expect(columns[7].defaultValue == .function(FunctionCall(name: ObjectName("getdate"))))
    }

    @Test func tableConstraints() throws {
        let sql = """
            CREATE TABLE dbo.EDH (
                BusinessEntityID int NOT NULL,
                DepartmentID smallint NOT NULL,
                StartDate date NOT NULL,
                CONSTRAINT PK_EDH PRIMARY KEY CLUSTERED (BusinessEntityID ASC, StartDate DESC)
                    WITH (PAD_INDEX = OFF, FILLFACTOR = 80) ON [PRIMARY],
                CONSTRAINT FK_EDH_Department FOREIGN KEY (DepartmentID)
                    REFERENCES HumanResources.Department (DepartmentID) ON DELETE CASCADE ON UPDATE NO ACTION,
                UNIQUE NONCLUSTERED (DepartmentID),
                CONSTRAINT CK_Dates CHECK (StartDate >= '2000-01-01')
            )
            """
        guard case .createTable(let table) = try parseOne(sql) else {
            Issue.record("not a CREATE TABLE")
            return
        }
        #expect(table.columns.count == 3)
        let constraints = table.constraints
        #expect(constraints.count == 4)
        #expect(constraints[0] == TableConstraint(name: "PK_EDH", kind: .primaryKey(KeyConstraint(
            clustering: .clustered,
            columns: [IndexColumn("BusinessEntityID", direction: .ascending), IndexColumn("StartDate", direction: .descending)],
            options: [IndexOption(name: "PAD_INDEX", value: .off), IndexOption(name: "FILLFACTOR", value: .expression(.int(80)))],
            fileGroup: "PRIMARY"))))
        #expect(constraints[1] == TableConstraint(name: "FK_EDH_Department", kind: .foreignKey(ForeignKeyConstraint(
            columns: ["DepartmentID"], referencedTable: ObjectName("HumanResources", "Department"),
            referencedColumns: ["DepartmentID"], onDelete: .cascade, onUpdate: .noAction))))
        #expect(constraints[2] == TableConstraint(kind: .unique(KeyConstraint(
            clustering: .nonclustered, columns: [IndexColumn("DepartmentID")]))))
    }

    @Test func createIndexWithIncludeAndFilter() throws {
        let sql = """
            CREATE UNIQUE NONCLUSTERED INDEX IX_Employee_Login ON HumanResources.Employee (LoginID DESC)
            INCLUDE (JobTitle, HireDate) WHERE CurrentFlag = 1 AND LoginID IS NOT NULL WITH (ONLINE = OFF) ON [PRIMARY]
            """
        #expect(try parseOne(sql) == .createIndex(CreateIndexStatement(
            isUnique: true, clustering: .nonclustered, name: "IX_Employee_Login",
            table: ObjectName("HumanResources", "Employee"), columns: [IndexColumn("LoginID", direction: .descending)],
            includedColumns: ["JobTitle", "HireDate"],
            filter: .and(.binary(.col("CurrentFlag"), .equal, .int(1)), .isNull(.col("LoginID"), negated: true)),
            options: [IndexOption(name: "ONLINE", value: .off)], fileGroup: "PRIMARY")))
    }

    @Test func createViewKeepsItsText() throws {
        let sql = "CREATE VIEW HumanResources.vDepartment (ID, Name)\nAS\nSELECT DepartmentID, Name FROM HumanResources.Department;"
        let batch = try TSQLParser.parse(sql)
        guard case .createView(let view) = batch.statements.first?.kind else {
            Issue.record("not a view")
            return
        }
        #expect(view.name == ObjectName("HumanResources", "vDepartment"))
        #expect(view.columns == ["ID", "Name"])
        #expect(view.definition == String(sql.dropLast()))
        #expect(batch.statements[0].sourceText == view.definition)
        guard case .select(let specification) = view.query.body else {
            Issue.record("not a SELECT")
            return
        }
        #expect(specification.items.count == 2)
        _ = try parseOne("CREATE OR ALTER VIEW v WITH SCHEMABINDING AS SELECT 1 AS x WITH CHECK OPTION")
    }

    @Test func createProcedureParsesItsBodyToTheEndOfTheBatch() throws {
        let sql = """
            CREATE PROCEDURE HumanResources.uspUpdateEmployee
                @BusinessEntityID int,
                @JobTitle nvarchar(50) = N'Clerk',
                @Count int = -1 OUTPUT
            AS
            BEGIN
                SET NOCOUNT ON;
                UPDATE HumanResources.Employee SET JobTitle = @JobTitle WHERE BusinessEntityID = @BusinessEntityID;
                SET @Count = @@ROWCOUNT;
            END
            SELECT 1
            """
        let batch = try TSQLParser.parse(sql)
        #expect(batch.statements.count == 1)
        guard case .createProcedure(let procedure) = batch.statements[0].kind else {
            Issue.record("not a procedure")
            return
        }
        #expect(procedure.parameters == [
            ProcedureParameter(name: "@BusinessEntityID", type: DataType("int")),
            ProcedureParameter(name: "@JobTitle", type: DataType("nvarchar", .value(50)), defaultValue: .nstr("Clerk")),
            ProcedureParameter(name: "@Count", type: DataType("int"), defaultValue: .unary(.minus, .int(1)), isOutput: true),
        ])
        #expect(procedure.body.count == 2)
        #expect(procedure.definition == sql)
        guard case .block(let statements) = procedure.body[0].kind else {
            Issue.record("body is not a block")
            return
        }
        #expect(statements.count == 3)
        #expect(statements[1].location.line == 8)
        #expect(statements[2].kind == .setVariable(variable: "@Count", .assign, .systemVariable("@@ROWCOUNT")))
        _ = try parseOne("CREATE PROC p (@a int) WITH RECOMPILE, EXECUTE AS OWNER AS RETURN @a")
    }

    @Test func alterTable() throws {
        let table = ObjectName("HumanResources", "Department")
        #expect(try parseOne("ALTER TABLE HumanResources.Department ADD GroupNumber int NULL") == .alterTable(
            AlterTableStatement(table: table, action: .add(
                [.column(ColumnDefinition(name: "GroupNumber", dataType: DataType("int"), isNullable: true))],
                withCheck: nil))))
        #expect(try parseOne("ALTER TABLE HumanResources.Department WITH CHECK ADD CONSTRAINT DF_X DEFAULT 0 FOR X")
            == .alterTable(AlterTableStatement(table: table, action: .add(
                [.constraint(TableConstraint(name: "DF_X", kind: .default(.int(0), forColumn: "X", withValues: false)))],
                withCheck: true))))
        #expect(try parseOne("ALTER TABLE HumanResources.Department DROP COLUMN A, B, CONSTRAINT IF EXISTS C") == .alterTable(
            AlterTableStatement(table: table, action: .drop([
                .init(kind: .column, name: "A"), .init(kind: .column, name: "B"),
                .init(kind: .constraint, ifExists: true, name: "C"),
            ]))))
        #expect(try parseOne("ALTER TABLE HumanResources.Department DROP CONSTRAINT FK_A") == .alterTable(
            AlterTableStatement(table: table, action: .drop([.init(kind: .constraint, name: "FK_A")]))))
        #expect(try parseOne("ALTER TABLE HumanResources.Department ALTER COLUMN Name nvarchar(100) NOT NULL")
            == .alterTable(AlterTableStatement(table: table, action: .alterColumn(
                name: "Name", type: DataType("nvarchar", .value(100)), collation: nil, isNullable: false))))
        #expect(try parseOne("ALTER TABLE t NOCHECK CONSTRAINT ALL") == .alterTable(AlterTableStatement(
            table: ObjectName("t"), action: .setConstraintsEnabled(false, names: [], withCheck: nil))))
    }

    @Test func dropAndTruncate() throws {
        #expect(try parseOne("DROP TABLE IF EXISTS dbo.a, b") == .drop(DropStatement(
            kind: .table, ifExists: true, targets: [.init(name: ObjectName("dbo", "a")), .init(name: ObjectName("b"))])))
        #expect(try parseOne("DROP PROC dbo.p") == .drop(DropStatement(kind: .procedure, targets: [.init(name: ObjectName("dbo", "p"))])))
        #expect(try parseOne("DROP INDEX IX_a ON dbo.t") == .drop(DropStatement(
            kind: .index, targets: [.init(name: ObjectName("IX_a"), table: ObjectName("dbo", "t"))])))
        for kind in ["VIEW", "TYPE", "SCHEMA", "PROCEDURE"] {
            guard case .drop(let drop) = try parseOne("DROP \(kind) x") else {
                Issue.record("DROP \(kind)")
                continue
            }
            #expect(drop.kind.rawValue == kind)
        }
        #expect(try parseOne("TRUNCATE TABLE HumanResources.Shift") == .truncateTable(ObjectName("HumanResources", "Shift")))
    }

    @Test func alterDatabaseSnapshotOptions() throws {
        #expect(try parseOne("ALTER DATABASE AdventureWorks2014 SET ALLOW_SNAPSHOT_ISOLATION ON") == .alterDatabase(
            AlterDatabaseStatement(database: "AdventureWorks2014", options: [.init(name: "ALLOW_SNAPSHOT_ISOLATION", value: .on)])))
        #expect(try parseOne("ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT OFF WITH ROLLBACK IMMEDIATE") == .alterDatabase(
            AlterDatabaseStatement(database: nil, options: [.init(name: "READ_COMMITTED_SNAPSHOT", value: .off)],
                                   termination: "ROLLBACK IMMEDIATE")))
    }
}

