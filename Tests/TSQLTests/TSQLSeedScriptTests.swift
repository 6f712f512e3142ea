import SQLServerEmulator
import Testing
import TSQL

/// The HumanResources seed script of the migration walkthrough, as a client sends it: one batch
/// per `GO`-separated part.
enum HumanResourcesScript {
    /// The shipped sample's schema batches (database, schema, alias types, tables, view,
    /// procedure), then batches that exercise more statements: identity inserts, CDC procedures,
    /// ALTER TABLE and a CDC query.
    static let batches: [String] = Array(SampleDatabases.humanResources.batches.prefix(7)) + [
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
        ["createTable", "createTable", "createTable", "createTable", "createTable", "createTable", "createIndex"],
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
        #expect(statements[0].sourceText.hasPrefix("CREATE TABLE HumanResources.Department ("))
        #expect(statements[0].sourceText.hasSuffix(") ON [PRIMARY]"))
        #expect(statements[1].location.line == 8)
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
