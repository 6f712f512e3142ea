/// The description of one result column.
public struct PostgresColumn: Sendable, Hashable {
    /// The column's name as the server reports it (its alias, if any).
    public var name: String
    /// The column's type.
    public var dataType: PostgresDataType
    /// The format its values are in.
    public var format: PostgresFormat
}
