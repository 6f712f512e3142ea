/// One user table of the source catalog with everything `ferry convert` recreates.
public struct CatalogTable: Hashable, Sendable {
    /// The schema (`HumanResources`).
    public var schema: String
    /// The table name (`Department`).
    public var name: String
    /// The columns in `column_id` order.
    public var columns: [CatalogColumn]
    /// The primary key, if any.
    public var primaryKey: CatalogKeyConstraint?
    /// `UNIQUE` constraints (not unique indexes, which are in ``indexes``).
    public var uniqueConstraints: [CatalogKeyConstraint]
    /// `CHECK` constraints, table- and column-level.
    public var checkConstraints: [CatalogCheckConstraint]
    /// Foreign keys this table declares.
    public var foreignKeys: [CatalogForeignKey]
    /// Indexes that do not back a primary-key or unique constraint.
    public var indexes: [CatalogIndex]

    /// Makes a table.
    public init(
        schema: String, name: String, columns: [CatalogColumn], primaryKey: CatalogKeyConstraint? = nil,
        uniqueConstraints: [CatalogKeyConstraint] = [], checkConstraints: [CatalogCheckConstraint] = [],
        foreignKeys: [CatalogForeignKey] = [], indexes: [CatalogIndex] = []
    ) {
        self.schema = schema
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniqueConstraints = uniqueConstraints
        self.checkConstraints = checkConstraints
        self.foreignKeys = foreignKeys
        self.indexes = indexes
    }

    /// `schema.name`, as SQL Server names the table.
    public var qualifiedName: String { "\(schema).\(name)" }

    /// The column named `name`, compared case-insensitively.
    public func column(named name: String) -> CatalogColumn? {
        let wanted = name.lowercased()
        return columns.first { $0.name.lowercased() == wanted }
    }
}

/// One column with its type, nullability, identity, computed definition and default.
public struct CatalogColumn: Hashable, Sendable {
    /// The column name.
    public var name: String
    /// The system type; ``SQLServerDataType/aliasName`` names the alias type it was declared with.
    public var type: SQLServerDataType
    /// Whether the column accepts NULL.
    public var isNullable: Bool
    /// The identity specification of an `IDENTITY` column.
    public var identity: CatalogIdentity?
    /// The computed column's definition.
    public var computed: CatalogComputedColumn?
    /// The default constraint.
    public var defaultConstraint: CatalogDefault?
    /// `ROWGUIDCOL`.
    public var isRowGuidColumn: Bool

    /// Makes a column.
    public init(
        name: String, type: SQLServerDataType, isNullable: Bool, identity: CatalogIdentity? = nil,
        computed: CatalogComputedColumn? = nil, defaultConstraint: CatalogDefault? = nil, isRowGuidColumn: Bool = false
    ) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.identity = identity
        self.computed = computed
        self.defaultConstraint = defaultConstraint
        self.isRowGuidColumn = isRowGuidColumn
    }
}

/// `IDENTITY(seed, increment)` and where the counter stands.
public struct CatalogIdentity: Hashable, Sendable {
    /// The first value, as text (identity may be `decimal(38,0)`, beyond `Int64`).
    public var seed: String
    /// The step, as text.
    public var increment: String
    /// The last value generated (`sys.identity_columns.last_value`); `nil` if none yet or unknown.
    public var lastValue: String?

    /// Makes an identity specification.
    public init(seed: String, increment: String, lastValue: String? = nil) {
        self.seed = seed
        self.increment = increment
        self.lastValue = lastValue
    }
}

/// A computed column's T-SQL definition, as `sys.computed_columns.definition` stores it.
public struct CatalogComputedColumn: Hashable, Sendable {
    /// The expression text: `(datediff(year,[BirthDate],getdate()))`.
    public var definition: String
    /// `PERSISTED`.
    public var isPersisted: Bool

    /// Makes a computed definition.
    public init(definition: String, isPersisted: Bool) {
        self.definition = definition
        self.isPersisted = isPersisted
    }
}
