import TSQL

extension Translator {
    /// `expression COLLATE name`: SQL Server compares and sorts a character value by the named
    /// collation. Columns are stored case-insensitively (the instance's default collation); an
    /// explicit collation picks PostgreSQL's binary `"C"` for the `_BIN`/`_BIN2` collations, an
    /// ICU root collation for the case-sensitive ones, and the catalog's case-insensitive one for
    /// `_CI` (accent sensitivity is not distinguished). Non-character values keep no collation, as
    /// on SQL Server. An unknown name is Msg 448.
    func collated(_ inner: TranslatedExpression, collation name: String) throws(SQLServerError) -> TranslatedExpression {
        let parts = name.uppercased().split(separator: "_").map(String.init)
        let postgresCollation: String
        if parts.count < 2 || parts.contains(where: { $0.isEmpty }) {
            throw Self.invalidCollation(name)
        } else if parts.contains("BIN") || parts.contains("BIN2") {
            postgresCollation = "\"C\""
        } else if parts.contains("CS") {
            postgresCollation = "\"und-x-icu\""
        } else if parts.contains("CI") {
            postgresCollation = "sqlserver_catalog.ci"
        } else {
            throw Self.invalidCollation(name)
        }
        guard let type = inner.type, type.isCharacter else { return inner }
        var result = inner
        result.sql = "((\(inner.sql))::text COLLATE \(postgresCollation))"
        result.column = nil
        return result
    }

    private static func invalidCollation(_ name: String) -> SQLServerError {
        SQLServerError(code: .init(448), message: "Invalid collation '\(name)'.", abortsBatch: true)
    }
}
