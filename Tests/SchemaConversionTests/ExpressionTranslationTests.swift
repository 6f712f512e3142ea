import FerryCore
@testable import SchemaConversion
import TSQL
import Testing

/// Rule-by-rule translation of stored T-SQL expressions and view bodies.
@Suite struct ExpressionTranslationTests {
    static let table = CatalogTable(schema: "Sales", name: "Orders", columns: [
        CatalogColumn(name: "OrderID", type: try! SQLServerDataType(.int), isNullable: false),
        CatalogColumn(name: "Customer", type: try! SQLServerDataType(.nvarchar, length: .limited(50)), isNullable: true),
        CatalogColumn(name: "IsOpen", type: try! SQLServerDataType(.bit), isNullable: false),
        CatalogColumn(name: "Placed", type: try! SQLServerDataType(.datetime), isNullable: false),
        CatalogColumn(name: "Amount", type: try! SQLServerDataType(.money), isNullable: false),
    ])
    static let catalog = SourceCatalog(database: "Shop", schemas: ["Sales"], tables: [table])

    func translate(_ text: String, expected: ValueKind? = nil) -> String {
        let run = ConversionRun(catalog: Self.catalog, options: .init())
        switch run.translateStored(text, table: Self.table, expected: expected) {
        case .success(let translated): return translated.sql
        case .failure(let failure): return "untranslatable: \(failure.reason)"
        }
    }

    @Test(arguments: [
        ("(getdate())", "LOCALTIMESTAMP"),
        ("(sysdatetime())", "LOCALTIMESTAMP"),
        ("(getutcdate())", "(now() AT TIME ZONE 'UTC')"),
        ("(newid())", "gen_random_uuid()"),
        ("(suser_sname())", "SESSION_USER"),
        ("(N'it''s')", "'it''s'"),
        ("((0))", "0"),
        ("(isnull([Customer],N'?'))", "COALESCE(customer, '?')"),
        ("([Customer]+N' #'+CONVERT([nvarchar](10),[OrderID]))", "(customer || ' #') || CAST(orderid AS varchar(10))"),
        ("([IsOpen]=(1))", "isopen = true"),
        ("([Amount]>=(6.50) AND [Amount]<=(200.00))", "(amount >= 6.50) AND (amount <= 200.00)"),
        ("(datepart(year,[Placed]))", "CAST(EXTRACT(YEAR FROM placed) AS integer)"),
        ("(dateadd(day,(30),[Placed]))", "(placed + 30 * interval '1 day')"),
        ("(CONVERT([varchar](10),[Placed],(112)))", "CAST(to_char(placed, 'YYYYMMDD') AS varchar(10))"),
        ("(iif([Amount]>(100),'big','small'))", "CASE WHEN amount > 100 THEN 'big' ELSE 'small' END"),
        ("(case when [Customer] like 'A%' then 1 else 0 end)", "CASE WHEN customer LIKE 'A%' THEN 1 ELSE 0 END"),
        ("(len([Customer]))", "length(rtrim(customer))"),
        ("(0x00FF)", "'\\x00FF'::bytea"),
        ("([OrderID]%(7)!=(0))", "(orderid % 7) <> 0"),
    ])
    func storedExpressionTranslates(source: String, expected: String) {
        #expect(translate(source) == expected)
    }

    @Test func aBitDefaultBecomesABoolean() {
        #expect(translate("((1))", expected: .boolean) == "true")
        #expect(translate("((0))", expected: .boolean) == "false")
    }

    @Test(arguments: [
        ("([Customer] like '[A-C]%')", "character class"),
        ("(TRY_CAST([Customer] AS int))", "TRY_CAST"),
        ("(dbo.fnDiscount([Amount]))", "user function"),
        ("(@@SPID)", "@@SPID"),
        ("(CONVERT(varchar(20), [Placed]))", "to_char"),
        ("([Placed]+(1))", "date arithmetic"),
        ("([Missing]+(1))", "not a column"),
        ("(soundex([Customer]))", "SOUNDEX"),
    ])
    func unsafeExpressionsAreRefused(source: String, reason: String) {
        let result = translate(source)
        #expect(result.hasPrefix("untranslatable"), "\(result)")
        #expect(result.contains(reason), "\(result)")
    }

    func view(_ text: String) throws -> Result<String, Untranslatable> {
        let batch = try TSQLParser.parse(text)
        guard case .createView(let statement) = batch.statements[0].kind else { throw Untranslatable("not a view") }
        var translator = QueryTranslator(catalog: Self.catalog, naming: .default, defaultSchema: "Sales")
        var warnings: [String] = []
        do throws(Untranslatable) {
            return .success(try translator.translate(statement.query, warnings: &warnings))
        } catch {
            return .failure(error)
        }
    }

    @Test func viewsTranslateTopBracketsJoinsAndAggregates() throws {
        let top = try view("""
            CREATE VIEW Sales.vTop AS SELECT TOP 10 [o].[OrderID], [o].[Customer] + ' (' + CAST([o].[Amount] AS varchar(20)) + ')' AS [Label]
            FROM [Sales].[Orders] [o] WITH (NOLOCK) WHERE [o].[IsOpen] = 1 ORDER BY [o].[Amount] DESC
            """).get()
        #expect(top == "SELECT o.orderid, ((o.customer || ' (') || CAST(o.amount AS varchar(20))) || ')' AS label FROM shop_sales.orders AS o WHERE o.isopen = true ORDER BY o.amount DESC NULLS LAST LIMIT 10")
        let grouped = try view("""
            CREATE VIEW Sales.vByCustomer AS SELECT Customer, COUNT(*) AS Orders, SUM(Amount) AS Total FROM Orders
            WHERE Placed >= '2020-01-01' AND Customer IN (SELECT Customer FROM Sales.Orders WHERE Amount > 10) GROUP BY Customer HAVING COUNT(*) > 1
            """).get()
        #expect(grouped == "SELECT customer, count(*) AS orders, sum(amount) AS total FROM shop_sales.orders WHERE (placed >= '2020-01-01') AND (customer IN (SELECT customer FROM shop_sales.orders WHERE amount > 10)) GROUP BY customer HAVING count(*) > 1")
        let ranked = try view("""
            CREATE VIEW Sales.vRanked AS SELECT OrderID, ROW_NUMBER() OVER (PARTITION BY Customer ORDER BY Placed DESC) AS n FROM Sales.Orders o
            CROSS APPLY (SELECT TOP 1 x.OrderID AS Latest FROM Sales.Orders x WHERE x.Customer = o.Customer ORDER BY x.Placed DESC) AS l
            """).get()
        #expect(ranked == "SELECT orderid, row_number() OVER (PARTITION BY customer ORDER BY placed DESC NULLS LAST) AS n FROM shop_sales.orders AS o CROSS JOIN LATERAL (SELECT x.orderid AS latest FROM shop_sales.orders AS x WHERE x.customer = o.customer ORDER BY x.placed DESC NULLS LAST LIMIT 1) AS l")
    }

    @Test func viewsOnUnknownTablesOrFunctionsAreRefused() throws {
        guard case .failure(let unknown) = try view("CREATE VIEW Sales.v AS SELECT * FROM Sales.Missing") else {
            Issue.record("a view on a missing table converted")
            return
        }
        #expect(unknown.reason.contains("Sales.Missing"))
        guard case .failure(let percent) = try view("CREATE VIEW Sales.v AS SELECT TOP 10 PERCENT OrderID FROM Sales.Orders ORDER BY OrderID") else {
            Issue.record("TOP PERCENT converted")
            return
        }
        #expect(percent.reason.contains("PERCENT"))
    }

    @Test func namesAreQuotedOnlyWhenNeeded() {
        #expect(PostgreSQLNames.quote("department") == "department")
        #expect(PostgreSQLNames.quote("order") == "\"order\"")
        #expect(PostgreSQLNames.quote("Mixed") == "\"Mixed\"")
        #expect(PostgreSQLNames.quote("a\"b") == "\"a\"\"b\"")
        #expect(ConversionRun.truncated(String(repeating: "x", count: 80)).utf8.count == 63)
    }
}
