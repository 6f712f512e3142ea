import FerryCore
import Testing

@Suite struct TopicNamesTests {
    @Test func buildsEveryTopicFromThePrefix() throws {
        let names = try TopicNames(prefix: "ferry")
        #expect(try names.table(TableIdentity(database: "inventory", schema: "dbo", table: "customers")) == "ferry.inventory.dbo.customers")
        #expect(names.schemaChanges == "ferry.schema-changes")
        #expect(names.transaction == "ferry.transaction")
        #expect(names.offsets == "ferry.offsets")
        #expect(names.heartbeat == "ferry.heartbeat")
        #expect(try TopicNames(prefix: "Prod_1-a").table(TableIdentity(database: "DB_1", schema: "sales-eu", table: "Order_Lines")) == "Prod_1-a.DB_1.sales-eu.Order_Lines")
    }

    @Test(arguments: ["", "a.b", "a b", "ä", "a/b", "a*", String(repeating: "p", count: 240)])
    func refusesPrefixesKafkaWouldRejectOrThatAreAmbiguous(_ prefix: String) {
        let error = #expect(throws: FerryCoreError.self) { try TopicNames(prefix: prefix) }
        #expect(error?.code == .invalidTopicName)
    }

    @Test(arguments: [
        TableIdentity(database: "inventory", schema: "dbo", table: "order lines"),
        TableIdentity(database: "inventory", schema: "dbo", table: "a.b"),
        TableIdentity(database: "inventory", schema: "d.bo", table: "b"),
        TableIdentity(database: "", schema: "dbo", table: "t"),
        TableIdentity(database: "inventory", schema: "dbo", table: "Bücher"),
        TableIdentity(database: "inventory", schema: "dbo", table: String(repeating: "t", count: 230)),
    ])
    func refusesTableNamesRatherThanRewritingThem(_ table: TableIdentity) throws {
        let names = try TopicNames(prefix: "ferry")
        let error = try #require(throws: FerryCoreError.self) { try names.table(table) }
        #expect(error.code == .invalidTopicName)
    }

    @Test func theMessageNamesThePartAndTheCharacter() throws {
        let error = try #require(throws: FerryCoreError.self) {
            try TopicNames(prefix: "ferry").table(TableIdentity(database: "inventory", schema: "dbo", table: "order lines"))
        }
        #expect(error.message.contains("'order lines'"))
        #expect(error.message.contains("table name"))
    }
}
