public import Postgres

/// What differs between an existing target and what a conversion would create: shown when
/// `ferry convert` runs again on a converted target, instead of failing on "already exists".
public struct TargetSchemaDiff: Hashable, Sendable, CustomStringConvertible {
    /// One difference.
    public struct Entry: Hashable, Sendable, CustomStringConvertible {
        /// What kind of difference.
        public enum Change: String, Hashable, Sendable {
            /// The conversion would create it; the target lacks it.
            case missing
            /// Both have it, but not the same way (a column's type or nullability).
            case different
            /// The target has it; the conversion would not create it.
            case extra
        }
        /// What kind of difference.
        public var change: Change
        /// The object's kind (`table`, `column`, `index`, `constraint`, `view`, `procedure`).
        public var kind: String
        /// The target object, qualified.
        public var object: String
        /// The details: expected and found.
        public var detail: String?

        public var description: String {
            let sign = change == .missing ? "+" : change == .extra ? "-" : "~"
            return "\(sign) \(kind) \(object)" + (detail.map { ": \($0)" } ?? "")
        }
    }

    /// Whether any target schema already holds objects.
    public var targetHasObjects: Bool
    /// The differences, in a stable order.
    public var entries: [Entry]

    /// Whether the target matches the conversion exactly.
    public var isEmpty: Bool { entries.isEmpty }

    public var description: String {
        entries.isEmpty ? "the target matches the converted schema" : entries.map(\.description).joined(separator: "\n")
    }

    /// Compares the target's catalog (`pg_catalog`) in the conversion's schemas with the result.
    public static func compare(_ result: ConversionResult, target connection: PostgresConnection) async throws -> TargetSchemaDiff {
        let schemas = result.targetSchemas.map(PostgreSQLNames.literal).joined(separator: ", ")
        guard !schemas.isEmpty else { return TargetSchemaDiff(targetHasObjects: false, entries: []) }
        let snapshot: Snapshot
        do {
            snapshot = try await Self.snapshot(schemas: schemas, connection: connection)
        } catch let error as PostgresError {
            throw SchemaConversionError(.targetReadFailed, "could not read the target's catalog: \(error.message)", isRetriable: error.isRetriable)
        }
        let existing = snapshot.existing
        let existingColumns = snapshot.existingColumns
        var existingConstraints = snapshot.existingConstraints
        let existingProcedures = snapshot.existingProcedures
        do {
            let hasObjects = !existing.isEmpty || !existingProcedures.isEmpty

            var entries: [Entry] = []
            var expected = Set<String>()
            for statement in result.statements {
                switch statement.kind {
                case .table:
                    expected.insert(statement.targetObject)
                    guard let found = existingColumns[statement.targetObject] else {
                        entries.append(Entry(change: .missing, kind: "table", object: statement.targetObject))
                        continue
                    }
                    var wanted = Set<String>()
                    for column in statement.columns {
                        wanted.insert(column.name)
                        let object = "\(statement.targetObject).\(PostgreSQLNames.quote(column.name))"
                        guard let actual = found[column.name] else {
                            entries.append(Entry(change: .missing, kind: "column", object: object, detail: column.type))
                            continue
                        }
                        let type = normalizedType(column.type)
                        if actual.type != type || actual.nullable != column.isNullable {
                            entries.append(Entry(
                                change: .different, kind: "column", object: object,
                                detail: "expected \(type)\(column.isNullable ? "" : " NOT NULL"), found \(actual.type)\(actual.nullable ? "" : " NOT NULL")"))
                        }
                    }
                    for name in found.keys.sorted() where !wanted.contains(name) {
                        entries.append(Entry(change: .extra, kind: "column", object: "\(statement.targetObject).\(PostgreSQLNames.quote(name))"))
                    }
                case .view, .index, .sequence:
                    expected.insert(statement.targetObject)
                    if existing[statement.targetObject] == nil {
                        entries.append(Entry(change: .missing, kind: statement.kind.rawValue, object: statement.targetObject))
                    }
                case .primaryKey, .uniqueConstraint, .checkConstraint, .foreignKey:
                    if !existingConstraints.contains(statement.targetObject) {
                        entries.append(Entry(change: .missing, kind: statement.kind.rawValue, object: statement.targetObject))
                    }
                    existingConstraints.remove(statement.targetObject)
                case .procedure:
                    if !existingProcedures.contains(statement.targetObject) {
                        entries.append(Entry(change: .missing, kind: "procedure", object: statement.targetObject))
                    }
                default:
                    break
                }
            }
            for (name, kind) in existing.sorted(by: { $0.key < $1.key }) where kind == "table" || kind == "view" {
                if !expected.contains(name) { entries.append(Entry(change: .extra, kind: kind, object: name)) }
            }
            for constraint in existingConstraints.sorted() {
                // Unnamed column CHECKs (tinyint ranges) are part of CREATE TABLE.
                if constraint.hasSuffix("_check") || constraint.hasSuffix("_check\"") { continue }
                entries.append(Entry(change: .extra, kind: "constraint", object: constraint))
            }
            return TargetSchemaDiff(targetHasObjects: hasObjects, entries: entries)
        }
    }

    /// The target's objects in the schemas.
    private struct Snapshot {
        var existing: [String: String] = [:]
        var existingColumns: [String: [String: (type: String, nullable: Bool)]] = [:]
        var existingConstraints = Set<String>()
        var existingProcedures = Set<String>()
    }

    private static func snapshot(schemas: String, connection: PostgresConnection) async throws -> Snapshot {
        let relations = try await connection.query("""
            SELECT n.nspname, c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN (\(schemas)) AND c.relkind IN ('r', 'p', 'v', 'm', 'i', 'S')
            """)
        let columns = try await connection.query("""
            SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN (\(schemas)) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            """)
        let constraints = try await connection.query("""
            SELECT n.nspname, c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN (\(schemas)) AND k.contype IN ('p', 'u', 'c', 'f')
            """)
        let procedures = try await connection.query("""
            SELECT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN (\(schemas))
            """)
        var existing: [String: String] = [:]  // qualified name → kind
        for row in relations {
            let kind = try row.decode(String.self, at: 2)
            let name = PostgreSQLNames.qualified(try row.decode(String.self, at: 0), try row.decode(String.self, at: 1))
            existing[name] = ["r": "table", "p": "table", "v": "view", "m": "view", "i": "index", "S": "sequence"][kind] ?? kind
        }
        // Sequences of identity columns are implicit: not compared.
        var existingColumns: [String: [String: (type: String, nullable: Bool)]] = [:]
        for row in columns {
            let table = PostgreSQLNames.qualified(try row.decode(String.self, at: 0), try row.decode(String.self, at: 1))
            existingColumns[table, default: [:]][try row.decode(String.self, at: 2)] = (try row.decode(String.self, at: 3), try row.decode(Bool.self, at: 4))
        }
        var existingConstraints = Set<String>()
        for row in constraints {
            let table = PostgreSQLNames.qualified(try row.decode(String.self, at: 0), try row.decode(String.self, at: 1))
            existingConstraints.insert("\(table).\(PostgreSQLNames.quote(try row.decode(String.self, at: 2)))")
        }
        var existingProcedures = Set<String>()
        for row in procedures {
            existingProcedures.insert(PostgreSQLNames.qualified(try row.decode(String.self, at: 0), try row.decode(String.self, at: 1)))
        }
        return Snapshot(existing: existing, existingColumns: existingColumns, existingConstraints: existingConstraints, existingProcedures: existingProcedures)
    }

    /// A declaration as PostgreSQL's `format_type` prints it.
    static func normalizedType(_ declaration: String) -> String {
        func suffix(after prefix: String) -> String? {
            declaration.hasPrefix(prefix) ? String(declaration.dropFirst(prefix.count)) : nil
        }
        if let rest = suffix(after: "varchar") { return "character varying" + rest }
        if let rest = suffix(after: "timestamptz") { return "timestamp\(rest) with time zone" }
        if let rest = suffix(after: "timestamp") { return "timestamp\(rest) without time zone" }
        if let rest = suffix(after: "time") { return "time\(rest) without time zone" }
        return declaration
    }
}
