import Testing
import TSQL

@Suite("TSQLPrinter")
struct TSQLPrinterTests {
    static let corpus: [String] = [
        "SELECT 1",
        "SELECT DISTINCT TOP (10) PERCENT WITH TIES a, b AS [x y], c = 1 + 2, 'lit' 'alias', t.* FROM t ORDER BY a",
        "SELECT TOP 5 * INTO #tmp FROM dbo.t AS t WITH (NOLOCK, INDEX(ix)) WHERE a = 1 GROUP BY a HAVING COUNT(*) > 1",
        "SELECT a FROM x UNION SELECT a FROM y UNION ALL SELECT b FROM z EXCEPT SELECT 1 INTERSECT SELECT 2",
        "(SELECT 1) UNION (SELECT 2 ORDER BY 1 OFFSET 0 ROWS)",
        "SELECT * FROM a ORDER BY a DESC, b ASC OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY OPTION (RECOMPILE)",
        "WITH c (x) AS (SELECT 1), d AS (SELECT x FROM c) SELECT * FROM d",
        "SELECT * FROM a JOIN b ON a.i = b.i LEFT JOIN c ON 1 = 1 RIGHT OUTER JOIN d ON 1 = 1 FULL JOIN e ON 1 = 1 CROSS JOIN f",
        "SELECT * FROM a CROSS APPLY f(a.x) AS g OUTER APPLY (SELECT 1 AS y) AS h, (SELECT 2 AS z) AS i (q)",
        "SELECT * FROM a JOIN (b JOIN c ON b.x = c.x) ON a.x = b.x",
        "SELECT * FROM (VALUES (1, N'a'), (2, DEFAULT)) AS v (id, name), @t AS tv, srv.db..t",
        "SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_Department(@from, @to, N'all update old')",
        "SELECT sys.fn_cdc_get_max_lsn(), @@VERSION, CURRENT_TIMESTAMP, $12.50, 0x00, 0x, 1e5, 2.50, -1, - -1, ~1",
        "SELECT 1 - (2 - 3), (1 - 2) - 3, 2 * (3 + 4), -(a + b), a & b | c ^ d, a % b / c",
        "SELECT CASE WHEN a IS NULL THEN 0 WHEN a NOT BETWEEN 1 AND 5 THEN 1 ELSE 2 END, CASE a WHEN 1 THEN 'x' END",
        "SELECT * FROM t WHERE NOT (a = 1 OR b = 2) AND (c = 3 OR d <> 4) AND e != 5 AND f !< 6 AND g !> 7",
        "SELECT * FROM t WHERE a NOT IN (1, 2) AND b IN (SELECT x FROM y) AND NOT EXISTS (SELECT 1) AND c > ALL (SELECT 1)",
        "SELECT * FROM t WHERE a LIKE N'%x!%%' ESCAPE '!' AND b NOT LIKE 'y' AND c = ANY (SELECT 1)",
        "SELECT CAST(a AS decimal(10, 2)), TRY_CAST(b AS varchar(max)), CONVERT(nvarchar(30), c, 126), TRY_CONVERT(int, d)",
        "SELECT COUNT(*), COUNT(DISTINCT a), LEFT(b, 2), RIGHT(b, 1), COALESCE(a, NULLIF(b, 0)), ISNULL(a, 0)",
        "SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC), SUM(c) OVER (ORDER BY d ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)",
        "SELECT STRING_AGG(a, ',') WITHIN GROUP (ORDER BY a), AVG(b) OVER (), MAX(c) OVER (ROWS UNBOUNDED PRECEDING)",
        "SELECT a COLLATE Latin1_General_BIN, [weird]]name], [select], \"quoted\" FROM [my table]",
        "SELECT @a = 1, @b += a FROM t",
        "SELECT (SELECT MAX(x) FROM y) AS m",
        "INSERT INTO t (a, b) VALUES (1, DEFAULT), (N'x''y', NULL)",
        "INSERT t DEFAULT VALUES",
        "INSERT INTO t OUTPUT inserted.* INTO @log (a) SELECT a FROM s",
        "INSERT INTO #t EXEC dbo.p 1, @x OUTPUT",
        "WITH c AS (SELECT 1 AS a) INSERT INTO t (a) SELECT a FROM c",
        "UPDATE TOP (5) t SET a = 1, b += 2, @v = 3 OUTPUT deleted.a, inserted.a AS na FROM t JOIN u ON t.i = u.i WHERE u.x = 1",
        "UPDATE dbo.t WITH (ROWLOCK) SET a = DEFAULT",
        "DELETE FROM t WHERE a = 1",
        "DELETE TOP (1) t OUTPUT deleted.* FROM t AS x WHERE x.a = 2",
        "MERGE t AS tg USING s ON tg.id = s.id WHEN MATCHED AND tg.v <> s.v THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id) WHEN NOT MATCHED BY SOURCE THEN DELETE OUTPUT inserted.id;",
        "CREATE DATABASE d", "USE d", "CREATE SCHEMA s AUTHORIZATION dbo", "CREATE TYPE dbo.Phone FROM nvarchar(25) NULL",
        """
        CREATE TABLE dbo.t (id int IDENTITY(100, -1) NOT FOR REPLICATION NOT NULL CONSTRAINT pk PRIMARY KEY NONCLUSTERED,
          g uniqueidentifier ROWGUIDCOL DEFAULT newsequentialid(), c AS (id * 2) PERSISTED NOT NULL,
          n nvarchar(10) COLLATE Latin1_General_CI_AS SPARSE NULL UNIQUE CHECK (n <> ''),
          f int FOREIGN KEY REFERENCES dbo.o ON DELETE SET DEFAULT ON UPDATE CASCADE NOT FOR REPLICATION,
          CONSTRAINT u UNIQUE CLUSTERED (id DESC, g) WITH FILLFACTOR = 90,
          CONSTRAINT fk FOREIGN KEY (f, id) REFERENCES dbo.o (a, b) ON DELETE SET NULL,
          CHECK NOT FOR REPLICATION (id > 0)) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
        """,
        "CREATE INDEX ix ON t (a)",
        "CREATE UNIQUE CLUSTERED INDEX ix ON dbo.t (a DESC, b) INCLUDE (c, d) WHERE a IS NOT NULL WITH (ONLINE = ON, MAXDOP = 2) ON [PRIMARY]",
        "CREATE VIEW dbo.v (a, b) WITH SCHEMABINDING AS SELECT a, b FROM dbo.t WITH CHECK OPTION",
        "ALTER VIEW v AS WITH c AS (SELECT 1 AS x) SELECT x FROM c",
        "CREATE OR ALTER PROCEDURE dbo.p @a int = 1, @b nvarchar(10) = N'x' OUTPUT, @c varchar(5) = abc WITH RECOMPILE, EXECUTE AS 'dbo' AS SET NOCOUNT ON; IF @a > 1 BEGIN SELECT 1; RETURN 1 END ELSE RETURN; SELECT 2",
        "CREATE PROC p AS BEGIN TRY SELECT 1/0 END TRY BEGIN CATCH THROW; END CATCH",
        "ALTER TABLE t ADD c int NULL, CONSTRAINT d DEFAULT 0 FOR c WITH VALUES",
        "ALTER TABLE t WITH NOCHECK ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES o (a)",
        "ALTER TABLE t WITH CHECK CHECK CONSTRAINT fk, fk2",
        "ALTER TABLE t DROP COLUMN a, b, CONSTRAINT IF EXISTS c, d",
        "ALTER TABLE t ALTER COLUMN a varchar(20) COLLATE Latin1_General_BIN NOT NULL",
        "DROP TABLE IF EXISTS a, dbo.b", "DROP VIEW v", "DROP PROCEDURE p", "DROP INDEX ix ON t, t2.ix2", "DROP TYPE dbo.Phone",
        "DROP SCHEMA IF EXISTS s", "DROP DATABASE d", "TRUNCATE TABLE t",
        "EXEC sp_rename 'a.b', 'c', 'COLUMN'", "EXECUTE @rc = dbo.p @a = 1, @b = @c OUTPUT, @d = DEFAULT, e, -2",
        "EXEC @proc", "EXEC (N'SELECT 1' + @x)", "sp_who",
        "BEGIN TRAN", "BEGIN TRANSACTION t1", "COMMIT", "COMMIT TRAN t1", "ROLLBACK WORK", "ROLLBACK TRAN @name", "SAVE TRAN s",
        "SET TRANSACTION ISOLATION LEVEL SNAPSHOT", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
        "SET NOCOUNT ON", "SET ANSI_NULLS, ANSI_WARNINGS OFF", "SET TEXTSIZE 2147483647", "SET LOCK_TIMEOUT -1",
        "SET LANGUAGE us_english", "SET IDENTITY_INSERT dbo.t ON", "SET STATISTICS TIME OFF",
        "ALTER DATABASE d SET ALLOW_SNAPSHOT_ISOLATION ON", "ALTER DATABASE d SET READ_COMMITTED_SNAPSHOT ON, SINGLE_USER WITH ROLLBACK IMMEDIATE",
        "DECLARE @a int = 1, @b nvarchar(max), @c dbo.Name", "DECLARE @t TABLE (id int NOT NULL PRIMARY KEY, v sql_variant)",
        "SET @a = (SELECT 1)", "SET @a -= 1",
        "IF @a = 1 PRINT 'one' ELSE IF @a = 2 PRINT 'two' ELSE PRINT 'many'",
        "IF 1 = 1 BEGIN IF 2 = 2 PRINT 'a' END ELSE PRINT 'b'",
        "WHILE @i < 10 BEGIN SET @i += 1; IF @i = 3 CONTINUE; IF @i = 5 BREAK END",
        "BEGIN END", "RETURN", "RETURN @a + 1", "PRINT N'x'",
        "RAISERROR (50001, 16, 1)", "RAISERROR (N'%s and %d', 10, 1, N'a', 5) WITH NOWAIT, LOG",
        "THROW 50000, N'boom', 1", "WAITFOR DELAY '00:00:01'", "WAITFOR TIME '23:00'",
    ]

    @Test(arguments: corpus)
    func roundTrip(_ sql: String) throws {
        try expectRoundTrip(sql)
    }

    @Test func printsCanonicalText() throws {
        #expect(TSQLPrinter.print(try parseOne("select a+b*c as [x] from [dbo].[t] where not a=1")) ==
            "SELECT a + b * c AS x FROM dbo.t WHERE NOT a = 1")
        #expect(TSQLPrinter.print(try TSQLParser.parseExpression("(a + b) * c - (d - e)")) == "(a + b) * c - (d - e)")
        #expect(TSQLPrinter.print(try TSQLParser.parseExpression("- -1")) == "-(-1)")
        #expect(TSQLPrinter.print(try TSQLParser.parseDataType("nvarchar(MAX)")) == "nvarchar(max)")
        #expect(TSQLPrinter.quote("order") == "[order]")
        #expect(TSQLPrinter.quote("a]b") == "[a]]b]")
        #expect(TSQLPrinter.quote("Name") == "Name")
        #expect(TSQLPrinter.stringLiteral("it's", isUnicode: true) == "N'it''s'")
    }

    @Test func wrapsAThenBranchThatWouldCaptureTheElse() {
        let inner = TSQLStatement(kind: .if(condition: .col("b"), then: TSQLStatement(kind: .print(.int(1))), else: nil))
        let outer = Statement.if(condition: .col("a"), then: inner, else: TSQLStatement(kind: .print(.int(2))))
        let printed = TSQLPrinter.print(outer)
        #expect(printed.contains("BEGIN"))
    }
}
