import FerryCore
import Postgres

/// Applies the changes of one table inside the sink's open transaction: folded segments through
/// `COPY` into a staging table and a set-based merge, single changes through one statement each.
/// Every segment and every single change runs under a savepoint, so a row the target refuses is
/// isolated (the segment is retried change by change) without losing the rest of the transaction.
struct TableApplier {
    let connection: PostgresConnection
    var table: AppliedTable
    /// Called for a change the target refused; returns whether to go on with this table.
    let onFailure: (PendingChange, PostgresError) async throws -> Bool

    /// Applies `changes` in order. Returns `false` if the failure handler stopped the table.
    mutating func apply(_ changes: [PendingChange]) async throws -> Bool {
        if table.hasUniqueKey == nil { table.hasUniqueKey = try await uniqueKeyExists() }
        var folder = ChangeFolder()
        folder.reserveCapacity(changes.count)
        // By index, not by element: an element copy retains every reference a change holds.
        for index in changes.indices {
            if ChangeFolder.needsRowLevel(changes[index].event, table: table) {
                if !folder.isEmpty {
                    guard try await flush(folder, changes) else { return false }
                    folder.removeAll()
                }
                guard try await applySingle(changes[index]) else { return false }
            } else {
                folder.add(changes[index].event, index: index, table: table)
            }
        }
        if !folder.isEmpty { return try await flush(folder, changes) }
        return true
    }

    // MARK: Segments

    private func flush(_ folder: ChangeFolder, _ changes: [PendingChange]) async throws -> Bool {
        try await connection.execute("SAVEPOINT ferry_segment")
        do {
            try await merge(folder)
            try await connection.execute("RELEASE SAVEPOINT ferry_segment")
            return true
        } catch {
            guard Self.rowError(error) != nil else { throw error }
            try await connection.execute("ROLLBACK TO SAVEPOINT ferry_segment; RELEASE SAVEPOINT ferry_segment")
        }
        // One change in the segment was refused: apply them one by one to find it.
        for index in folder.members {
            guard try await applySingle(changes[index]) else { return false }
        }
        return true
    }

    private func merge(_ folder: ChangeFolder) async throws {
        let target = table.qualifiedName
        let columnList = table.columns.map(\.quoted).joined(separator: ", ")
        if folder.onlyUpserts {
            // Fast path: most insert batches hit no existing key, and COPY into the table itself
            // is as fast as PostgreSQL loads. A duplicate key falls back to the staging merge.
            try await connection.execute("SAVEPOINT ferry_direct")
            do {
                try await copy("COPY \(target) (\(columnList)) FROM STDIN", folder, staging: false)
                try await connection.execute("RELEASE SAVEPOINT ferry_direct")
                return
            } catch {
                guard (error as? PostgresError)?.sqlState == "23505" else { throw error }
                try await connection.execute("ROLLBACK TO SAVEPOINT ferry_direct; RELEASE SAVEPOINT ferry_direct")
            }
        }
        try await connection.execute("""
            DROP TABLE IF EXISTS pg_temp.ferry_stage;
            CREATE TEMP TABLE ferry_stage ON COMMIT DROP AS
            SELECT \(columnList), NULL::"char" AS _ferry_op, NULL::text AS _ferry_unchanged FROM \(target) WITH NO DATA
            """)
        try await copy("COPY pg_temp.ferry_stage (\(columnList), _ferry_op, _ferry_unchanged) FROM STDIN", folder, staging: true)
        if folder.changes.count > 100 {
            // Without statistics the planner takes the fresh staging table for empty and may join it
            // with a nested loop; with them it hashes. The joins and filters need only the key and
            // the operation: a sixth of the time of analysing every column.
            let analysed = (table.keyColumns.map(\.quoted) + ["_ferry_op"]).joined(separator: ", ")
            try await connection.execute("ANALYZE pg_temp.ferry_stage (\(analysed))")
        }
        var counts = (upserts: 0, updates: 0, deletes: 0)
        for change in folder.changes {
            switch change {
            case .upsert: counts.upserts += 1
            case .update: counts.updates += 1
            case .delete: counts.deletes += 1
            }
        }
        let match = table.keyColumns.map { "t.\($0.quoted) = s.\($0.quoted)" }.joined(separator: " AND ")
        let uniqueKey = table.hasUniqueKey ?? false
        var statements: [String] = []
        if counts.deletes > 0 || (counts.upserts > 0 && !uniqueKey) {
            let ops = uniqueKey ? "'D'" : "'D', 'I'"
            statements.append("DELETE FROM \(target) AS t USING pg_temp.ferry_stage AS s WHERE s._ferry_op IN (\(ops)) AND \(match)")
        }
        if counts.updates > 0, !table.valueColumns.isEmpty {
            let assignments = table.valueColumns.map { column -> String in
                if let bit = table.largeObjectColumns[column.source] {
                    return "\(column.quoted) = CASE WHEN substr(s._ferry_unchanged, \(bit + 1), 1) = '1' THEN t.\(column.quoted) ELSE s.\(column.quoted) END"
                }
                return "\(column.quoted) = s.\(column.quoted)"
            }
            statements.append("UPDATE \(target) AS t SET \(assignments.joined(separator: ", ")) FROM pg_temp.ferry_stage AS s WHERE s._ferry_op = 'U' AND \(match)")
        }
        if counts.upserts > 0 {
            var insert = "INSERT INTO \(target) (\(columnList)) SELECT \(columnList) FROM pg_temp.ferry_stage WHERE _ferry_op = 'I'"
            if uniqueKey {
                let keys = table.keyColumns.map(\.quoted).joined(separator: ", ")
                insert += table.valueColumns.isEmpty ? " ON CONFLICT (\(keys)) DO NOTHING"
                    : " ON CONFLICT (\(keys)) DO UPDATE SET " + table.valueColumns.map { "\($0.quoted) = EXCLUDED.\($0.quoted)" }.joined(separator: ", ")
            }
            statements.append(insert)
        }
        try await connection.execute(statements.joined(separator: ";\n"))
    }

    /// Sends the COPY rows of a folded segment: the table's columns, and for staging the operation
    /// and the unchanged mask of the large-object columns. The text is built in chunks as it is
    /// sent, so PostgreSQL loads one chunk while the next is encoded.
    private func copy(_ statement: String, _ folder: ChangeFolder, staging: Bool) async throws {
        let layout = CopyLayout(table)
        try await connection.copyIn(statement) { writer in
            var buffer = CopyTextBuffer()
            buffer.reserveCapacity(Self.copyChunkBytes + 4096)
            for change in folder.changes {
                Self.appendCopyRow(change, layout: layout, staging: staging, to: &buffer)
                if buffer.bytes.count >= Self.copyChunkBytes {
                    try writer.writeRaw(buffer.bytes)
                    buffer.removeAll()
                }
            }
            try writer.writeRaw(buffer.bytes)
        }
    }

    /// COPY text handed to libpq at a time.
    static let copyChunkBytes = 1 << 16

    /// What writing a COPY row needs of the table, worked out once per segment rather than per row
    /// (no dictionary lookup by column name, no copy of the column descriptions per value).
    struct CopyLayout {
        var names: [String]
        var types: [SQLServerDataType]
        /// Each column's bit in the unchanged mask, -1 for columns that never carry `.unchanged`.
        var maskBits: [Int]
        var maskWidth: Int

        init(_ table: AppliedTable) {
            names = table.columns.map(\.source)
            types = table.columns.map(\.type)
            maskBits = table.columns.map { table.largeObjectColumns[$0.source] ?? -1 }
            maskWidth = table.largeObjectColumns.count
        }
    }

    private static func appendCopyRow(_ change: NetChange, layout: CopyLayout, staging: Bool, to buffer: inout CopyTextBuffer) {
        let row: Row
        let op: UInt8
        switch change {
        case .upsert(let image): row = image; op = UInt8(ascii: "I")
        case .update(let image): row = image; op = UInt8(ascii: "U")
        case .delete(let image): row = image; op = UInt8(ascii: "D")
        }
        var mask: [UInt8]? = nil
        let stored = row.columns
        for index in layout.names.indices {
            // Rows come in the table's column order: look at the same position before searching by name.
            let value = index < stored.count && stored[index].name == layout.names[index] ? stored[index].value : row[layout.names[index]] ?? .null
            if case .unchanged = value {
                let bit = layout.maskBits[index]
                if bit >= 0 {
                    if mask == nil { mask = Array(repeating: UInt8(ascii: "0"), count: layout.maskWidth) }
                    mask![bit] = UInt8(ascii: "1")
                }
                buffer.field(nil)
            } else {
                buffer.field(value, as: layout.types[index])
            }
        }
        if staging {
            buffer.asciiField(op)
            buffer.field(mask.map { String(decoding: $0, as: UTF8.self) })
        }
        buffer.endRow()
    }

    // MARK: Single changes

    private func applySingle(_ change: PendingChange) async throws -> Bool {
        try await connection.execute("SAVEPOINT ferry_row")
        do {
            for (sql, parameters) in statements(for: change.event) {
                try await connection.query(sql, parameters)
            }
            try await connection.execute("RELEASE SAVEPOINT ferry_row")
            return true
        } catch {
            guard let refused = Self.rowError(error) else { throw error }
            try await connection.execute("ROLLBACK TO SAVEPOINT ferry_row; RELEASE SAVEPOINT ferry_row")
            return try await onFailure(change, refused)
        }
    }

    /// The statements that apply one change on its own.
    func statements(for event: ChangeEvent) -> [(String, [PostgresValue])] {
        let target = table.qualifiedName
        switch event.operation {
        case .create, .read:
            var parameters: [PostgresValue] = []
            let columns = present(event.after!)
            let values = columns.map { Self.parameter($0.1, $0.0, &parameters) }
            var sql = "INSERT INTO \(target) (\(columns.map(\.0.quoted).joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"
            guard table.isKeyed else { return [(sql, parameters)] }
            let keys = Set(table.keyColumns.map(\.source))
            let updates = columns.filter { !keys.contains($0.0.source) }
            if table.hasUniqueKey ?? false {
                sql += " ON CONFLICT (\(table.keyColumns.map(\.quoted).joined(separator: ", "))) "
                sql += updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET " + updates.map { "\($0.0.quoted) = EXCLUDED.\($0.0.quoted)" }.joined(separator: ", ")
                return [(sql, parameters)]
            }
            var deleteParameters: [PostgresValue] = []
            let condition = locate(event.after!, &deleteParameters)
            return [("DELETE FROM \(target) WHERE \(condition)", deleteParameters), (sql, parameters)]
        case .update:
            var parameters: [PostgresValue] = []
            let assignments = present(event.after!).map { "\($0.0.quoted) = \(Self.parameter($0.1, $0.0, &parameters))" }
            guard !assignments.isEmpty else { return [] }
            let condition = locate(event.before ?? event.after!, &parameters)
            return [("UPDATE \(target) SET \(assignments.joined(separator: ", ")) WHERE \(condition)", parameters)]
        case .delete:
            var parameters: [PostgresValue] = []
            let condition = locate(event.before!, &parameters)
            return [("DELETE FROM \(target) WHERE \(condition)", parameters)]
        }
    }

    private static func parameter(_ value: ColumnValue, _ column: AppliedTable.Column, _ parameters: inout [PostgresValue]) -> String {
        parameters.append(value.postgreSQLText(as: column.type).map { .text($0) } ?? .null)
        return "$\(parameters.count)"
    }

    /// The mapped columns of an image that carry a value.
    private func present(_ row: Row) -> [(AppliedTable.Column, ColumnValue)] {
        table.columns.compactMap { column in
            guard let value = row[column.source], !value.isUnchanged else { return nil }
            return (column, value)
        }
    }

    /// The condition that finds the row an image describes: by key, or by every column (one row only).
    private func locate(_ row: Row, _ parameters: inout [PostgresValue]) -> String {
        if table.isKeyed {
            var conditions: [String] = []
            for column in table.keyColumns {
                conditions.append("\(column.quoted) = \(Self.parameter(row[column.source] ?? .null, column, &parameters))")
            }
            return conditions.joined(separator: " AND ")
        }
        var conditions: [String] = []
        for (column, value) in present(row) {
            let placeholder = Self.parameter(value, column, &parameters)
            conditions.append(column.type.name == .xml ? "\(column.quoted)::text IS NOT DISTINCT FROM \(placeholder)::text"
                                                       : "\(column.quoted) IS NOT DISTINCT FROM \(placeholder)")
        }
        return "ctid = (SELECT ctid FROM \(table.qualifiedName) WHERE \(conditions.isEmpty ? "true" : conditions.joined(separator: " AND ")) LIMIT 1)"
    }

    // MARK: Helpers

    /// Whether the target refused the data (constraint, value, type), as opposed to a lost
    /// connection or a conflict worth retrying.
    static func rowError(_ error: any Error) -> PostgresError? {
        guard let error = error as? PostgresError else { return nil }
        // A value the client refuses to send (U+0000 in text) is as much the row's fault as a
        // value the server refuses.
        return isRowError(error) || error.code == .invalidParameter ? error : nil
    }

    static func isRowError(_ error: PostgresError) -> Bool {
        guard !error.isRetriable, let state = error.sqlState else { return false }
        return state.hasPrefix("22") || state.hasPrefix("23") || state.hasPrefix("42") || state.hasPrefix("54") || state.hasPrefix("2F")
            || state == "XX000" || state.hasPrefix("P0")
    }

    private func uniqueKeyExists() async throws -> Bool {
        guard table.isKeyed else { return false }
        let rows = try await connection.query("""
            SELECT count(*) FROM pg_index i
            WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
              AND (SELECT array_agg(a.attname::text ORDER BY a.attname COLLATE "C") FROM pg_attribute a
                   WHERE a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)) = $2::text[]
            """, [.text(table.qualifiedName), .text(arrayLiteral(table.keyColumns.map(\.target).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }))])
        return try rows.first?.decode(Int64.self, at: 0) ?? 0 > 0
    }
}
