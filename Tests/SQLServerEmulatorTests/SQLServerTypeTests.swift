@testable import SQLServerEmulator
import TSQL
import Testing

@Suite struct SQLServerTypeTests {
    func type(_ declaration: String) throws -> SQLServerType {
        try #require(try SQLServerType(systemType: TSQLParser.parseDataType(declaration)))
    }

    @Test(arguments: [
        ("nvarchar(50)", "nvarchar(50)", 100, 0, 0),
        ("nvarchar(max)", "nvarchar(max)", -1, 0, 0),
        ("varchar(10)", "varchar(10)", 10, 0, 0),
        ("nchar(1)", "nchar(1)", 2, 0, 0),
        ("varbinary(max)", "varbinary(max)", -1, 0, 0),
        ("datetime2", "datetime2(7)", 8, 27, 7),
        ("datetime2(3)", "datetime2(3)", 7, 23, 3),
        ("time(7)", "time(7)", 5, 16, 7),
        ("datetimeoffset", "datetimeoffset(7)", 10, 34, 7),
        ("datetime", "datetime", 8, 23, 3),
        ("smalldatetime", "smalldatetime", 4, 16, 0),
        ("date", "date", 3, 10, 0),
        ("decimal(18, 2)", "decimal(18,2)", 9, 18, 2),
        ("decimal", "decimal(18,0)", 9, 18, 0),
        ("numeric(38,4)", "numeric(38,4)", 17, 38, 4),
        ("money", "money", 8, 19, 4),
        ("smallmoney", "smallmoney", 4, 10, 4),
        ("float", "float", 8, 53, 0),
        ("float(24)", "real", 4, 24, 0),
        ("tinyint", "tinyint", 1, 3, 0),
        ("int", "int", 4, 10, 0),
        ("bigint", "bigint", 8, 19, 0),
        ("bit", "bit", 1, 1, 0),
        ("uniqueidentifier", "uniqueidentifier", 16, 0, 0),
        ("xml", "xml", -1, 0, 0),
        ("rowversion", "rowversion", 8, 0, 0),
        ("text", "text", 16, 0, 0),
        ("sql_variant", "sql_variant", 8016, 0, 0),
        ("hierarchyid", "hierarchyid", 892, 0, 0),
        ("geography", "geography", -1, 0, 0),
    ])
    func sysColumnsMetadata(_ input: String, _ declaration: String, _ maxLength: Int, _ precision: Int, _ scale: Int) throws {
        let type = try type(input)
        #expect(type.declaration == declaration)
        #expect(type.maxLength == maxLength)
        #expect(type.sysPrecision == precision)
        #expect(type.sysScale == scale)
    }

    @Test func storageTypes() throws {
        #expect(try type("nvarchar(50)").postgresStorageType == "text COLLATE sqlserver_catalog.ci")
        #expect(try type("money").postgresStorageType == "numeric(19,4)")
        #expect(try type("uniqueidentifier").postgresStorageType == "uuid")
        #expect(try type("datetimeoffset(3)").postgresStorageType == "sqlserver_catalog.datetimeoffset")
        #expect(try type("datetime2(7)").postgresStorageType == "sqlserver_catalog.datetime2_7")
        #expect(try type("datetime2(3)").postgresStorageType == "timestamp(3)")
        #expect(try type("time").postgresStorageType == "sqlserver_catalog.time_7")
        #expect(try type("geography").postgresStorageType == "bytea")
        #expect(try type("bit").postgresStorageType == "smallint")
    }

    @Test func aliasKeepsItsName() throws {
        var name = try type("nvarchar(50)")
        name.aliasName = "dbo.Name"
        #expect(name.declaration == "dbo.Name")
        #expect(name.systemDeclaration == "nvarchar(50)")
        #expect(name.maxLength == 100)
    }

    @Test func oversizedLengthIsMsg131() {
        #expect(throws: SQLServerError.self) { try SQLServerType(systemType: DataType("nvarchar", .value(5000)), column: "c") }
        do {
            _ = try SQLServerType(systemType: DataType("varchar", .value(9000)), column: "Notes")
        } catch {
            #expect(error.number == 131)
            #expect(error.message == "The size (9000) given to the column 'Notes' exceeds the maximum allowed for any data type (8000).")
        }
    }
}
