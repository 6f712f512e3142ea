/// A table's structure as the catalog keeps it (`sqlserver_catalog.objects.definition`, as JSON):
/// what `sys.columns`, `sys.indexes`, `sys.index_columns`, `sys.foreign_keys`,
/// `sys.check_constraints`, `sys.default_constraints` and `sys.identity_columns` report.
struct TableDefinition: Codable, Hashable, Sendable {
    /// The columns, by `column_id`.
    var columns: [ColumnMetadata]
    /// Primary key, unique constraints and indexes, by `index_id`.
    var indexes: [IndexMetadata]
    /// Foreign keys declared on this table.
    var foreignKeys: [ForeignKeyMetadata]
    /// Check constraints.
    var checks: [CheckMetadata]
    /// The next `column_id` (SQL Server never reuses one after a column is dropped).
    var nextColumnID: Int

    /// The column named `name`, compared case-insensitively.
    func column(named name: String) -> ColumnMetadata? {
        let key = name.lowercased()
        return columns.first { $0.name.lowercased() == key }
    }

    /// The identity column, if any.
    var identityColumn: ColumnMetadata? { columns.first { $0.identity != nil } }

    /// The primary key, if any.
    var primaryKey: IndexMetadata? { indexes.first { $0.kind == .primaryKey } }
}

/// One column.
struct ColumnMetadata: Codable, Hashable, Sendable {
    /// `IDENTITY(seed, increment)`.
    struct Identity: Codable, Hashable, Sendable {
        var seed: Int64
        var increment: Int64
        /// `NOT FOR REPLICATION` (`sys.identity_columns.is_not_for_replication`).
        var notForReplication: Bool?
    }

    var columnID: Int
    var name: String
    /// The PostgreSQL column name.
    var pgName: String
    /// The system type's declaration (`nvarchar(50)`).
    var systemType: String
    /// The alias type, as `schema.name`, for a column declared with one.
    var aliasName: String?
    var isNullable: Bool
    var identity: Identity?
    /// `sys.default_constraints.definition`: the T-SQL text in parentheses (`(getdate())`).
    var defaultDefinition: String?
    var defaultName: String?
    var defaultObjectID: Int?
    /// `sys.computed_columns.definition`.
    var computedDefinition: String?
    var isPersisted: Bool
    var isRowGuidCol: Bool

    /// The column's type, alias name included.
    var type: SQLServerType {
        var type = SQLServerType(declaration: systemType) ?? SQLServerType(.sqlVariant)
        type.aliasName = aliasName
        return type
    }
}

/// A primary key, unique constraint or index.
struct IndexMetadata: Codable, Hashable, Sendable {
    enum Kind: String, Codable, Hashable, Sendable {
        case primaryKey, uniqueConstraint, index
    }
    struct KeyColumn: Codable, Hashable, Sendable {
        var name: String
        var isDescending: Bool
    }

    var indexID: Int
    var name: String
    /// The PostgreSQL index (or constraint) name, unique within the PostgreSQL schema.
    var pgName: String
    var kind: Kind
    var isUnique: Bool
    var isClustered: Bool
    var keyColumns: [KeyColumn]
    var includedColumns: [String]
    /// `sys.indexes.filter_definition`.
    var filterDefinition: String?
    /// The constraint's `object_id`, for primary keys and unique constraints.
    var constraintObjectID: Int?
}

/// A foreign key.
struct ForeignKeyMetadata: Codable, Hashable, Sendable {
    var objectID: Int
    var name: String
    var pgName: String
    var columns: [String]
    var referencedObjectID: Int
    /// `schema.table` of the referenced table.
    var referencedTable: String
    var referencedColumns: [String]
    var onDelete: String
    var onUpdate: String
    /// The PostgreSQL constraint clause after `CONSTRAINT name`, to put the constraint back when
    /// `ALTER TABLE … CHECK CONSTRAINT` re-enables it (nil for constraints made before it was kept).
    var pgClause: String?
    /// `ALTER TABLE … NOCHECK CONSTRAINT` (`sys.foreign_keys.is_disabled`): not enforced at all.
    var isDisabled: Bool?
    /// Added or re-enabled without checking the existing rows (`is_not_trusted`).
    var isNotTrusted: Bool?
    /// `NOT FOR REPLICATION` (`is_not_for_replication`).
    var notForReplication: Bool?
}

/// A check constraint.
struct CheckMetadata: Codable, Hashable, Sendable {
    var objectID: Int
    var name: String
    var pgName: String
    /// `sys.check_constraints.definition`.
    var definition: String
    /// The column, for a constraint on one column (SQL Server names it in Msg 547).
    var columnName: String?
    /// The PostgreSQL constraint clause after `CONSTRAINT name` (see ``ForeignKeyMetadata/pgClause``).
    var pgClause: String?
    /// `ALTER TABLE … NOCHECK CONSTRAINT` (`sys.check_constraints.is_disabled`).
    var isDisabled: Bool?
    /// Added or re-enabled without checking the existing rows (`is_not_trusted`).
    var isNotTrusted: Bool?
    /// `NOT FOR REPLICATION` (`is_not_for_replication`).
    var notForReplication: Bool?
}
