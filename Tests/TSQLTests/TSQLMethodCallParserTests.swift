import Testing
import TSQL

/// The CLR types' method syntax: `type::Method(…)` and `.Method(…)` chained on a call.
@Suite("TSQLParser: CLR type methods")
struct TSQLMethodCallParserTests {
    @Test func aStaticMethodNamesItsTypeAndMethod() throws {
        let parsed = try TSQLParser.parseExpression("hierarchyid::Parse('/1/2/')")
        var expected = FunctionCall(name: ObjectName(schema: "hierarchyid", name: "Parse"), arguments: [.literal(.string("/1/2/", isUnicode: false))])
        expected.isStaticMethod = true
        #expect(parsed == .function(expected))
    }

    @Test func aColumnMethodIsATwoPartCallAndChainedMethodsTakeTheirTargetFirst() throws {
        let parsed = try TSQLParser.parseExpression("e.node.GetAncestor(1).ToString()")
        let inner = FunctionCall(name: ObjectName(database: "e", schema: "node", name: "GetAncestor"), arguments: [.int(1)])
        var outer = FunctionCall(name: ObjectName("ToString"), arguments: [.function(inner)])
        outer.isMethodCall = true
        #expect(parsed == .function(outer))

        let staticChain = try TSQLParser.parseExpression("hierarchyid::GetRoot().ToString()")
        guard case .function(let call) = staticChain, case .function(let target)? = call.arguments.first else {
            Issue.record("not a chained call: \(staticChain)")
            return
        }
        #expect(call.isMethodCall && call.name.name.value == "ToString" && call.arguments.count == 1)
        #expect(target.isStaticMethod && target.name.schema?.value == "hierarchyid" && target.name.name.value == "GetRoot")
    }

    @Test func methodCallsPrintBackAsWritten() throws {
        let printed = try expectRoundTrip("""
            SELECT hierarchyid::Parse(N'/1/').ToString(), o.node.GetAncestor(1).ToString(), node.GetLevel()
            FROM dbo.org AS o WHERE o.node.IsDescendantOf(hierarchyid::GetRoot()) = 1
            """)
        #expect(printed.contains("hierarchyid::Parse(N'/1/').ToString()"))
        #expect(printed.contains("o.node.GetAncestor(1).ToString()"))
    }

    @Test func aDotWithoutAMethodCallAfterACallIsASyntaxError() throws {
        _ = try syntaxError("SELECT hierarchyid::GetRoot().Level")
        _ = try syntaxError("SELECT hierarchyid::")
    }
}
