/// A SQL Server database's schema as `ferry convert` reads it from the `sys.*` catalog views:
/// the tables with their columns, keys, constraints and indexes, the views, the routines and
/// sequences, and what could not be read.
public struct SourceCatalog: Hashable, Sendable {
    /// The database name (`DB_NAME()`).
    public var database: String
    /// The user schemas that hold at least one selected object.
    public var schemas: [String]
    /// The alias (user-defined) types, such as AdventureWorks' `dbo.Name`.
    public var aliasTypes: [CatalogAliasType]
    /// The selected tables, ordered by schema and name.
    public var tables: [CatalogTable]
    /// The views, ordered by schema and name.
    public var views: [CatalogModule]
    /// Procedures, functions and triggers, ordered by schema and name.
    public var routines: [CatalogModule]
    /// The sequences, ordered by schema and name.
    public var sequences: [CatalogSequence]
    /// Catalog facts the server could not give (a view or column it lacks), and what Ferry assumed.
    public var readNotes: [String]

    /// Makes a catalog.
    public init(
        database: String, schemas: [String] = [], aliasTypes: [CatalogAliasType] = [], tables: [CatalogTable] = [],
        views: [CatalogModule] = [], routines: [CatalogModule] = [], sequences: [CatalogSequence] = [], readNotes: [String] = []
    ) {
        self.database = database
        self.schemas = schemas
        self.aliasTypes = aliasTypes
        self.tables = tables
        self.views = views
        self.routines = routines
        self.sequences = sequences
        self.readNotes = readNotes
    }

    /// The table `schema.name`, compared case-insensitively as SQL Server's default collation does.
    public func table(schema: String, name: String) -> CatalogTable? {
        tables.first { $0.schema.lowercased() == schema.lowercased() && $0.name.lowercased() == name.lowercased() }
    }
}

/// An alias type: `CREATE TYPE dbo.Phone FROM nvarchar(25) NULL`.
public struct CatalogAliasType: Hashable, Sendable {
    /// The schema of the alias type (`dbo`).
    public var schema: String
    /// The alias name (`Phone`).
    public var name: String
    /// The system type it stands for.
    public var baseType: SQLServerDataType
    /// Whether columns of this type accept NULL unless they say otherwise.
    public var isNullable: Bool

    /// Makes an alias type.
    public init(schema: String, name: String, baseType: SQLServerDataType, isNullable: Bool) {
        self.schema = schema
        self.name = name
        self.baseType = baseType
        self.isNullable = isNullable
    }

    /// `schema.name`.
    public var qualifiedName: String { "\(schema).\(name)" }
}
