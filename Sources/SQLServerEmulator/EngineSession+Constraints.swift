import Postgres
import TSQL

extension EngineSession {
    /// `ALTER TABLE t [WITH CHECK | WITH NOCHECK] {CHECK | NOCHECK} CONSTRAINT {ALL | name, …}` on
    /// FOREIGN KEY and CHECK constraints, as SQL Server documents it:
    /// - NOCHECK disables a constraint: it is no longer enforced (`is_disabled` = 1), and so no
    ///   longer trusted (`is_not_trusted` = 1). PostgreSQL's constraint is dropped; its clause is kept.
    /// - CHECK enables it again. Without `WITH CHECK` the existing rows are not checked and the
    ///   constraint stays untrusted (PostgreSQL `NOT VALID`: new rows are checked, old ones not);
    ///   `WITH CHECK` checks every row (Msg 547 if one conflicts) and makes it trusted again.
    func setConstraintsEnabled(_ enabled: Bool, names: [String], withCheck: Bool, builder: inout TableBuilder) async throws {
        let table = builder.table
        let wanted = Set(names.map { $0.lowercased() })
        for name in names {
            let key = name.lowercased()
            let known = table.definition.foreignKeys.contains { $0.name.lowercased() == key }
                || table.definition.checks.contains { $0.name.lowercased() == key }
            if !known {
                throw SQLServerError(code: .init(4917), message: "Constraint '\(name)' does not exist.")
            }
        }
        func applies(_ name: String) -> Bool { wanted.isEmpty || wanted.contains(name.lowercased()) }

        for index in builder.table.definition.foreignKeys.indices where applies(builder.table.definition.foreignKeys[index].name) {
            let key = builder.table.definition.foreignKeys[index]
            let state = try await changeEnforcement(
                of: key.pgName, clause: key.pgClause, name: key.name, enabled: enabled, withCheck: withCheck,
                isDisabled: key.isDisabled ?? false, isNotTrusted: key.isNotTrusted ?? false, table: table)
            builder.table.definition.foreignKeys[index].isDisabled = state.isDisabled ? true : nil
            builder.table.definition.foreignKeys[index].isNotTrusted = state.isNotTrusted ? true : nil
        }
        for index in builder.table.definition.checks.indices where applies(builder.table.definition.checks[index].name) {
            let check = builder.table.definition.checks[index]
            let state = try await changeEnforcement(
                of: check.pgName, clause: check.pgClause, name: check.name, enabled: enabled, withCheck: withCheck,
                isDisabled: check.isDisabled ?? false, isNotTrusted: check.isNotTrusted ?? false, table: table)
            builder.table.definition.checks[index].isDisabled = state.isDisabled ? true : nil
            builder.table.definition.checks[index].isNotTrusted = state.isNotTrusted ? true : nil
        }
    }

    /// Disables or enables one constraint in PostgreSQL; returns its new `is_disabled` and `is_not_trusted`.
    private func changeEnforcement(
        of pgName: String, clause: String?, name: String, enabled: Bool, withCheck: Bool, isDisabled: Bool,
        isNotTrusted: Bool, table: TableRecord
    ) async throws -> (isDisabled: Bool, isNotTrusted: Bool) {
        let alter = "ALTER TABLE \(table.pgQualifiedName)"
        let constraint = PostgresIdentifier.quote(pgName)
        if !enabled {
            if isDisabled { return (true, true) }
            // Only constraints whose PostgreSQL clause was kept can be put back later.
            guard clause != nil else { throw SQLServerError.notSupported("NOCHECK") }
            try await connection.execute("\(alter) DROP CONSTRAINT \(constraint)")
            return (true, true)
        }
        if isDisabled {
            guard let clause else { throw SQLServerError.notSupported("CHECK CONSTRAINT") }
            try await connection.execute("\(alter) ADD CONSTRAINT \(constraint) \(clause)\(withCheck ? "" : " NOT VALID")")
            return (false, !withCheck)
        }
        if withCheck, isNotTrusted {
            try await connection.execute("\(alter) VALIDATE CONSTRAINT \(constraint)")
            return (false, false)
        }
        return (false, isNotTrusted)
    }
}
