import Foundation
import Postgres
import TSQL

extension EngineSession {
    /// The database and schema an object name points into (`dbo` when no schema is written).
    func resolveContainer(_ name: ObjectName) async throws -> (DatabaseRecord, SchemaRecord) {
        var database = databaseRecord
        if let databaseName = name.database?.value {
            guard let named = try await catalog.database(named: databaseName) else {
                throw SQLServerError.databaseDoesNotExist(databaseName)
            }
            database = named
        }
        let schemaName = name.schema?.value ?? "dbo"
        guard let schema = try await catalog.schema(in: database, named: schemaName) else {
            throw SQLServerError(
                code: .init(2760),
                message: "The specified schema name \"\(schemaName)\" either does not exist or you do not have permission to use it.")
        }
        return (database, schema)
    }

    func createSchema(_ name: String) async throws {
        if try await catalog.schema(in: databaseRecord, named: name) != nil {
            throw SQLServerError.objectAlreadyExists(name)
        }
        _ = try await catalog.createSchema(in: databaseRecord, named: name)
    }

    func createType(_ create: CreateTypeStatement) async throws {
        let (database, schema) = try await resolveContainer(create.name)
        guard let base = try SQLServerType(systemType: create.baseType, column: create.name.name.value) else {
            throw SQLServerError.unknownDataType(create.baseType.name.description, position: 1)
        }
        if try await catalog.aliasType(in: database, schema: schema, named: create.name.name.value) != nil {
            throw SQLServerError(
                code: .init(219),
                message: "The type '\(schema.name).\(create.name.name.value)' already exists, or you do not have permission to create it.")
        }
        try await catalog.createAliasType(
            in: database, schema: schema, name: create.name.name.value, base: base, isNullable: create.isNullable ?? true)
    }

    // MARK: CREATE TABLE

    func createTable(_ create: CreateTableStatement) async throws {
        let (database, schema) = try await resolveContainer(create.name)
        let tableName = create.name.name.value
        if tableName.hasPrefix("#") { throw SQLServerError.notSupported("temporary tables") }
        if try await catalog.object(in: schema, named: tableName) != nil {
            throw SQLServerError.objectAlreadyExists(tableName)
        }
        let objectID = try await catalog.nextObjectID()
        let pgName = CatalogNames.pgName(tableName, fallback: "table\(objectID)")
        var table = TableRecord(
            database: database, schema: schema, objectID: objectID, name: tableName, pgName: pgName,
            definition: TableDefinition(columns: [], indexes: [], foreignKeys: [], checks: [], nextColumnID: 1))
        var builder = TableBuilder(table: table)
        try await catalog.insertObject(in: schema, objectID: objectID, name: tableName, type: "U", pgName: pgName)
        // Columns first (constraints may name any column), then constraints in the order written.
        var pending: [(TableConstraint, String?)] = []
        for column in create.columns {
            let constraints = try await addColumn(column, to: &builder)
            pending += constraints.map { ($0, column.name.value) }
        }
        pending += create.constraints.map { ($0, nil) }
        // PRIMARY KEY columns are NOT NULL.
        for (constraint, columnName) in pending {
            if case .primaryKey(let key) = constraint.kind {
                let names = key.columns.isEmpty ? [columnName ?? ""] : key.columns.map(\.name.value)
                for name in names {
                    if let index = builder.table.definition.columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
                        builder.table.definition.columns[index].isNullable = false
                    }
                }
            }
        }
        var columnSQL = builder.columnSQL()
        var constraintSQL: [String] = []
        for (constraint, columnName) in pending {
            if let sql = try await addConstraint(constraint, column: columnName, to: &builder) {
                constraintSQL.append(sql)
            }
        }
        table = builder.table
        columnSQL = builder.columnSQL()
        try await connection.execute(
            "CREATE TABLE \(table.pgQualifiedName) (\((columnSQL + constraintSQL).joined(separator: ", ")))")
        for sql in builder.postCreateSQL { try await connection.execute(sql) }
        try await catalog.updateDefinition(of: table)
    }

    /// Adds a column to the table being built; returns its constraints other than DEFAULT.
    func addColumn(_ column: ColumnDefinition, to builder: inout TableBuilder) async throws -> [TableConstraint] {
        let table = builder.table
        if table.definition.column(named: column.name.value) != nil {
            throw SQLServerError(
                code: .duplicateColumnName,
                message: "Column names in each table must be unique. Column name '\(column.name.value)' in table '\(table.twoPartName)' is specified more than once.")
        }
        let columnID = table.definition.nextColumnID
        builder.table.definition.nextColumnID += 1
        var metadata = ColumnMetadata(
            columnID: columnID, name: column.name.value,
            pgName: CatalogNames.pgName(column.name.value, fallback: "column\(columnID)"), systemType: "", aliasName: nil,
            isNullable: true, identity: nil, defaultDefinition: nil, defaultName: nil, defaultObjectID: nil,
            computedDefinition: nil, isPersisted: column.isPersisted, isRowGuidCol: column.isRowGuidCol)
        var aliasNullable: Bool?
        var computedSQL: String?
        let translator = self.translator
        if let dataType = column.dataType {
            if let system = try SQLServerType(systemType: dataType, column: column.name.value) {
                metadata.systemType = system.systemDeclaration
            } else {
                let schemaName = dataType.name.schema?.value ?? "dbo"
                guard let schema = try await catalog.schema(in: table.database, named: schemaName),
                    let alias = try await catalog.aliasType(in: table.database, schema: schema, named: dataType.name.name.value)
                else {
                    throw SQLServerError.unknownDataType(dataType.name.description, position: columnID)
                }
                metadata.systemType = alias.type.systemDeclaration
                metadata.aliasName = alias.type.aliasName
                aliasNullable = alias.isNullable
            }
        } else if let computed = column.computedExpression {
            let scope = Scope(sources: [builder.bareSource()], parent: nil)
            let translated = try await translator.expression(computed, scope: scope)
            let type = translated.type ?? .int
            metadata.systemType = type.systemType.systemDeclaration
            metadata.computedDefinition = "(" + TSQLPrinter.print(computed) + ")"
            computedSQL = translator.convert(translated, to: type, style: nil, implicit: true).sql
        }
        if let identity = column.identity {
            guard let seed = Self.integerConstant(identity.seed), let increment = Self.integerConstant(identity.increment),
                ["tinyint", "smallint", "int", "bigint"].contains(metadata.systemType)
            else { throw SQLServerError.notSupported("IDENTITY") }
            metadata.identity = .init(
                seed: seed, increment: increment, notForReplication: identity.notForReplication ? true : nil)
        }
        metadata.isNullable =
            column.isNullable ?? aliasNullable ?? (metadata.identity == nil && metadata.computedDefinition == nil)
        if metadata.computedDefinition != nil { metadata.isNullable = column.isNullable ?? true }
        var others: [TableConstraint] = []
        var defaultSQL: String?
        for constraint in column.constraints {
            guard case .default(let value, _, _) = constraint.kind else {
                others.append(constraint)
                continue
            }
            let objectID = try await catalog.nextObjectID()
            let name = constraint.name?.value ?? Self.generatedName("DF", table.name, column.name.value, objectID)
            if try await catalog.object(in: table.schema, named: name) != nil {
                throw SQLServerError.objectAlreadyExists(name)
            }
            metadata.defaultName = name
            metadata.defaultObjectID = objectID
            metadata.defaultDefinition = Self.moduleDefinition(value)
            let translated = try await translator.expression(value, scope: Scope(sources: [], parent: nil))
            defaultSQL = try builder.assignment(translated, to: metadata, translator: translator)
            try await catalog.insertObject(
                in: table.schema, objectID: objectID, name: name, type: "D", parentObjectID: table.objectID)
        }
        builder.add(metadata, defaultSQL: defaultSQL, computedSQL: computedSQL)
        return others
    }

    /// Adds a constraint; returns its PostgreSQL table-constraint clause (nil for defaults).
    ///
    /// `withNoCheck` (`ALTER TABLE … WITH NOCHECK ADD`): a CHECK or FOREIGN KEY constraint does not
    /// check the existing rows, and is then not trusted (PostgreSQL's `NOT VALID`).
    func addConstraint(
        _ constraint: TableConstraint, column: String?, to builder: inout TableBuilder, withNoCheck: Bool = false
    ) async throws -> String? {
        let table = builder.table
        let objectID = try await catalog.nextObjectID()
        func checkColumn(_ name: String) throws(SQLServerError) -> ColumnMetadata {
            guard let metadata = builder.table.definition.column(named: name) else {
                throw SQLServerError(
                    code: .init(1911),
                    message: "Column name '\(name)' does not exist in the target table or view.")
            }
            return metadata
        }
        func register(_ name: String, _ type: String) async throws {
            if try await catalog.object(in: table.schema, named: name) != nil {
                throw SQLServerError.objectAlreadyExists(name)
            }
            try await catalog.insertObject(in: table.schema, objectID: objectID, name: name, type: type, parentObjectID: table.objectID)
        }
        switch constraint.kind {
        case .primaryKey(let key), .unique(let key):
            let isPrimary = if case .primaryKey = constraint.kind { true } else { false }
            if isPrimary, table.definition.primaryKey != nil {
                throw SQLServerError(
                    code: .init(8110),
                    message: "Cannot add multiple PRIMARY KEY constraints to table '\(table.twoPartName)'.")
            }
            let keyColumns = key.columns.isEmpty
                ? [IndexMetadata.KeyColumn(name: column ?? "", isDescending: false)]
                : key.columns.map { IndexMetadata.KeyColumn(name: $0.name.value, isDescending: $0.direction == .descending) }
            var resolved: [ColumnMetadata] = []
            for keyColumn in keyColumns { resolved.append(try checkColumn(keyColumn.name)) }
            let name = constraint.name?.value ?? Self.generatedName(isPrimary ? "PK" : "UQ", table.name, nil, objectID)
            try await register(name, isPrimary ? "PK" : "UQ")
            let pgName = CatalogNames.pgName(name, fallback: "key\(objectID)")
            let clustered = key.clustering.map { $0 == .clustered } ?? (isPrimary && !table.definition.indexes.contains { $0.isClustered })
            let indexID = clustered ? 1 : max(2, (table.definition.indexes.map(\.indexID).max() ?? 1) + 1)
            builder.table.definition.indexes.append(
                IndexMetadata(
                    indexID: indexID, name: name, pgName: pgName, kind: isPrimary ? .primaryKey : .uniqueConstraint,
                    isUnique: true, isClustered: clustered,
                    keyColumns: zip(keyColumns, resolved).map { .init(name: $1.name, isDescending: $0.isDescending) },
                    includedColumns: [], filterDefinition: nil, constraintObjectID: objectID))
            let columnList = resolved.map { PostgresIdentifier.quote($0.pgName) }.joined(separator: ", ")
            return "CONSTRAINT \(PostgresIdentifier.quote(pgName)) \(isPrimary ? "PRIMARY KEY" : "UNIQUE") (\(columnList))"
        case .foreignKey(let foreignKey):
            let columns = foreignKey.columns.isEmpty ? [column ?? ""] : foreignKey.columns.map(\.value)
            var resolved: [ColumnMetadata] = []
            for name in columns { resolved.append(try checkColumn(name)) }
            let name = constraint.name?.value ?? Self.generatedName("FK", table.name, columns.first, objectID)
            let referenced: TableRecord
            let isSelf = foreignKey.referencedTable.name.value.lowercased() == table.name.lowercased()
                && (foreignKey.referencedTable.schema?.value.lowercased() ?? "dbo") == table.schema.name.lowercased()
            if isSelf {
                referenced = builder.table
            } else {
                let translator = self.translator
                do {
                    referenced = try await translator.resolveTable(foreignKey.referencedTable)
                } catch is SQLServerError {
                    throw SQLServerError(
                        code: .foreignKeyInvalidTable,
                        message: "Foreign key '\(name)' references invalid table '\(foreignKey.referencedTable.description)'.")
                }
            }
            var referencedColumns: [ColumnMetadata] = []
            if foreignKey.referencedColumns.isEmpty {
                guard let primaryKey = referenced.definition.primaryKey else {
                    throw SQLServerError(
                        code: .init(1773),
                        message: "Foreign key '\(name)' has implicit reference to object '\(referenced.twoPartName)' on which there is no primary key defined.")
                }
                referencedColumns = primaryKey.keyColumns.compactMap { referenced.definition.column(named: $0.name) }
            } else {
                for referencedName in foreignKey.referencedColumns {
                    guard let metadata = referenced.definition.column(named: referencedName.value) else {
                        throw SQLServerError(
                            code: .init(1770),
                            message: "Foreign key '\(name)' references invalid column '\(referencedName.value)' in referenced table '\(referenced.twoPartName)'.")
                    }
                    referencedColumns.append(metadata)
                }
            }
            guard referencedColumns.count == resolved.count else {
                throw SQLServerError(
                    code: .init(8140), message: "More than one key specified in column level FOREIGN KEY constraint, table '\(table.twoPartName)'.")
            }
            try await register(name, "F")
            let pgName = CatalogNames.pgName(name, fallback: "fk\(objectID)")
            let onDelete = foreignKey.onDelete ?? .noAction
            let onUpdate = foreignKey.onUpdate ?? .noAction
            let clause = "FOREIGN KEY (\(resolved.map { PostgresIdentifier.quote($0.pgName) }.joined(separator: ", "))) "
                + "REFERENCES \(referenced.pgQualifiedName) (\(referencedColumns.map { PostgresIdentifier.quote($0.pgName) }.joined(separator: ", "))) "
                + "ON DELETE \(onDelete.rawValue) ON UPDATE \(onUpdate.rawValue)"
            builder.table.definition.foreignKeys.append(
                ForeignKeyMetadata(
                    objectID: objectID, name: name, pgName: pgName, columns: resolved.map(\.name),
                    referencedObjectID: referenced.objectID, referencedTable: referenced.twoPartName,
                    referencedColumns: referencedColumns.map(\.name), onDelete: onDelete.rawValue, onUpdate: onUpdate.rawValue,
                    pgClause: clause, isNotTrusted: withNoCheck ? true : nil,
                    notForReplication: foreignKey.notForReplication ? true : nil))
            return "CONSTRAINT \(PostgresIdentifier.quote(pgName)) \(clause)\(withNoCheck ? " NOT VALID" : "")"
        case .check(let condition, let notForReplication):
            let name = constraint.name?.value ?? Self.generatedName("CK", table.name, column, objectID)
            let translator = self.translator
            let sql = try await translator.condition(condition, scope: Scope(sources: [builder.bareSource()], parent: nil))
            try await register(name, "C")
            let pgName = CatalogNames.pgName(name, fallback: "ck\(objectID)")
            let referenced = Self.referencedColumns(condition)
            let single = Set(referenced.map { $0.lowercased() }).count == 1
                ? builder.table.definition.column(named: referenced[0])?.name : nil
            builder.table.definition.checks.append(
                CheckMetadata(
                    objectID: objectID, name: name, pgName: pgName, definition: "(" + TSQLPrinter.print(condition) + ")",
                    columnName: column ?? single, pgClause: "CHECK (\(sql))", isNotTrusted: withNoCheck ? true : nil,
                    notForReplication: notForReplication ? true : nil))
            return "CONSTRAINT \(PostgresIdentifier.quote(pgName)) CHECK (\(sql))\(withNoCheck ? " NOT VALID" : "")"
        case .default(let value, let forColumn, _):
            // ALTER TABLE … ADD [CONSTRAINT name] DEFAULT value FOR column.
            guard let columnName = forColumn?.value ?? column,
                let index = builder.table.definition.columns.firstIndex(where: { $0.name.lowercased() == columnName.lowercased() })
            else {
                throw SQLServerError(
                    code: .init(1752),
                    message: "Column '\(forColumn?.value ?? "")' in table '\(table.twoPartName)' is invalid for creating a default constraint.")
            }
            let target = builder.table.definition.columns[index]
            if target.defaultName != nil || target.identity != nil || target.computedDefinition != nil {
                throw SQLServerError(
                    code: .init(1781), message: "Column already has a DEFAULT bound to it.")
            }
            let name = constraint.name?.value ?? Self.generatedName("DF", table.name, target.name, objectID)
            try await register(name, "D")
            let translator = self.translator
            let translated = try await translator.expression(value, scope: Scope(sources: [], parent: nil))
            let sql = try builder.assignment(translated, to: target, translator: translator)
            builder.table.definition.columns[index].defaultName = name
            builder.table.definition.columns[index].defaultObjectID = objectID
            builder.table.definition.columns[index].defaultDefinition = Self.moduleDefinition(value)
            builder.postCreateSQL.append(
                "ALTER TABLE \(table.pgQualifiedName) ALTER COLUMN \(PostgresIdentifier.quote(target.pgName)) SET DEFAULT \(sql)")
            return nil
        }
    }

    /// SQL Server's generated constraint names: `PK__Departme__3214EC27A1B2C3D4`, `DF__Departmen__Modif__1A2B3C4D`.
    static func generatedName(_ prefix: String, _ table: String, _ column: String?, _ objectID: Int) -> String {
        let hex = String(format: "%08X", UInt32(truncatingIfNeeded: objectID &* 2_654_435_761))
        if let column {
            return "\(prefix)__\(table.prefix(9))__\(column.prefix(5))__\(hex)"
        }
        return "\(prefix)__\(table.prefix(8))__\(hex)\(String(format: "%08X", UInt32(truncatingIfNeeded: objectID)))"
    }

    /// A default's text as `sys.default_constraints.definition` shows it: in parentheses, numeric
    /// constants in two (`((0))`, `(getdate())`, `('x')`).
    static func moduleDefinition(_ expression: TSQL.Expression) -> String {
        switch expression {
        case .literal(.integer), .literal(.decimal), .literal(.float), .literal(.money), .unary(.minus, .literal):
            "((" + TSQLPrinter.print(expression) + "))"
        default:
            "(" + TSQLPrinter.print(expression) + ")"
        }
    }

    static func integerConstant(_ expression: TSQL.Expression) -> Int64? {
        switch expression {
        case .literal(.integer(let text)): Int64(text)
        case .unary(.minus, let inner): integerConstant(inner).map { -$0 }
        case .unary(.plus, let inner): integerConstant(inner)
        default: nil
        }
    }

    /// The column names a condition mentions.
    static func referencedColumns(_ expression: TSQL.Expression) -> [String] {
        switch expression {
        case .column(let reference): [reference.column.value]
        case .unary(_, let e), .not(let e), .isNull(let e, _), .collate(let e, _): referencedColumns(e)
        case .binary(let l, _, let r), .and(let l, let r), .or(let l, let r): referencedColumns(l) + referencedColumns(r)
        case .between(let v, let l, let h, _): referencedColumns(v) + referencedColumns(l) + referencedColumns(h)
        case .like(let v, let p, _, _): referencedColumns(v) + referencedColumns(p)
        case .inList(let v, let list, _): referencedColumns(v) + list.flatMap(referencedColumns)
        case .function(let call): call.arguments.flatMap(referencedColumns)
        case .cast(let e, _, _): referencedColumns(e)
        case .convert(_, let e, _, _): referencedColumns(e)
        default: []
        }
    }

    // MARK: ALTER TABLE, DROP, TRUNCATE, CREATE INDEX

    func alterTable(_ alter: AlterTableStatement) async throws {
        let translator = self.translator
        let table = try await translator.resolveTable(alter.table)
        var builder = TableBuilder(table: table)
        switch alter.action {
        case .add(let elements, let withCheck):
            for element in elements {
                switch element {
                case .column(let column):
                    let constraints = try await addColumn(column, to: &builder)
                    let added = builder.table.definition.columns.last!
                    if !added.isNullable, added.identity == nil, added.defaultDefinition == nil, added.computedDefinition == nil {
                        let rows = try await connection.query("SELECT 1 FROM \(table.pgQualifiedName) LIMIT 1")
                        if !rows.isEmpty {
                            throw SQLServerError(
                                code: .init(4901),
                                message: "ALTER TABLE only allows columns to be added that can contain nulls, or have a DEFAULT definition specified, or the column being added is an identity or timestamp column, or alternatively if none of the previous conditions are satisfied the table must be empty to allow addition of this column. Column '\(added.name)' cannot be added to non-empty table '\(table.name)' because it does not satisfy these conditions.")
                        }
                    }
                    try await connection.execute(
                        "ALTER TABLE \(table.pgQualifiedName) ADD COLUMN \(builder.columnSQL().last!)")
                    for sql in builder.postCreateSQL { try await connection.execute(sql) }
                    builder.postCreateSQL = []
                    for constraint in constraints {
                        if let sql = try await addConstraint(constraint, column: column.name.value, to: &builder) {
                            try await connection.execute("ALTER TABLE \(table.pgQualifiedName) ADD \(sql)")
                        }
                    }
                case .constraint(let constraint):
                    if let sql = try await addConstraint(constraint, column: nil, to: &builder, withNoCheck: withCheck == false) {
                        try await connection.execute("ALTER TABLE \(table.pgQualifiedName) ADD \(sql)")
                    }
                    for sql in builder.postCreateSQL { try await connection.execute(sql) }
                    builder.postCreateSQL = []
                }
            }
        case .drop(let elements):
            for element in elements {
                switch element.kind {
                case .column:
                    guard let column = builder.table.definition.column(named: element.name.value) else {
                        if element.ifExists { continue }
                        throw SQLServerError(
                            code: .dropColumnNotFound,
                            message: "ALTER TABLE DROP COLUMN failed because column '\(element.name.value)' does not exist in table '\(table.name)'.")
                    }
                    let dependents = builder.table.definition.indexes.filter { index in
                        index.keyColumns.contains { $0.name == column.name } || index.includedColumns.contains(column.name)
                    }.map(\.name) + builder.table.definition.foreignKeys.filter { $0.columns.contains(column.name) }.map(\.name)
                        + builder.table.definition.checks.filter { $0.columnName == column.name }.map(\.name)
                    if let dependent = dependents.first {
                        throw SQLServerError(
                            code: .init(5074),
                            message: "The object '\(dependent)' is dependent on column '\(column.name)'.")
                    }
                    if let defaultID = column.defaultObjectID {
                        try await catalog.deleteObjects(databaseID: table.database.id, objectIDs: [defaultID])
                    }
                    try await connection.execute(
                        "ALTER TABLE \(table.pgQualifiedName) DROP COLUMN \(PostgresIdentifier.quote(column.pgName))")
                    builder.table.definition.columns.removeAll { $0.columnID == column.columnID }
                case .constraint:
                    try await dropConstraint(element.name.value, ifExists: element.ifExists, builder: &builder)
                }
            }
        case .alterColumn(let name, let dataType, _, let isNullable):
            try await alterColumn(name.value, to: dataType, isNullable: isNullable, builder: &builder)
        case .setConstraintsEnabled(let enabled, let names, let withCheck):
            try await setConstraintsEnabled(enabled, names: names.map(\.value), withCheck: withCheck == true, builder: &builder)
        }
        try await catalog.updateDefinition(of: builder.table)
        // Change data capture: cdc.ddl_history for tracked tables (CDC/EngineSession+CDCDDL.swift).
        try await recordCDCDDL(alter, table: table)
    }

    /// ALTER COLUMN name type [NULL | NOT NULL]: converts the stored values with the same checks
    /// as an assignment (so a shorter length reports Msg 2628), then records the new type.
    private func alterColumn(_ name: String, to dataType: DataType, isNullable: Bool?, builder: inout TableBuilder) async throws {
        let table = builder.table
        guard let index = table.definition.columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw SQLServerError(
                code: .init(4924),
                message: "ALTER TABLE ALTER COLUMN failed because column '\(name)' does not exist in table '\(table.name)'.")
        }
        let column = table.definition.columns[index]
        let dependents =
            table.definition.indexes.filter { index in
                index.keyColumns.contains { $0.name == column.name } || index.includedColumns.contains(column.name)
            }.map(\.name)
            + table.definition.foreignKeys.filter { $0.columns.contains(column.name) }.map(\.name)
            + table.definition.checks.filter { $0.columnName == column.name }.map(\.name)
        if column.identity != nil || column.computedDefinition != nil || !dependents.isEmpty {
            throw SQLServerError(
                code: .init(4922),
                message: "ALTER TABLE ALTER COLUMN \(column.name) failed because one or more objects access this column.")
        }
        let translator = self.translator
        let newType = try await translator.resolveType(dataType)
        var altered = column
        altered.systemType = newType.systemDeclaration
        altered.aliasName = newType.aliasName
        // SQL Server makes an altered column nullable unless NOT NULL is repeated.
        altered.isNullable = isNullable ?? true
        let pgColumn = PostgresIdentifier.quote(column.pgName)
        let value = TranslatedExpression(sql: pgColumn, type: column.type, isNullable: column.isNullable)
        let conversion = try builder.assignment(value, to: altered, translator: translator)
        var sql = "ALTER TABLE \(table.pgQualifiedName) ALTER COLUMN \(pgColumn) TYPE \(newType.postgresStorageType) USING \(conversion)"
        sql += ", ALTER COLUMN \(pgColumn) \(altered.isNullable ? "DROP" : "SET") NOT NULL"
        try await connection.execute(sql)
        builder.table.definition.columns[index] = altered
    }

    private func dropConstraint(_ name: String, ifExists: Bool, builder: inout TableBuilder) async throws {
        let table = builder.table
        let key = name.lowercased()
        var pgConstraint: String?
        var objectID: Int?
        if let index = table.definition.indexes.first(where: { $0.name.lowercased() == key && $0.kind != .index }) {
            pgConstraint = index.pgName
            objectID = index.constraintObjectID
            builder.table.definition.indexes.removeAll { $0.name == index.name }
        } else if let foreignKey = table.definition.foreignKeys.first(where: { $0.name.lowercased() == key }) {
            pgConstraint = foreignKey.pgName
            objectID = foreignKey.objectID
            builder.table.definition.foreignKeys.removeAll { $0.name == foreignKey.name }
        } else if let check = table.definition.checks.first(where: { $0.name.lowercased() == key }) {
            pgConstraint = check.pgName
            objectID = check.objectID
            builder.table.definition.checks.removeAll { $0.name == check.name }
        } else if let index = table.definition.columns.firstIndex(where: { $0.defaultName?.lowercased() == key }) {
            let column = table.definition.columns[index]
            try await connection.execute(
                "ALTER TABLE \(table.pgQualifiedName) ALTER COLUMN \(PostgresIdentifier.quote(column.pgName)) DROP DEFAULT")
            try await catalog.deleteObjects(databaseID: table.database.id, objectIDs: [column.defaultObjectID ?? 0])
            builder.table.definition.columns[index].defaultName = nil
            builder.table.definition.columns[index].defaultDefinition = nil
            builder.table.definition.columns[index].defaultObjectID = nil
            return
        }
        guard let pgConstraint, let objectID else {
            if ifExists { return }
            throw SQLServerError(
                code: .init(3728), message: "'\(name)' is not a constraint.")
        }
        // IF EXISTS: a disabled (NOCHECK) constraint has no PostgreSQL constraint.
        try await connection.execute(
            "ALTER TABLE \(table.pgQualifiedName) DROP CONSTRAINT IF EXISTS \(PostgresIdentifier.quote(pgConstraint))")
        try await catalog.deleteObjects(databaseID: table.database.id, objectIDs: [objectID])
    }

    func dropObjects(_ drop: DropStatement) async throws {
        for target in drop.targets {
            switch drop.kind {
            case .table:
                try await atomically {
                    let translator = self.translator
                    let table: TableRecord
                    do {
                        table = try await translator.resolveTable(target.name)
                    } catch let error as SQLServerError where error.code == .invalidObjectName {
                        if drop.ifExists { return }
                        throw SQLServerError.cannotDrop(kind: "table", name: target.name.description)
                    }
                    if let referencing = try await self.catalog.referencingTables(in: table.database, objectID: table.objectID).first {
                        _ = referencing
                        throw SQLServerError(
                            code: .init(3726),
                            message: "Could not drop object '\(table.twoPartName)' because it is referenced by a FOREIGN KEY constraint.")
                    }
                    // Change data capture: the table's capture instances go with it (CDC/EngineSession+CDCDDL.swift).
                    try await self.dropCaptureInstances(of: table)
                    try await self.connection.execute("DROP TABLE \(table.pgQualifiedName)")
                    try await self.catalog.deleteObject(databaseID: table.database.id, objectID: table.objectID)
                    if self.identityInsertTable?.objectID == table.objectID { self.identityInsertTable = nil }
                }
            case .view:
                try await atomically {
                    let translator = self.translator
                    let view: TableRecord
                    do {
                        view = try await translator.resolveTable(target.name, includingViews: true)
                    } catch let error as SQLServerError where error.code == .invalidObjectName {
                        if drop.ifExists { return }
                        throw SQLServerError.cannotDrop(kind: "view", name: target.name.description)
                    }
                    guard view.type == "V" else { throw SQLServerError.cannotDrop(kind: "view", name: target.name.description) }
                    try await self.connection.execute("DROP VIEW \(view.pgQualifiedName)")
                    try await self.catalog.deleteObject(databaseID: view.database.id, objectID: view.objectID)
                }
            case .database:
                let name = target.name.name.value
                guard let database = try await atomically({ try await self.catalog.database(named: name) }) else {
                    if drop.ifExists { continue }
                    throw SQLServerError(
                        code: .init(3701),
                        message: "Cannot drop the database '\(name)', because it does not exist or you do not have permission.")
                }
                if database.id == databaseRecord.id || database.id == 1 {
                    throw SQLServerError(
                        code: .init(3702), message: "Cannot drop database \"\(database.name)\" because it is currently in use.")
                }
                try await atomically { try await self.catalog.dropDatabase(database) }
            case .procedure, .function, .trigger, .sequence:
                try await atomically { try await self.dropModule(drop.kind, target: target.name, ifExists: drop.ifExists) }
            default:
                throw SQLServerError.notSupported("DROP \(drop.kind.rawValue)")
            }
        }
    }

    func truncateTable(_ name: ObjectName) async throws {
        let translator = self.translator
        let table = try await translator.resolveTable(name)
        // Change data capture: Msg 4711 for tracked tables (CDC/EngineSession+CDCDDL.swift).
        try await refuseTruncateOfCapturedTable(table)
        if try await !catalog.referencingTables(in: table.database, objectID: table.objectID).isEmpty {
            throw SQLServerError(
                code: .init(4712),
                message: "Cannot truncate table '\(table.twoPartName)' because it is being referenced by a FOREIGN KEY constraint.")
        }
        try await connection.execute("TRUNCATE TABLE \(table.pgQualifiedName) RESTART IDENTITY")
    }

    func createIndex(_ create: CreateIndexStatement) async throws {
        let translator = self.translator
        let table = try await translator.resolveTable(create.table)
        var builder = TableBuilder(table: table)
        if table.definition.indexes.contains(where: { $0.name.lowercased() == create.name.value.lowercased() }) {
            throw SQLServerError(
                code: .indexAlreadyExists,
                message: "The operation failed because an index or statistics with name '\(create.name.value)' already exists on table '\(table.twoPartName)'.")
        }
        func column(_ name: String) throws(SQLServerError) -> ColumnMetadata {
            guard let metadata = table.definition.column(named: name) else {
                throw SQLServerError(
                    code: .indexColumnNotFound,
                    message: "Column name '\(name)' does not exist in the target table or view.")
            }
            return metadata
        }
        var keys: [(ColumnMetadata, Bool)] = []
        for key in create.columns { keys.append((try column(key.name.value), key.direction == .descending)) }
        var included: [ColumnMetadata] = []
        for name in create.includedColumns { included.append(try column(name.value)) }
        let clustered = create.clustering == .clustered
        if clustered, table.definition.indexes.contains(where: \.isClustered) {
            throw SQLServerError(
                code: .init(1902),
                message: "Cannot create more than one clustered index on table '\(table.twoPartName)'. Drop the existing clustered index '\(table.definition.indexes.first(where: \.isClustered)!.name)' before creating another.")
        }
        let indexID = clustered ? 1 : max(2, (table.definition.indexes.map(\.indexID).max() ?? 1) + 1)
        let pgName = "ix\(table.objectID)_\(indexID)"
        var sql = "CREATE \(create.isUnique ? "UNIQUE " : "")INDEX \(PostgresIdentifier.quote(pgName)) ON \(table.pgQualifiedName) ("
            + keys.map { PostgresIdentifier.quote($0.0.pgName) + ($0.1 ? " DESC" : "") }.joined(separator: ", ") + ")"
        if !included.isEmpty {
            sql += " INCLUDE (" + included.map { PostgresIdentifier.quote($0.pgName) }.joined(separator: ", ") + ")"
        }
        var filterDefinition: String?
        if let filter = create.filter {
            sql += " WHERE " + (try await translator.condition(filter, scope: Scope(sources: [builder.bareSource()], parent: nil)))
            filterDefinition = "(" + TSQLPrinter.print(filter) + ")"
        }
        try await connection.execute(sql)
        builder.table.definition.indexes.append(
            IndexMetadata(
                indexID: indexID, name: create.name.value, pgName: pgName, kind: .index, isUnique: create.isUnique,
                isClustered: clustered, keyColumns: keys.map { .init(name: $0.0.name, isDescending: $0.1) },
                includedColumns: included.map(\.name), filterDefinition: filterDefinition, constraintObjectID: nil))
        try await catalog.updateDefinition(of: builder.table)
    }
}

/// Accumulates a table's columns and their PostgreSQL definitions while CREATE/ALTER TABLE runs.
struct TableBuilder {
    var table: TableRecord
    private var columnDefinitions: [String] = []
    /// Statements to run once the table exists.
    var postCreateSQL: [String] = []

    init(table: TableRecord) {
        self.table = table
    }

    /// The table's columns under their bare PostgreSQL names (for CHECK, computed columns, filters).
    func bareSource() -> BoundSource {
        BoundSource(
            exposedName: table.name, schemaName: table.schema.name,
            columns: table.definition.columns.map { column in
                BoundColumn(
                    name: column.name, pgExpression: PostgresIdentifier.quote(column.pgName), type: column.type,
                    isNullable: column.isNullable, isIdentity: column.identity != nil, isStoredComposite: true)
            })
    }

    func columnSQL() -> [String] { columnDefinitions }

    /// The checked PostgreSQL expression storing `value` in `column` (length, range and
    /// conversion checks with SQL Server's errors).
    func assignment(_ value: TranslatedExpression, to column: ColumnMetadata, translator: Translator) throws -> String {
        let type = column.type
        if value.sql == "NULL" { return "CAST(NULL AS \(type.postgresCastType))" }
        if type.hasSeventhDigit {
            // Keep 100 ns: copy the composite of a column or parameter of the same type, or parse
            // text with its 7th digit; any other value converts with a 7th digit of 0.
            if let exact = value.seventhDigitSQL, value.type?.base == type.base { return exact }
            if let source = value.type, source.isCharacter, let parsed = type.seventhDigitValue(fromText: "(\(value.sql))::text") {
                return parsed
            }
        }
        var sql = translator.convert(value, to: type, style: nil, implicit: true).sql
        if let limit = type.characterLimit, type.isCharacter || type.isBinary {
            let target = PostgresLiteral.quote(table.threePartName)
            sql = "sqlserver_catalog.check_length(\(sql), \(limit), \(target), \(PostgresLiteral.quote(column.name)))"
            if type.isCharacter { sql = "(\(sql))::text" }
        }
        switch type.base {
        case .smallint, .int, .bigint:
            if let source = value.type, source.precedence > type.precedence, source.isNumeric {
                sql = "(\(sql))::\(type.postgresCastType)"
            }
        default: break
        }
        return sql
    }

    mutating func add(_ column: ColumnMetadata, defaultSQL: String?, computedSQL: String?) {
        table.definition.columns.append(column)
        let type = column.type
        var sql = "\(PostgresIdentifier.quote(column.pgName)) \(type.postgresStorageType)"
        if let computedSQL {
            sql += " GENERATED ALWAYS AS (\(computedSQL)) STORED"
        }
        if let identity = column.identity {
            var options = "START WITH \(identity.seed) INCREMENT BY \(identity.increment)"
            if identity.seed < 1 || identity.increment < 0 { options += " MINVALUE \(min(identity.seed, 1) - (identity.increment < 0 ? 1_000_000_000 : 0))" }
            sql += " GENERATED BY DEFAULT AS IDENTITY (\(options))"
        }
        if let defaultSQL { sql += " DEFAULT \(defaultSQL)" }
        if type.base == .rowversion {
            sql += " DEFAULT int8send(nextval('sqlserver_catalog.rowversions'))"
        }
        if !column.isNullable { sql += " NOT NULL" }
        switch type.base {
        case .tinyint:
            sql += " CHECK (\(PostgresIdentifier.quote(column.pgName)) BETWEEN 0 AND 255)"
        case .bit:
            sql += " CHECK (\(PostgresIdentifier.quote(column.pgName)) IN (0, 1))"
        default: break
        }
        columnDefinitions.append(sql)
    }
}
