import Postgres
import TSQL

/// `hierarchyid`'s methods, `sql_variant`'s conversions and `SQL_VARIANT_PROPERTY` (storage and
/// PostgreSQL functions: CLRTypesSchema.swift).
extension Translator {
    // MARK: Methods and properties

    /// A static method (`hierarchyid::Parse('/1/')`) or a method of a column of a CLR type
    /// (`node.ToString()`, `e.node.GetAncestor(1)`); nil when `call` is neither.
    func clrMethod(_ call: FunctionCall, scope: Scope, ctes: [String: TranslatedQuery]) async throws -> TranslatedExpression? {
        let method = call.name.name.value
        if call.isStaticMethod, let typeName = call.name.schema?.value.lowercased() {
            var arguments: [TranslatedExpression] = []
            for argument in call.arguments { arguments.append(try await expression(argument, scope: scope, ctes: ctes)) }
            return try staticMethod(typeName: typeName, method: method, arguments: arguments)
        }
        if call.isMethodCall, let first = call.arguments.first {
            let target = try await expression(first, scope: scope, ctes: ctes)
            guard let type = target.type, type.isCLRType else {
                throw SQLServerError(
                    code: .init(258), severity: 15,
                    message: "Cannot call methods on \(target.type?.systemDeclaration ?? "NULL").", abortsBatch: true)
            }
            var arguments: [TranslatedExpression] = []
            for argument in call.arguments.dropFirst() { arguments.append(try await expression(argument, scope: scope, ctes: ctes)) }
            return try instanceMethod(method, of: target, type: type, arguments: arguments)
        }
        guard let columnName = call.name.schema, call.name.partCount <= 3 else { return nil }
        let reference = ColumnReference(table: call.name.database.map { ObjectName(name: $0) }, column: columnName)
        guard let column = try? scope.resolve(reference), let type = column.type, type.isCLRType else { return nil }
        let target = Self.reference(column)
        var arguments: [TranslatedExpression] = []
        for argument in call.arguments { arguments.append(try await expression(argument, scope: scope, ctes: ctes)) }
        return try instanceMethod(method, of: target, type: type, arguments: arguments)
    }

    /// `column.Property` of a CLR-typed column, written as a column reference (`node.STSrid` reads
    /// like column `STSrid` of table `node`); nil when `reference` is not one.
    func clrProperty(_ reference: ColumnReference, scope: Scope) throws -> TranslatedExpression? {
        guard let table = reference.table, table.partCount <= 2 else { return nil }
        let columnReference = ColumnReference(table: table.schema.map { ObjectName(name: $0) }, column: table.name)
        guard let column = try? scope.resolve(columnReference), let type = column.type, type.isCLRType else { return nil }
        // Spatial properties (Translator+Spatial.swift).
        if let property = spatialProperty(reference.column.value, of: Self.reference(column), type: type) { return property }
        throw Self.unknownMethod(reference.column.value, type: type)
    }

    private func staticMethod(typeName: String, method: String, arguments: [TranslatedExpression]) throws -> TranslatedExpression {
        switch (typeName, method.lowercased()) {
        case ("hierarchyid", "getroot"):
            try Self.expectArguments(arguments, 0, method: "hierarchyid::GetRoot")
            return TranslatedExpression(sql: "'{}'::numeric[]", type: SQLServerType(.hierarchyid), isNullable: false)
        case ("hierarchyid", "parse"):
            try Self.expectArguments(arguments, 1, method: "hierarchyid::Parse")
            return TranslatedExpression(
                sql: "sqlserver_catalog.hierarchyid_parse((\(arguments[0].sql))::text)", type: SQLServerType(.hierarchyid))
        case ("geometry", _), ("geography", _):
            return try spatialStaticMethod(typeName: typeName, method: method, arguments: arguments)
        default:
            throw SQLServerError(
                code: .init(258), severity: 15, message: "Cannot call methods on \(typeName).", abortsBatch: true)
        }
    }

    private func instanceMethod(_ method: String, of target: TranslatedExpression, type: SQLServerType, arguments: [TranslatedExpression])
        throws -> TranslatedExpression
    {
        if type.base != .hierarchyid { return try spatialMethod(method, of: target, type: type, arguments: arguments) }
        switch method.lowercased() {
        case "tostring":
            try Self.expectArguments(arguments, 0, method: "ToString")
            return TranslatedExpression(sql: "sqlserver_catalog.hierarchyid_text(\(target.sql))", type: .nvarcharMax)
        case "getlevel":
            try Self.expectArguments(arguments, 0, method: "GetLevel")
            return TranslatedExpression(sql: "sqlserver_catalog.hierarchyid_level(\(target.sql))", type: SQLServerType(.smallint))
        case "getancestor":
            try Self.expectArguments(arguments, 1, method: "GetAncestor")
            let generations = convert(arguments[0], to: .bigint, style: nil, implicit: true)
            return TranslatedExpression(
                sql: "sqlserver_catalog.hierarchyid_ancestor(\(target.sql), \(generations.sql))", type: SQLServerType(.hierarchyid))
        case "isdescendantof":
            try Self.expectArguments(arguments, 1, method: "IsDescendantOf")
            let parent = convert(arguments[0], to: SQLServerType(.hierarchyid), style: nil, implicit: true)
            return TranslatedExpression(
                sql: "sqlserver_catalog.hierarchyid_is_descendant(\(target.sql), \(parent.sql))", type: .bit)
        default:
            throw Self.unknownMethod(method, type: type)
        }
    }

    static func expectArguments(_ arguments: [TranslatedExpression], _ count: Int, method: String) throws(SQLServerError) {
        guard arguments.count == count else {
            throw SQLServerError(
                code: .init(10025), severity: 16,
                message: "Method '\(method)' requires \(count) argument(s).",
                abortsBatch: true)
        }
    }

    static func unknownMethod(_ method: String, type: SQLServerType) -> SQLServerError {
        // Msg 6506: what SQL Server says for a method its CLR type does not have.
        SQLServerError(
            code: .init(6506), severity: 16,
            message: "Could not find method '\(method)' for type '\(type.systemDeclaration)' in assembly 'Microsoft.SqlServer.Types'",
            abortsBatch: true)
    }

    // MARK: Conversions

    /// Conversions to and from `hierarchyid` and `sql_variant`; nil for other types.
    func clrConversion(_ value: TranslatedExpression, to target: SQLServerType, implicit: Bool) throws(SQLServerError)
        -> TranslatedExpression?
    {
        let source = value.type?.systemType
        if target.base == .sqlVariant {
            guard let source else { return nil }
            return try variant(from: value, type: source)
        }
        if source?.base == .sqlVariant {
            return variantValue(value, to: target, implicit: implicit)
        }
        if target.base == .hierarchyid {
            guard let source, source.isCharacter else { return nil }
            return TranslatedExpression(
                sql: "sqlserver_catalog.hierarchyid_parse((\(value.sql))::text)", type: target.systemType, isNullable: value.isNullable)
        }
        if target.base == .geometry || target.base == .geography, let source, source.isCharacter {
            let srid = target.base == .geography ? 4326 : 0
            return TranslatedExpression(
                sql: "sqlserver_catalog.spatial_from_text((\(value.sql))::text, \(srid), '\(target.base.rawValue)')", type: target.systemType,
                isNullable: value.isNullable)
        }
        if let source, source.base == .geometry || source.base == .geography, target.isCharacter {
            return TranslatedExpression(sql: "sqlserver_catalog.spatial_wkb_text(\(value.sql), 4, true)", type: target.systemType, isNullable: value.isNullable)
        }
        if source?.base == .hierarchyid, target.isCharacter {
            var sql = "sqlserver_catalog.hierarchyid_text(\(value.sql))"
            if !implicit, let limit = target.characterLimit { sql = "left(\(sql), \(limit))" }
            return TranslatedExpression(sql: sql, type: target.systemType, isNullable: value.isNullable)
        }
        return nil
    }

    /// A value of `type` as a `sql_variant` (the jsonb object CLRTypesSchema.swift describes).
    private func variant(from value: TranslatedExpression, type: SQLServerType) throws(SQLServerError) -> TranslatedExpression {
        switch type.base {
        case .text, .ntext, .image, .xml, .rowversion, .hierarchyid, .geography, .geometry, .sqlVariant:
            throw Self.operandClash(type)
        case .varchar, .nvarchar, .varbinary:
            if type.length == .max { throw Self.operandClash(type) }
        default:
            break
        }
        let text: String
        switch type.base {
        case _ where value.seventhDigitSQL.flatMap(type.seventhDigitText) != nil:
            // time(7)/datetime2(7): the exact 7-digit text; expressions are microsecond types and
            // only the composite keeps 100 ns.
            text = value.seventhDigitSQL.flatMap(type.seventhDigitText)!
        case .datetimeoffset: text = "sqlserver_catalog.datetimeoffset_text(\(value.sql))"
        case .uniqueidentifier: text = "upper((\(value.sql))::text)"
        case .bit where value.isCondition: text = "(CASE WHEN \(value.sql) THEN '1' WHEN NOT \(value.sql) THEN '0' END)"
        default: text = "(\(value.sql))::text"
        }
        let collation = type.isCharacter ? "'SQL_Latin1_General_CP1_CI_AS'" : "NULL"
        let propertyBytes: Int
        switch type.base {
        case .decimal, .numeric: propertyBytes = 2
        case .time, .datetime2, .datetimeoffset: propertyBytes = 1
        case .binary, .varbinary: propertyBytes = 2
        case .char, .varchar, .nchar, .nvarchar: propertyBytes = 7
        default: propertyBytes = 0
        }
        // Variable-length values' data bytes are counted from the value at run time (-1).
        let fixedBytes = [.varchar, .nvarchar, .varbinary].contains(type.base) ? -1 : type.maxLength
        let sql = "sqlserver_catalog.variant_make(\(text), '\(type.base.rawValue)', \(type.variantPrecision), \(type.variantScale), "
            + "\(type.maxLength), \(collation), \(propertyBytes), \(fixedBytes))"
        return TranslatedExpression(sql: sql, type: SQLServerType(.sqlVariant), isNullable: value.isNullable)
    }

    /// `CAST(variant AS type)`: the base-type value (kept as text) converted to `target`.
    private func variantValue(_ value: TranslatedExpression, to target: SQLServerType, implicit: Bool) -> TranslatedExpression {
        let text = "((\(value.sql)) ->> 'Value')"
        if target.isBinary {
            // Binary base values are kept as PostgreSQL's hex text (\x0102).
            return TranslatedExpression(
                sql: "(CASE WHEN (\(value.sql)) ->> 'BaseType' IN ('binary', 'varbinary') THEN decode(substr(\(text), 3), 'hex') ELSE convert_to(\(text), 'UTF8') END)",
                type: target.systemType, isNullable: value.isNullable)
        }
        // char and nchar values are kept without their padding (PostgreSQL drops it on ::text);
        // SQL Server's value has it: to MaxLength bytes, UTF-16 code units for nchar.
        let maxLength = "((\(value.sql)) ->> 'MaxLength')::integer"
        let padded = "(CASE (\(value.sql)) ->> 'BaseType' WHEN 'char' THEN rpad(\(text), \(maxLength)) "
            + "WHEN 'nchar' THEN rpad(\(text), \(maxLength) / 2 - length(regexp_replace(\(text), '[^\\U00010000-\\U0010FFFF]', '', 'g'))) "
            + "ELSE \(text) END)"
        return convert(TranslatedExpression(sql: padded, type: .nvarchar(4000), isNullable: value.isNullable), to: target, style: nil, implicit: implicit)
    }

    /// `SQL_VARIANT_PROPERTY(expression, property)`.
    func variantProperty(_ arguments: [TranslatedExpression], property: Expression?) throws(SQLServerError) -> TranslatedExpression {
        guard arguments.count == 2 else {
            throw SQLServerError(
                code: .init(174), severity: 15, message: "The sql_variant_property function requires 2 argument(s).", abortsBatch: true)
        }
        var value = arguments[0]
        if value.type?.base != .sqlVariant, let type = value.type { value = try variant(from: value, type: type.systemType) }
        guard case .literal(.string(let name, _)) = property else {
            // A property not known until run time: its text, NULL for a name that is not a property.
            return TranslatedExpression(sql: "((\(value.sql)) ->> (\(arguments[1].sql))::text)", type: .nvarchar(128))
        }
        switch name.lowercased() {
        case "basetype": return TranslatedExpression(sql: "((\(value.sql)) ->> 'BaseType')", type: .nvarchar(128))
        case "collation": return TranslatedExpression(sql: "((\(value.sql)) ->> 'Collation')", type: .nvarchar(128))
        case "precision": return TranslatedExpression(sql: "((\(value.sql)) ->> 'Precision')::integer", type: .int)
        case "scale": return TranslatedExpression(sql: "((\(value.sql)) ->> 'Scale')::integer", type: .int)
        case "totalbytes": return TranslatedExpression(sql: "((\(value.sql)) ->> 'TotalBytes')::integer", type: .int)
        case "maxlength": return TranslatedExpression(sql: "((\(value.sql)) ->> 'MaxLength')::integer", type: .int)
        default: return TranslatedExpression(sql: "NULL", type: .nvarchar(128))
        }
    }

    private static func operandClash(_ type: SQLServerType) -> SQLServerError {
        SQLServerError(
            code: .init(206), severity: 16, message: "Operand type clash: \(type.systemDeclaration) is incompatible with sql_variant",
            abortsBatch: true)
    }
}

extension SQLServerType {
    /// `hierarchyid`, `geography`, `geometry`: the types with methods.
    var isCLRType: Bool { base == .hierarchyid || base == .geography || base == .geometry }

    /// `SQL_VARIANT_PROPERTY(…, 'Precision')` of a value of this type.
    var variantPrecision: Int {
        switch base {
        case .tinyint: 3
        case .smallint: 5
        case .int: 10
        case .bigint: 19
        case .bit: 1
        case .decimal, .numeric: precision ?? 18
        case .money: 19
        case .smallmoney: 10
        case .float: 53
        case .real: 24
        case .datetime: 23
        case .smalldatetime: 16
        case .date: 10
        case .datetime2: (scale ?? 7) == 0 ? 19 : (scale ?? 7) + 20
        case .datetimeoffset: (scale ?? 7) == 0 ? 26 : (scale ?? 7) + 27
        case .time: (scale ?? 7) == 0 ? 8 : (scale ?? 7) + 9
        default: 0
        }
    }

    /// `SQL_VARIANT_PROPERTY(…, 'Scale')` of a value of this type.
    var variantScale: Int {
        switch base {
        case .decimal, .numeric: scale ?? 0
        case .money, .smallmoney: 4
        case .datetime: 3
        case .datetime2, .datetimeoffset, .time: scale ?? 7
        default: 0
        }
    }
}
