import FerryCore

/// `sys.types`, to turn a column's `system_type_id`/`user_type_id`/length/precision/scale into a
/// ``SQLServerDataType`` with its alias name.
struct CatalogTypes {
    struct Entry {
        var userTypeID: Int
        var systemTypeID: Int
        var name: String
        var schema: String
        var isUserDefined: Bool
        var isNullable: Bool
        var maxLength: Int
        var precision: Int
        var scale: Int
    }

    var entries: [Int: Entry] = [:]

    /// The alias types: user-defined entries whose base is a system type Ferry knows.
    var aliases: [CatalogAliasType] {
        entries.values.compactMap { entry in
            guard entry.isUserDefined, let base = systemType(
                systemTypeID: entry.systemTypeID, userTypeID: entry.systemTypeID, maxLength: entry.maxLength,
                precision: entry.precision, scale: entry.scale)
            else { return nil }
            return CatalogAliasType(schema: entry.schema, name: entry.name, baseType: base, isNullable: entry.isNullable)
        }
    }

    /// The type of a column; `nil` for a type Ferry does not know (a CLR user type, a table type).
    func columnType(systemTypeID: Int, userTypeID: Int, maxLength: Int, precision: Int, scale: Int) -> SQLServerDataType? {
        guard let entry = entries[userTypeID] else {
            return systemType(systemTypeID: systemTypeID, userTypeID: systemTypeID, maxLength: maxLength, precision: precision, scale: scale)
        }
        if entry.isUserDefined {
            guard var type = systemType(systemTypeID: systemTypeID, userTypeID: systemTypeID, maxLength: maxLength, precision: precision, scale: scale)
            else { return nil }
            type.aliasName = "\(entry.schema).\(entry.name)"
            return type
        }
        return systemType(systemTypeID: systemTypeID, userTypeID: userTypeID, maxLength: maxLength, precision: precision, scale: scale)
    }

    /// The system type by its `sys.types` name, with the column's parameters.
    func systemType(systemTypeID: Int, userTypeID: Int, maxLength: Int, precision: Int, scale: Int) -> SQLServerDataType? {
        let fallbackNames = [
            34: "image", 35: "text", 36: "uniqueidentifier", 40: "date", 41: "time", 42: "datetime2", 43: "datetimeoffset",
            48: "tinyint", 52: "smallint", 56: "int", 58: "smalldatetime", 59: "real", 60: "money", 61: "datetime", 62: "float",
            98: "sql_variant", 99: "ntext", 104: "bit", 106: "decimal", 108: "numeric", 122: "smallmoney", 127: "bigint",
            165: "varbinary", 167: "varchar", 173: "binary", 175: "char", 189: "timestamp", 231: "nvarchar", 239: "nchar", 241: "xml",
            128: "hierarchyid", 129: "geometry", 130: "geography", 256: "sysname",
        ]
        guard let spelled = (entries[userTypeID].map(\.name) ?? fallbackNames[userTypeID])?.lowercased() else { return nil }
        if spelled == "sysname" { return try? SQLServerDataType(.nvarchar, length: .limited(128)) }
        let synonyms: [String: SQLServerDataType.Name] = ["timestamp": .rowversion]
        guard let name = SQLServerDataType.Name(rawValue: spelled) ?? synonyms[spelled] else { return nil }
        switch name {
        case .char, .varchar, .binary, .varbinary:
            return try? SQLServerDataType(name, length: maxLength == -1 ? .max : .limited(maxLength))
        case .nchar, .nvarchar:
            return try? SQLServerDataType(name, length: maxLength == -1 ? .max : .limited(maxLength / 2))
        case .decimal, .numeric:
            return try? SQLServerDataType(name, precision: precision, scale: scale)
        case .time, .datetime2, .datetimeoffset:
            return try? SQLServerDataType(name, scale: scale)
        case .float:
            return try? SQLServerDataType(precision > 0 && precision <= 24 ? .real : .float)
        default:
            return try? SQLServerDataType(name)
        }
    }
}
