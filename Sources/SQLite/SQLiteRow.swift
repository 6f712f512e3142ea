/// One result row, copied out of SQLite so it can leave the connection.
public struct SQLiteRow: Hashable, Sendable {
    /// The row's values, by column index.
    public var values: [SQLiteValue]

    /// Makes a row from its values.
    public init(values: [SQLiteValue]) {
        self.values = values
    }

    /// The value of `column` (from 0).
    public subscript(column: Int) -> SQLiteValue { values[column] }

    /// Whether `column` is `NULL`.
    public func isNull(at column: Int) -> Bool { values[column] == .null }

    /// The integer in `column` (a real is truncated), or `nil` for `NULL` and non-numbers.
    public func int64(at column: Int) -> Int64? {
        switch values[column] {
        case .integer(let value): return value
        case .real(let value): return Int64(exactly: value.rounded(.towardZero))
        default: return nil
        }
    }

    /// The number in `column`, or `nil` for `NULL` and non-numbers.
    public func double(at column: Int) -> Double? {
        switch values[column] {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    /// The text in `column` (a blob is decoded as UTF-8), or `nil` for `NULL` and numbers.
    public func string(at column: Int) -> String? {
        switch values[column] {
        case .text(let value): return value
        case .blob(let value): return String(decoding: value, as: UTF8.self)
        default: return nil
        }
    }

    /// The bytes in `column` (text as its UTF-8), or `nil` for `NULL` and numbers.
    public func blob(at column: Int) -> [UInt8]? {
        switch values[column] {
        case .blob(let value): return value
        case .text(let value): return Array(value.utf8)
        default: return nil
        }
    }
}

/// The current row of a statement being stepped; valid only inside the closure that receives it.
///
/// Reading through the cursor avoids copying every column into ``SQLiteValue``s; the typed
/// accessors apply SQLite's own conversions and return `nil` for `NULL`.
public struct SQLiteRowCursor {
    let statement: SQLiteStatement

    /// How many columns the row has.
    public var columnCount: Int { statement.columnCount }
    /// The name of `column` as the query spelled it.
    public func columnName(at column: Int) -> String { statement.columnName(at: column) }
    /// Whether `column` is `NULL`.
    public func isNull(at column: Int) -> Bool { statement.isNull(at: column) }
    /// The integer in `column`, or `nil` for `NULL`.
    public func int64(at column: Int) -> Int64? { statement.int64(at: column) }
    /// The number in `column`, or `nil` for `NULL`.
    public func double(at column: Int) -> Double? { statement.double(at: column) }
    /// The text in `column`, or `nil` for `NULL`.
    public func string(at column: Int) -> String? { statement.string(at: column) }
    /// The bytes in `column`, or `nil` for `NULL`; a zero-length blob is `[]`.
    public func blob(at column: Int) -> [UInt8]? { statement.blob(at: column) }
    /// The value of `column` in its own storage class.
    public func value(at column: Int) -> SQLiteValue { statement.value(at: column) }
    /// The whole row, copied.
    public var row: SQLiteRow { SQLiteRow(values: (0..<columnCount).map(value(at:))) }
}
