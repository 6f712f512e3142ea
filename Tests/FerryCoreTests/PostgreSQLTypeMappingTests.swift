import FerryCore
import Testing

@Suite("SQL Server → PostgreSQL type mapping")
struct PostgreSQLTypeMappingTests {
    @Test("every type maps as docs/types.md says", arguments: [
        ("bit", "boolean"), ("tinyint", "smallint"), ("int", "integer"), ("bigint", "bigint"),
        ("decimal(38,6)", "numeric(38,6)"), ("numeric", "numeric(18,0)"), ("money", "numeric(19,4)"),
        ("smallmoney", "numeric(10,4)"), ("real", "real"), ("float", "double precision"),
        ("date", "date"), ("time(7)", "time(6)"), ("time(3)", "time(3)"), ("datetime2", "timestamp(6)"),
        ("datetime", "timestamp(3)"), ("smalldatetime", "timestamp(0)"), ("datetimeoffset(2)", "timestamptz(2)"),
        ("nchar(10)", "character(10)"), ("nvarchar(50)", "varchar(50)"), ("nvarchar(max)", "text"),
        ("varbinary(max)", "bytea"), ("rowversion", "bytea"), ("uniqueidentifier", "uuid"), ("xml", "xml"),
        ("ntext", "text"), ("image", "bytea"),
    ])
    func mapping(source: String, target: String) throws {
        let type = try SQLServerDataType(declaration: source)
        #expect(type.postgreSQLType.declaration == target)
    }

    @Test("tinyint keeps its range with a check; lossy types say why")
    func checksAndCaveats() throws {
        let tinyint = try SQLServerDataType(declaration: "tinyint").postgreSQLType
        #expect(tinyint.check(forQuotedColumn: "\"level\"") == "\"level\" BETWEEN 0 AND 255")
        #expect(try SQLServerDataType(declaration: "datetime2(7)").postgreSQLType.caveat != nil)
        #expect(try SQLServerDataType(declaration: "datetime2(6)").postgreSQLType.caveat == nil)
        #expect(try SQLServerDataType(declaration: "datetimeoffset(3)").postgreSQLType.caveat?.contains("offset") == true)
        #expect(try SQLServerDataType(declaration: "sql_variant").postgreSQLType.caveat != nil)
    }
}
