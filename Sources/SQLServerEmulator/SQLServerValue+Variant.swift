import Foundation

extension SQLServerValue {
    /// A `sql_variant` from PostgreSQL's text of its stored `jsonb` (see CLRTypesSchema.swift): the
    /// base type rebuilt from `BaseType`, `Precision`, `Scale` and `MaxLength`, and the base value
    /// decoded from `Value` as a column of that type would be. Nil when the object is malformed.
    static func variant(postgresText text: String) -> SQLServerValue? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let baseName = object["BaseType"] as? String, let valueText = object["Value"] as? String,
            let type = variantBaseType(
                name: baseName, precision: (object["Precision"] as? NSNumber)?.intValue ?? 0,
                scale: (object["Scale"] as? NSNumber)?.intValue ?? 0, maxLength: (object["MaxLength"] as? NSNumber)?.intValue ?? 0),
            let value = decode(postgresText: valueText, as: type), !value.isNull
        else { return nil }
        return .variant(type, value)
    }

    /// The base type `SQL_VARIANT_PROPERTY` describes: precision and scale for the exact numbers,
    /// the scale for the time types, `MaxLength` (bytes) for the character and binary types.
    static func variantBaseType(name: String, precision: Int, scale: Int, maxLength: Int) -> SQLServerType? {
        guard let base = SQLServerType.Base(rawValue: name) else { return nil }
        switch base {
        case .decimal, .numeric: return SQLServerType(base, precision: precision, scale: scale)
        case .time, .datetime2, .datetimeoffset: return SQLServerType(base, scale: scale)
        case .char, .varchar, .binary, .varbinary: return SQLServerType(base, length: .bounded(max(maxLength, 1)))
        case .nchar, .nvarchar: return SQLServerType(base, length: .bounded(max(maxLength / 2, 1)))
        case .tinyint, .smallint, .int, .bigint, .bit, .real, .float, .money, .smallmoney, .date, .datetime, .smalldatetime,
            .uniqueidentifier:
            return SQLServerType(base)
        default: return nil
        }
    }

    /// The stored `jsonb` text of a variant (what `sqlserver_catalog.variant_make` builds).
    static func variantPostgresText(type: SQLServerType, value: SQLServerValue) -> String {
        let valueText: String
        switch value {
        case .uniqueidentifier(let uuid): valueText = uuid.uuidString.uppercased()
        case .dateTimeOffset(let date, let time, let offset):
            valueText = "\(date) \(time) \(offset < 0 ? "-" : "+")" + String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60)
        default: valueText = value.postgresText ?? ""
        }
        let dataBytes: Int
        switch (type.base, value) {
        case (.nvarchar, .string(let text)): dataBytes = 2 * text.utf16.count
        case (.varchar, .string(let text)): dataBytes = text.utf8.count
        case (.varbinary, .binary(let bytes)): dataBytes = bytes.count
        default: dataBytes = type.maxLength
        }
        let propertyBytes: Int
        switch type.base {
        case .decimal, .numeric, .binary, .varbinary: propertyBytes = 2
        case .time, .datetime2, .datetimeoffset: propertyBytes = 1
        case .char, .varchar, .nchar, .nvarchar: propertyBytes = 7
        default: propertyBytes = 0
        }
        var object: [String: Any] = [
            "BaseType": type.base.rawValue, "Precision": type.variantPrecision, "Scale": type.variantScale,
            "MaxLength": type.maxLength, "TotalBytes": 2 + propertyBytes + dataBytes, "Value": valueText,
        ]
        object["Collation"] = type.isCharacter ? "SQL_Latin1_General_CP1_CI_AS" : NSNull()
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The base type SQL Server gives a value that arrives typed only by its Swift case (a
    /// `sql_variant` result column fed a plain value): the narrowest type that holds it exactly.
    func inferredVariantBaseType() -> SQLServerType? {
        switch self {
        case .null, .variant: return nil
        case .bit: return .bit
        case .integer(let value): return Int32(exactly: value) != nil ? .int : .bigint
        case .decimal(let text):
            guard let (unscaled, scale) = Self.parseDecimal(text) else { return nil }
            let digits = max(String(unscaled.magnitude).count, scale, 1)
            return .decimal(min(max(digits, scale), 38), scale)
        case .float: return .float
        case .string(let text): return .nvarchar(max(1, min(text.utf16.count, 4000)))
        case .binary(let bytes): return SQLServerType(.varbinary, length: .bounded(max(1, min(bytes.count, 8000))))
        case .uniqueidentifier: return .uniqueidentifier
        case .date: return SQLServerType(.date)
        case .time: return SQLServerType(.time, scale: 7)
        case .dateTime: return SQLServerType(.datetime2, scale: 7)
        case .dateTimeOffset: return SQLServerType(.datetimeoffset, scale: 7)
        }
    }
}
