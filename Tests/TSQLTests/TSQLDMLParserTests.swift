import Testing
import TSQL

@Suite("TSQLParser: DML, EXEC, transactions and session")
struct TSQLDMLParserTests {
    private let department = ObjectName("HumanResources", "Department")

    @Test func insertValues() throws {
        #expect(try parseOne("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Operations', N'Operations'), ('a', DEFAULT)")
            == .insert(InsertStatement(
                target: .table(department, hints: []), columns: ["Name", "GroupName"],
                source: .values([[.nstr("Operations"), .nstr("Operations")], [.literal(.string("a", isUnicode: false)), .default]]))))
    }

    @Test func insertFormsAndOutput() throws {
        #expect(try parseOne("INSERT t DEFAULT VALUES") == .insert(InsertStatement(
            target: .table(ObjectName("t"), hints: []), source: .defaultValues)))
        guard case .insert(let select) = try parseOne("INSERT INTO t (a) OUTPUT inserted.* INTO @log SELECT a FROM s") else {
            Issue.record("not an insert")
            return
        }
        #expect(select.output == OutputClause(items: [.star(qualifier: ObjectName("inserted"))], into: .variable("@log")))
        guard case .query = select.source else {
            Issue.record("not INSERT … SELECT")
            return
        }
        guard case .insert(let exec) = try parseOne("INSERT INTO #t EXEC dbo.p 1") else {
            Issue.record("not an insert")
            return
        }
        #expect(exec.target == .table(ObjectName("#t"), hints: []))
        #expect(exec.source == .execute(ExecuteStatement(procedure: .name(ObjectName("dbo", "p")), arguments: [.init(value: .int(1))])))
    }

    @Test func update() throws {
        let sql = """
            UPDATE TOP (10) e SET e.JobTitle = N'x', VacationHours += 1, @n = 2
            OUTPUT deleted.JobTitle, inserted.JobTitle AS NewTitle
            FROM HumanResources.Employee AS e WITH (NOLOCK) WHERE e.BusinessEntityID = @id
            """
        guard case .update(let update) = try parseOne(sql) else {
            Issue.record("not an update")
            return
        }
        #expect(update.top == TopClause(count: .int(10)))
        #expect(update.target == .table(ObjectName("e"), hints: []))
        #expect(update.assignments == [
            SetClause(target: .column(ColumnReference(table: ObjectName("e"), column: "JobTitle")), value: .nstr("x")),
            SetClause(target: .column(ColumnReference(column: "VacationHours")), operation: .add, value: .int(1)),
            SetClause(target: .variable("@n"), value: .int(2)),
        ])
        #expect(update.output?.items.count == 2)
        #expect(update.from == [.table(ObjectName("HumanResources", "Employee"), alias: "e", hints: [TableHint("NOLOCK")])])
        #expect(update.whereClause == .binary(.column(ColumnReference(table: ObjectName("e"), column: "BusinessEntityID")), .equal, .variable("@id")))
    }

    @Test func delete() throws {
        #expect(try parseOne("DELETE FROM HumanResources.Department WHERE DepartmentID = 17") == .delete(DeleteStatement(
            target: .table(department, hints: []), whereClause: .binary(.col("DepartmentID"), .equal, .int(17)))))
        guard case .delete(let delete) = try parseOne("DELETE TOP (1) d OUTPUT deleted.* FROM Department d JOIN x ON x.id = d.id") else {
            Issue.record("not a delete")
            return
        }
        #expect(delete.top == TopClause(count: .int(1)))
        #expect(delete.target == .table(ObjectName("d"), hints: []))
        #expect(delete.from.count == 1)
    }

    @Test func merge() throws {
        let sql = """
            MERGE INTO dbo.Target AS t USING (SELECT id, v FROM dbo.Source) AS s ON t.id = s.id
            WHEN MATCHED AND t.v <> s.v THEN UPDATE SET v = s.v
            WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)
            WHEN NOT MATCHED BY SOURCE THEN DELETE;
            """
        guard case .merge(let merge) = try parseOne(sql) else {
            Issue.record("not a merge")
            return
        }
        #expect(merge.targetAlias == "t")
        #expect(merge.whenClauses.map(\.match) == [.matched, .notMatchedByTarget, .notMatchedBySource])
        #expect(merge.whenClauses[2].action == .delete)
    }

    @Test func identityInsert() throws {
        #expect(try parseOne("SET IDENTITY_INSERT HumanResources.Department ON") == .setIdentityInsert(table: department, isOn: true))
        #expect(try parseOne("SET IDENTITY_INSERT HumanResources.Department OFF") == .setIdentityInsert(table: department, isOn: false))
    }

    @Test func execute() throws {
        #expect(try parseOne("EXEC sp_rename 'HumanResources.Department.Name', 'DeptName', 'COLUMN'") == .execute(ExecuteStatement(
            procedure: .name(ObjectName("sp_rename")),
            arguments: ["HumanResources.Department.Name", "DeptName", "COLUMN"].map {
                ExecuteArgument(value: .literal(.string($0, isUnicode: false)))
            })))
        let enable = """
            EXECUTE sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Department',
                @role_name = NULL, @supports_net_changes = 1
            """
        #expect(try parseOne(enable) == .execute(ExecuteStatement(
            procedure: .name(ObjectName("sys", "sp_cdc_enable_table")),
            arguments: [
                ExecuteArgument(name: "@source_schema", value: .nstr("HumanResources")),
                ExecuteArgument(name: "@source_name", value: .nstr("Department")),
                ExecuteArgument(name: "@role_name", value: .literal(.null)),
                ExecuteArgument(name: "@supports_net_changes", value: .int(1)),
            ])))
        #expect(try parseOne("EXEC @rc = dbo.p @a = @x OUTPUT, DEFAULT, Employee, -5") == .execute(ExecuteStatement(
            returnVariable: "@rc", procedure: .name(ObjectName("dbo", "p")),
            arguments: [
                ExecuteArgument(name: "@a", value: .variable("@x"), isOutput: true),
                ExecuteArgument(value: .default),
                ExecuteArgument(value: .nstr("Employee")),
                ExecuteArgument(value: .unary(.minus, .int(5))),
            ])))
        #expect(try parseOne("EXEC (N'SELECT ' + @cols)") == .executeString(.binary(.nstr("SELECT "), .add, .variable("@cols"))))
        #expect(try parseOne("sys.sp_cdc_enable_db") == .execute(ExecuteStatement(
            procedure: .name(ObjectName("sys", "sp_cdc_enable_db")), isImplicit: true)))
    }

    @Test func implicitExecOnlyFirstInBatch() throws {
        // `SELEC 1` is taken as a procedure call, as SQL Server does (it then fails with Msg 2812).
        #expect(try parseOne("SELEC 1") == .execute(ExecuteStatement(
            procedure: .name(ObjectName("SELEC")), arguments: [.init(value: .int(1))], isImplicit: true)))
        let error = try syntaxError("SELECT 1; sp_who")
        #expect(error.code == .incorrectSyntax)
        #expect(error.message == "Incorrect syntax near 'sp_who'.")
    }

    @Test func transactions() throws {
        #expect(try parseStatements("""
            BEGIN TRAN; BEGIN TRANSACTION t1 SAVE TRAN s1 ROLLBACK TRANSACTION s1
            COMMIT COMMIT TRAN COMMIT WORK ROLLBACK ROLLBACK TRAN t1
            """) == [
            .beginTransaction(name: nil), .beginTransaction(name: "t1"), .saveTransaction(name: "s1"),
            .rollbackTransaction(name: "s1"), .commitTransaction(name: nil), .commitTransaction(name: nil),
            .commitTransaction(name: nil), .rollbackTransaction(name: nil), .rollbackTransaction(name: "t1"),
        ])
    }

    @Test func isolationLevelsAndSessionOptions() throws {
        for level in IsolationLevel.allCases {
            #expect(try parseOne("SET TRANSACTION ISOLATION LEVEL \(level.rawValue.lowercased())") == .setTransactionIsolationLevel(level))
        }
        #expect(try parseStatements("SET NOCOUNT ON SET ANSI_NULLS, QUOTED_IDENTIFIER ON; SET XACT_ABORT OFF SET TEXTSIZE 2048 SET DATEFORMAT ymd SET STATISTICS IO ON") == [
            .setOption(names: ["NOCOUNT"], value: .on),
            .setOption(names: ["ANSI_NULLS", "QUOTED_IDENTIFIER"], value: .on),
            .setOption(names: ["XACT_ABORT"], value: .off),
            .setOption(names: ["TEXTSIZE"], value: .expression(.int(2048))),
            .setOption(names: ["DATEFORMAT"], value: .word("YMD")),
            .setOption(names: ["STATISTICS IO"], value: .on),
        ])
    }

    @Test func statementsWithoutSeparatorsKeepTheirTextAndLines() throws {
        let batch = try TSQLParser.parse("SELECT 1\nSELECT 2;\n\n  PRINT 'x'")
        #expect(batch.statements.map(\.sourceText) == ["SELECT 1", "SELECT 2", "PRINT 'x'"])
        #expect(batch.statements.map(\.location.line) == [1, 2, 4])
        #expect(batch.statements[2].location.column == 3)
    }
}
