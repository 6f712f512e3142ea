/// A default constraint: `CONSTRAINT DF_Department_ModifiedDate DEFAULT (getdate())`.
public struct CatalogDefault: Hashable, Sendable {
    /// The constraint name.
    public var name: String
    /// The expression text as `sys.default_constraints.definition` stores it: `(getdate())`.
    public var definition: String

    /// Makes a default.
    public init(name: String, definition: String) {
        self.name = name
        self.definition = definition
    }
}

/// A primary-key or unique constraint.
public struct CatalogKeyConstraint: Hashable, Sendable {
    /// The constraint name.
    public var name: String
    /// The key columns in key order.
    public var columns: [String]
    /// Whether SQL Server clusters the table on it (PostgreSQL has no clustered index; informative).
    public var isClustered: Bool

    /// Makes a key constraint.
    public init(name: String, columns: [String], isClustered: Bool = false) {
        self.name = name
        self.columns = columns
        self.isClustered = isClustered
    }
}

/// A `CHECK` constraint.
public struct CatalogCheckConstraint: Hashable, Sendable {
    /// The constraint name.
    public var name: String
    /// The condition text as `sys.check_constraints.definition` stores it: `([Rate]>=(6.50))`.
    public var definition: String
    /// The column of a column-level check; `nil` for a table-level one.
    public var column: String?
    /// Whether the constraint is disabled (`NOCHECK`).
    public var isDisabled: Bool

    /// Makes a check constraint.
    public init(name: String, definition: String, column: String? = nil, isDisabled: Bool = false) {
        self.name = name
        self.definition = definition
        self.column = column
        self.isDisabled = isDisabled
    }
}

/// What a foreign key does to referencing rows when the referenced row changes.
public enum CatalogReferentialAction: String, Hashable, Sendable, CaseIterable {
    case noAction = "NO ACTION", cascade = "CASCADE", setNull = "SET NULL", setDefault = "SET DEFAULT"

    /// Reads `sys.foreign_keys.*_referential_action_desc` (`NO_ACTION`, `SET_NULL`…).
    public init?(catalogDescription: String) {
        self.init(rawValue: catalogDescription.replacing("_", with: " ").uppercased())
    }
}

/// A foreign key.
public struct CatalogForeignKey: Hashable, Sendable {
    /// The constraint name.
    public var name: String
    /// The referencing columns, in order.
    public var columns: [String]
    /// The referenced table's schema.
    public var referencedSchema: String
    /// The referenced table.
    public var referencedTable: String
    /// The referenced columns, paired with ``columns``.
    public var referencedColumns: [String]
    /// `ON DELETE`.
    public var onDelete: CatalogReferentialAction
    /// `ON UPDATE`.
    public var onUpdate: CatalogReferentialAction
    /// Whether the constraint is disabled (`NOCHECK`).
    public var isDisabled: Bool

    /// Makes a foreign key.
    public init(
        name: String, columns: [String], referencedSchema: String, referencedTable: String, referencedColumns: [String],
        onDelete: CatalogReferentialAction = .noAction, onUpdate: CatalogReferentialAction = .noAction, isDisabled: Bool = false
    ) {
        self.name = name
        self.columns = columns
        self.referencedSchema = referencedSchema
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
        self.isDisabled = isDisabled
    }
}
