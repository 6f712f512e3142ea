/// The wire format of result values: PostgreSQL's text output or its binary `send` format.
public enum PostgresFormat: Int32, Sendable, Hashable, CaseIterable {
    /// Values as the server prints them (`42`, `t`, `\x0102`).
    case text = 0
    /// Values in the binary format (network byte order integers and floats, raw bytea).
    case binary = 1
}
