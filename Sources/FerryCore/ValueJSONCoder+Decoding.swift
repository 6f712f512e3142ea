import struct Foundation.Data
import struct Foundation.UUID

extension ValueJSONCoder {
    /// Reads one column value written in `flavor` for a column of `type`.
    static func decode(_ json: JSONValue, as type: SQLServerDataType, flavor: ValueFlavor) throws(FerryCoreError) -> ColumnValue {
        func expected(_ what: String) -> FerryCoreError {
            FerryCoreError(.invalidField, "expected \(what) for a \(type) column, found \(json.kindName)", context: ["type": type.description])
        }
        if json == .null { return .null }
        if case .object(let members) = json, members.count == 1, members[0].key == unchangedMarker {
            guard members[0].value == .bool(true), type.isLargeObject else { throw expected("a value (only large-object columns may be unchanged)") }
            return .unchanged
        }
        var debeziumField: DebeziumFieldSchema? = nil
        if case .debezium(let field) = flavor {
            debeziumField = field
            if type.isLargeObject, case .string(let text) = json {
                if text == debeziumUnavailablePlaceholder { return .unchanged }
                if type.category == .binaryString, Data(base64Encoded: text).map(Array.init) == Array(debeziumUnavailablePlaceholder.utf8) { return .unchanged }
            }
        }
        let isDebezium = { if case .debezium = flavor { return true } else { return false } }()

        switch type.category {
        case .boolean:
            guard case .bool(let b) = json else { throw expected("true or false") }
            return .bool(b)
        case .integer:
            guard case .number(let text) = json, let n = Int64(text) else { throw expected("an integer") }
            guard type.integerRange!.contains(n) else { throw FerryCoreError(.valueOutOfRange, "\(n) is out of range for a \(type) column", context: ["type": type.description]) }
            return .int(n)
        case .approximateNumeric:
            guard case .number(let text) = json else { throw expected("a number") }
            if type.name == .real {
                guard let f = Float(text), f.isFinite else { throw expected("a real number") }
                return .real(f)
            }
            guard let d = Double(text), d.isFinite else { throw expected("a float number") }
            return .float(d)
        case .exactNumeric:
            let decimal: ExactDecimal
            switch json {
            case .string(let text) where !isDebezium || debeziumField?.type == "string":
                guard let d = ExactDecimal(text) else { throw expected("a decimal string such as \"-12.3400\"") }
                decimal = d
            case .string(let text):
                // Debezium's precise mode: the unscaled value as big-endian two's complement, base64.
                let scale = debeziumField?.parameters["scale"].flatMap { Int($0) } ?? type.effectiveScale!
                guard let bytes = Data(base64Encoded: text), let unscaled = twosComplement(Array(bytes)),
                      let d = ExactDecimal(unscaled: unscaled, scale: scale)
                else { throw expected("base64 bytes of a decimal's unscaled value (Debezium precise mode)") }
                decimal = d
            case .number(let text) where isDebezium:
                guard let d = ExactDecimal(text) else { throw expected("a plain decimal number (Debezium double mode, no exponent)") }
                decimal = d
            default:
                throw expected(isDebezium ? "a decimal" : "a decimal string such as \"-12.3400\"")
            }
            return .decimal(try fitDecimal(decimal, to: type))
        case .date:
            if isDebezium, case .number(let text) = json {
                guard let days = Int64(text), let d = SQLDate(daysSinceEpoch: days) else { throw expected("days since 1970-01-01 within 0001–9999") }
                return .date(d)
            }
            guard case .string(let text) = json, let d = SQLDate(text) else { throw expected("a date \"YYYY-MM-DD\"") }
            return .date(d)
        case .time:
            if isDebezium, case .number(let text) = json {
                guard let count = Int64(text), let ticks = debeziumTicks(count, unit: debeziumTimeUnit(type, debeziumField)),
                      let t = SQLTime(ticks: ticks)
                else { throw expected("a time of day since midnight in Debezium's unit") }
                return .time(t)
            }
            guard case .string(let text) = json, let t = SQLTime(text) else { throw expected("a time \"HH:MM:SS.fffffff\"") }
            guard t.fits(fractionDigits: type.effectiveScale!) else { throw FerryCoreError(.valueOutOfRange, "\(text) has more fractional digits than a \(type) column holds", context: ["type": type.description]) }
            return .time(t)
        case .dateTime:
            let v: SQLDateTime
            if isDebezium, case .number(let text) = json {
                guard let count = Int64(text), let ticks = debeziumTicks(count, unit: debeziumTimeUnit(type, debeziumField)),
                      let value = SQLDateTime(ticksSinceEpoch: ticks)
                else { throw expected("a timestamp since 1970-01-01 in Debezium's unit") }
                v = value
            } else {
                guard case .string(let text) = json, let value = SQLDateTime(text) else { throw expected("a date-time \"YYYY-MM-DDTHH:MM:SS.fffffff\"") }
                v = value
            }
            try checkDateTimeRange(v, type: type)
            return .dateTime(v)
        case .dateTimeOffset:
            guard case .string(let text) = json, let v = SQLDateTimeOffset(text) else { throw expected("a date-time with offset \"YYYY-MM-DDTHH:MM:SS.fffffff+HH:MM\"") }
            guard v.local.time.fits(fractionDigits: type.effectiveScale!) else { throw FerryCoreError(.valueOutOfRange, "\(text) has more fractional digits than a \(type) column holds", context: ["type": type.description]) }
            return .dateTimeOffset(v)
        case .characterString, .hierarchyID:
            guard case .string(let s) = json else { throw expected("a string") }
            return .string(s)
        case .binaryString:
            guard case .string(let text) = json, let bytes = Data(base64Encoded: text) else { throw expected("base64 text") }
            return .bytes(Array(bytes))
        case .uniqueIdentifier:
            guard case .string(let text) = json, text.utf8.count == 36, let u = UUID(uuidString: text) else { throw expected("a GUID \"XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX\"") }
            return .guid(u)
        case .spatial:
            guard case .object(let members) = json, members.count == 2,
                  case .number(let sridText)? = json["srid"], let srid = Int32(sridText),
                  case .string(let wkbText)? = json["wkb"], let wkb = Data(base64Encoded: wkbText)
            else { throw expected("{\"srid\": integer, \"wkb\": base64}") }
            return .spatial(srid: srid, wellKnownBinary: Array(wkb))
        case .variant:
            guard !isDebezium else {
                throw FerryCoreError(.typeMismatch, "Debezium does not capture sql_variant columns", context: ["type": type.description])
            }
            guard case .object(let members) = json, members.count == 2, case .string(let declaration)? = json["type"], let inner = json["value"] else {
                throw expected("{\"type\": declaration, \"value\": value}")
            }
            let baseType = try SQLServerDataType(declaration: declaration)
            guard baseType.name != .sqlVariant, !baseType.isLargeObject, inner != .null else { throw expected("a sql_variant base type and a non-null value") }
            return .variant(baseType, try decode(inner, as: baseType, flavor: .ferry))
        }
    }

    /// A big-endian two's-complement integer of at most 16 bytes (Java's `BigInteger.toByteArray`).
    static func twosComplement(_ bytes: [UInt8]) -> Int128? {
        guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
        var value: Int128 = (bytes[0] & 0x80) != 0 ? -1 : 0
        for byte in bytes { value = (value << 8) | Int128(byte) }
        return value
    }

    /// Debezium's unit for a temporal number, in nanoseconds: from the field's semantic name when the
    /// event has a schema, else the `adaptive` default (precision 0–3 → ms, 4–6 → µs, 7 → ns;
    /// `datetime` and `smalldatetime` → ms).
    static func debeziumTimeUnit(_ type: SQLServerDataType, _ field: DebeziumFieldSchema?) -> Int64 {
        switch field?.name {
        case "io.debezium.time.Time", "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Time", "org.apache.kafka.connect.data.Timestamp": return 1_000_000
        case "io.debezium.time.MicroTime", "io.debezium.time.MicroTimestamp": return 1_000
        case "io.debezium.time.NanoTime", "io.debezium.time.NanoTimestamp": return 1
        default: break
        }
        if type.name == .datetime || type.name == .smalldatetime { return 1_000_000 }
        switch type.effectiveScale ?? 7 {
        case 0...3: return 1_000_000
        case 4...6: return 1_000
        default: return 1
        }
    }

    /// `count` units of `nanosecondsPerUnit` as 100 ns ticks; `nil` on overflow or a sub-tick remainder.
    static func debeziumTicks(_ count: Int64, unit nanosecondsPerUnit: Int64) -> Int64? {
        if nanosecondsPerUnit == 1 {
            guard count % 100 == 0 else { return nil }
            return count / 100
        }
        let (ticks, overflow) = count.multipliedReportingOverflow(by: nanosecondsPerUnit / 100)
        return overflow ? nil : ticks
    }
}
