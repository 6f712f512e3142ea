import FerryCore
import Postgres

/// Repeats a source DDL event on the target, within the sink's open transaction, following the
/// configured preparation mode and DDL policy.
struct SchemaEvolution {
    let connection: PostgresConnection
    let configuration: SinkConfiguration

    /// What applying a schema change did.
    enum Outcome {
        /// The table is (still) applied with this shape.
        case table(AppliedTable)
        /// The table was dropped or is excluded by the mapping.
        case none
    }

    /// Applies `change` to the target. `current` is the table as the target has it (if known).
    func apply(_ change: SchemaChangeEvent, current: AppliedTable?) async throws -> Outcome {
        let mapping = configuration.mapping
        guard let newSchema = try change.newSchema() else {
            if let current, configuration.ddlPolicy.applyDrop {
                try await connection.execute("DROP TABLE IF EXISTS \(current.qualifiedName)")
            } else if current == nil, configuration.ddlPolicy.applyDrop, let target = mapping.table(change.table) {
                try await connection.execute("DROP TABLE IF EXISTS \(PostgresIdentifier.qualified(schema: target.schema, target.table))")
            }
            return .none
        }
        guard let target = mapping.table(change.table) else { return .none }
        var table = AppliedTable(schema: newSchema, target: target, mapping: mapping)
        let exists = try await tableExists(table)

        if change.oldColumns == nil || current == nil || !exists {
            // First capture of the table (its full load follows), or a table the target lacks.
            if exists, change.oldColumns == nil {
                switch configuration.tablePreparation {
                case .doNothing: break
                case .truncateBeforeLoad: try await connection.execute("TRUNCATE TABLE \(table.qualifiedName)")
                case .dropAndCreate:
                    try await connection.execute("DROP TABLE \(table.qualifiedName)")
                    try await connection.execute(table.createStatement())
                }
            } else if !exists {
                guard configuration.createMissingTables else {
                    throw SinkError(.targetMismatch, "target table \(target) of \(change.table) does not exist and creating tables is off",
                                    context: ["table": target.description])
                }
                try await connection.execute(table.createStatement())
            }
            return .table(table)
        }

        if change.ddl.trimmingPrefixWhitespace().uppercased().hasPrefix("TRUNCATE") {
            if configuration.ddlPolicy.applyTruncate { try await connection.execute("TRUNCATE TABLE \(table.qualifiedName)") }
            return .table(current!.withSchema(newSchema, mapping: mapping, keepingShapeOf: nil))
        }

        guard let current, configuration.ddlPolicy.applyAlter else {
            // Altering is off: keep the target's columns, read the new events with the new schema.
            return .table(current!.withSchema(newSchema, mapping: mapping, keepingShapeOf: current))
        }
        var statements: [String] = []
        let old = Dictionary(current.columns.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(table.columns.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
        for column in current.columns where new[column.source] == nil {
            statements.append("ALTER TABLE \(table.qualifiedName) DROP COLUMN IF EXISTS \(column.quoted)")
        }
        for column in table.columns {
            let type = column.type.postgreSQLType
            guard let before = old[column.source] else {
                var text = "ALTER TABLE \(table.qualifiedName) ADD COLUMN IF NOT EXISTS \(column.quoted) \(type.declaration)"
                if let check = type.check(forQuotedColumn: column.quoted) { text += " CHECK (\(check))" }
                statements.append(text)
                continue
            }
            if before.type.postgreSQLType.declaration != type.declaration {
                statements.append("ALTER TABLE \(table.qualifiedName) ALTER COLUMN \(column.quoted) TYPE \(type.declaration) USING \(column.quoted)::\(type.declaration)")
            }
            let wasNullable = current.schema.column(named: column.source)?.isNullable ?? true
            if !wasNullable, newSchema.column(named: column.source)?.isNullable == true {
                statements.append("ALTER TABLE \(table.qualifiedName) ALTER COLUMN \(column.quoted) DROP NOT NULL")
            }
        }
        for statement in statements { try await connection.execute(statement) }
        table.hasUniqueKey = nil
        return .table(table)
    }

    private func tableExists(_ table: AppliedTable) async throws -> Bool {
        let rows = try await connection.query("SELECT to_regclass($1) IS NOT NULL", [.text(table.qualifiedName)])
        return try rows.first?.decode(Bool.self, at: 0) ?? false
    }
}

extension AppliedTable {
    /// This table read with `schema`; with `keepingShapeOf`, only the columns that table has.
    func withSchema(_ schema: TableSchema, mapping: SinkTableMapping, keepingShapeOf shape: AppliedTable?) -> AppliedTable {
        var copy = self
        if let shape {
            let kept = Set(shape.columns.map(\.source))
            let columns = schema.columns.filter { kept.contains($0.name) }
            if let narrowed = try? TableSchema(identity: schema.identity, columns: columns, keyColumns: schema.keyColumns.filter { kept.contains($0) }) {
                copy.setSchema(narrowed, mapping: mapping)
                return copy
            }
        }
        copy.setSchema(schema, mapping: mapping)
        return copy
    }
}

extension String {
    func trimmingPrefixWhitespace() -> Substring { drop { $0.isWhitespace } }
}
