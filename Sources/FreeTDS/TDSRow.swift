/// One row of a result set: its values in column order, with the columns that describe them.
public struct TDSRow: Hashable, Sendable {
    /// The result set's columns (shared by every row of the set).
    public let columns: [TDSColumn]
    /// The values, one per column.
    public let values: [TDSValue]

    /// Makes a row; `values` must have one entry per column.
    public init(columns: [TDSColumn], values: [TDSValue]) {
        precondition(columns.count == values.count, "a row needs one value per column")
        self.columns = columns
        self.values = values
    }

    /// The number of values.
    public var count: Int { values.count }

    /// The value at a zero-based column index.
    public subscript(index: Int) -> TDSValue { values[index] }

    /// The value of the first column with this name (exact match first, then ignoring case, as
    /// SQL Server's default collations do); nil if there is no such column.
    public subscript(name: String) -> TDSValue? {
        if let index = columns.firstIndex(where: { $0.name == name }) { return values[index] }
        let lowered = name.lowercased()
        guard let index = columns.firstIndex(where: { $0.name.lowercased() == lowered }) else { return nil }
        return values[index]
    }
}
