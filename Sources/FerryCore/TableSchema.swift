/// The captured shape of one source table: its columns in order and the key that identifies a row.
public struct TableSchema: Hashable, Sendable {
    /// The table.
    public let identity: TableIdentity
    /// The captured columns, in capture order.
    public let columns: [ColumnDefinition]
    /// The primary-key (or chosen unique-index) columns, in key order; empty for a keyless table.
    public let keyColumns: [String]
    private let positions: [String: Int]

    /// Makes a schema; throws if a column name repeats, or a key column is not a column.
    public init(identity: TableIdentity, columns: [ColumnDefinition], keyColumns: [String]) throws(FerryCoreError) {
        var positions: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            guard positions.updateValue(index, forKey: column.name) == nil else {
                throw FerryCoreError(.invalidEvent, "column '\(column.name)' appears twice in \(identity)", context: ["table": identity.description, "column": column.name])
            }
        }
        var seenKeys = Set<String>()
        for key in keyColumns {
            guard positions[key] != nil else {
                throw FerryCoreError(.invalidEvent, "key column '\(key)' is not a column of \(identity)", context: ["table": identity.description, "column": key])
            }
            guard seenKeys.insert(key).inserted else {
                throw FerryCoreError(.invalidEvent, "key column '\(key)' appears twice in the key of \(identity)", context: ["table": identity.description, "column": key])
            }
        }
        self.identity = identity
        self.columns = columns
        self.keyColumns = keyColumns
        self.positions = positions
    }

    /// The column named `name`, or `nil`.
    public func column(named name: String) -> ColumnDefinition? {
        positions[name].map { columns[$0] }
    }

    /// The position of the column named `name` in ``columns``, or `nil`.
    public func position(of name: String) -> Int? { positions[name] }
}
