/// Quotes string literals for the rare statements that cannot take parameters (DDL defaults,
/// `COPY … WITH (NULL '…')`, `SET` values). Prefer parameters everywhere else.
public enum PostgresLiteral {
    /// `value` as a SQL string literal: single quotes doubled, and, when it contains a backslash,
    /// the `E'…'` form with backslashes doubled, so it means the same whatever
    /// `standard_conforming_strings` is set to.
    public static func quote(_ value: String) -> String {
        let quoted = value.replacing("'", with: "''")
        guard value.contains("\\") else { return "'" + quoted + "'" }
        return "E'" + quoted.replacing("\\", with: "\\\\") + "'"
    }
}
