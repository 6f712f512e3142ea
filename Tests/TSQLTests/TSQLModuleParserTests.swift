import Testing
import TSQL

/// CREATE SEQUENCE, NEXT VALUE FOR, CREATE TRIGGER and CREATE FUNCTION.
@Suite struct TSQLModuleParserTests {
    @Test func createSequenceWithOptionsInAnyOrder() throws {
        guard case .createSequence(let sequence) = try parseOne(
            "CREATE SEQUENCE dbo.Seq INCREMENT BY -5 AS int MAXVALUE 100 START WITH 100 NO MINVALUE CYCLE CACHE 20")
        else { Issue.record("not a sequence"); return }
        #expect(sequence.name == ObjectName("dbo", "Seq"))
        #expect(sequence.dataType?.name.name.value == "int")
        #expect(sequence.start == .int(100))
        #expect(sequence.increment == .unary(.minus, .int(5)))
        #expect(sequence.minimum == nil)
        #expect(sequence.maximum == .int(100))
        #expect(sequence.isCycling)
        #expect(sequence.cache == .cache(.int(20)))
        guard case .createSequence(let plain) = try parseOne("CREATE SEQUENCE s NO CACHE NO CYCLE") else { return }
        #expect(plain.cache == .noCache)
        #expect(!plain.isCycling)
        try expectRoundTrip("CREATE SEQUENCE dbo.Seq AS bigint START WITH 1 INCREMENT BY 2 MINVALUE 0 MAXVALUE 9 CYCLE NO CACHE")
    }

    @Test func nextValueForIsACallNamingTheSequence() throws {
        let expression = try TSQLParser.parseExpression("NEXT VALUE FOR [db].dbo.Seq + 1")
        guard case .binary(.function(let call), .add, .int(1)) = expression else {
            Issue.record("unexpected tree \(expression)")
            return
        }
        #expect(call.nextValueSequence == ObjectName(database: "db", schema: "dbo", name: "Seq"))
        #expect(TSQLPrinter.print(expression) == "NEXT VALUE FOR db.dbo.Seq + 1")
        #expect(FunctionCall(name: ObjectName("Seq")).nextValueSequence == nil)
        try expectRoundTrip("INSERT INTO t (id) VALUES (NEXT VALUE FOR s)")
        try expectRoundTrip("SELECT NEXT VALUE FOR dbo.s AS n")
    }

    @Test func createTrigger() throws {
        let sql = "CREATE TRIGGER dbo.trAudit ON dbo.Employee AFTER INSERT, DELETE NOT FOR REPLICATION AS\nBEGIN SET NOCOUNT ON; PRINT 'x' END"
        let batch = try TSQLParser.parse(sql)
        guard case .createTrigger(let trigger) = batch.statements.first?.kind else {
            Issue.record("not a trigger")
            return
        }
        #expect(trigger.name == ObjectName("dbo", "trAudit"))
        #expect(trigger.table == ObjectName("dbo", "Employee"))
        #expect(trigger.timing == .after)
        #expect(trigger.events == [.insert, .delete])
        #expect(trigger.notForReplication)
        #expect(trigger.body.count == 1)
        #expect(trigger.definition == sql)
        guard case .createTrigger(let instead) = try parseOne("CREATE OR ALTER TRIGGER t ON v INSTEAD OF UPDATE AS PRINT 1") else { return }
        #expect(instead.creation == .createOrAlter)
        #expect(instead.timing == .insteadOf)
        guard case .createTrigger(let legacy) = try parseOne("CREATE TRIGGER t ON x FOR UPDATE, INSERT AS RETURN") else { return }
        #expect(legacy.timing == .after)
        #expect(legacy.events == [.update, .insert])
        try expectRoundTrip("CREATE TRIGGER dbo.t ON dbo.x WITH EXECUTE AS OWNER AFTER INSERT, UPDATE AS UPDATE dbo.x SET a = 1")
        #expect(try syntaxError("SELECT 1; CREATE TRIGGER t ON x AFTER INSERT AS PRINT 1").code == .mustBeFirstInBatch)
        #expect(try syntaxError("CREATE TRIGGER t ON DATABASE FOR CREATE_TABLE AS PRINT 1").code.number == 156)
        #expect(try syntaxError("CREATE TRIGGER t ON x AFTER MERGE AS PRINT 1").code.number == 156)
    }

    @Test func createFunctionScalarInlineAndMultiStatement() throws {
        let scalar = "CREATE FUNCTION dbo.Add1 (@a int, @b int = 1) RETURNS int WITH SCHEMABINDING, RETURNS NULL ON NULL INPUT AS BEGIN RETURN @a + @b END"
        guard case .createFunction(let function) = try parseOne(scalar) else {
            Issue.record("not a function")
            return
        }
        #expect(function.parameters.map(\.name) == ["@a", "@b"])
        #expect(function.returns == .scalar(DataType(name: ObjectName("int"))))
        #expect(function.options == ["SCHEMABINDING", "RETURNS NULL ON NULL INPUT"])
        #expect(function.objectType == "FN")
        #expect(function.body.count == 1)
        #expect(function.definition == scalar)

        guard case .createFunction(let inline) = try parseOne("CREATE FUNCTION f() RETURNS TABLE AS RETURN (SELECT 1 AS one)") else { return }
        #expect(inline.returns == .table)
        #expect(inline.objectType == "IF")
        #expect(inline.query != nil)
        guard case .createFunction(let bare) = try parseOne("ALTER FUNCTION f(@x int) RETURNS TABLE RETURN SELECT @x AS x") else { return }
        #expect(bare.creation == .alter)
        #expect(bare.query != nil)

        let multi = "CREATE FUNCTION dbo.Rows (@n int) RETURNS @t TABLE (i int NOT NULL) AS BEGIN INSERT INTO @t VALUES (@n); RETURN END"
        guard case .createFunction(let table) = try parseOne(multi) else { return }
        #expect(table.objectType == "TF")
        guard case .tableVariable(let variable, let elements) = table.returns else {
            Issue.record("not a table variable")
            return
        }
        #expect(variable == "@t")
        #expect(elements.count == 1)
        #expect(table.body.count == 2)

        try expectRoundTrip(scalar)
        let call = try TSQLParser.parseExpression("dbo.f(1, DEFAULT)")
        guard case .function(let parsed) = call else { return }
        #expect(parsed.arguments == [.int(1), .default])
        try expectRoundTrip("SELECT dbo.f(DEFAULT) AS x")
        try expectRoundTrip("CREATE FUNCTION f() RETURNS TABLE AS RETURN (SELECT 1 AS one)")
        #expect(try syntaxError("PRINT 1; CREATE FUNCTION f() RETURNS int AS BEGIN RETURN 1 END").code == .mustBeFirstInBatch)
        #expect(try syntaxError("CREATE FUNCTION f RETURNS int AS BEGIN RETURN 1 END").code.number == 102)
    }

    @Test func dropModules() throws {
        for (sql, kind) in [
            ("DROP TRIGGER dbo.t", DropStatement.ObjectKind.trigger), ("DROP SEQUENCE IF EXISTS s1, s2", .sequence),
            ("DROP FUNCTION dbo.f", .function),
        ] {
            guard case .drop(let drop) = try parseOne(sql) else {
                Issue.record("not a drop: \(sql)")
                continue
            }
            #expect(drop.kind == kind)
            try expectRoundTrip(sql)
        }
    }
}
