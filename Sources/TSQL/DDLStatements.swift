/// `CREATE TYPE name FROM base_type [NULL | NOT NULL]`.
public struct CreateTypeStatement: Hashable, Sendable {
    /// The alias type's name (`dbo.Name`).
    public var name: ObjectName
    /// The system type it stands for.
    public var baseType: DataType
    /// `NULL` → `true`, `NOT NULL` → `false`, omitted → `nil` (nullable).
    public var isNullable: Bool?

    /// Creates the statement.
    public init(name: ObjectName, baseType: DataType, isNullable: Bool? = nil) {
        self.name = name
        self.baseType = baseType
        self.isNullable = isNullable
    }
}

/// A column definition or a table constraint in `CREATE TABLE`, `ALTER TABLE … ADD` or
/// `DECLARE @t TABLE`.
public enum TableElement: Hashable, Sendable {
    case column(ColumnDefinition)
    case constraint(TableConstraint)
}

/// One column of a table.
public struct ColumnDefinition: Hashable, Sendable {
    /// `IDENTITY(seed, increment)`.
    public struct Identity: Hashable, Sendable {
        /// The first value (as written; may be negative or exceed Int64 for decimal identities).
        public var seed: Expression
        /// The step.
        public var increment: Expression
        /// `NOT FOR REPLICATION`.
        public var notForReplication: Bool
        /// Creates an identity specification.
        public init(seed: Expression = .literal(.integer("1")), increment: Expression = .literal(.integer("1")),
                    notForReplication: Bool = false) {
            self.seed = seed
            self.increment = increment
            self.notForReplication = notForReplication
        }
    }

    /// The column name.
    public var name: Identifier
    /// The type; `nil` for a computed column.
    public var dataType: DataType?
    /// `AS expression` of a computed column.
    public var computedExpression: Expression?
    /// `PERSISTED` (computed columns).
    public var isPersisted: Bool
    /// `COLLATE name`.
    public var collation: Identifier?
    /// `IDENTITY[(seed, increment)]`.
    public var identity: Identity?
    /// `ROWGUIDCOL`.
    public var isRowGuidCol: Bool
    /// `SPARSE`.
    public var isSparse: Bool
    /// `NULL` → `true`, `NOT NULL` → `false`, omitted → `nil`.
    public var isNullable: Bool?
    /// Column constraints, in the order written: `DEFAULT`, `PRIMARY KEY`, `UNIQUE`, `REFERENCES`,
    /// `CHECK`.
    public var constraints: [TableConstraint]

    /// Creates a column.
    public init(
        name: Identifier, dataType: DataType?, computedExpression: Expression? = nil, isPersisted: Bool = false,
        collation: Identifier? = nil, identity: Identity? = nil, isRowGuidCol: Bool = false,
        isSparse: Bool = false, isNullable: Bool? = nil, constraints: [TableConstraint] = []
    ) {
        self.name = name
        self.dataType = dataType
        self.computedExpression = computedExpression
        self.isPersisted = isPersisted
        self.collation = collation
        self.identity = identity
        self.isRowGuidCol = isRowGuidCol
        self.isSparse = isSparse
        self.isNullable = isNullable
        self.constraints = constraints
    }

    /// The `DEFAULT` expression, if the column has one.
    public var defaultValue: Expression? {
        for constraint in constraints {
            if case .default(let value, _, _) = constraint.kind { return value }
        }
        return nil
    }
}

/// `[CONSTRAINT name] kind`.
public struct TableConstraint: Hashable, Sendable {
    /// What the constraint enforces.
    public enum Kind: Hashable, Sendable {
        /// `PRIMARY KEY …`.
        case primaryKey(KeyConstraint)
        /// `UNIQUE …`.
        case unique(KeyConstraint)
        /// `[FOREIGN KEY (cols)] REFERENCES …`.
        case foreignKey(ForeignKeyConstraint)
        /// `CHECK [NOT FOR REPLICATION] (condition)`.
        case check(Expression, notForReplication: Bool)
        /// `DEFAULT value [FOR column] [WITH VALUES]`; `FOR` only in `ALTER TABLE … ADD`.
        case `default`(Expression, forColumn: Identifier?, withValues: Bool)
    }

    /// The constraint's name.
    public var name: Identifier?
    /// What it enforces.
    public var kind: Kind

    /// Creates a constraint.
    public init(name: Identifier? = nil, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// `CLUSTERED` or `NONCLUSTERED`.
public enum IndexClustering: String, Hashable, Sendable {
    case clustered = "CLUSTERED", nonclustered = "NONCLUSTERED"
}

/// A key column of an index or key constraint: `name [ASC|DESC]`.
public struct IndexColumn: Hashable, Sendable {
    /// The column.
    public var name: Identifier
    /// The direction as written.
    public var direction: SortDirection?

    /// Creates a key column.
    public init(_ name: Identifier, direction: SortDirection? = nil) {
        self.name = name
        self.direction = direction
    }
}

/// `name = value` in an index `WITH (…)` list: `FILLFACTOR = 80`, `PAD_INDEX = OFF`.
public struct IndexOption: Hashable, Sendable {
    /// The option, upper-cased.
    public var name: String
    /// The value.
    public var value: OptionValue

    /// Creates an option.
    public init(name: String, value: OptionValue) {
        self.name = name.uppercased()
        self.value = value
    }
}

/// The body of a `PRIMARY KEY` or `UNIQUE` constraint.
public struct KeyConstraint: Hashable, Sendable {
    /// `CLUSTERED`/`NONCLUSTERED` as written.
    public var clustering: IndexClustering?
    /// The key columns; empty for a column constraint (the column itself).
    public var columns: [IndexColumn]
    /// `WITH (…)` index options.
    public var options: [IndexOption]
    /// `ON filegroup`.
    public var fileGroup: Identifier?

    /// Creates a key.
    public init(
        clustering: IndexClustering? = nil, columns: [IndexColumn] = [], options: [IndexOption] = [],
        fileGroup: Identifier? = nil
    ) {
        self.clustering = clustering
        self.columns = columns
        self.options = options
        self.fileGroup = fileGroup
    }
}

/// What happens to referencing rows when the referenced row is deleted or updated.
public enum ReferentialAction: String, Hashable, Sendable {
    case noAction = "NO ACTION", cascade = "CASCADE", setNull = "SET NULL", setDefault = "SET DEFAULT"
}

/// `[FOREIGN KEY (columns)] REFERENCES table [(columns)] [ON DELETE …] [ON UPDATE …]`.
public struct ForeignKeyConstraint: Hashable, Sendable {
    /// The referencing columns; empty for a column constraint.
    public var columns: [Identifier]
    /// The referenced table.
    public var referencedTable: ObjectName
    /// The referenced columns; empty means the referenced table's primary key.
    public var referencedColumns: [Identifier]
    /// `ON DELETE`.
    public var onDelete: ReferentialAction?
    /// `ON UPDATE`.
    public var onUpdate: ReferentialAction?
    /// `NOT FOR REPLICATION`.
    public var notForReplication: Bool

    /// Creates a foreign key.
    public init(
        columns: [Identifier] = [], referencedTable: ObjectName, referencedColumns: [Identifier] = [],
        onDelete: ReferentialAction? = nil, onUpdate: ReferentialAction? = nil, notForReplication: Bool = false
    ) {
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
        self.notForReplication = notForReplication
    }
}

/// `CREATE TABLE name (elements) [ON filegroup] [TEXTIMAGE_ON filegroup]`.
public struct CreateTableStatement: Hashable, Sendable {
    /// The table.
    public var name: ObjectName
    /// Columns and table constraints, in order.
    public var elements: [TableElement]
    /// `ON filegroup` (accepted; SQL Server's `[PRIMARY]` is the usual value).
    public var fileGroup: Identifier?
    /// `TEXTIMAGE_ON filegroup`.
    public var textImageFileGroup: Identifier?

    /// Creates the statement.
    public init(
        name: ObjectName, elements: [TableElement], fileGroup: Identifier? = nil,
        textImageFileGroup: Identifier? = nil
    ) {
        self.name = name
        self.elements = elements
        self.fileGroup = fileGroup
        self.textImageFileGroup = textImageFileGroup
    }

    /// The column definitions.
    public var columns: [ColumnDefinition] {
        elements.compactMap { if case .column(let column) = $0 { column } else { nil } }
    }

    /// The table-level constraints.
    public var constraints: [TableConstraint] {
        elements.compactMap { if case .constraint(let constraint) = $0 { constraint } else { nil } }
    }
}

/// `CREATE [UNIQUE] [CLUSTERED|NONCLUSTERED] INDEX name ON table (columns) [INCLUDE (columns)]
/// [WHERE filter] [WITH (options)] [ON filegroup]`.
public struct CreateIndexStatement: Hashable, Sendable {
    /// `UNIQUE`.
    public var isUnique: Bool
    /// `CLUSTERED`/`NONCLUSTERED` as written.
    public var clustering: IndexClustering?
    /// The index name.
    public var name: Identifier
    /// The table.
    public var table: ObjectName
    /// Key columns.
    public var columns: [IndexColumn]
    /// `INCLUDE` columns.
    public var includedColumns: [Identifier]
    /// The filter of a filtered index.
    public var filter: Expression?
    /// `WITH (…)` options.
    public var options: [IndexOption]
    /// `ON filegroup`.
    public var fileGroup: Identifier?

    /// Creates the statement.
    public init(
        isUnique: Bool = false, clustering: IndexClustering? = nil, name: Identifier, table: ObjectName,
        columns: [IndexColumn], includedColumns: [Identifier] = [], filter: Expression? = nil,
        options: [IndexOption] = [], fileGroup: Identifier? = nil
    ) {
        self.isUnique = isUnique
        self.clustering = clustering
        self.name = name
        self.table = table
        self.columns = columns
        self.includedColumns = includedColumns
        self.filter = filter
        self.options = options
        self.fileGroup = fileGroup
    }
}

/// Whether a module statement creates, alters, or does either.
public enum ModuleCreation: String, Hashable, Sendable {
    case create = "CREATE", alter = "ALTER", createOrAlter = "CREATE OR ALTER"
}

/// `CREATE VIEW name [(columns)] [WITH options] AS query [WITH CHECK OPTION]`.
public struct CreateViewStatement: Hashable, Sendable {
    /// Create, alter, or create-or-alter.
    public var creation: ModuleCreation
    /// The view.
    public var name: ObjectName
    /// Explicit column names.
    public var columns: [Identifier]
    /// `WITH SCHEMABINDING, …`, upper-cased.
    public var options: [String]
    /// The defining query.
    public var query: Query
    /// `WITH CHECK OPTION`.
    public var withCheckOption: Bool
    /// The whole statement's source text, as SQL Server keeps it in `sys.sql_modules.definition`.
    public var definition: String

    /// Creates the statement.
    public init(
        creation: ModuleCreation = .create, name: ObjectName, columns: [Identifier] = [], options: [String] = [],
        query: Query, withCheckOption: Bool = false, definition: String = ""
    ) {
        self.creation = creation
        self.name = name
        self.columns = columns
        self.options = options
        self.query = query
        self.withCheckOption = withCheckOption
        self.definition = definition
    }
}

/// `@name [AS] type [VARYING] [= default] [OUT|OUTPUT] [READONLY]`.
public struct ProcedureParameter: Hashable, Sendable {
    /// The parameter, with its `@`.
    public var name: String
    /// Its type.
    public var type: DataType
    /// Its default value.
    public var defaultValue: Expression?
    /// `OUTPUT`.
    public var isOutput: Bool
    /// `READONLY` (table-valued parameters).
    public var isReadOnly: Bool

    /// Creates a parameter.
    public init(
        name: String, type: DataType, defaultValue: Expression? = nil, isOutput: Bool = false,
        isReadOnly: Bool = false
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.isOutput = isOutput
        self.isReadOnly = isReadOnly
    }
}

/// `CREATE PROC[EDURE] name [parameters] [WITH options] AS body`.
///
/// As in SQL Server, the body runs to the end of the batch.
public struct CreateProcedureStatement: Hashable, Sendable {
    /// Create, alter, or create-or-alter.
    public var creation: ModuleCreation
    /// The procedure.
    public var name: ObjectName
    /// The parameters.
    public var parameters: [ProcedureParameter]
    /// `WITH RECOMPILE, ENCRYPTION, …`, upper-cased (`EXECUTE AS OWNER` as one entry).
    public var options: [String]
    /// The body's statements.
    public var body: [TSQLStatement]
    /// The whole statement's source text, as SQL Server keeps it in `sys.sql_modules.definition`.
    public var definition: String

    /// Creates the statement.
    public init(
        creation: ModuleCreation = .create, name: ObjectName, parameters: [ProcedureParameter] = [],
        options: [String] = [], body: [TSQLStatement], definition: String = ""
    ) {
        self.creation = creation
        self.name = name
        self.parameters = parameters
        self.options = options
        self.body = body
        self.definition = definition
    }
}

/// `ALTER TABLE name action`.
public struct AlterTableStatement: Hashable, Sendable {
    /// What the statement changes.
    public enum Action: Hashable, Sendable {
        /// `[WITH CHECK|NOCHECK] ADD column_or_constraint, …`; `withCheck` is `nil` when omitted.
        case add([TableElement], withCheck: Bool?)
        /// `DROP [COLUMN|CONSTRAINT] [IF EXISTS] name, …`.
        case drop([DropElement])
        /// `ALTER COLUMN name type [COLLATE c] [NULL|NOT NULL]`.
        case alterColumn(name: Identifier, type: DataType, collation: Identifier?, isNullable: Bool?)
        /// `[WITH CHECK|NOCHECK] CHECK|NOCHECK CONSTRAINT ALL|names`; an empty list means `ALL`.
        case setConstraintsEnabled(Bool, names: [Identifier], withCheck: Bool?)
    }

    /// One thing `ALTER TABLE … DROP` removes.
    public struct DropElement: Hashable, Sendable {
        /// A column or a constraint.
        public enum Kind: String, Hashable, Sendable { case column = "COLUMN", constraint = "CONSTRAINT" }
        /// Column or constraint (a bare name drops a constraint).
        public var kind: Kind
        /// `IF EXISTS`.
        public var ifExists: Bool
        /// The name.
        public var name: Identifier
        /// Creates an element.
        public init(kind: Kind, ifExists: Bool = false, name: Identifier) {
            self.kind = kind
            self.ifExists = ifExists
            self.name = name
        }
    }

    /// The table.
    public var table: ObjectName
    /// The change.
    public var action: Action

    /// Creates the statement.
    public init(table: ObjectName, action: Action) {
        self.table = table
        self.action = action
    }
}

/// `DROP kind [IF EXISTS] name, …`.
public struct DropStatement: Hashable, Sendable {
    /// What kind of object is dropped.
    public enum ObjectKind: String, Hashable, Sendable, CaseIterable {
        case table = "TABLE", view = "VIEW", procedure = "PROCEDURE", index = "INDEX", type = "TYPE",
            schema = "SCHEMA", database = "DATABASE", function = "FUNCTION", trigger = "TRIGGER", sequence = "SEQUENCE"
    }
    /// One dropped object; `table` is set for `DROP INDEX name ON table`.
    public struct Target: Hashable, Sendable {
        /// The object (for the legacy `DROP INDEX table.index`, the two-part name).
        public var name: ObjectName
        /// The table of `DROP INDEX name ON table`.
        public var table: ObjectName?
        /// Creates a target.
        public init(name: ObjectName, table: ObjectName? = nil) {
            self.name = name
            self.table = table
        }
    }

    /// The kind.
    public var kind: ObjectKind
    /// `IF EXISTS`.
    public var ifExists: Bool
    /// The objects.
    public var targets: [Target]

    /// Creates the statement.
    public init(kind: ObjectKind, ifExists: Bool = false, targets: [Target]) {
        self.kind = kind
        self.ifExists = ifExists
        self.targets = targets
    }
}
