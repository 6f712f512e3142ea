import Postgres
import TSQL

/// `geometry` and `geography`: their static constructors, methods and properties (storage and
/// PostgreSQL functions: SpatialSchema.swift).
extension Translator {
    /// `geometry::STGeomFromText(wkt, srid)`, `geography::Point(lat, long, srid)`, `STGeomFromWKB`, `Parse`.
    func spatialStaticMethod(typeName: String, method: String, arguments: [TranslatedExpression]) throws -> TranslatedExpression {
        let type = SQLServerType(typeName == "geography" ? .geography : .geometry)
        let kind = PostgresLiteral.quote(typeName)
        func srid(_ index: Int) -> String { "(\(convert(arguments[index], to: .int, style: nil, implicit: true).sql))" }
        func number(_ index: Int) -> String { "(\(convert(arguments[index], to: .float, style: nil, implicit: true).sql))" }
        switch method.lowercased() {
        case "stgeomfromtext":
            try Self.expectArguments(arguments, 2, method: "\(typeName)::STGeomFromText")
            return TranslatedExpression(sql: "sqlserver_catalog.spatial_from_text((\(arguments[0].sql))::text, \(srid(1)), \(kind))", type: type)
        case "parse":
            try Self.expectArguments(arguments, 1, method: "\(typeName)::Parse")
            return TranslatedExpression(
                sql: "sqlserver_catalog.spatial_from_text((\(arguments[0].sql))::text, \(typeName == "geography" ? 4326 : 0), \(kind))", type: type)
        case "stgeomfromwkb":
            try Self.expectArguments(arguments, 2, method: "\(typeName)::STGeomFromWKB")
            let bytes = convert(arguments[0], to: SQLServerType(.varbinary, length: .max), style: nil, implicit: true)
            return TranslatedExpression(sql: "sqlserver_catalog.spatial_from_wkb(\(bytes.sql), \(srid(1)), \(kind))", type: type)
        case "point":
            try Self.expectArguments(arguments, 3, method: "\(typeName)::Point")
            // geography::Point takes latitude first; well-known text is longitude first.
            let (x, y) = typeName == "geography" ? (number(1), number(0)) : (number(0), number(1))
            return TranslatedExpression(
                sql: "sqlserver_catalog.spatial_from_text(format('POINT (%s %s)', \(x), \(y)), \(srid(2)), \(kind))", type: type)
        default:
            throw Self.unknownMethod(method, type: type)
        }
    }

    /// `g.STAsText()`, `g.AsTextZM()`, `g.ToString()`, `g.STAsBinary()`, `g.AsBinaryZM()`.
    func spatialMethod(_ method: String, of target: TranslatedExpression, type: SQLServerType, arguments: [TranslatedExpression]) throws
        -> TranslatedExpression
    {
        switch method.lowercased() {
        case "stastext":
            try Self.expectArguments(arguments, 0, method: "STAsText")
            return TranslatedExpression(sql: "sqlserver_catalog.spatial_wkb_text(\(target.sql), 4, false)", type: .nvarcharMax)
        case "astextzm", "tostring":
            try Self.expectArguments(arguments, 0, method: method)
            return TranslatedExpression(sql: "sqlserver_catalog.spatial_wkb_text(\(target.sql), 4, true)", type: .nvarcharMax)
        case "stasbinary":
            try Self.expectArguments(arguments, 0, method: "STAsBinary")
            return TranslatedExpression(sql: "sqlserver_catalog.spatial_wkb(\(target.sql), false)", type: SQLServerType(.varbinary, length: .max))
        case "asbinaryzm":
            try Self.expectArguments(arguments, 0, method: "AsBinaryZM")
            return TranslatedExpression(sql: "sqlserver_catalog.spatial_wkb(\(target.sql), true)", type: SQLServerType(.varbinary, length: .max))
        default:
            throw Self.unknownMethod(method, type: type)
        }
    }

    /// `g.STSrid`, `g.STX`, `g.STY` (geometry), `g.Lat`, `g.Long` (geography), `g.Z`, `g.M`; nil
    /// for a name that is not one of them.
    func spatialProperty(_ name: String, of target: TranslatedExpression, type: SQLServerType) -> TranslatedExpression? {
        let ordinate: Int
        switch (type.base, name.lowercased()) {
        case (.geometry, "stsrid"), (.geography, "stsrid"):
            return TranslatedExpression(sql: "sqlserver_catalog.spatial_srid(\(target.sql))", type: .int)
        case (.geometry, "stx"), (.geography, "long"): ordinate = 1
        case (.geometry, "sty"), (.geography, "lat"): ordinate = 2
        case (.geometry, "z"), (.geography, "z"): ordinate = 3
        case (.geometry, "m"), (.geography, "m"): ordinate = 4
        default: return nil
        }
        return TranslatedExpression(sql: "sqlserver_catalog.spatial_ordinate(\(target.sql), \(ordinate))", type: .float)
    }
}
