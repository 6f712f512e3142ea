import Postgres
import TSQL

extension EngineSession {
    /// CREATE / ALTER / CREATE OR ALTER VIEW: a PostgreSQL view over the translated query, a `V`
    /// object whose columns the catalog records like a table's, and the statement text as its module.
    func createView(_ create: CreateViewStatement) async throws {
        let (database, schema) = try await resolveContainer(create.name)
        let name = create.name.name.value
        let existing = try await catalog.object(in: schema, named: name)
        switch create.creation {
        case .create:
            if existing != nil { throw SQLServerError.objectAlreadyExists(name) }
        case .alter:
            guard existing?.type == "V" else { throw SQLServerError.invalidObjectName(create.name.description) }
        case .createOrAlter:
            if let existing, existing.type != "V" { throw SQLServerError.objectAlreadyExists(name) }
        }
        let translator = self.translator
        let translated = try await translator.query(create.query, parent: nil)
        var names = translated.columns.map(\.name)
        if !create.columns.isEmpty {
            guard create.columns.count == names.count else {
                throw SQLServerError(
                    code: .init(8159), message: "'\(name)' has fewer columns than were specified in the column list.")
            }
            names = create.columns.map(\.value)
        }
        if let unnamed = names.firstIndex(where: \.isEmpty) {
            throw SQLServerError(
                code: .init(4511),
                message: "Create View or Function failed because no column name was specified for column \(unnamed + 1).")
        }
        // Columns PostgreSQL alone types get their SQL Server type from a probe of the query.
        let probe = try await connection.query("SELECT * FROM (\(translated.sql)) AS probe LIMIT 0")
        var columns: [ColumnMetadata] = []
        for (index, column) in translated.columns.enumerated() {
            let type = column.type ?? Self.inferredType(probe, column: index)
            columns.append(
                ColumnMetadata(
                    columnID: index + 1, name: names[index], pgName: CatalogNames.pgName(names[index], fallback: "column\(index + 1)"),
                    systemType: type.systemDeclaration, aliasName: type.aliasName, isNullable: column.isNullable,
                    identity: nil, defaultDefinition: nil, defaultName: nil, defaultObjectID: nil, computedDefinition: nil,
                    isPersisted: false, isRowGuidCol: false))
        }
        let objectID: Int
        if let existing { objectID = existing.objectID } else { objectID = try await catalog.nextObjectID() }
        let pgName = existing?.pgName ?? CatalogNames.pgName(name, fallback: "view\(objectID)")
        let view = TableRecord(
            database: database, schema: schema, objectID: objectID, name: name, pgName: pgName,
            definition: TableDefinition(columns: columns, indexes: [], foreignKeys: [], checks: [], nextColumnID: columns.count + 1),
            type: "V")
        if existing != nil {
            try await connection.execute("DROP VIEW \(view.pgQualifiedName)")
            try await catalog.updateDefinition(of: view)
        } else {
            try await catalog.insertObject(in: schema, objectID: objectID, name: name, type: "V", pgName: pgName, definition: view.definition)
        }
        let columnList = columns.map { PostgresIdentifier.quote($0.pgName) }.joined(separator: ", ")
        try await connection.execute("CREATE VIEW \(view.pgQualifiedName) (\(columnList)) AS \(translated.sql)")
        try await catalog.saveModule(databaseID: database.id, objectID: objectID, definition: create.definition)
    }
}
