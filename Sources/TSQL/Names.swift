/// A name: a table, column, schema, constraint… as written, without delimiters.
///
/// Names compare exactly; SQL Server's case-insensitive matching is the catalog's business.
public struct Identifier: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name without brackets or quotes.
    public var value: String

    /// Creates a name.
    public init(_ value: String) { self.value = value }

    /// Creates a name from a literal.
    public init(stringLiteral value: String) { self.value = value }

    /// The name as T-SQL text: bare when it is a regular, non-reserved identifier, else `[bracketed]`.
    public var description: String { TSQLPrinter.quote(value) }
}

/// A multi-part object name `server.database.schema.object`; any part but the last may be
/// missing (`db..t` has no schema).
public struct ObjectName: Hashable, Sendable, CustomStringConvertible {
    /// The linked server, in a four-part name.
    public var server: Identifier?
    /// The database.
    public var database: Identifier?
    /// The schema (`dbo`, `HumanResources`, `cdc`).
    public var schema: Identifier?
    /// The object itself.
    public var name: Identifier
    /// How many parts were written (1 to 4), so that `db..t` prints back as three parts.
    public var partCount: Int

    /// Creates a name; `partCount` defaults to the parts given.
    public init(
        server: Identifier? = nil, database: Identifier? = nil, schema: Identifier? = nil,
        name: Identifier, partCount: Int? = nil
    ) {
        self.server = server
        self.database = database
        self.schema = schema
        self.name = name
        self.partCount =
            partCount ?? (server != nil ? 4 : database != nil ? 3 : schema != nil ? 2 : 1)
    }

    /// A one- or two-part name: `ObjectName("dbo", "Employee")`, `ObjectName("Employee")`.
    public init(_ first: Identifier, _ second: Identifier? = nil) {
        if let second {
            self.init(schema: first, name: second)
        } else {
            self.init(name: first)
        }
    }

    /// The parts as written, left to right, `nil` for an empty part.
    public var parts: [Identifier?] {
        Array([server, database, schema, Optional(name)].suffix(partCount))
    }

    /// The name as T-SQL text.
    public var description: String {
        parts.map { $0?.description ?? "" }.joined(separator: ".")
    }
}
