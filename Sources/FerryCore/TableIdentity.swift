/// A source table's three-part name: database, schema, table (`inventory.dbo.customers`).
public struct TableIdentity: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The database name.
    public var database: String
    /// The schema name (`dbo`).
    public var schema: String
    /// The table name.
    public var table: String

    /// Makes an identity from its three parts, as SQL Server spells them.
    public init(database: String, schema: String, table: String) {
        self.database = database
        self.schema = schema
        self.table = table
    }

    /// `database.schema.table`, as Debezium names a data collection.
    public var description: String { "\(database).\(schema).\(table)" }

    public static func < (lhs: TableIdentity, rhs: TableIdentity) -> Bool {
        (lhs.database, lhs.schema, lhs.table) < (rhs.database, rhs.schema, rhs.table)
    }
}
