import Postgres
import TSQL

extension Translator {
    /// The OBJECTPROPERTY properties the emulator answers (lower-cased); see
    /// `sqlserver_catalog.object_property` in ``CatalogSchema``.
    static let objectProperties: Set<String> = [
        "isusertable", "istable", "isview", "isprocedure", "istrigger", "isscalarfunction", "isinlinefunction",
        "istablefunction", "isconstraint", "isprimarykey", "isforeignkey", "ischeckcnst", "isdefaultcnst", "isuniquecnst",
        "ismsshipped", "ownerid", "tablehasprimarykey", "tablehasuniquecnst", "tablehasclustindex", "tablehasindex",
        "tablehasidentity", "tablehasforeignkey", "tablehascheckcnst", "tablehasdefaultcnst",
    ]
    /// The COLUMNPROPERTY properties the emulator answers (lower-cased).
    static let columnProperties: Set<String> = ["isidentity", "iscomputed", "allowsnull", "columnid", "isrowguidcol", "isidnotforrepl"]

    /// Catalog functions answered from the emulator's catalog: `NEXT VALUE FOR`,
    /// `OBJECT_DEFINITION`, `IDENT_CURRENT`/`IDENT_SEED`/`IDENT_INCR`, `TYPE_NAME`, `TYPE_ID`,
    /// `OBJECTPROPERTY`, `COLUMNPROPERTY`; nil for any other call.
    func catalogFunction(_ call: FunctionCall, scope: Scope, ctes: [String: TranslatedQuery]) async throws -> TranslatedExpression? {
        if let sequence = call.nextValueSequence { return try await nextValue(for: sequence) }
        if let schema = call.name.schema?.value.lowercased(), schema != "sys" {
            // Scalar user-defined functions (Translator+UserFunctions.swift).
            return try await userFunction(call, scope: scope, ctes: ctes)
        }
        let name = call.name.name.value.uppercased()
        let supported: Set<String> = [
            "OBJECT_DEFINITION", "IDENT_CURRENT", "IDENT_SEED", "IDENT_INCR", "TYPE_NAME", "TYPE_ID", "OBJECTPROPERTY",
            "COLUMNPROPERTY",
        ]
        guard supported.contains(name) else { return nil }
        let arity = ["OBJECTPROPERTY": 2, "COLUMNPROPERTY": 3][name] ?? 1
        guard call.arguments.count == arity else {
            throw SQLServerError(
                code: .init(174), severity: 15,
                message: "The \(name.lowercased()) function requires \(arity) argument(s).", abortsBatch: true)
        }
        var arguments: [String] = []
        for argument in call.arguments { arguments.append("(\(try await expression(argument, scope: scope, ctes: ctes).sql))") }
        let database = context.database.id
        let numeric = SQLServerType(.numeric, precision: 38, scale: 0)
        switch name {
        case "OBJECT_DEFINITION":
            return TranslatedExpression(
                sql: "(SELECT m.definition FROM sqlserver_catalog.modules m WHERE m.database_id = \(database) AND m.object_id = \(arguments[0])::integer)",
                type: .nvarcharMax)
        case "IDENT_CURRENT", "IDENT_SEED", "IDENT_INCR":
            // IDENT_CURRENT is the seed until the first value is generated.
            let column = ["IDENT_CURRENT": "coalesce(i.last_value, i.seed)", "IDENT_SEED": "i.seed", "IDENT_INCR": "i.increment"][name]!
            return TranslatedExpression(
                sql: """
                    (SELECT CAST(\(column) AS \(numeric.postgresCastType)) FROM sqlserver_catalog.identity_info(\(database), \
                    sqlserver_catalog.resolve_object(\(database), \(arguments[0])::text)) AS i)
                    """,
                type: numeric)
        case "TYPE_NAME":
            return TranslatedExpression(
                sql: """
                    (SELECT u.n FROM (SELECT v.n FROM (VALUES \(Self.systemTypeNames.map { "(\($0.id), \(PostgresLiteral.quote($0.name)))" }.joined(separator: ", "))) AS v(id, n) \
                    WHERE v.id = \(arguments[0])::integer UNION ALL SELECT t.name FROM sqlserver_catalog.types t \
                    WHERE t.database_id = \(database) AND t.user_type_id = \(arguments[0])::integer) AS u LIMIT 1)
                    """,
                type: SystemViews.sysname)
        case "TYPE_ID":
            let parts = "string_to_array(lower(replace(replace(\(arguments[0])::text, '[', ''), ']', '')), '.')"
            return TranslatedExpression(
                sql: """
                    (WITH p AS (SELECT \(parts) AS a) SELECT u.id FROM ( \
                    SELECT v.id, 1 AS k FROM p, (VALUES \(Self.systemTypeNames.map { "(\(PostgresLiteral.quote($0.name)), \($0.id))" }.joined(separator: ", "))) AS v(n, id) \
                    WHERE v.n = p.a[array_length(p.a, 1)] AND (array_length(p.a, 1) = 1 OR p.a[1] = 'sys') \
                    UNION ALL SELECT t.user_type_id, 2 FROM p, sqlserver_catalog.types t JOIN sqlserver_catalog.schemas s \
                    ON s.database_id = t.database_id AND s.schema_id = t.schema_id \
                    WHERE t.database_id = \(database) AND t.name_key = p.a[array_length(p.a, 1)] \
                    AND s.name_key = CASE WHEN array_length(p.a, 1) > 1 THEN p.a[array_length(p.a, 1) - 1] ELSE 'dbo' END \
                    ) AS u ORDER BY u.k LIMIT 1)
                    """,
                type: .int)
        case "OBJECTPROPERTY":
            try Self.requireSupportedProperty(call.arguments[1], in: Self.objectProperties, function: name)
            return TranslatedExpression(
                sql: "sqlserver_catalog.object_property(\(database), \(arguments[0])::integer, \(arguments[1])::text)", type: .int)
        default:
            try Self.requireSupportedProperty(call.arguments[2], in: Self.columnProperties, function: name)
            return TranslatedExpression(
                sql: "sqlserver_catalog.column_property(\(database), \(arguments[0])::integer, \(arguments[1])::text, \(arguments[2])::text)",
                type: .int)
        }
    }

    /// `sys.types` names by `user_type_id` (`timestamp` and `rowversion` both 189; `sysname` 256).
    static let systemTypeNames: [(id: Int, name: String)] =
        SQLServerType.Base.allCases.map { (SystemViews.userTypeID($0), $0 == .rowversion ? "timestamp" : $0.rawValue) }
        + [(189, "rowversion"), (256, "sysname")]

    /// A property written as a constant must be one the emulator answers: SQL Server knows many
    /// more, and answering NULL for a real property would be a wrong answer, not a missing one.
    static func requireSupportedProperty(_ argument: TSQL.Expression, in known: Set<String>, function: String) throws {
        guard case .literal(.string(let property, _)) = argument else { return }
        guard known.contains(property.lowercased()) else {
            throw SQLServerError.notSupported("\(function) '\(property)'")
        }
    }

    /// `NEXT VALUE FOR sequence`: the sequence's next value in its declared type; Msg 208 when
    /// there is no such sequence, Msg 11728 when it is exhausted.
    func nextValue(for sequence: ObjectName) async throws -> TranslatedExpression {
        let database = try await self.database(of: sequence)
        guard let schema = try await catalog.schema(in: database, named: sequence.schema?.value ?? "dbo"),
            let object = try await catalog.object(in: schema, named: sequence.name.value), object.type == "SO",
            let record = try await catalog.sequences(in: database)[object.objectID]
        else { throw SQLServerError.invalidObjectName(sequence.description) }
        let type = SQLServerType(declaration: record.typeDeclaration) ?? .bigint
        return TranslatedExpression(
            sql: "CAST(sqlserver_catalog.next_value(\(PostgresLiteral.quote(record.pgSequence)), \(PostgresLiteral.quote(object.name))) AS \(type.postgresCastType))",
            type: type, isNullable: false)
    }
}
