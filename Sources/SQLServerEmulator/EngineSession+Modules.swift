import Postgres
import TSQL

extension EngineSession {
    // MARK: CREATE SEQUENCE

    /// CREATE SEQUENCE: an `SO` object backed by a PostgreSQL sequence holding SQL Server's
    /// bounds. Only integer types are accepted (as in SQL Server); values beyond bigint's range
    /// (decimal(38,0) sequences) are not.
    func createSequence(_ create: CreateSequenceStatement) async throws {
        let (database, schema) = try await resolveContainer(create.name)
        let name = create.name.name.value
        if try await catalog.object(in: schema, named: name) != nil { throw SQLServerError.objectAlreadyExists(name) }
        let translator = self.translator
        let type = try await create.dataType.asyncMap { try await translator.resolveType($0) } ?? .bigint
        guard let range = Self.sequenceRange(type) else {
            throw SQLServerError(
                code: .init(11702),
                message: "The sequence object '\(name)' must be of data type int, bigint, smallint, tinyint, or decimal or numeric with a scale of 0, or any user-defined data type that is based on one of the above integer data types.")
        }
        func constant(_ expression: TSQL.Expression?, _ clause: String) throws -> Int64? {
            guard let expression else { return nil }
            guard let value = Self.integerConstant(expression) else { throw SQLServerError.notSupported(clause) }
            return value
        }
        let increment = try constant(create.increment, "INCREMENT BY") ?? 1
        if increment == 0 {
            throw SQLServerError(code: .init(11700), message: "The increment for sequence object '\(name)' cannot be zero.")
        }
        let minimum = try constant(create.minimum, "MINVALUE") ?? range.lowerBound
        let maximum = try constant(create.maximum, "MAXVALUE") ?? range.upperBound
        guard range.contains(minimum), range.contains(maximum) else {
            throw SQLServerError(
                code: .init(11706),
                message: "The minimum and maximum values for sequence object '\(name)' must be within the range of the data type of the sequence object.")
        }
        guard minimum < maximum else {
            throw SQLServerError(
                code: .init(11705), message: "The minimum value for sequence object '\(name)' must be less than its maximum value.")
        }
        let start = try constant(create.start, "START WITH") ?? (increment > 0 ? minimum : maximum)
        guard (minimum...maximum).contains(start) else {
            throw SQLServerError(
                code: .init(11703),
                message: "The start value for sequence object '\(name)' must be between the minimum and maximum value of the sequence object.")
        }
        var isCached = true
        var cacheSize: Int?
        switch create.cache {
        case .noCache?: isCached = false
        case .cache(let size?)?: cacheSize = try constant(size, "CACHE").map { Int($0) }
        default: break
        }
        let objectID = try await catalog.nextObjectID()
        let pgSequence = PostgresIdentifier.qualified(schema: schema.pgSchema, "seq\(objectID)")
        try await connection.execute(
            """
            CREATE SEQUENCE \(pgSequence) AS bigint START WITH \(start) INCREMENT BY \(increment) \
            MINVALUE \(minimum) MAXVALUE \(maximum) \(create.isCycling ? "CYCLE" : "NO CYCLE")
            """)
        try await catalog.insertObject(in: schema, objectID: objectID, name: name, type: "SO")
        try await catalog.insertSequence(
            databaseID: database.id,
            SequenceRecord(
                objectID: objectID, pgSequence: pgSequence, typeDeclaration: type.systemDeclaration,
                start: String(start), increment: String(increment), minimum: String(minimum), maximum: String(maximum),
                isCycling: create.isCycling, isCached: isCached, cacheSize: cacheSize))
    }

    /// The values a sequence of `type` can take (bigint's range bounds decimal and numeric).
    static func sequenceRange(_ type: SQLServerType) -> ClosedRange<Int64>? {
        switch type.base {
        case .tinyint: return 0...255
        case .smallint: return Int64(Int16.min)...Int64(Int16.max)
        case .int: return Int64(Int32.min)...Int64(Int32.max)
        case .bigint: return Int64.min...Int64.max
        case .decimal, .numeric:
            guard (type.scale ?? 0) == 0 else { return nil }
            let precision = type.precision ?? 18
            guard precision < 19 else { return Int64.min...Int64.max }
            var limit: Int64 = 1
            for _ in 0..<precision { limit *= 10 }
            return (-(limit - 1))...(limit - 1)
        default: return nil
        }
    }

    // MARK: CREATE TRIGGER

    /// CREATE / ALTER / CREATE OR ALTER TRIGGER: a `TR` object on its table (or view), in the
    /// table's schema, with its text in `sys.sql_modules`. The trigger is recorded, not fired.
    func createTrigger(_ create: CreateTriggerStatement) async throws {
        let translator = self.translator
        let table: TableRecord
        do {
            table = try await translator.resolveTable(create.table, includingViews: true)
        } catch let error as SQLServerError where error.code == .invalidObjectName {
            throw SQLServerError(
                code: .init(8197), message: "The object '\(create.table.description)' does not exist or is invalid for this operation.")
        }
        if let schemaName = create.name.schema?.value, schemaName.lowercased() != table.schema.name.lowercased() {
            throw SQLServerError(
                code: .init(2103),
                message: "Cannot create trigger '\(create.name.description)' because its schema is different from the schema of the target table or view.")
        }
        if create.timing == .after, table.type == "V" {
            throw SQLServerError(
                code: .init(8197), message: "The object '\(create.table.description)' does not exist or is invalid for this operation.")
        }
        let objectID = try await moduleObjectID(
            create.creation, name: create.name.name.value, displayName: create.name.description, type: "TR", schema: table.schema,
            parentObjectID: table.objectID)
        try await catalog.saveModule(databaseID: table.database.id, objectID: objectID, definition: create.definition)
        try await catalog.insertTrigger(
            databaseID: table.database.id,
            TriggerRecord(
                objectID: objectID, isInsteadOf: create.timing == .insteadOf, isNotForReplication: create.notForReplication,
                isDisabled: false, events: create.events.map(\.rawValue).joined(separator: ",")))
    }

    // MARK: CREATE FUNCTION

    /// CREATE / ALTER / CREATE OR ALTER FUNCTION: an `FN`, `IF` or `TF` object with its text in
    /// `sys.sql_modules`. Parameter and return types must exist; the function is not callable.
    func createFunction(_ create: CreateFunctionStatement) async throws {
        let (database, schema) = try await resolveContainer(create.name)
        let translator = self.translator
        for parameter in create.parameters { _ = try await translator.resolveType(parameter.type) }
        if case .scalar(let type) = create.returns { _ = try await translator.resolveType(type) }
        let objectID = try await moduleObjectID(
            create.creation, name: create.name.name.value, displayName: create.name.description, type: create.objectType,
            schema: schema, acceptedTypes: ["FN", "IF", "TF"])
        try await catalog.saveModule(databaseID: database.id, objectID: objectID, definition: create.definition)
    }

    /// The object_id for a module statement: a new object for CREATE (Msg 2714 if the name is
    /// taken), the existing one for ALTER (Msg 208 if there is none), either for CREATE OR ALTER.
    private func moduleObjectID(
        _ creation: ModuleCreation, name: String, displayName: String, type: String, schema: SchemaRecord,
        parentObjectID: Int = 0, acceptedTypes: Set<String>? = nil
    ) async throws -> Int {
        let existing = try await catalog.object(in: schema, named: name)
        let accepted = acceptedTypes ?? [type]
        switch creation {
        case .create:
            if existing != nil { throw SQLServerError.objectAlreadyExists(name) }
        case .alter:
            guard let existing, accepted.contains(existing.type) else { throw SQLServerError.invalidObjectName(displayName) }
        case .createOrAlter:
            if let existing, !accepted.contains(existing.type) { throw SQLServerError.objectAlreadyExists(name) }
        }
        if let existing {
            // ALTER FUNCTION may turn a scalar function into a table-valued one; ALTER TRIGGER may
            // name another table.
            try await connection.query(
                """
                UPDATE sqlserver_catalog.objects SET type = $3, parent_object_id = $4, modify_date = localtimestamp
                WHERE database_id = $1 AND object_id = $2
                """,
                [
                    .int64(Int64(schema.databaseID)), .int64(Int64(existing.objectID)), .text(type),
                    .int64(Int64(parentObjectID)),
                ])
            return existing.objectID
        }
        let objectID = try await catalog.nextObjectID()
        try await catalog.insertObject(in: schema, objectID: objectID, name: name, type: type, parentObjectID: parentObjectID)
        return objectID
    }

    // MARK: DROP PROCEDURE / FUNCTION / TRIGGER / SEQUENCE

    /// Drops a procedure, function, trigger or sequence (Msg 3701 if there is none of that kind).
    func dropModule(_ kind: DropStatement.ObjectKind, target: ObjectName, ifExists: Bool) async throws {
        let (types, noun): (Set<String>, String) =
            switch kind {
            case .procedure: (["P"], "procedure")
            case .function: (["FN", "IF", "TF"], "function")
            case .trigger: (["TR"], "trigger")
            default: (["SO"], "sequence")
            }
        let (database, schema) = try await resolveContainer(target)
        guard let object = try await catalog.object(in: schema, named: target.name.value), types.contains(object.type) else {
            if ifExists { return }
            throw SQLServerError.cannotDrop(kind: noun, name: target.description)
        }
        if object.type == "SO",
            let sequence = try await catalog.sequences(in: database)[object.objectID]
        {
            try await connection.execute("DROP SEQUENCE IF EXISTS \(sequence.pgSequence)")
        }
        try await catalog.deleteObjects(databaseID: database.id, objectIDs: [object.objectID])
    }
}
