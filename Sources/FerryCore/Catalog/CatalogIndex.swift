/// An index that is not a primary-key or unique constraint.
public struct CatalogIndex: Hashable, Sendable {
    /// One key column and its direction.
    public struct KeyColumn: Hashable, Sendable {
        /// The column name.
        public var name: String
        /// `DESC`.
        public var isDescending: Bool
        /// Makes a key column.
        public init(name: String, isDescending: Bool = false) {
            self.name = name
            self.isDescending = isDescending
        }
    }

    /// The index name.
    public var name: String
    /// `UNIQUE`.
    public var isUnique: Bool
    /// `CLUSTERED` (PostgreSQL has no clustered index; informative).
    public var isClustered: Bool
    /// The key columns in key order.
    public var keyColumns: [KeyColumn]
    /// `INCLUDE` columns.
    public var includedColumns: [String]
    /// The filter of a filtered index, as `sys.indexes.filter_definition` stores it: `([CurrentFlag]=(1))`.
    public var filter: String?
    /// The index type when it is not a rowstore B-tree (`XML`, `SPATIAL`, `CLUSTERED COLUMNSTORE`…).
    public var unsupportedKind: String?

    /// Makes an index.
    public init(
        name: String, isUnique: Bool, isClustered: Bool = false, keyColumns: [KeyColumn], includedColumns: [String] = [],
        filter: String? = nil, unsupportedKind: String? = nil
    ) {
        self.name = name
        self.isUnique = isUnique
        self.isClustered = isClustered
        self.keyColumns = keyColumns
        self.includedColumns = includedColumns
        self.filter = filter
        self.unsupportedKind = unsupportedKind
    }
}
