import Testing
import TSQL

@Suite("TSQLParser: procedural statements")
struct TSQLProceduralParserTests {
    private func kinds(_ statements: [TSQLStatement]) -> [Statement] { statements.map { $0.strippingSourceInfo().kind } }

    @Test func declareAndSet() throws {
        #expect(try parseStatements("DECLARE @a int = 1, @b AS nvarchar(max); SET @a = @a * 2 SET @b += N'x'") == [
            .declare([VariableDeclaration(name: "@a", type: DataType("int"), initialValue: .int(1)),
                      VariableDeclaration(name: "@b", type: DataType("nvarchar", .max))]),
            .setVariable(variable: "@a", .assign, .binary(.variable("@a"), .multiply, .int(2))),
            .setVariable(variable: "@b", .add, .nstr("x")),
        ])
        #expect(try parseOne("DECLARE @t TABLE (id int PRIMARY KEY, name sysname NULL)") == .declareTable(variable: "@t", elements: [
            .column(ColumnDefinition(name: "id", dataType: DataType("int"), constraints: [TableConstraint(kind: .primaryKey(KeyConstraint()))])),
            .column(ColumnDefinition(name: "name", dataType: DataType("sysname"), isNullable: true)),
        ]))
    }

    @Test func ifElseWithSemicolonBeforeElse() throws {
        let statement = try parseOne("IF @a > 1 PRINT 'big'; ELSE PRINT 'small'")
        guard case .if(let condition, let then, let otherwise?) = statement else {
            Issue.record("not IF … ELSE")
            return
        }
        #expect(condition == .binary(.variable("@a"), .greater, .int(1)))
        #expect(then.kind == .print(.literal(.string("big", isUnicode: false))))
        #expect(otherwise.kind == .print(.literal(.string("small", isUnicode: false))))
        // ELSE binds to the nearest IF.
        guard case .if(_, let outerThen, nil) = try parseOne("IF 1 = 1 IF 2 = 2 PRINT 'a' ELSE PRINT 'b'"),
              case .if(_, _, .some) = outerThen.kind else {
            Issue.record("dangling ELSE")
            return
        }
    }

    @Test func blocksLoopsAndFlow() throws {
        let statement = try parseOne("""
            WHILE @i < 10
            BEGIN
                SET @i = @i + 1;
                IF @i = 5 CONTINUE;
                IF @i = 8 BREAK
                IF EXISTS (SELECT 1 FROM t) RETURN 1 ELSE RETURN
            END
            """)
        guard case .while(_, let body) = statement, case .block(let statements) = body.kind else {
            Issue.record("not WHILE block")
            return
        }
        #expect(statements.count == 4)
        guard case .if(_, let then, _) = statements[1].kind else {
            Issue.record("IF")
            return
        }
        #expect(then.kind == .continue)
        guard case .if(.exists, let returnOne, let returnNothing?) = statements[3].kind else {
            Issue.record("IF EXISTS")
            return
        }
        #expect(returnOne.kind == .return(.int(1)))
        #expect(returnNothing.kind == .return(nil))
    }

    @Test func errorsAndMessages() throws {
        #expect(try parseStatements("""
            PRINT N'Done: ' + CAST(@n AS nvarchar(10))
            RAISERROR (N'Bad value %d', 16, 1, @v) WITH NOWAIT
            THROW 50001, N'Not allowed', 1;
            WAITFOR DELAY '00:00:01'
            """) == [
            .print(.binary(.nstr("Done: "), .add, .cast(.variable("@n"), as: DataType("nvarchar", .value(10)), isTry: false))),
            .raiserror(RaiserrorStatement(message: .nstr("Bad value %d"), severity: .int(16), state: .int(1),
                                          arguments: [.variable("@v")], options: ["NOWAIT"])),
            .throw(ThrowArguments(number: .int(50001), message: .nstr("Not allowed"), state: .int(1))),
            .waitFor(isDelay: true, .literal(.string("00:00:01", isUnicode: false))),
        ])
    }

    @Test func tryCatchWithBareThrow() throws {
        guard case .tryCatch(let tryBody, let catchBody) = try parseOne("""
            BEGIN TRY
                BEGIN TRAN; DELETE FROM t; COMMIT
            END TRY
            BEGIN CATCH
                ROLLBACK; THROW
            END CATCH
            """) else {
            Issue.record("not TRY/CATCH")
            return
        }
        #expect(kinds(tryBody).count == 3)
        #expect(kinds(catchBody) == [.rollbackTransaction(name: nil), .throw(nil)])
    }
}
