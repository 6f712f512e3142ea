public import FerryCore

/// One table to compare: where it lives on each side, and which columns pair up.
///
/// The pairing comes from the task's table mappings (renamed schema, table and columns, excluded
/// columns); validation itself knows nothing of mapping rules.
public struct ValidationTable: Hashable, Sendable, CustomStringConvertible {
    /// One compared column: its name on each side and its SQL Server type, which decides how
    /// values from both sides are put in one canonical form.
    public struct Column: Hashable, Sendable {
        /// The column in the source table.
        public var sourceName: String
        /// The column in the target table.
        public var targetName: String
        /// The source column's type.
        public var type: SQLServerDataType
        /// Compare only the first this many bytes of each value, as SQL Server stores it
        /// (`ValidationPartialLobSize`, for large objects): the cut of DMS's limited LOB mode,
        /// ``FerryCore/SQLServerDataType/storedPrefix(of:maxBytes:)``. `nil`: whole values.
        public var comparedPrefixBytes: Int?

        /// Makes a column pair.
        public init(sourceName: String, targetName: String, type: SQLServerDataType, comparedPrefixBytes: Int? = nil) {
            self.sourceName = sourceName
            self.targetName = targetName
            self.type = type
            self.comparedPrefixBytes = comparedPrefixBytes
        }
    }

    /// The source table.
    public var source: TableIdentity
    /// The target schema.
    public var targetSchema: String
    /// The target table.
    public var targetTable: String
    /// The key columns, in key order: rows are matched on them.
    public var keyColumns: [Column]
    /// The other compared columns.
    public var valueColumns: [Column]

    /// Makes a table description; throws when there is no key to match rows on.
    public init(source: TableIdentity, targetSchema: String, targetTable: String, keyColumns: [Column], valueColumns: [Column]) throws(ValidationError) {
        guard !keyColumns.isEmpty else {
            throw ValidationError(.noKey, "\(source) has no primary key or unique index: rows cannot be matched, so it is not validated", context: ["table": source.description])
        }
        self.source = source
        self.targetSchema = targetSchema
        self.targetTable = targetTable
        self.keyColumns = keyColumns
        self.valueColumns = valueColumns
    }

    /// Key columns first, then the others: the order both sides' queries select in.
    public var columns: [Column] { keyColumns + valueColumns }

    /// `schema.table → targetSchema.targetTable`.
    public var description: String { "\(source) → \(targetSchema).\(targetTable)" }
}
