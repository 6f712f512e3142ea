import FerryCore
import Foundation
import Testing

/// A table schema from `name type` pairs; the first `keys` columns make the key.
func taskTestSchema(_ schema: String, _ table: String, _ columns: [(String, String)], key: [String] = []) throws -> TableSchema {
    try TableSchema(identity: TableIdentity(database: "AdventureWorks2014", schema: schema, table: table),
                    columns: columns.map { ColumnDefinition(name: $0.0, type: try SQLServerDataType(declaration: $0.1)) },
                    keyColumns: key)
}

func mappings(_ rules: String) throws -> TableMappings {
    try TableMappings(parsing: #"{"rules": ["# + rules + "]}")
}

func selection(_ id: String, _ action: String, _ schema: String, _ table: String, extra: String = "") -> String {
    #"{"rule-type": "selection", "rule-id": "\#(id)", "rule-name": "\#(id)", "object-locator": {"schema-name": "\#(schema)", "table-name": "\#(table)"\#(extra)}, "rule-action": "\#(action)"}"#
}

@Suite struct TaskTableMappingsSelectionTests {
    @Test func theWalkthroughMappingParsesUnchangedAndSelectsTheSchema() throws {
        let m = try TableMappings(parsing: TaskScenarioFiles.tableMappings)
        #expect(m.selectionRules.count == 1)
        #expect(m.ignored.isEmpty)
        #expect(m.selects(schema: "HumanResources", table: "Department"))
        #expect(m.selects(schema: "humanresources", table: "JobCandidate"))  // SQL Server's default collation
        #expect(!m.selects(schema: "dbo", table: "Department"))
        #expect(!m.selects(schema: "HumanResources", table: "vEmployee", tableType: .view))
        let department = try taskTestSchema("HumanResources", "Department", [("DepartmentID", "smallint"), ("Name", "nvarchar(50)")], key: ["DepartmentID"])
        let target = try m.targetTable(for: department, targetSchema: "adventureworks2014_humanresources", folding: .lowercase)
        #expect(target.schema == "adventureworks2014_humanresources")
        #expect(target.table == "department")
        #expect(target.targetColumnNames == ["departmentid", "name"])
        #expect(target.key?.columns == ["departmentid"])
    }

    @Test func includeExcludeAndExplicit() throws {
        let m = try mappings([
            selection("1", "include", "Sales", "%"),
            selection("2", "exclude", "Sales", "Temp%"),
            selection("3", "explicit", "dbo", "Orders_%"),
        ].joined(separator: ","))
        #expect(m.selects(schema: "Sales", table: "Customer"))
        #expect(!m.selects(schema: "Sales", table: "TempLoad"))
        #expect(m.selects(schema: "dbo", table: "Orders_%"))          // explicit: literal name
        #expect(!m.selects(schema: "dbo", table: "Orders_2024"))      // … so % is not a wildcard
        #expect(!m.selects(schema: "dbo", table: "Other"))
    }

    @Test func exclusionWinsWhateverTheRuleIDs() throws {
        for (includeID, excludeID) in [("1", "2"), ("2", "1")] {
            let m = try mappings(selection(includeID, "include", "dbo", "%") + "," + selection(excludeID, "exclude", "dbo", "audit"))
            #expect(!m.selects(schema: "dbo", table: "audit"))
            #expect(m.selects(schema: "dbo", table: "orders"))
        }
        let explicitThenExcluded = try mappings(selection("1", "explicit", "dbo", "audit") + "," + selection("2", "exclude", "%", "%"))
        #expect(!explicitThenExcluded.selects(schema: "dbo", table: "audit"))
    }

    @Test func tableTypeChoosesTablesViewsOrBoth() throws {
        let m = try mappings([
            selection("1", "include", "dbo", "t%"),
            selection("2", "include", "rpt", "v%", extra: #", "table-type": "view""#),
            selection("3", "include", "all", "%", extra: #", "table-type": "all""#),
        ].joined(separator: ","))
        #expect(m.selects(schema: "dbo", table: "t1"))
        #expect(!m.selects(schema: "dbo", table: "t1", tableType: .view))
        #expect(m.selects(schema: "rpt", table: "v1", tableType: .view))
        #expect(!m.selects(schema: "rpt", table: "v1"))
        #expect(m.selects(schema: "all", table: "x", tableType: .view) && m.selects(schema: "all", table: "x"))
    }

    @Test(arguments: [
        ("%", "anything", true), ("%", "", true), ("Dep%", "Department", true), ("Dept%", "Department", false), ("Dep%", "De", false),
        ("%ment", "Department", true), ("D%t", "Dt", true), ("D%t", "Dx", false),
        ("Emp_oyee", "Employee", true), ("Emp_oyee", "Empoyee", false), ("a_c", "a_c", true), ("a_c", "abc", true),
        ("a[_]c", "a_c", true), ("a[_]c", "abc", false), ("[ab]x", "bx", true), ("[ab]x", "cx", false),
        ("t[1-3]", "t2", true), ("t[1-3]", "t4", false), ("a[b", "a[b", true), ("%a%b%", "xxaYYbzz", true), ("%a%b", "ab_", false),
    ])
    func wildcards(_ pattern: String, _ name: String, _ expected: Bool) {
        #expect(NamePattern(pattern).matches(name, comparison: .caseSensitive) == expected)
    }

    @Test func caseSensitivityFollowsTheChosenComparison() throws {
        let text = #"{"rules": ["# + selection("1", "include", "HumanResources", "Dep%") + "]}"
        let insensitive = try TableMappings(parsing: text)
        let sensitive = try TableMappings(parsing: text, nameComparison: .caseSensitive)
        #expect(insensitive.selects(schema: "HUMANRESOURCES", table: "department"))
        #expect(!sensitive.selects(schema: "HUMANRESOURCES", table: "department"))
        #expect(sensitive.selects(schema: "HumanResources", table: "Department"))
        #expect(NamePattern("[A-C]x").matches("bX", comparison: .caseInsensitive))
    }

    @Test func ruleIDsOrderNumericallyAndMayBeNumbers() throws {
        #expect(RuleID("2") < RuleID("10"))
        #expect(RuleID("010") == RuleID("10"))
        #expect(RuleID("99") < RuleID("a"))
        let m = try TableMappings(parsing: #"{"rules": [{"rule-type": "selection", "rule-id": 10, "object-locator": {"schema-name": "a", "table-name": "%"}, "rule-action": "include"}, {"rule-type": "selection", "rule-id": 2, "object-locator": {"schema-name": "b", "table-name": "%"}, "rule-action": "include"}]}"#)
        #expect(m.selectionRules.map(\.id.text) == ["2", "10"])
    }

    @Test func selectedTablesComeInLoadOrder() throws {
        let m = try mappings([
            selection("1", "include", "s", "second", extra: ""),
            #"{"rule-type": "selection", "rule-id": "2", "object-locator": {"schema-name": "s", "table-name": "first"}, "rule-action": "include", "load-order": "2"}"#,
        ].joined(separator: ","))
        let tables = ["second", "first", "skipped"].map { TableIdentity(database: "d", schema: "s", table: $0) }
        #expect(m.selectedTables(tables).map(\.table) == ["first", "second"])
    }
}

@Suite struct TaskTableMappingsFilterTests {
    let orders = try! taskTestSchema("dbo", "Orders", [
        ("id", "int"), ("region", "varchar(10)"), ("name", "nvarchar(20)"), ("amount", "decimal(10,2)"),
        ("placed", "datetime"), ("day", "date"), ("note", "nvarchar(max)"), ("flag", "bit"),
    ], key: ["id"])

    func filter(_ filters: String) throws -> RowFilter {
        let m = try mappings(#"{"rule-type": "selection", "rule-id": "7", "object-locator": {"schema-name": "dbo", "table-name": "Orders"}, "rule-action": "include", "filters": [\#(filters)]}"#)
        return try m.rowFilter(for: orders)
    }

    func source(_ column: String, _ conditions: String) -> String {
        #"{"filter-type": "source", "column-name": "\#(column)", "filter-conditions": [\#(conditions)]}"#
    }

    @Test func everyOperatorRendersAndEvaluates() throws {
        let cases: [(String, String, [Int64: Bool])] = [
            (#"{"filter-operator": "eq", "value": "5"}"#, "([id] = 5)", [4: false, 5: true, 6: false]),
            (#"{"filter-operator": "noteq", "value": "5"}"#, "([id] <> 5)", [4: true, 5: false]),
            (#"{"filter-operator": "gte", "value": "5"}"#, "([id] >= 5)", [4: false, 5: true, 6: true]),
            (#"{"filter-operator": "lte", "value": "5"}"#, "([id] <= 5)", [4: true, 5: true, 6: false]),
            (#"{"filter-operator": "ste", "value": "5"}"#, "([id] <= 5)", [5: true, 6: false]),
            (#"{"filter-operator": "between", "start-value": "3", "end-value": "5"}"#, "([id] BETWEEN 3 AND 5)", [2: false, 3: true, 5: true, 6: false]),
            (#"{"filter-operator": "notbetween", "start-value": "3", "end-value": "5"}"#, "([id] NOT BETWEEN 3 AND 5)", [2: true, 3: false, 5: false, 6: true]),
            (#"{"filter-operator": "notnull"}"#, "([id] IS NOT NULL)", [1: true]),
        ]
        for (condition, sql, rows) in cases {
            let f = try filter(source("id", condition))
            #expect(f.whereClause == sql)
            for (id, expected) in rows {
                #expect(f.matches(["id": .int(id)]) == expected, "\(condition) on \(id)")
            }
            if !condition.contains("notnull") { #expect(!f.matches(["id": .null]), "\(condition) on NULL") }
        }
        let isNull = try filter(source("id", #"{"filter-operator": "null"}"#))
        #expect(isNull.whereClause == "([id] IS NULL)")
        #expect(isNull.matches(["id": .null]) && !isNull.matches(["id": .int(1)]))
        #expect(isNull.matches(["region": .string("x")]))  // absent counts as NULL
    }

    @Test func filtersAreANDedAndConditionsORed() throws {
        let f = try filter([
            source("region", #"{"filter-operator": "eq", "value": "EU"}, {"filter-operator": "eq", "value": "US"}"#),
            source("amount", #"{"filter-operator": "gte", "value": "100.5"}"#),
        ].joined(separator: ","))
        #expect(f.whereClause == "([region] = 'EU' OR [region] = 'US') AND ([amount] >= 100.5)")
        let big = ColumnValue.decimal(ExactDecimal("200.00")!)
        #expect(f.matches(["region": .string("EU"), "amount": big]))
        #expect(f.matches(["region": .string("us  "), "amount": .decimal(ExactDecimal("100.50")!)]))  // case-insensitive, trailing spaces
        #expect(!f.matches(["region": .string("APAC"), "amount": big]))
        #expect(!f.matches(["region": .string("EU"), "amount": .decimal(ExactDecimal("100.49")!)]))
    }

    @Test func literalsAreTypedForTheColumn() throws {
        let f = try filter([
            source("name", #"{"filter-operator": "eq", "value": "O'Brien"}"#),
            source("placed", #"{"filter-operator": "gte", "value": "2019-01-08"}"#),
            source("day", #"{"filter-operator": "lte", "value": "2020-02-29"}"#),
            source("flag", #"{"filter-operator": "eq", "value": "true"}"#),
        ].joined(separator: ","))
        #expect(f.whereClause == "([name] = N'O''Brien') AND ([placed] >= '2019-01-08T00:00:00.000') AND ([day] <= '2020-02-29') AND ([flag] = 1)")
        let row: Row = ["name": .string("o'brien"), "placed": .dateTime(SQLDateTime("2019-01-08T10:00:00")!), "day": .date(SQLDate("2020-01-01")!), "flag": .bool(true)]
        #expect(f.matches(row))
        var early = row
        early["placed"] = .dateTime(SQLDateTime("2019-01-07T23:59:59")!)
        #expect(!f.matches(early))
    }

    @Test func errorsNameTheRuleAndTheField() throws {
        let bad = #expect(throws: TaskConfigurationError.self) { try filter(source("id", #"{"filter-operator": "eq", "value": "five"}"#)) }
        #expect(bad?.ruleID == "7")
        #expect(bad?.field == "rules[0].filters[0].filter-conditions[0].value")
        #expect(bad?.message.contains("rule 7") == true)
        let unknown = #expect(throws: TaskConfigurationError.self) { try filter(source("nope", #"{"filter-operator": "null"}"#)) }
        #expect(unknown?.code == .ruleDoesNotFit)
        #expect(unknown?.field == "rules[0].filters[0].column-name")
        let lob = #expect(throws: TaskConfigurationError.self) { try filter(source("note", #"{"filter-operator": "null"}"#)) }
        #expect(lob?.code == .unsupportedFeature)
        let missing = #expect(throws: TaskConfigurationError.self) {
            try mappings(#"{"rule-type": "selection", "rule-id": "3", "object-locator": {"schema-name": "dbo", "table-name": "Orders"}, "rule-action": "include", "filters": [{"filter-type": "source", "column-name": "id", "filter-conditions": [{"filter-operator": "between", "start-value": "1"}]}]}"#)
        }
        #expect(missing?.field == "rules[0].filters[0].filter-conditions[0].end-value")
        #expect(missing?.ruleID == "3")
        let op = #expect(throws: TaskConfigurationError.self) {
            try mappings(#"{"rule-type": "selection", "rule-id": "4", "object-locator": {"schema-name": "dbo", "table-name": "Orders"}, "rule-action": "include", "filters": [{"filter-type": "source", "column-name": "id", "filter-conditions": [{"filter-operator": "like", "value": "1"}]}]}"#)
        }
        #expect(op?.field == "rules[0].filters[0].filter-conditions[0].filter-operator")
    }

    @Test func filtersComeFromTheLowestCoveringIncludeRuleAndOnlyIncludeRules() throws {
        let m = try mappings([
            #"{"rule-type": "selection", "rule-id": "5", "object-locator": {"schema-name": "dbo", "table-name": "%"}, "rule-action": "include"}"#,
            #"{"rule-type": "selection", "rule-id": "2", "object-locator": {"schema-name": "dbo", "table-name": "Orders"}, "rule-action": "include", "filters": [{"filter-type": "source", "column-name": "id", "filter-conditions": [{"filter-operator": "gte", "value": 10}]}]}"#,
            #"{"rule-type": "selection", "rule-id": "9", "object-locator": {"schema-name": "dbo", "table-name": "X"}, "rule-action": "exclude", "filters": [{"filter-type": "source", "column-name": "id", "filter-conditions": [{"filter-operator": "null"}]}]}"#,
        ].joined(separator: ","))
        #expect(m.sourceFilters(for: orders.identity).map(\.columnName) == ["id"])
        #expect(try m.rowFilter(for: orders).whereClause == "([id] >= 10)")
        #expect(m.ignored.map(\.path) == ["rules[2].filters"])
    }
}
