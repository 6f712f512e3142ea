import CLibPQ

/// One row of a ``PostgresRows`` result, read by column name or index.
///
/// ```swift
/// let id = try row.decode(Int64.self, column: "id")
/// let note = try row.decode(String?.self, column: "note")  // nil when NULL
/// ```
public struct PostgresRow: Sendable {
    private let rows: PostgresRows
    /// The row's position in its result.
    public let index: Int

    init(rows: PostgresRows, index: Int) {
        self.rows = rows
        self.index = index
    }

    /// The result's columns.
    public var columns: [PostgresColumn] { rows.columns }

    /// Whether the value in the named column is NULL.
    public func isNull(column name: String) throws(PostgresError) -> Bool {
        try isNull(at: columnIndex(name))
    }

    /// Whether the value in column `column` (0-based) is NULL.
    public func isNull(at column: Int) throws(PostgresError) -> Bool {
        try checkColumn(column)
        return rows.result.withResult { PQgetisnull($0, Int32(index), Int32(column)) == 1 }
    }

    /// Decodes the named column; throws ``PostgresError/Code/decodingFailed`` if it is NULL.
    public func decode<T: PostgresDecodable>(_ type: T.Type, column name: String) throws(PostgresError) -> T {
        try decode(type, at: columnIndex(name))
    }

    /// Decodes column `column` (0-based); throws ``PostgresError/Code/decodingFailed`` if it is NULL.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at column: Int) throws(PostgresError) -> T {
        guard let value = try decode(T?.self, at: column) else {
            throw decodingError(column: column, type: T.self, reason: "the value is NULL; decode \(T.self)? to accept NULL")
        }
        return value
    }

    /// Decodes the named column, or returns nil if it is NULL.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, column name: String) throws(PostgresError) -> T? {
        try decode(type, at: columnIndex(name))
    }

    /// Decodes column `column` (0-based), or returns nil if it is NULL.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, at column: Int) throws(PostgresError) -> T? {
        try checkColumn(column)
        let description = rows.columns[column]
        let outcome: Result<T?, PostgresDecodingFailure> = rows.result.withResult { pointer in
            let row = Int32(index)
            let field = Int32(column)
            if PQgetisnull(pointer, row, field) == 1 {
                return .success(nil)
            }
            let length = Int(PQgetlength(pointer, row, field))
            let bytes = UnsafeRawBufferPointer(start: PQgetvalue(pointer, row, field), count: length)
            return Result { () throws(PostgresDecodingFailure) -> T in
                try T.decode(from: bytes, type: description.dataType, format: description.format)
            }.map { Optional($0) }
        }
        switch outcome {
        case .success(let value):
            return value
        case .failure(let failure):
            throw decodingError(column: column, type: T.self, reason: failure.reason)
        }
    }

    private func columnIndex(_ name: String) throws(PostgresError) -> Int {
        guard let index = rows.columnIndexes[name] else {
            let known = rows.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw PostgresError(code: .columnNotFound, message: "result has no column named \"\(name)\" (columns: \(known))")
        }
        return index
    }

    private func checkColumn(_ column: Int) throws(PostgresError) {
        guard column >= 0, column < rows.columns.count else {
            throw PostgresError(
                code: .columnNotFound,
                message: "column index \(column) is out of range; the result has \(rows.columns.count) columns")
        }
    }

    private func decodingError(column: Int, type: Any.Type, reason: String) -> PostgresError {
        let description = rows.columns[column]
        return PostgresError(
            code: .decodingFailed,
            message: "cannot decode column \"\(description.name)\" (\(description.dataType), \(description.format) format) "
                + "of row \(index) as \(type): \(reason)")
    }
}
