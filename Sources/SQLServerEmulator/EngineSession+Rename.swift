import Postgres
import TSQL

/// `sp_rename`: renames a table, view, procedure, constraint or index (`@objtype` OBJECT or
/// INDEX) or a column (`COLUMN`), as SQL Server does — only the name changes; the emulator's
/// PostgreSQL storage keeps its own names, so nothing is copied or rebuilt.
extension EngineSession {
    /// Runs `sys.sp_rename` when `name` is it; nil otherwise.
    func runRename(_ name: ObjectName, arguments: [ProcedureArgument], into results: inout [EngineResult]) async throws
        -> (returnStatus: Int, outputs: [Int: Variable])?
    {
        guard name.name.value.lowercased() == "sp_rename", name.schema == nil || name.schema?.value.lowercased() == "sys" else { return nil }
        let sysname = SQLServerType.nvarchar(1035)
        let values = try await bindCDC("sp_rename", [
            CDCParameter(name: "objname", type: sysname, isRequired: true),
            CDCParameter(name: "newname", type: SQLServerType.nvarchar(128), isRequired: true),
            CDCParameter(name: "objtype", type: SQLServerType.varchar(13)),
        ], arguments)
        let objectName = (values["objname"] ?? nil) ?? ""
        let newName = ((values["newname"] ?? nil) ?? "").trimmingBrackets()
        let kind = ((values["objtype"] ?? nil) ?? "OBJECT").uppercased()
        guard !newName.isEmpty else {
            throw SQLServerError(code: .init(15223), message: "Error: The new name '' is not a valid name.")
        }
        let parts = Self.nameParts(objectName)
        let ambiguous = SQLServerError(
            code: .init(15248),
            message: "Either the parameter @objname is ambiguous or the claimed @objtype (\(kind)) is wrong.")
        try await atomically {
            switch kind {
            case "COLUMN":
                guard parts.count >= 2 else { throw ambiguous }
                let table = try await self.translator.resolveTable(Self.objectName(schema: parts.count > 2 ? parts[parts.count - 3] : nil, name: parts[parts.count - 2]))
                try await self.renameColumn(parts[parts.count - 1], of: table, to: newName, ambiguous: ambiguous)
            case "OBJECT", "INDEX":
                try await self.renameObject(parts, to: newName, kind: kind, ambiguous: ambiguous)
            default:
                throw SQLServerError(code: .init(15249), message: "Error: Explicit @objtype '\(kind)' is unrecognized.")
            }
        }
        results.append(.message(InfoMessage(
            number: 15477, severity: 10, text: "Caution: Changing any part of an object name could break scripts and stored procedures.")))
        return (0, [:])
    }

    /// A column: refused on a table tracked by change data capture (Msg 4928), as SQL Server does.
    private func renameColumn(_ name: String, of table: TableRecord, to newName: String, ambiguous: SQLServerError) async throws {
        var definition = table.definition
        guard let index = definition.columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { throw ambiguous }
        let oldName = definition.columns[index].name
        if definition.columns.contains(where: { $0.name.lowercased() == newName.lowercased() && $0.name != oldName }) {
            throw SQLServerError(
                code: .init(15335),
                message: "Error: The new name '\(newName)' is already in use as a COLUMN name and would cause a duplicate that is not permitted.")
        }
        let instances = try await CaptureInstance.load(connection, databaseID: table.database.id, sourceObjectID: table.objectID)
        guard instances.isEmpty else {
            throw SQLServerError(code: .init(4928), message: "Cannot alter column '\(oldName)' because it is 'enabled for Change Data Capture'.")
        }
        definition.columns[index].name = newName
        for i in definition.indexes.indices {
            for k in definition.indexes[i].keyColumns.indices where definition.indexes[i].keyColumns[k].name == oldName {
                definition.indexes[i].keyColumns[k].name = newName
            }
            definition.indexes[i].includedColumns = definition.indexes[i].includedColumns.map { $0 == oldName ? newName : $0 }
        }
        for i in definition.foreignKeys.indices {
            definition.foreignKeys[i].columns = definition.foreignKeys[i].columns.map { $0 == oldName ? newName : $0 }
        }
        for i in definition.checks.indices where definition.checks[i].columnName == oldName {
            definition.checks[i].columnName = newName
        }
        var renamed = table
        renamed.definition = definition
        try await catalog.updateDefinition(of: renamed)
        // Foreign keys of other tables name the referenced columns too.
        for referencing in try await catalog.referencingTableRecords(in: table.database, objectID: table.objectID) {
            var other = referencing
            for i in other.definition.foreignKeys.indices where other.definition.foreignKeys[i].referencedObjectID == table.objectID {
                other.definition.foreignKeys[i].referencedColumns = other.definition.foreignKeys[i].referencedColumns.map { $0 == oldName ? newName : $0 }
            }
            try await catalog.updateDefinition(of: other)
        }
    }

    /// A schema-scoped object (table, view, procedure, function, constraint), or an index named
    /// `table.index`.
    private func renameObject(_ parts: [String], to newName: String, kind: String, ambiguous: SQLServerError) async throws {
        if kind == "INDEX" {
            guard parts.count >= 2 else { throw ambiguous }
            let table = try await translator.resolveTable(Self.objectName(schema: parts.count > 2 ? parts[parts.count - 3] : nil, name: parts[parts.count - 2]))
            var definition = table.definition
            guard let index = definition.indexes.firstIndex(where: { $0.name.lowercased() == parts[parts.count - 1].lowercased() }) else { throw ambiguous }
            definition.indexes[index].name = newName
            var renamed = table
            renamed.definition = definition
            try await catalog.updateDefinition(of: renamed)
            if let constraintID = definition.indexes[index].constraintObjectID {
                try await catalog.renameObject(databaseID: table.database.id, objectID: constraintID, to: newName)
            }
            return
        }
        guard let last = parts.last else { throw ambiguous }
        let objectName = Self.objectName(schema: parts.count > 1 ? parts[parts.count - 2] : nil, name: last)
        guard let (database, schema) = try? await resolveContainer(objectName),
              let object = try await catalog.object(in: schema, named: last)
        else { throw ambiguous }
        if let existing = try await catalog.object(in: schema, named: newName), existing.objectID != object.objectID {
            throw SQLServerError(
                code: .init(15335),
                message: "Error: The new name '\(newName)' is already in use as a object name and would cause a duplicate that is not permitted.")
        }
        try await catalog.renameObject(databaseID: database.id, objectID: object.objectID, to: newName)
    }

    private static func objectName(schema: String?, name: String) -> ObjectName {
        schema.map { ObjectName(Identifier($0), Identifier(name)) } ?? ObjectName(Identifier(name))
    }

    /// `[a].[b].c` → `["a", "b", "c"]`: dots inside brackets or quotes do not split.
    static func nameParts(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var closing: Character?
        for character in text {
            if let end = closing {
                if character == end { closing = nil } else { current.append(character) }
            } else if character == "[" {
                closing = "]"
            } else if character == "\"" {
                closing = "\""
            } else if character == "." {
                parts.append(current.trimmingCharacters())
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters())
        return parts
    }
}

private extension String {
    func trimmingCharacters() -> String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }

    /// `[Name]` → `Name`.
    func trimmingBrackets() -> String {
        let trimmed = trimmingCharacters()
        if trimmed.hasPrefix("["), trimmed.hasSuffix("]"), trimmed.count >= 2 { return String(trimmed.dropFirst().dropLast()) }
        return trimmed
    }
}
