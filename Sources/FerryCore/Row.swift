/// One row image (`before` or `after`): column values keyed by column name, in column order.
public struct Row: Hashable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
    /// One column's name and value.
    public struct Column: Hashable, Sendable {
        /// The column name.
        public var name: String
        /// The value.
        public var value: ColumnValue
        /// Makes a column.
        public init(name: String, value: ColumnValue) {
            self.name = name
            self.value = value
        }
    }

    /// The columns, in column order.
    public private(set) var columns: [Column]

    /// Makes a row from columns in order; a later duplicate name replaces the earlier value.
    public init(_ columns: [Column] = []) {
        self.columns = []
        for column in columns { self[column.name] = column.value }
    }

    /// Makes a row from columns whose names the caller knows to be distinct (a decoder that checked
    /// them): no search for duplicates.
    init(distinctColumns columns: [Column]) {
        self.columns = columns
    }

    /// Makes a row from a literal, keeping the literal's order: `["id": .int(1), "name": .string("a")]`.
    public init(dictionaryLiteral elements: (String, ColumnValue)...) {
        self.init(elements.map { Column(name: $0.0, value: $0.1) })
    }

    /// The value of the named column, `nil` if the row has no such column; setting `nil` removes it,
    /// setting a new name appends it.
    public subscript(name: String) -> ColumnValue? {
        get { columns.first { $0.name == name }?.value }
        set {
            if let index = columns.firstIndex(where: { $0.name == name }) {
                if let newValue { columns[index].value = newValue } else { columns.remove(at: index) }
            } else if let newValue {
                columns.append(Column(name: name, value: newValue))
            }
        }
    }

    /// The column names in order.
    public var names: [String] { columns.map(\.name) }

    /// Iterates the columns in order.
    public func makeIterator() -> IndexingIterator<[Column]> { columns.makeIterator() }
}
