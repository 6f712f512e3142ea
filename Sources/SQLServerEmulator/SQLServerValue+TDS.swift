import Foundation
public import TDSServer

extension SQLServerValue {
    /// The value as the TDS writer takes it for a column or return value of `type`.
    ///
    /// - Throws: ``SQLServerError`` 8115 when a decimal's text cannot be represented on the wire.
    public func tdsValue(as type: SQLServerType) throws -> TDSWireValue {
        if type.base == .sqlVariant, !isNull {
            // A sql_variant column: the value travels with its base type (SSVARIANT).
            if case .variant(let baseType, let value) = self {
                return .variant(baseType: baseType.tdsType, value: try value.tdsValue(as: baseType))
            }
            guard let baseType = inferredVariantBaseType() else {
                throw SQLServerError(code: .init(206), severity: 16, message: "Operand type clash: the value \(self) has no sql_variant base type", abortsBatch: true)
            }
            return .variant(baseType: baseType.tdsType, value: try tdsValue(as: baseType))
        }
        switch self {
        case .variant(let baseType, let value):
            // A variant in a column of another type (a CAST the engine left to the client).
            return try value.tdsValue(as: type.base == .sqlVariant ? baseType : type)
        case .null: return .null
        case .bit(let value): return .bit(value)
        case .integer(let value):
            // The writer refuses values that do not fit the column, so an overflow is reported, not cut.
            switch type.base {
            case .tinyint: if let small = UInt8(exactly: value) { return .tinyInt(small) }
            case .smallint: if let small = Int16(exactly: value) { return .smallInt(small) }
            case .int: if let small = Int32(exactly: value) { return .int(small) }
            default: break
            }
            return .bigInt(value)
        case .decimal(let text):
            guard let (unscaled, scale) = Self.parseDecimal(text) else {
                throw SQLServerError(code: .arithmeticOverflow, severity: 16, message: "Arithmetic overflow error converting '\(text)' for the client.")
            }
            if type.base == .money || type.base == .smallmoney {
                var tenThousandths = unscaled
                if scale < 4 {
                    for _ in scale..<4 { tenThousandths *= 10 }
                } else {
                    for _ in 4..<scale { tenThousandths /= 10 }
                }
                guard let money = Int64(exactly: tenThousandths) else {
                    throw SQLServerError(code: .arithmeticOverflow, severity: 16, message: "Arithmetic overflow error converting '\(text)' to data type money.")
                }
                return .money(tenThousandths: money)
            }
            return .decimal(unscaled: unscaled, scale: scale)
        case .float(let value): return type.base == .real ? .real(Float(value)) : .float(value)
        case .string(let value): return .string(value)
        case .binary(let bytes): return .bytes(bytes)
        case .uniqueidentifier(let uuid):
            // `uuid` holds the bytes in display order, which is what the writer takes.
            return .uniqueIdentifier(withUnsafeBytes(of: uuid.uuid) { Array($0) })
        case .date(let date): return .date(daysSinceJanuaryFirst0001: date.daysSinceJanuaryFirst0001)
        case .time(let time): return .time(hundredNanoseconds: time.hundredNanoseconds)
        case .dateTime(let date, let time):
            return .dateTime(daysSinceJanuaryFirst0001: date.daysSinceJanuaryFirst0001, hundredNanoseconds: time.hundredNanoseconds)
        case .dateTimeOffset(let date, let time, let offset):
            // TDS carries the UTC instant; the engine keeps local time.
            var utc = Int64(date.daysSinceJanuaryFirst0001) * TDSWireValue.hundredNanosecondsPerDay + time.hundredNanoseconds
            utc -= Int64(offset) * 600_000_000
            let (days, remainder) = Self.floorDivide(utc, TDSWireValue.hundredNanosecondsPerDay)
            return .dateTimeOffset(utcDaysSinceJanuaryFirst0001: Int(days), utcHundredNanoseconds: remainder, offsetMinutes: offset)
        }
    }

    /// The engine value of an RPC parameter the client sent.
    public init(tdsValue value: TDSWireValue) {
        switch value {
        case .null: self = .null
        case .tinyInt(let value): self = .integer(Int64(value))
        case .smallInt(let value): self = .integer(Int64(value))
        case .int(let value): self = .integer(Int64(value))
        case .bigInt(let value): self = .integer(value)
        case .bit(let value): self = .bit(value)
        case .real(let value): self = .float(Double(value))
        case .float(let value): self = .float(value)
        case .decimal(let unscaled, let scale): self = .decimal(Self.decimalText(unscaled: unscaled, scale: scale))
        case .money(let tenThousandths): self = .decimal(Self.decimalText(unscaled: Int128(tenThousandths), scale: 4))
        case .date(let days): self = .date(SQLServerDate(daysSinceJanuaryFirst0001: days))
        case .time(let ticks): self = .time(SQLServerTime(hundredNanoseconds: ticks))
        case .dateTime(let days, let ticks): self = .dateTime(SQLServerDate(daysSinceJanuaryFirst0001: days), SQLServerTime(hundredNanoseconds: ticks))
        case .dateTimeOffset(let days, let ticks, let offset):
            let local = Int64(days) * TDSWireValue.hundredNanosecondsPerDay + ticks + Int64(offset) * 600_000_000
            let (localDays, localTicks) = Self.floorDivide(local, TDSWireValue.hundredNanosecondsPerDay)
            self = .dateTimeOffset(SQLServerDate(daysSinceJanuaryFirst0001: Int(localDays)), SQLServerTime(hundredNanoseconds: localTicks), offsetMinutes: offset)
        case .string(let text): self = .string(text)
        case .bytes(let bytes): self = .binary(bytes)
        case .variant(let baseType, let value):
            self = .variant(SQLServerType(tdsType: baseType), SQLServerValue(tdsValue: value))
        case .uniqueIdentifier(let bytes):
            if bytes.count == 16 {
                let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                       bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
                self = .uniqueidentifier(uuid)
            } else {
                self = .binary(bytes)
            }
        }
    }

    /// `-12.340` → (-12340, 3); nil for anything but plain decimal notation within 38 digits.
    static func parseDecimal(_ text: String) -> (Int128, Int)? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, parts.count <= 2 else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        let all = whole + fraction
        guard !all.isEmpty, all.count <= 39, all.allSatisfy(\.isASCII), all.allSatisfy(\.isNumber) else { return nil }
        guard let unscaled = Int128(String(all)) else { return nil }
        return (negative ? -unscaled : unscaled, fraction.count)
    }

    /// (12340, 3) → `12.340`.
    static func decimalText(unscaled: Int128, scale: Int) -> String {
        let magnitude = String(unscaled.magnitude)
        let sign = unscaled < 0 ? "-" : ""
        guard scale > 0 else { return sign + magnitude }
        let padded = String(repeating: "0", count: max(0, scale + 1 - magnitude.count)) + magnitude
        return sign + padded.dropLast(scale) + "." + padded.suffix(scale)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}

extension SQLServerDate {
    /// Days since 0001-01-01 in the proleptic Gregorian calendar, as TDS counts them.
    var daysSinceJanuaryFirst0001: Int {
        // Count from 1 March so the leap day falls at the end of the counting year.
        let shiftedYear = month <= 2 ? year - 1 : year
        let shiftedMonth = month <= 2 ? month + 9 : month - 3
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let daysBeforeYear = 365 * shiftedYear + shiftedYear / 4 - shiftedYear / 100 + shiftedYear / 400
        // 0001-01-01 is day 306 of shifted year 0.
        return daysBeforeYear + dayOfYear - 306
    }

    /// The date `days` after 0001-01-01.
    init(daysSinceJanuaryFirst0001 days: Int) {
        let shifted = days + 306
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }
}

extension SQLServerTime {
    /// The time of day in 100 ns units.
    var hundredNanoseconds: Int64 {
        Int64(hour * 3600 + minute * 60 + second) * 10_000_000 + Int64(nanoseconds / 100)
    }

    /// The time `ticks` 100 ns units after midnight.
    init(hundredNanoseconds ticks: Int64) {
        let seconds = Int(ticks / 10_000_000)
        self.init(hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60, nanoseconds: Int(ticks % 10_000_000) * 100)
    }
}
