/// The one place that builds Ferry's topic names from a prefix (the logical server name).
///
/// Kafka accepts topic names of 1–249 characters from `[a-zA-Z0-9._-]`, except `.` and `..`.
/// Names that break that rule are refused, never rewritten: rewriting (`a b` → `a_b`) could send
/// two tables to one topic. Name parts may not contain `.` either, since `a.b` + `c` and `a` +
/// `b.c` would share a topic.
public struct TopicNames: Hashable, Sendable {
    /// The prefix every topic starts with.
    public let prefix: String

    /// Kafka's limit on a topic name's length.
    public static let maximumLength = 249

    /// Makes the names for `prefix`; throws if the prefix is not a valid topic name part.
    public init(prefix: String) throws(FerryCoreError) {
        try TopicNames.checkPart(prefix, role: "prefix")
        self.prefix = prefix
    }

    /// `<prefix>.<database>.<schema>.<table>`: the data topic of one table.
    public func table(_ table: TableIdentity) throws(FerryCoreError) -> String {
        try TopicNames.checkPart(table.database, role: "database name")
        try TopicNames.checkPart(table.schema, role: "schema name")
        try TopicNames.checkPart(table.table, role: "table name")
        return try checked("\(prefix).\(table.database).\(table.schema).\(table.table)")
    }

    /// `<prefix>.schema-changes`: DDL events.
    public var schemaChanges: String { prefix + ".schema-changes" }
    /// `<prefix>.transaction`: transaction BEGIN/END events.
    public var transaction: String { prefix + ".transaction" }
    /// `<prefix>.offsets`: the source's checkpoint (compacted).
    public var offsets: String { prefix + ".offsets" }
    /// `<prefix>.heartbeat`: liveness while tables are quiet.
    public var heartbeat: String { prefix + ".heartbeat" }

    /// The longest suffix the fixed topics add; the prefix leaves room for it.
    private static let longestFixedSuffix = ".schema-changes".count

    private func checked(_ name: String) throws(FerryCoreError) -> String {
        guard name.utf8.count <= TopicNames.maximumLength else {
            throw FerryCoreError(.invalidTopicName, "topic name '\(name)' is longer than Kafka's \(TopicNames.maximumLength) characters", context: ["topic": name])
        }
        return name
    }

    private static func checkPart(_ part: String, role: String) throws(FerryCoreError) {
        guard !part.isEmpty else {
            throw FerryCoreError(.invalidTopicName, "the \(role) is empty; a topic name needs every part", context: [role: part])
        }
        if let bad = part.unicodeScalars.first(where: { !isAllowed($0) }) {
            throw FerryCoreError(.invalidTopicName,
                                 "the \(role) '\(part)' contains '\(bad)' (U+\(String(bad.value, radix: 16, uppercase: true))); topic names allow only a-z, A-Z, 0-9, '_' and '-' in a part",
                                 context: [role: part])
        }
        if role == "prefix", part.utf8.count + longestFixedSuffix > maximumLength {
            throw FerryCoreError(.invalidTopicName, "the prefix '\(part)' leaves no room for '.schema-changes' within \(maximumLength) characters", context: [role: part])
        }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": return true
        default: return false
        }
    }
}
