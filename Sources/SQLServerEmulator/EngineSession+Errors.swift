import Postgres

extension EngineSession {
    /// The SQL Server error for a PostgreSQL failure, with SQL Server's number and wording; the
    /// PostgreSQL text never reaches the client.
    ///
    /// Called after the failed statement was rolled back, so the catalog can be read.
    func sqlServerError(for error: PostgresError, statementKind: String) async throws -> SQLServerError {
        guard let state = error.sqlState else { throw error }
        let kind = statementKind.isEmpty ? "INSERT" : statementKind
        var table: TableRecord?
        if let schemaName = error.schemaName, let tableName = error.tableName {
            table = try await catalog.table(pgSchema: schemaName, pgName: tableName)
        }
        switch state {
        case CatalogSchema.sqlServerErrorState:
            let number = Int(error.detail ?? "") ?? 50000
            // HINT is the severity, or `severity/state` (CDC's Msg 313 has state 3).
            let hintParts = (error.hint ?? "").split(separator: "/")
            let severity = hintParts.first.flatMap { Int($0) } ?? 16
            let state = hintParts.count > 1 ? Int(hintParts[1]) ?? 1 : 1
            // Conversion errors abort the batch; overflow and truncation end the statement.
            let abortsBatch = [245, 241, 8114, 8169].contains(number)
            return SQLServerError(
                code: .init(number), severity: severity, state: state, message: error.message, abortsBatch: abortsBatch)
        case "23502":  // not_null_violation
            let column = table?.definition.columns.first { $0.pgName == error.columnName }?.name ?? error.columnName ?? ""
            let tableName = table?.threePartName ?? error.tableName ?? ""
            return SQLServerError(
                code: .nullNotAllowed,
                message: "Cannot insert the value NULL into column '\(column)', table '\(tableName)'; column does not allow nulls. \(kind) fails.")
        case "23505":  // unique_violation
            let value = Self.duplicateKeyValue(error.detail)
            if let table, let index = table.definition.indexes.first(where: { $0.pgName == error.constraintName }) {
                if index.kind == .index {
                    return SQLServerError(
                        code: .duplicateKeyInUniqueIndex, severity: 14,
                        message: "Cannot insert duplicate key row in object '\(table.twoPartName)' with unique index '\(index.name)'. The duplicate key value is \(value).")
                }
                let constraintKind = index.kind == .primaryKey ? "PRIMARY KEY" : "UNIQUE KEY"
                return SQLServerError(
                    code: .uniqueConstraintViolation, severity: 14,
                    message: "Violation of \(constraintKind) constraint '\(index.name)'. Cannot insert duplicate key in object '\(table.twoPartName)'. The duplicate key value is \(value).")
            }
            return SQLServerError(
                code: .uniqueConstraintViolation, severity: 14,
                message: "Violation of UNIQUE KEY constraint '\(error.constraintName ?? "")'. Cannot insert duplicate key in object '\(error.tableName ?? "")'. The duplicate key value is \(value).")
        case "23503":  // foreign_key_violation; PostgreSQL names the referencing table
            guard let table, let foreignKey = table.definition.foreignKeys.first(where: { $0.pgName == error.constraintName })
            else { break }
            // Inserting or updating the referencing row conflicts with the FOREIGN KEY, named by
            // the referenced table and column; deleting or updating a referenced row conflicts
            // with the REFERENCE constraint, named by the referencing table and column.
            let referencingSide = (error.detail ?? "").contains("is not present in table")
            if referencingSide {
                return SQLServerError(
                    code: .constraintConflict,
                    message: "The \(kind) statement conflicted with the FOREIGN KEY constraint \"\(foreignKey.name)\". The conflict occurred in database \"\(table.database.name)\", table \"\(foreignKey.referencedTable)\", column '\(foreignKey.referencedColumns.first ?? "")'.")
            }
            return SQLServerError(
                code: .constraintConflict,
                message: "The \(kind) statement conflicted with the REFERENCE constraint \"\(foreignKey.name)\". The conflict occurred in database \"\(table.database.name)\", table \"\(table.twoPartName)\", column '\(foreignKey.columns.first ?? "")'.")
        case "23514":  // check_violation
            guard let table, let check = table.definition.checks.first(where: { $0.pgName == error.constraintName }) else {
                break
            }
            let column = check.columnName.map { ", column '\($0)'" } ?? ""
            return SQLServerError(
                code: .constraintConflict,
                message: "The \(kind) statement conflicted with the CHECK constraint \"\(check.name)\". The conflict occurred in database \"\(table.database.name)\", table \"\(table.twoPartName)\"\(column).")
        case "22012":  // division_by_zero
            return .divideByZero()
        case "22003":  // numeric_value_out_of_range
            let type = Self.sqlServerTypeName(inOverflowMessage: error.message)
            return SQLServerError(
                code: .arithmeticOverflow, message: "Arithmetic overflow error converting expression to data type \(type).",
                abortsBatch: true)
        case "22P02", "22007", "22008":  // invalid text representation / datetime format / field overflow
            return SQLServerError(
                code: .conversionFailed,
                message: "Conversion failed when converting the varchar value '\(Self.quotedValue(in: error.message))' to data type \(Self.sqlServerTypeName(inInputMessage: error.message)).",
                abortsBatch: true)
        case "42P10":  // ORDER BY expression not in a DISTINCT select list
            return SQLServerError(
                code: .init(145), severity: 15,
                message: "ORDER BY items must appear in the select list if SELECT DISTINCT is specified.", abortsBatch: true)
        case "42803":  // grouping error: PostgreSQL quotes `alias.column`
            let column = Self.quotedValue(in: error.message).split(separator: ".").last.map(String.init) ?? ""
            return SQLServerError(
                code: .init(8120),
                message: "Column '\(column)' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause.",
                abortsBatch: true)
        case "42P01":  // undefined_table: dropped by another session after this statement resolved it
            return .invalidObjectName(Self.quotedValue(in: error.message))
        case "55P03":  // lock_not_available: lock_timeout or NOWAIT
            return .lockTimeout()
        case "40P01":
            return SQLServerError(
                code: .init(1205), severity: 13,
                message: "Transaction (Process ID 51) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.")
        default:
            break
        }
        logger.error(
            "PostgreSQL error without a SQL Server mapping",
            metadata: ["postgres.sqlstate": "\(state)", "postgres.error": "\(error.message)"])
        return SQLServerError(
            code: .init(50000), message: "The statement failed in the SQL Server emulator's storage (SQLSTATE \(state)).",
            abortsBatch: true)
    }

    /// `(1)` or `(1, 2)` from PostgreSQL's `Key (a, b)=(1, 2) already exists.`, as SQL Server prints it.
    static func duplicateKeyValue(_ detail: String?) -> String {
        guard let detail, let equals = detail.range(of: ")=(") else { return "()" }
        let rest = detail[equals.upperBound...]
        guard let end = rest.range(of: ") already exists", options: .backwards) else { return "()" }
        return "(" + rest[..<end.lowerBound] + ")"
    }

    /// The value in double quotes in PostgreSQL's `invalid input syntax for type integer: "abc"`.
    static func quotedValue(in message: String) -> String {
        guard let start = message.firstIndex(of: "\""), let end = message.lastIndex(of: "\""), start < end else {
            return ""
        }
        return String(message[message.index(after: start)..<end])
    }

    static func sqlServerTypeName(inInputMessage message: String) -> String {
        let lowered = message.lowercased()
        if lowered.contains("type integer") { return "int" }
        if lowered.contains("type smallint") { return "smallint" }
        if lowered.contains("type bigint") { return "bigint" }
        if lowered.contains("type numeric") { return "numeric" }
        if lowered.contains("type uuid") { return "uniqueidentifier" }
        if lowered.contains("type date") || lowered.contains("timestamp") { return "datetime" }
        return "int"
    }

    static func sqlServerTypeName(inOverflowMessage message: String) -> String {
        let lowered = message.lowercased()
        if lowered.hasPrefix("smallint") { return "smallint" }
        if lowered.hasPrefix("bigint") { return "bigint" }
        if lowered.hasPrefix("integer") { return "int" }
        return "numeric"
    }
}
