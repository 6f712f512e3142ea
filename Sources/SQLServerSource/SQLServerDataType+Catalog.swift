public import FerryCore

extension SQLServerDataType {
    /// The type of a `sys.columns` row: the system type name (`sys.types.name` of the column's
    /// `system_type_id`) with `max_length` in bytes (−1 for `(max)`), `precision` and `scale`.
    public static func fromCatalog(typeName: String, maxLength: Int, precision: Int, scale: Int) throws(SourceError) -> SQLServerDataType {
        let lowered = typeName.lowercased()
        let nameText = lowered == "timestamp" ? "rowversion" : lowered
        guard let name = Name(rawValue: nameText) else {
            throw SourceError(.valueConversion, "the column type '\(typeName)' is not one Ferry can capture", context: ["type": typeName])
        }
        do {
            switch name {
            case .char, .varchar, .binary, .varbinary:
                return try SQLServerDataType(name, length: maxLength == -1 ? .max : .limited(maxLength))
            case .nchar, .nvarchar:
                return try SQLServerDataType(name, length: maxLength == -1 ? .max : .limited(maxLength / 2))
            case .decimal, .numeric:
                return try SQLServerDataType(name, precision: precision, scale: scale)
            case .time, .datetime2, .datetimeoffset:
                return try SQLServerDataType(name, scale: scale)
            default:
                return try SQLServerDataType(name)
            }
        } catch {
            throw SourceError(.valueConversion, "the column type '\(typeName)' (max_length \(maxLength), precision \(precision), scale \(scale)) is invalid: \(error.message)",
                              context: ["type": typeName])
        }
    }
}
