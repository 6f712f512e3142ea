/// A DMS data type from a transformation rule's `data-type` block (`add-column`,
/// `change-data-type`): DMS's own type names with optional length, precision and scale.
///
/// Ferry writes PostgreSQL, so each type maps to the PostgreSQL type DMS's PostgreSQL target uses:
/// `boolean` → `boolean`, `bytes`/`blob` → `bytea`, `date` → `date`, `time` → `time`, `datetime` →
/// `timestamp(p)` (p = `precision`/`scale` up to 6, default 6), `int1`/`int2`/`uint1` → `smallint`,
/// `int4`/`uint2` → `integer`, `int8`/`uint4` → `bigint`, `uint8` → `numeric(20,0)`, `numeric` →
/// `numeric(p,s)` (default `numeric` unconstrained), `real4` → `real`, `real8` → `double precision`,
/// `string`/`wstring` → `varchar(length)` (`text` without a length), `clob`/`nclob` → `text`.
public struct TargetDataType: Hashable, Sendable, CustomStringConvertible {
    /// DMS's data type names.
    public enum Name: String, Hashable, Sendable, CaseIterable {
        case boolean, bytes, date, time, datetime
        case int1, int2, int4, int8, uint1, uint2, uint4, uint8
        case numeric, real4, real8, string, wstring, blob, clob, nclob
    }

    /// The type.
    public var name: Name
    /// `length` for `string`, `wstring` and `bytes`.
    public var length: Int?
    /// `precision` for `numeric` (digits) and `datetime` (fraction digits).
    public var precision: Int?
    /// `scale` for `numeric`, and for `datetime` when `precision` is absent.
    public var scale: Int?

    /// Makes a type.
    public init(_ name: Name, length: Int? = nil, precision: Int? = nil, scale: Int? = nil) {
        self.name = name
        self.length = length
        self.precision = precision
        self.scale = scale
    }

    /// The PostgreSQL column type this becomes on the target.
    public var postgreSQLDeclaration: String {
        switch name {
        case .boolean: return "boolean"
        case .bytes, .blob: return "bytea"
        case .date: return "date"
        case .time: return "time"
        case .datetime:
            let digits = min(precision ?? scale ?? 6, 6)
            return "timestamp(\(max(digits, 0)))"
        case .int1, .int2, .uint1: return "smallint"
        case .int4, .uint2: return "integer"
        case .int8, .uint4: return "bigint"
        case .uint8: return "numeric(20,0)"
        case .numeric:
            guard let precision else { return "numeric" }
            return "numeric(\(precision),\(scale ?? 0))"
        case .real4: return "real"
        case .real8: return "double precision"
        case .string, .wstring:
            guard let length, length > 0 else { return "text" }
            return "varchar(\(length))"
        case .clob, .nclob: return "text"
        }
    }

    /// `string(50)`, `numeric(10,2)`, `datetime(6)`, `int8`.
    public var description: String {
        var parameters: [Int] = []
        if let length { parameters.append(length) }
        if let precision { parameters.append(precision) }
        if let scale { parameters.append(scale) }
        return parameters.isEmpty ? name.rawValue : "\(name.rawValue)(\(parameters.map(String.init).joined(separator: ",")))"
    }

    /// Reads a `data-type` object: `type` required, `length`, `precision`, `scale` optional (as
    /// numbers or strings; an empty string means absent, as DMS's console writes `"scale": ""`).
    static func read(_ object: inout LenientObject) throws(TaskConfigurationError) -> TargetDataType {
        let typeName = try object.requiredString("type")
        guard let name = Name(rawValue: typeName.lowercased()) else {
            throw object.error("type", "is '\(typeName)', not a DMS data type (\(Name.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let length = try object.integer("length", in: 0...Int(Int32.max))
        let precision = try object.integer("precision", in: 0...38)
        let scale = try object.integer("scale", in: 0...38)
        if name == .numeric, let precision, let scale, scale > precision {
            throw object.error("scale", "is \(scale), larger than the precision \(precision)")
        }
        return TargetDataType(name, length: length, precision: precision, scale: scale)
    }
}
