/// Why a ``PostgresDecodable`` type could not decode a value; the row wraps it in a
/// ``PostgresError`` that names the column.
public struct PostgresDecodingFailure: Error, Sendable, Hashable {
    /// What was wrong with the value, such as `expected int2, int4 or int8`.
    public var reason: String

    /// Creates a failure with the given reason.
    public init(_ reason: String) {
        self.reason = reason
    }
}
