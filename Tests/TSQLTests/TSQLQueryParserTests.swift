import Testing
import TSQL

@Suite("TSQLParser: queries and expressions")
struct TSQLQueryParserTests {
    private func expression(_ sql: String) throws -> Expression { try TSQLParser.parseExpression(sql) }

    private func specification(_ sql: String) throws -> QuerySpecification {
        guard case .select(let query) = try parseOne(sql), case .select(let specification) = query.body else {
            throw TSQLSyntaxError(code: .incorrectSyntax, message: "not a simple SELECT", location: .start)
        }
        return specification
    }

    @Test func selectClauses() throws {
        let spec = try specification("""
            SELECT DISTINCT TOP (5) PERCENT WITH TIES d.Name, COUNT(*) AS n, total = SUM(x), 1 'one', e.*
            INTO #tmp
            FROM HumanResources.Department AS d WITH (NOLOCK, INDEX(IX_a))
            WHERE d.GroupName LIKE N'Sales%' ESCAPE '!'
            GROUP BY d.Name HAVING COUNT(*) > 1
            """)
        #expect(spec.isDistinct)
        #expect(spec.top == TopClause(count: .int(5), isPercent: true, withTies: true))
        #expect(spec.items == [
            .expression(.column(ColumnReference(table: ObjectName("d"), column: "Name")), alias: nil),
            .expression(.function(FunctionCall(name: ObjectName("COUNT"), isStar: true)), alias: "n"),
            .expression(.function(FunctionCall(name: ObjectName("SUM"), arguments: [.col("x")])), alias: "total"),
            .expression(.int(1), alias: "one"),
            .star(qualifier: ObjectName("e")),
        ])
        #expect(spec.into == ObjectName("#tmp"))
        #expect(spec.from == [.table(ObjectName("HumanResources", "Department"), alias: "d",
                                     hints: [TableHint("NOLOCK"), TableHint("INDEX", arguments: [.col("IX_a")])])])
        #expect(spec.groupBy == [.column(ColumnReference(table: ObjectName("d"), column: "Name"))])
        #expect(spec.having == .binary(.function(FunctionCall(name: ObjectName("COUNT"), isStar: true)), .greater, .int(1)))
    }

    @Test func orderByOffsetFetchAndSetOperators() throws {
        guard case .select(let query) = try parseOne("""
            SELECT a FROM x UNION ALL SELECT a FROM y INTERSECT SELECT a FROM z EXCEPT SELECT 1
            ORDER BY a DESC OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY OPTION (RECOMPILE, MAXDOP 1)
            """) else {
            Issue.record("not a select")
            return
        }
        #expect(query.orderBy?.items == [OrderByItem(.col("a"), direction: .descending)])
        #expect(query.orderBy?.offset == .int(10))
        #expect(query.orderBy?.fetch == .int(5))
        #expect(query.options == ["RECOMPILE", "MAXDOP 1"])
        guard case .setOperation(.setOperation(_, .unionAll, .setOperation(_, .intersect, _)), .except, _) = query.body else {
            Issue.record("wrong set-operator shape: \(query.body)")
            return
        }
    }

    @Test func commonTableExpressionsAndWindowFunctions() throws {
        guard case .select(let query) = try parseOne("""
            WITH ct AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY source_object_id, start_lsn ORDER BY create_date DESC) AS rn
                        FROM cdc.change_tables), b (x) AS (SELECT 1)
            SELECT OBJECT_SCHEMA_NAME(source_object_id), SUM(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            FROM ct WHERE rn = 1
            """) else {
            Issue.record("not a select")
            return
        }
        #expect(query.commonTableExpressions.map(\.name) == ["ct", "b"])
        #expect(query.commonTableExpressions[1].columns == ["x"])
        guard case .select(let inner) = query.commonTableExpressions[0].query.body,
              case .expression(.function(let rowNumber), "rn") = inner.items[1] else {
            Issue.record("ROW_NUMBER not parsed")
            return
        }
        #expect(rowNumber.over == WindowSpecification(
            partitionBy: [.col("source_object_id"), .col("start_lsn")],
            orderBy: [OrderByItem(.col("create_date"), direction: .descending)]))
        guard case .select(let outer) = query.body, case .expression(.function(let sum), nil) = outer.items[1] else {
            Issue.record("SUM OVER not parsed")
            return
        }
        #expect(sum.over?.frame == WindowFrame(unit: .rows, start: .unboundedPreceding, end: .currentRow))
    }

    @Test func joinsApplyDerivedTablesAndTableValuedFunctions() throws {
        let spec = try specification("""
            SELECT * FROM a INNER JOIN b ON a.id = b.id LEFT OUTER JOIN c ON c.id = b.id RIGHT JOIN d ON 1 = 1
            FULL JOIN e ON 1 = 1 CROSS JOIN f CROSS APPLY g(a.id) AS gg OUTER APPLY (SELECT 1 AS one) AS o,
            cdc.fn_cdc_get_all_changes_HumanResources_Department(@from, @to, N'all update old') AS ch,
            (VALUES (1, 'a'), (2, 'b')) AS v (id, name), @t AS tv, db..t
            """)
        #expect(spec.from.count == 5)
        guard case .apply(.apply(.join(.join(.join(.join(.join(_, .inner, _, _), .left, _, _), .right, _, _), .full, _, _), .cross, _, nil),
                                 false, .function(let g, "gg", [])), true, .derived(_, "o", [])) = spec.from[0] else {
            Issue.record("join shape: \(spec.from[0])")
            return
        }
        #expect(g.name == ObjectName("g"))
        #expect(spec.from[1] == .function(FunctionCall(
            name: ObjectName("cdc", "fn_cdc_get_all_changes_HumanResources_Department"),
            arguments: [.variable("@from"), .variable("@to"), .nstr("all update old")]), alias: "ch", columns: []))
        guard case .values(let rows, "v", ["id", "name"]) = spec.from[2] else {
            Issue.record("VALUES table")
            return
        }
        #expect(rows.count == 2)
        #expect(spec.from[3] == .variable("@t", alias: "tv"))
        #expect(spec.from[4] == .table(ObjectName(database: "db", name: "t", partCount: 3), alias: nil, hints: []))
    }

    @Test func multiPartNames() throws {
        #expect(try expression("db.dbo.t.c") == .column(ColumnReference(
            table: ObjectName(database: "db", schema: "dbo", name: "t"), column: "c")))
        #expect(try expression("db..t.c") == .column(ColumnReference(
            table: ObjectName(database: "db", name: "t", partCount: 3), column: "c")))
        #expect(try expression("[my table].[the]]col]") == .column(ColumnReference(table: ObjectName("my table"), column: "the]col")))
        #expect(try expression("\"Group\"") == .col("Group"))
    }

    @Test func precedence() throws {
        #expect(try expression("1 + 2 * 3") == .binary(.int(1), .add, .binary(.int(2), .multiply, .int(3))))
        #expect(try expression("1 - 2 - 3") == .binary(.binary(.int(1), .subtract, .int(2)), .subtract, .int(3)))
        #expect(try expression("a | b & c") == .binary(.binary(.col("a"), .bitwiseOr, .col("b")), .bitwiseAnd, .col("c")))
        #expect(try expression("~a * -b") == .binary(.unary(.bitwiseNot, .col("a")), .multiply, .unary(.minus, .col("b"))))
        #expect(try expression("a = 1 OR b = 2 AND NOT c = 3") == .or(
            .binary(.col("a"), .equal, .int(1)),
            .and(.binary(.col("b"), .equal, .int(2)), .not(.binary(.col("c"), .equal, .int(3))))))
        #expect(try expression("(a OR b) AND c") == .and(.or(.col("a"), .col("b")), .col("c")))
        #expect(try expression("a !< 1") == .binary(.col("a"), .notLess, .int(1)))
        #expect(try expression("a != 1") == .binary(.col("a"), .notEqualBang, .int(1)))
        #expect(try expression("a + 1 > b % 2") == .binary(.binary(.col("a"), .add, .int(1)), .greater, .binary(.col("b"), .modulo, .int(2))))
    }

    @Test func predicates() throws {
        #expect(try expression("a IS NOT NULL") == .isNull(.col("a"), negated: true))
        #expect(try expression("a NOT BETWEEN 1 AND 2 AND b = 1") == .and(
            .between(.col("a"), low: .int(1), high: .int(2), negated: true), .binary(.col("b"), .equal, .int(1))))
        #expect(try expression("a NOT IN (1, 2)") == .inList(.col("a"), [.int(1), .int(2)], negated: true))
        #expect(try expression("a NOT LIKE 'x%'") == .like(.col("a"), pattern: .literal(.string("x%", isUnicode: false)), escape: nil, negated: true))
        guard case .inSubquery(_, _, false) = try expression("a IN (SELECT id FROM t)") else {
            Issue.record("IN subquery")
            return
        }
        guard case .not(.exists) = try expression("NOT EXISTS (SELECT 1 FROM t)") else {
            Issue.record("NOT EXISTS")
            return
        }
        guard case .quantified(_, .greater, .all, _) = try expression("a > ALL (SELECT b FROM t)") else {
            Issue.record("> ALL")
            return
        }
        guard case .quantified(_, .equal, .some, _) = try expression("a = SOME (SELECT b FROM t)") else {
            Issue.record("= SOME")
            return
        }
        guard case .subquery = try expression("(SELECT MAX(x) FROM t)") else {
            Issue.record("scalar subquery")
            return
        }
    }

    @Test func specialFunctions() throws {
        #expect(try expression("CAST(x AS decimal(10, 2))") == .cast(.col("x"), as: DataType("decimal", .value(10), .value(2)), isTry: false))
        #expect(try expression("TRY_CAST(x AS int)") == .cast(.col("x"), as: DataType("int"), isTry: true))
        #expect(try expression("CONVERT(varchar(30), GETDATE(), 126)") == .convert(
            DataType("varchar", .value(30)), .function(FunctionCall(name: ObjectName("GETDATE"))), style: .int(126), isTry: false))
        #expect(try expression("TRY_CONVERT(int, '1')") == .convert(DataType("int"), .literal(.string("1", isUnicode: false)), style: nil, isTry: true))
        #expect(try expression("COUNT(DISTINCT a)") == .function(FunctionCall(name: ObjectName("COUNT"), arguments: [.col("a")], isDistinct: true)))
        #expect(try expression("sys.fn_cdc_get_max_lsn()") == .function(FunctionCall(name: ObjectName("sys", "fn_cdc_get_max_lsn"))))
        #expect(try expression("LEFT(Name, 3)") == .function(FunctionCall(name: ObjectName("LEFT"), arguments: [.col("Name"), .int(3)])))
        #expect(try expression("COALESCE(a, NULLIF(b, 0))") == .function(FunctionCall(name: ObjectName("COALESCE"), arguments: [
            .col("a"), .function(FunctionCall(name: ObjectName("NULLIF"), arguments: [.col("b"), .int(0)]))])))
        #expect(try expression("CURRENT_TIMESTAMP") == .niladic("CURRENT_TIMESTAMP"))
        #expect(try expression("@@VERSION") == .systemVariable("@@VERSION"))
        #expect(try expression("Name COLLATE Latin1_General_BIN") == .collate(.col("Name"), collation: "Latin1_General_BIN"))
        #expect(try expression("$12.50 + 0x0A + 1e5 + 2.5") == .binary(.binary(.binary(
            .literal(.money("12.50")), .add, .literal(.binary("0A"))), .add, .literal(.float("1e5"))), .add, .literal(.decimal("2.5"))))
        #expect(try expression("STRING_AGG(Name, ',') WITHIN GROUP (ORDER BY Name)") == .function(FunctionCall(
            name: ObjectName("STRING_AGG"), arguments: [.col("Name"), .literal(.string(",", isUnicode: false))],
            withinGroup: [OrderByItem(.col("Name"))])))
    }

    @Test func caseExpressions() throws {
        #expect(try expression("CASE x WHEN 1 THEN 'a' ELSE 'b' END") == .case(CaseExpression(
            operand: .col("x"), whenClauses: [.init(when: .int(1), then: .literal(.string("a", isUnicode: false)))],
            elseResult: .literal(.string("b", isUnicode: false)))))
        #expect(try expression("CASE WHEN x > 1 THEN 1 WHEN x IS NULL THEN 0 END") == .case(CaseExpression(whenClauses: [
            .init(when: .binary(.col("x"), .greater, .int(1)), then: .int(1)),
            .init(when: .isNull(.col("x"), negated: false), then: .int(0)),
        ])))
    }

    @Test func variableAssignmentInSelect() throws {
        let spec = try specification("SELECT @max = MAX(id), @n += 1 FROM t")
        #expect(spec.items == [
            .assignment(variable: "@max", .assign, .function(FunctionCall(name: ObjectName("MAX"), arguments: [.col("id")]))),
            .assignment(variable: "@n", .add, .int(1)),
        ])
    }
}
