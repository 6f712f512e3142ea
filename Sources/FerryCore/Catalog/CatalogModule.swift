/// A view, procedure, function or trigger, with its T-SQL text from `sys.sql_modules`.
public struct CatalogModule: Hashable, Sendable {
    /// The kind of module.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case view, procedure
        case scalarFunction = "scalar function"
        case tableFunction = "table-valued function"
        case trigger
        /// A CLR or extended procedure or function: compiled code, no T-SQL text.
        case clrModule = "CLR module"

        /// The kind for a `sys.objects.type` code (`V`, `P`, `FN`, `IF`, `TF`, `TR`, `PC`, `FS`, `FT`, `X`).
        public init?(objectType: String) {
            switch objectType.trimmingSpacesForCatalog() {
            case "V": self = .view
            case "P": self = .procedure
            case "FN": self = .scalarFunction
            case "IF", "TF": self = .tableFunction
            case "TR": self = .trigger
            case "PC", "FS", "FT", "X", "TA": self = .clrModule
            default: return nil
            }
        }
    }

    /// The schema.
    public var schema: String
    /// The module name.
    public var name: String
    /// What it is.
    public var kind: Kind
    /// The `CREATE …` text; `nil` when encrypted or compiled (CLR).
    public var definition: String?
    /// For a trigger, the table it belongs to (`schema.table`).
    public var parentTable: String?

    /// Makes a module.
    public init(schema: String, name: String, kind: Kind, definition: String?, parentTable: String? = nil) {
        self.schema = schema
        self.name = name
        self.kind = kind
        self.definition = definition
        self.parentTable = parentTable
    }

    /// `schema.name`.
    public var qualifiedName: String { "\(schema).\(name)" }
}

/// A sequence object (`CREATE SEQUENCE`).
public struct CatalogSequence: Hashable, Sendable {
    /// The schema.
    public var schema: String
    /// The sequence name.
    public var name: String
    /// Its type (`bigint` unless declared otherwise).
    public var type: SQLServerDataType
    /// `START WITH`, as text.
    public var start: String
    /// `INCREMENT BY`, as text.
    public var increment: String
    /// `MINVALUE`, as text.
    public var minimum: String
    /// `MAXVALUE`, as text.
    public var maximum: String
    /// `CYCLE`.
    public var isCycling: Bool
    /// The value the next `NEXT VALUE FOR` returns after this one; `nil` if never used.
    public var currentValue: String?

    /// Makes a sequence.
    public init(
        schema: String, name: String, type: SQLServerDataType, start: String, increment: String, minimum: String,
        maximum: String, isCycling: Bool, currentValue: String?
    ) {
        self.schema = schema
        self.name = name
        self.type = type
        self.start = start
        self.increment = increment
        self.minimum = minimum
        self.maximum = maximum
        self.isCycling = isCycling
        self.currentValue = currentValue
    }
}

extension String {
    func trimmingSpacesForCatalog() -> String {
        String(Substring(self).trimmingSpaces())
    }
}
