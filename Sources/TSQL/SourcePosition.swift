/// A position in T-SQL source text: 1-based line and column (in Unicode scalars), and the UTF-8
/// byte offset from the start of the text.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number, counted the way SQL Server counts lines in a batch (after each LF).
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int
    /// UTF-8 byte offset from the start of the source.
    public var offset: Int

    /// Creates a location.
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// The start of any source text.
    public static let start = SourcePosition(line: 1, column: 1, offset: 0)

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}
