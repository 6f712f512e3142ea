import FerryCore
import Testing

@Suite struct TaskTransformationTests {
    let actor = try! taskTestSchema("test", "Actor", [
        ("actor_id", "int"), ("first_name", "nvarchar(45)"), ("last_name", "nvarchar(45)"), ("col_a", "int"), ("Pre_code", "char(3)"), ("updated", "datetime2(7)"),
    ], key: ["actor_id"])

    static let select = selection("1", "include", "test", "%")

    func rule(_ id: String, _ target: String, _ action: String, table: String = "Actor", column: String? = nil, _ extra: String = "") -> String {
        let columnPart = column.map { #", "column-name": "\#($0)""# } ?? ""
        return #"{"rule-type": "transformation", "rule-id": "\#(id)", "rule-name": "\#(id)", "rule-target": "\#(target)", "object-locator": {"schema-name": "test", "table-name": "\#(table)"\#(columnPart)}, "rule-action": "\#(action)"\#(extra)}"#
    }

    func target(_ rules: String..., targetSchema: String = "", folding: NameFolding = .preserve) throws -> TargetTable {
        try mappings(([Self.select] + rules).joined(separator: ",")).targetTable(for: actor, targetSchema: targetSchema, folding: folding)
    }

    @Test func everyNamingActionOnTables() throws {
        #expect(try target(rule("2", "table", "rename", #", "value": "Actor1""#)).table == "Actor1")
        #expect(try target(rule("2", "table", "convert-lowercase")).table == "actor")
        #expect(try target(rule("2", "table", "convert-uppercase")).table == "ACTOR")
        #expect(try target(rule("2", "table", "add-prefix", table: "%", #", "value": "DMS_""#)).table == "DMS_Actor")
        #expect(try target(rule("2", "table", "remove-prefix", #", "value": "Ac""#)).table == "tor")
        #expect(try target(rule("2", "table", "remove-prefix", #", "value": "Zz""#)).table == "Actor")
        #expect(try target(rule("2", "table", "replace-prefix", #", "value": "Fa", "old-value": "Ac""#)).table == "Fator")
        #expect(try target(rule("2", "table", "add-suffix", #", "value": "_DMS""#)).table == "Actor_DMS")
        #expect(try target(rule("2", "table", "remove-suffix", #", "value": "or""#)).table == "Act")
        #expect(try target(rule("2", "table", "replace-suffix", #", "value": "ion", "old-value": "or""#)).table == "Action")
    }

    @Test func schemaRulesTakePrecedenceOverTargetSchema() throws {
        #expect(try target(targetSchema: "tgt").schema == "tgt")
        #expect(try target().schema == "test")
        let renamed = try target(#"{"rule-type": "transformation", "rule-id": "2", "rule-target": "schema", "object-locator": {"schema-name": "test"}, "rule-action": "rename", "value": "Test1"}"#, targetSchema: "tgt")
        #expect(renamed.schema == "Test1")
        let upper = try target(#"{"rule-type": "transformation", "rule-id": "2", "rule-target": "schema", "object-locator": {"schema-name": "%"}, "rule-action": "convert-uppercase"}"#, targetSchema: "tgt")
        #expect(upper.schema == "TEST")
    }

    @Test func columnNamingRemovalAndInclusion() throws {
        let t = try target(
            rule("2", "column", "rename", column: "first_name", #", "value": "fname""#),
            rule("3", "column", "convert-uppercase", table: "%", column: "%"),
            rule("4", "column", "remove-column", column: "col%"),
            rule("5", "column", "replace-prefix", column: "%", #", "value": "NewPre_", "old-value": "Pre_""#)
        )
        // rename (2) then uppercase (3): FNAME; replace-prefix (5) works on the upper-cased name, compared case-insensitively.
        #expect(t.includedColumns.map(\.name) == ["ACTOR_ID", "FNAME", "LAST_NAME", "NewPre_CODE", "UPDATED"])
        #expect(t.column(forSource: "col_a")?.excludedBy == RuleID("4"))
        #expect(t.column(forSource: "first_name")?.namingRules == [RuleID("2"), RuleID("3")])

        let only = try target(rule("2", "column", "include-column", column: "%_name"), rule("3", "column", "include-column", column: "actor_id"))
        #expect(only.includedColumns.map(\.name) == ["actor_id", "first_name", "last_name"])
        #expect(only.column(forSource: "col_a")?.excludedBy == RuleID("2"))
    }

    @Test func lowestRuleIDWinsWhenRulesConflict() throws {
        let renames = try target(rule("9", "table", "rename", #", "value": "Nine""#), rule("3", "table", "rename", #", "value": "Three""#))
        #expect(renames.table == "Three")
        let includeFirst = try target(rule("2", "column", "include-column", column: "%"), rule("3", "column", "remove-column", column: "col_a"))
        #expect(includeFirst.column(forSource: "col_a")?.isIncluded == true)
        let removeFirst = try target(rule("2", "column", "remove-column", column: "col_a"), rule("3", "column", "include-column", column: "%"))
        #expect(removeFirst.column(forSource: "col_a")?.isIncluded == false)
        let types = try target(rule("4", "column", "change-data-type", column: "col_a", #", "data-type": {"type": "string", "length": 20}"#),
                               rule("2", "column", "change-data-type", column: "col_a", #", "data-type": {"type": "int8"}"#))
        #expect(types.column(forSource: "col_a")?.changedType == TargetDataType(.int8))
        #expect(types.column(forSource: "col_a")?.changedType?.postgreSQLDeclaration == "bigint")
    }

    @Test func addColumnEvaluatesReferencesConcatenationAndLiterals() throws {
        let t = try target(
            rule("2", "column", "add-column", #", "value": "FULL_NAME", "expression": "$first_name||' '||$last_name", "data-type": {"type": "string", "length": 91}"#),
            rule("3", "column", "add-column", #", "value": "source", "expression": "$AR_M_SOURCE_SCHEMA || '.' || $AR_M_SOURCE_TABLE_NAME", "data-type": {"type": "string", "length": "50", "scale": ""}"#),
            rule("4", "column", "add-column", #", "value": "one", "expression": "1", "data-type": {"type": "int4"}"#),
            rule("5", "column", "add-column", #", "value": "op", "expression": "$AR_H_OPERATION", "data-type": {"type": "string", "length": 1}"#),
            rule("6", "column", "add-column", #", "value": "last_updated", "data-type": {"type": "datetime", "precision": 6}"#)
        )
        #expect(t.addedColumns.map(\.name) == ["FULL_NAME", "source", "one", "op", "last_updated"])
        #expect(t.addedColumns[0].type.postgreSQLDeclaration == "varchar(91)")
        #expect(t.addedColumns[4].type.postgreSQLDeclaration == "timestamp(6)")
        let row = t.targetRow(from: ["actor_id": .int(1), "first_name": .string("Penelope"), "last_name": .string("Guiness"), "col_a": .null], headers: ["AR_H_OPERATION": .string("INSERT")])
        #expect(row["FULL_NAME"] == .string("Penelope Guiness"))
        #expect(row["source"] == .string("test.Actor"))
        #expect(row["one"] == .int(1))
        #expect(row["op"] == .string("INSERT"))
        #expect(row["last_updated"] == .null)
        #expect(row["col_a"] == .null)
        let nullName = t.targetRow(from: ["actor_id": .int(2), "first_name": .null, "last_name": .string("X")])
        #expect(nullName["FULL_NAME"] == .null)  // SQLite: NULL || text is NULL
        let keyOnly = t.targetRow(from: ["actor_id": .int(3)], includeAddedColumns: false)
        #expect(keyOnly.names == ["actor_id"])
    }

    @Test func definePrimaryKeyBySourceOrTargetNames() throws {
        let t = try target(
            rule("2", "column", "rename", column: "last_name", #", "value": "surname""#),
            rule("3", "table", "define-primary-key", #", "primary-key-def": {"name": "actor_pk", "origin": "unique-index", "columns": ["first_name", "surname"]}"#)
        )
        #expect(t.key?.columns == ["first_name", "surname"])
        #expect(t.key?.origin == .uniqueIndex)
        #expect(t.key?.ruleID == RuleID("3"))
        #expect(try target().key?.columns == ["actor_id"])
    }

    @Test func errorsNameTheRuleAndField() throws {
        let badRef = #expect(throws: TaskConfigurationError.self) {
            try target(rule("12", "column", "add-column", #", "value": "x", "expression": "$missing||'a'", "data-type": {"type": "string"}"#))
        }
        #expect(badRef?.ruleID == "12")
        #expect(badRef?.field == "rules[1].expression")
        let function = #expect(throws: TaskConfigurationError.self) {
            try target(rule("13", "column", "add-column", #", "value": "x", "expression": "upper($first_name)", "data-type": {"type": "string"}"#))
        }
        #expect(function?.code == .unsupportedFeature)
        #expect(function?.message.contains("rule 13") == true)
        let removedKey = #expect(throws: TaskConfigurationError.self) { try target(rule("14", "column", "remove-column", column: "actor_id")) }
        #expect(removedKey?.ruleID == "14")
        let clash = #expect(throws: TaskConfigurationError.self) { try target(rule("15", "column", "rename", column: "first_name", #", "value": "last_name""#)) }
        #expect(clash?.code == .ruleDoesNotFit)
        let masking = #expect(throws: TaskConfigurationError.self) { try target(rule("16", "column", "data-masking-hash-mask", column: "first_name")) }
        #expect(masking?.code == .unsupportedFeature)
        #expect(masking?.field == "rules[1].rule-action")
        let noValue = #expect(throws: TaskConfigurationError.self) { try target(rule("17", "table", "rename")) }
        #expect(noValue?.field == "rules[1].value")
        let wrongTarget = #expect(throws: TaskConfigurationError.self) { try target(rule("18", "schema", "remove-column")) }
        #expect(wrongTarget?.field == "rules[1].rule-action")
        let badKey = #expect(throws: TaskConfigurationError.self) {
            try target(rule("19", "table", "define-primary-key", #", "primary-key-def": {"name": "k", "columns": ["nope"]}"#))
        }
        #expect(badKey?.field == "rules[1].primary-key-def.columns[0]")
        let badType = #expect(throws: TaskConfigurationError.self) { try target(rule("20", "column", "change-data-type", column: "col_a", #", "data-type": {"type": "varchar2"}"#)) }
        #expect(badType?.field == "rules[1].data-type.type")
    }

    @Test func documentLevelErrorsAndIgnoredKeys() throws {
        let duplicate = #expect(throws: TaskConfigurationError.self) { try mappings(Self.select + "," + selection("1", "include", "x", "%")) }
        #expect(duplicate?.field == "rules[1].rule-id")
        #expect(duplicate?.ruleID == "1")
        let noID = #expect(throws: TaskConfigurationError.self) { try mappings(#"{"rule-type": "selection", "object-locator": {"schema-name": "a", "table-name": "b"}, "rule-action": "include"}"#) }
        #expect(noID?.field == "rules[0].rule-id")
        let noSelection = #expect(throws: TaskConfigurationError.self) { try mappings(rule("2", "table", "convert-lowercase")) }
        #expect(noSelection?.field == "rules")
        let malformed = #expect(throws: TaskConfigurationError.self) { try TableMappings(parsing: "{\"rules\": [") }
        #expect(malformed?.code == .malformedJSON)
        let m = try mappings(Self.select + "," + #"{"rule-type": "transformation", "rule-id": "2", "rule-target": "table-tablespace", "object-locator": {"schema-name": "a", "table-name": "b", "table-tablespace-name": "x"}, "rule-action": "rename", "value": "y"}"# + "," +
                             #"{"rule-type": "selection", "rule-id": "3", "object-locator": {"schema-name": "a", "table-name": "b"}, "rule-action": "include", "description": "mine"}"#)
        #expect(m.transformationRules.isEmpty)
        #expect(m.ignored.map(\.path) == ["rules[1]", "rules[2].description"])
    }
}

@Suite struct TaskTableSettingsTests {
    @Test func parallelLoadRangesMakeSegmentsThatCoverEveryRowOnce() throws {
        let m = try mappings(selection("1", "include", "dbo", "%") + "," +
            #"{"rule-type": "table-settings", "rule-id": "2", "object-locator": {"schema-name": "dbo", "table-name": "orders"}, "parallel-load": {"type": "ranges", "columns": ["region", "id"], "boundaries": [["EU", 100], ["US", "50"]]}}"# + "," +
            #"{"rule-type": "table-settings", "rule-id": "3", "object-locator": {"schema-name": "dbo", "table-name": "%"}, "parallel-load": {"type": "partitions-auto"}, "lob-settings": {"mode": "limited", "bulk-max-size": "16"}}"#)
        let orders = TableIdentity(database: "d", schema: "dbo", table: "orders")
        guard case .ranges(let ranges)? = m.parallelLoad(for: orders)?.load else { Issue.record("expected ranges"); return }
        let schema = try taskTestSchema("dbo", "orders", [("region", "varchar(5)"), ("id", "int")], key: ["region", "id"])
        let segments = try ranges.predicates(schema: schema, ruleID: RuleID("2"), path: "rules[1].parallel-load")
        #expect(segments.count == 3)
        #expect(segments[0] == "(([region] < 'EU' OR ([region] = 'EU' AND ([id] <= 100))) OR [region] IS NULL OR [id] IS NULL)")
        #expect(segments[2] == "([region] IS NOT NULL AND [id] IS NOT NULL AND ([region] > 'US' OR ([region] = 'US' AND ([id] > 50))))")
        #expect(m.parallelLoad(for: TableIdentity(database: "d", schema: "dbo", table: "other"))?.load == .partitionsAuto)
        #expect(m.lobSettings(for: orders) == LobSettings(mode: .limited, bulkMaxSizeKB: 16))
        let bad = #expect(throws: TaskConfigurationError.self) {
            try mappings(selection("1", "include", "dbo", "%") + "," + #"{"rule-type": "table-settings", "rule-id": "8", "object-locator": {"schema-name": "dbo", "table-name": "t"}, "parallel-load": {"type": "ranges", "columns": ["a", "b"], "boundaries": [["1"]]}}"#)
        }
        #expect(bad?.field == "rules[1].parallel-load.boundaries[0]")
        #expect(bad?.ruleID == "8")
    }
}
