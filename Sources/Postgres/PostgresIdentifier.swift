/// Quotes SQL identifiers (table, column, schema names) so any name is safe in a statement.
///
/// Quoted identifiers keep their case and may contain any character but NUL, so reserved words
/// (`"select"`), mixed case, spaces, quotes and non-ASCII names all work. PostgreSQL truncates
/// identifiers longer than 63 bytes.
public enum PostgresIdentifier {
    /// `name` in double quotes with embedded double quotes doubled: `we"ird` → `"we""ird"`.
    public static func quote(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// A schema-qualified name, each part quoted: `"my schema"."my table"`; just the quoted name
    /// when `schema` is nil.
    public static func qualified(schema: String?, _ name: String) -> String {
        guard let schema else { return quote(name) }
        return quote(schema) + "." + quote(name)
    }
}
