import struct Foundation.UUID
import struct Foundation.Data

/// How column values are written in an event: Ferry's own encoding, or Debezium's (read only).
enum ValueFlavor: Sendable {
    /// Ferry's lossless encoding (see docs/types.md).
    case ferry
    /// Debezium's SQL Server connector defaults (adaptive time precision, precise decimals as
    /// base64 bytes), refined by the field's Kafka Connect schema when the event carries one.
    case debezium(DebeziumFieldSchema?)
}

/// The Kafka Connect schema of one field, as Debezium writes it in an event's `schema` part.
struct DebeziumFieldSchema: Hashable, Sendable {
    var type: String
    var name: String?
    var parameters: [String: String]
}

/// Converts one column value to and from its JSON form, given the column's SQL Server type.
enum ValueJSONCoder {
    /// The member that marks a large value the source did not capture: `{"__ferry_unchanged":true}`.
    static let unchangedMarker = "__ferry_unchanged"
    /// Debezium's placeholder for a value it could not read (`unavailable.value.placeholder`).
    static let debeziumUnavailablePlaceholder = "__debezium_unavailable_value"

    // MARK: Encoding (Ferry's format)

    static func encode(_ value: ColumnValue, as type: SQLServerDataType) throws(FerryCoreError) -> JSONValue {
        func mismatch() -> FerryCoreError {
            FerryCoreError(.typeMismatch, "a \(caseName(value)) value cannot be written to a \(type) column", context: ["type": type.description])
        }
        func outOfRange(_ why: String) -> FerryCoreError {
            FerryCoreError(.valueOutOfRange, "\(why) for a \(type) column", context: ["type": type.description])
        }
        switch value {
        case .null: return .null
        case .unchanged:
            guard type.isLargeObject else { throw FerryCoreError(.typeMismatch, "only large-object columns may be unchanged, not a \(type) column", context: ["type": type.description]) }
            return .object([JSONValue.Member(unchangedMarker, .bool(true))])
        default: break
        }
        switch (type.category, value) {
        case (.boolean, .bool(let b)):
            return .bool(b)
        case (.integer, .int(let n)):
            guard type.integerRange!.contains(n) else { throw outOfRange("\(n) is out of range") }
            return .integer(n)
        case (.approximateNumeric, .real(let f)) where type.name == .real:
            guard f.isFinite else { throw outOfRange("\(f) is not finite") }
            return .number(f.description)
        case (.approximateNumeric, .float(let d)) where type.name == .float:
            guard d.isFinite else { throw outOfRange("\(d) is not finite") }
            return .number(d.description)
        case (.exactNumeric, .decimal(let d)):
            let fitted = try fitDecimal(d, to: type)
            return .string(text { fitted.appendDescription(to: &$0) })
        case (.date, .date(let d)):
            return .string(text { d.appendDescription(to: &$0) })
        case (.time, .time(let t)):
            let digits = type.effectiveScale!
            guard t.fits(fractionDigits: digits) else { throw outOfRange("\(t) has more than \(digits) fractional-second digits") }
            return .string(text { t.appendFormatted(fractionDigits: digits, to: &$0) })
        case (.dateTime, .dateTime(let v)):
            try checkDateTimeRange(v, type: type)
            let digits = type.effectiveScale!
            return .string(text { v.appendFormatted(fractionDigits: digits, to: &$0) })
        case (.dateTimeOffset, .dateTimeOffset(let v)):
            let digits = type.effectiveScale!
            guard v.local.time.fits(fractionDigits: digits) else { throw outOfRange("\(v) has more than \(digits) fractional-second digits") }
            return .string(v.formatted(fractionDigits: digits))
        case (.characterString, .string(let s)), (.hierarchyID, .string(let s)):
            return .string(s)
        case (.binaryString, .bytes(let b)):
            return .string(Data(b).base64EncodedString())
        case (.uniqueIdentifier, .guid(let u)):
            return .string(u.uuidString)
        case (.spatial, .spatial(let srid, let wkb)):
            return .object([JSONValue.Member("wkb", .string(Data(wkb).base64EncodedString())), JSONValue.Member("srid", .integer(srid))])
        case (.variant, .variant(let baseType, let inner)):
            guard baseType.name != .sqlVariant, !baseType.isLargeObject, !inner.isNull, inner != .unchanged else {
                throw FerryCoreError(.typeMismatch, "a sql_variant cannot hold a \(baseType) value or \(caseName(inner))", context: ["type": type.description])
            }
            return .object([JSONValue.Member("type", .string(baseType.description)), JSONValue.Member("value", try encode(inner, as: baseType))])
        default:
            throw mismatch()
        }
    }

    /// The decimal at the column's scale, checked against its precision and (for money) its range.
    static func fitDecimal(_ d: ExactDecimal, to type: SQLServerDataType) throws(FerryCoreError) -> ExactDecimal {
        let scale = type.effectiveScale!
        guard let fitted = d.rescaled(to: scale) else {
            throw FerryCoreError(.valueOutOfRange, "\(d) does not fit scale \(scale) without rounding for a \(type) column", context: ["type": type.description])
        }
        switch type.name {
        case .money:
            guard fitted.unscaled >= Int128(Int64.min), fitted.unscaled <= Int128(Int64.max) else {
                throw FerryCoreError(.valueOutOfRange, "\(d) is outside money's range -922337203685477.5808 … 922337203685477.5807", context: ["type": type.description])
            }
        case .smallmoney:
            guard fitted.unscaled >= Int128(Int32.min), fitted.unscaled <= Int128(Int32.max) else {
                throw FerryCoreError(.valueOutOfRange, "\(d) is outside smallmoney's range -214748.3648 … 214748.3647", context: ["type": type.description])
            }
        default:
            guard fitted.precision <= type.exactPrecision! else {
                throw FerryCoreError(.valueOutOfRange, "\(d) has more than \(type.exactPrecision!) digits for a \(type) column", context: ["type": type.description])
            }
        }
        return fitted
    }

    /// Checks a date-time against its column type's range and precision.
    static func checkDateTimeRange(_ v: SQLDateTime, type: SQLServerDataType) throws(FerryCoreError) {
        func fail(_ why: String) -> FerryCoreError {
            FerryCoreError(.valueOutOfRange, "\(v) \(why) for a \(type) column", context: ["type": type.description])
        }
        switch type.name {
        case .datetime:
            guard v.date >= SQLDate(year: 1753, month: 1, day: 1)! else { throw fail("is before 1753-01-01") }
            guard v.time.fits(fractionDigits: 3) else { throw fail("is not whole milliseconds (SQL Server prints datetime as .000/.003/.007)") }
        case .smalldatetime:
            guard v.date >= SQLDate(year: 1900, month: 1, day: 1)!, v.date <= SQLDate(year: 2079, month: 6, day: 6)! else { throw fail("is outside 1900-01-01 … 2079-06-06") }
            guard v.time.ticks % (60 * SQLTime.ticksPerSecond) == 0 else { throw fail("is not a whole minute") }
        default:
            let digits = type.effectiveScale!
            guard v.time.fits(fractionDigits: digits) else { throw fail("has more than \(digits) fractional-second digits") }
        }
    }

    static func caseName(_ value: ColumnValue) -> String {
        switch value {
        case .null: return "NULL"
        case .unchanged: return "unchanged"
        case .bool: return "bool"
        case .int: return "int"
        case .real: return "real"
        case .float: return "float"
        case .decimal: return "decimal"
        case .date: return "date"
        case .time: return "time"
        case .dateTime: return "dateTime"
        case .dateTimeOffset: return "dateTimeOffset"
        case .guid: return "guid"
        case .bytes: return "bytes"
        case .string: return "string"
        case .spatial: return "spatial"
        case .variant: return "variant"
        }
    }
}
