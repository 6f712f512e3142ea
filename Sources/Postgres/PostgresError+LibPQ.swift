import CLibPQ

extension PostgresError {
    /// An error from a failed result, carrying every diagnostic field the server sent.
    init(code: Code, result: PostgresResultHandle, fallbackMessage: String, context: String?) {
        let primary = result.errorField(UInt8(ascii: "M"))
        self.init(code: code, message: primary ?? fallbackMessage, context: context)
        sqlState = result.errorField(UInt8(ascii: "C"))
        severity = result.errorField(UInt8(ascii: "V")) ?? result.errorField(UInt8(ascii: "S"))
        detail = result.errorField(UInt8(ascii: "D"))
        hint = result.errorField(UInt8(ascii: "H"))
        position = result.errorField(UInt8(ascii: "P")).flatMap { Int($0) }
        serverContext = result.errorField(UInt8(ascii: "W"))
        schemaName = result.errorField(UInt8(ascii: "s"))
        tableName = result.errorField(UInt8(ascii: "t"))
        columnName = result.errorField(UInt8(ascii: "c"))
        dataTypeName = result.errorField(UInt8(ascii: "d"))
        constraintName = result.errorField(UInt8(ascii: "n"))
    }

    /// Shortens a statement for use as an error's context, so huge statements do not flood logs.
    static func statementContext(_ sql: String) -> String {
        let limit = 300
        let trimmed = sql.trimmingNewlines()
        guard trimmed.count > limit else { return "statement: \(trimmed)" }
        return "statement: \(trimmed.prefix(limit))…"
    }
}
