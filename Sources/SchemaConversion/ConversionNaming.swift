/// How source names become target names: the target schema for a source schema, and the names
/// of tables, columns and other objects.
///
/// The default is AWS SCT's: schema `<database>_<schema>` and every name in lower case
/// (`convert-lowercase`), so `AdventureWorks2014.HumanResources.Department.ModifiedDate` becomes
/// `adventureworks2014_humanresources.department.modifieddate`, which PostgreSQL needs no quotes for.
/// Table-mapping rules replace the closures.
public struct ConversionNaming: Sendable {
    /// The target schema of a source schema: `(database, schema) → name`.
    public var schema: @Sendable (_ database: String, _ schema: String) -> String
    /// The target name of a table or view: `(schema, table) → name`.
    public var table: @Sendable (_ schema: String, _ table: String) -> String
    /// The target name of a column: `(schema, table, column) → name`.
    public var column: @Sendable (_ schema: String, _ table: String, _ column: String) -> String
    /// The target name of any other object (constraint, index, routine, sequence, parameter).
    public var object: @Sendable (_ name: String) -> String
    /// Whether a column is converted (`remove-column` rules exclude some): `(schema, table, column)`.
    public var includesColumn: @Sendable (_ schema: String, _ table: String, _ column: String) -> Bool = { _, _, _ in true }
    /// A PostgreSQL type replacing the mapped one (`change-data-type` rules): `(schema, table, column)`.
    public var columnType: @Sendable (_ schema: String, _ table: String, _ column: String) -> String? = { _, _, _ in nil }

    /// Makes a naming with explicit rules.
    public init(
        schema: @escaping @Sendable (String, String) -> String, table: @escaping @Sendable (String, String) -> String,
        column: @escaping @Sendable (String, String, String) -> String, object: @escaping @Sendable (String) -> String
    ) {
        self.schema = schema
        self.table = table
        self.column = column
        self.object = object
    }

    /// SCT's default: `<database>_<schema>` and lower-case names.
    public static let `default` = ConversionNaming(
        schema: { database, schema in "\(database)_\(schema)".lowercased() },
        table: { _, table in table.lowercased() },
        column: { _, _, column in column.lowercased() },
        object: { $0.lowercased() })
}
