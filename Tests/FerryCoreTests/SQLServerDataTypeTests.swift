import FerryCore
import Testing

@Suite struct SQLServerDataTypeTests {
    @Test(arguments: [
        "bit", "tinyint", "smallint", "int", "bigint", "decimal(38,4)", "numeric(1,0)", "decimal(38,38)", "money", "smallmoney",
        "real", "float", "date", "time(0)", "time(7)", "datetime2(3)", "datetimeoffset(7)", "datetime", "smalldatetime",
        "char(1)", "varchar(8000)", "varchar(max)", "nchar(4000)", "nvarchar(50)", "nvarchar(max)", "text", "ntext",
        "binary(16)", "varbinary(8000)", "varbinary(max)", "image", "uniqueidentifier", "xml", "rowversion",
        "hierarchyid", "geography", "geometry", "sql_variant",
    ])
    func canonicalDeclarationsRoundTrip(_ text: String) throws {
        let type = try SQLServerDataType(declaration: text)
        #expect(type.description == text)
        #expect(try SQLServerDataType(declaration: type.description) == type)
    }

    @Test(arguments: [
        ("NVARCHAR ( 50 )", "nvarchar(50)"), ("[datetime2](7)", "datetime2(7)"), ("decimal", "decimal(18,0)"),
        ("numeric(10)", "numeric(10,0)"), ("varchar", "varchar(1)"), ("datetime2", "datetime2(7)"), ("time", "time(7)"),
        ("timestamp", "rowversion"), ("dec(5,2)", "decimal(5,2)"), ("integer", "int"), ("double precision", "float"),
        ("float(24)", "real"), ("float(25)", "float"), ("VarBinary(MAX)", "varbinary(max)"),
    ])
    func spellingsNormalise(_ text: String, _ canonical: String) throws {
        #expect(try SQLServerDataType(declaration: text).description == canonical)
    }

    @Test(arguments: [
        "", "nvarchar(4001)", "varchar(8001)", "varchar(0)", "char(max)", "nchar(max)", "decimal(39,0)", "decimal(0)",
        "decimal(5,6)", "datetime2(8)", "time(-1)", "int(4)", "text(10)", "money(19,4)", "varchar(x)", "varchar(10",
        "varchar 10)", "decimal(10,)", "decimal(1,2,3)", "nvarchar(50)(3)", "strange", "float(54)", "float(0)",
    ])
    func invalidDeclarationsThrowNamingTheText(_ text: String) {
        #expect {
            _ = try SQLServerDataType(declaration: text)
        } throws: { error in
            guard let error = error as? FerryCoreError else { return false }
            return error.code == .invalidDeclaration && error.message.contains("'\(text)'")
        }
    }

    @Test func factsForConsumers() throws {
        let nvarcharMax = try SQLServerDataType(declaration: "nvarchar(max)")
        #expect(nvarcharMax.isMax && nvarcharMax.isLargeObject && !nvarcharMax.isLegacyLargeObject && !nvarcharMax.isFixedLength)
        #expect(nvarcharMax.isUnicode)
        let ntext = try SQLServerDataType(declaration: "ntext")
        #expect(ntext.isLegacyLargeObject && ntext.isLargeObject && !ntext.isMax)
        let xml = try SQLServerDataType(declaration: "xml")
        #expect(xml.isLargeObject && !xml.isMax)
        let char = try SQLServerDataType(declaration: "char(10)")
        #expect(char.isFixedLength && !char.isLargeObject && !char.isUnicode)
        #expect(try SQLServerDataType(declaration: "varchar(10)").isFixedLength == false)
        #expect(try SQLServerDataType(declaration: "int").isFixedLength)
        #expect(try SQLServerDataType(declaration: "tinyint").integerRange == 0...255)
        #expect(try SQLServerDataType(declaration: "money").exactPrecision == 19)
        #expect(try SQLServerDataType(declaration: "money").effectiveScale == 4)
        #expect(try SQLServerDataType(declaration: "datetime").effectiveScale == 3)
        #expect(try SQLServerDataType(declaration: "decimal(38,4)").category == .exactNumeric)
    }

    @Test func keepsTheAliasName() throws {
        let type = try SQLServerDataType(declaration: "nvarchar(20)", aliasName: "dbo.Phone")
        #expect(type.aliasName == "dbo.Phone")
        #expect(type.description == "nvarchar(20)")
    }
}
