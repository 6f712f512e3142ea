public import FerryCore
public import FreeTDS
import struct Foundation.UUID

/// Converts values as FreeTDS decodes them into Ferry's typed ``ColumnValue``s, exactly: decimals
/// rescaled without rounding, `datetime` at SQL Server's printed milliseconds, 100 ns times.
public enum ValueConverter {
    /// The value of one column of type `type`; throws if the value does not fit the type.
    public static func convert(_ value: TDSValue, to type: SQLServerDataType) throws(SourceError) -> ColumnValue {
        func mismatch() -> SourceError {
            SourceError(.valueConversion, "a \(kind(value)) value cannot be read as \(type)", context: ["type": type.description])
        }
        if case .null = value { return .null }
        switch type.category {
        case .boolean:
            switch value {
            case .bit(let b): return .bool(b)
            default:
                guard let n = value.int64Value, n == 0 || n == 1 else { throw mismatch() }
                return .bool(n == 1)
            }
        case .integer:
            if case .bit = value { throw mismatch() }
            guard let n = value.int64Value else { throw mismatch() }
            guard type.integerRange!.contains(n) else {
                throw SourceError(.valueConversion, "\(n) is out of range for \(type)", context: ["type": type.description])
            }
            return .int(n)
        case .exactNumeric:
            let decimal: ExactDecimal?
            switch value {
            case .decimal(let d): decimal = ExactDecimal(unscaled: d.unscaledValue, scale: d.scale)
            case .money(let m): decimal = ExactDecimal(unscaled: Int128(m.tenThousandths), scale: 4)
            case .tinyInt, .smallInt, .int, .bigInt: decimal = ExactDecimal(unscaled: Int128(value.int64Value!), scale: 0)
            default: throw mismatch()
            }
            guard let decimal, let fitted = decimal.rescaled(to: type.effectiveScale!) else {
                throw SourceError(.valueConversion, "\(value) does not fit \(type) without rounding", context: ["type": type.description])
            }
            return .decimal(fitted)
        case .approximateNumeric:
            switch (type.name, value) {
            case (.real, .real(let f)): return .real(f)
            case (.real, .float(let d)): return .real(Float(d))
            case (.float, .float(let d)): return .float(d)
            case (.float, .real(let f)): return .float(Double(f))
            default: throw mismatch()
            }
        case .date:
            switch value {
            case .date(let d): return .date(try date(d))
            case .dateTime(let dt): return .date(try date(dt.date))
            default: throw mismatch()
            }
        case .time:
            switch value {
            case .time(let t): return .time(try time(t.nanosecondsSinceMidnight))
            case .dateTime(let dt): return .time(try time(dt.time.nanosecondsSinceMidnight))
            default: throw mismatch()
            }
        case .dateTime:
            guard case .dateTime(let dt) = value else { throw mismatch() }
            var nanoseconds = dt.time.nanosecondsSinceMidnight
            var day = try date(dt.date)
            switch type.name {
            case .datetime:
                // datetime counts 1/300 s; SQL Server prints it at whole milliseconds (.003, .007).
                nanoseconds = (nanoseconds + 500_000) / 1_000_000 * 1_000_000
            case .smalldatetime:
                nanoseconds = nanoseconds / 60_000_000_000 * 60_000_000_000
            default:
                break
            }
            if nanoseconds >= TDSTime.nanosecondsPerDay {
                nanoseconds -= TDSTime.nanosecondsPerDay
                guard let next = SQLDate(daysSinceEpoch: day.daysSinceEpoch + 1) else { throw mismatch() }
                day = next
            }
            return .dateTime(SQLDateTime(date: day, time: try time(nanoseconds)))
        case .dateTimeOffset:
            guard case .dateTimeOffset(let o) = value else { throw mismatch() }
            let local = o.local
            let localValue = SQLDateTime(date: try date(local.date), time: try time(local.time.nanosecondsSinceMidnight))
            guard let result = SQLDateTimeOffset(local: localValue, offsetMinutes: o.offsetMinutes) else { throw mismatch() }
            return .dateTimeOffset(result)
        case .characterString:
            switch value {
            case .string(let s): return .string(s)
            default: throw mismatch()
            }
        case .binaryString:
            switch value {
            case .bytes(let b): return .bytes(b)
            default: throw mismatch()
            }
        case .uniqueIdentifier:
            switch value {
            case .uniqueIdentifier(let g):
                guard let uuid = UUID(uuidString: g.uuidString) else { throw mismatch() }
                return .guid(uuid)
            case .string(let s):
                guard let uuid = UUID(uuidString: s) else { throw mismatch() }
                return .guid(uuid)
            default: throw mismatch()
            }
        case .hierarchyID:
            // Selected as CAST(col AS nvarchar(4000)): hierarchyid::ToString().
            guard case .string(let s) = value else { throw mismatch() }
            return .string(s)
        case .spatial, .variant:
            // These need their companion columns: see ColumnProjection.
            throw mismatch()
        }
    }

    /// A spatial value from its `AsBinaryZM()` bytes and `STSrid`.
    public static func spatial(wellKnownBinary: TDSValue, srid: TDSValue) throws(SourceError) -> ColumnValue {
        if wellKnownBinary.isNull { return .null }
        guard case .bytes(let wkb) = wellKnownBinary, let id = srid.int64Value, let srid32 = Int32(exactly: id) else {
            throw SourceError(.valueConversion, "a spatial value needs its well-known binary and SRID, got \(kind(wellKnownBinary)) and \(kind(srid))")
        }
        return .spatial(srid: srid32, wellKnownBinary: wkb)
    }

    /// A `sql_variant` value from what ``ColumnProjection`` selects: the raw value (db-lib's
    /// buffer for the base type, as `.bytes`, or an already decoded value), the text of a
    /// `decimal`, `numeric` or character base type, and the `SQL_VARIANT_PROPERTY` BaseType,
    /// Precision, Scale and MaxLength. Every base type arrives exactly: decimals at their scale,
    /// floats bit for bit, 100 ns times, the offset of a `datetimeoffset`, binary and GUID bytes.
    public static func variant(value: TDSValue, text: TDSValue = .null, baseType: TDSValue, precision: TDSValue, scale: TDSValue,
                               maxLength: TDSValue) throws(SourceError) -> ColumnValue {
        if value.isNull && text.isNull { return .null }
        guard case .string(let name) = baseType else {
            throw SourceError(.valueConversion, "a sql_variant value came without its base type")
        }
        let type = try SQLServerDataType.fromCatalog(typeName: name, maxLength: Int(maxLength.int64Value ?? 0),
                                                     precision: Int(precision.int64Value ?? 0), scale: Int(scale.int64Value ?? 0))
        func unreadable(_ problem: String) -> SourceError {
            SourceError(.valueConversion, "a sql_variant \(type) value \(problem)", context: ["type": type.description])
        }
        if case .string(let text) = text {
            switch type.category {
            case .characterString:
                return .variant(type, .string(text))
            case .exactNumeric:
                guard let decimal = ExactDecimal(text), let fitted = decimal.rescaled(to: type.effectiveScale ?? 0) else {
                    throw unreadable("'\(text.prefix(64))' is not an exact number at its scale")
                }
                return .variant(type, .decimal(fitted))
            default:
                throw unreadable("arrived as text")
            }
        }
        guard case .bytes(let bytes) = value, let layout = variantLayout(of: type) else {
            return .variant(type, try convert(value, to: type))
        }
        let decoded: TDSValue
        do { decoded = try TDSValue(decoding: bytes, as: layout) } catch {
            throw unreadable("cannot be decoded from its \(bytes.count) bytes: \(error.message)")
        }
        return .variant(type, try convert(decoded, to: type))
    }

    /// The db-lib type whose buffer layout a raw `sql_variant` of base type `type` has; nil when
    /// the raw bytes are the value (`binary`, `varbinary`).
    static func variantLayout(of type: SQLServerDataType) -> TDSDataType? {
        switch type.name {
        case .tinyint: .tinyInt
        case .smallint: .smallInt
        case .int: .int
        case .bigint: .bigInt
        case .bit: .bit
        case .real: .real
        case .float: .float
        case .money: .money
        case .smallmoney: .smallMoney
        case .datetime: .dateTime
        case .smalldatetime: .smallDateTime
        case .date: .date
        case .time: .time
        case .datetime2: .dateTime2
        case .datetimeoffset: .dateTimeOffset
        case .uniqueidentifier: .uniqueIdentifier
        default: nil
        }
    }

    private static func date(_ d: TDSDate) throws(SourceError) -> SQLDate {
        guard let result = SQLDate(year: d.year, month: d.month, day: d.day) else {
            throw SourceError(.valueConversion, "\(d) is not a valid date")
        }
        return result
    }

    private static func time(_ nanoseconds: Int64) throws(SourceError) -> SQLTime {
        guard nanoseconds % 100 == 0, let result = SQLTime(ticks: nanoseconds / 100) else {
            throw SourceError(.valueConversion, "\(nanoseconds) ns since midnight is not a time exact to 100 ns")
        }
        return result
    }

    static func kind(_ value: TDSValue) -> String {
        switch value {
        case .null: "NULL"
        case .tinyInt: "tinyint"
        case .smallInt: "smallint"
        case .int: "int"
        case .bigInt: "bigint"
        case .bit: "bit"
        case .decimal: "decimal"
        case .money: "money"
        case .real: "real"
        case .float: "float"
        case .string: "string"
        case .bytes: "binary"
        case .date: "date"
        case .time: "time"
        case .dateTime: "datetime"
        case .dateTimeOffset: "datetimeoffset"
        case .uniqueIdentifier: "uniqueidentifier"
        }
    }
}
