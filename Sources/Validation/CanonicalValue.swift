public import FerryCore
public import FreeTDS

/// Puts a value from either side in one text form, so that a source value and the target value
/// replication made of it compare equal exactly when nothing was lost or changed.
///
/// The form follows the type mapping of docs/types.md: where the target type is narrower by design
/// (PostgreSQL keeps microseconds, so `datetime2(7)` loses its 100 ns digit; `timestamptz` keeps
/// the instant, not the offset), both sides are brought to what the target can hold, so a lossless
/// replication validates. `nil` is SQL `NULL`.
public enum CanonicalValue {
    /// The canonical form of a value read from SQL Server through FreeTDS.
    public static func source(_ value: TDSValue, type: SQLServerDataType) throws(ValidationError) -> String? {
        switch value {
        case .null: return nil
        case .bit(let bit): return bit ? "1" : "0"
        case .tinyInt, .smallInt, .int, .bigInt:
            return String(value.int64Value!)
        case .decimal(let decimal): return trimmedDecimal(decimal.description)
        case .money(let money): return trimmedDecimal(money.description)
        case .real(let real): return real.description
        case .float(let double): return double.description
        case .string(let text):
            return isPadded(type) ? trimmingTrailingSpaces(text) : text
        case .bytes(let bytes): return hex(bytes)
        case .date(let date): return date.description
        case .time(let time): return clock(nanoseconds: time.nanosecondsSinceMidnight, type: type)
        case .dateTime(let dateTime):
            return dateTimeText(days: dateTime.date.daysSinceJanuaryFirst0001, nanoseconds: dateTime.time.nanosecondsSinceMidnight, type: type)
        case .dateTimeOffset(let offset):
            return dateTimeText(days: offset.utc.date.daysSinceJanuaryFirst0001, nanoseconds: offset.utc.time.nanosecondsSinceMidnight, type: type)
        case .uniqueIdentifier(let guid): return guid.uuidString.lowercased()
        }
    }

    /// The canonical form of a value PostgreSQL printed as text (the session's `TimeZone` must be
    /// UTC and `DateStyle` ISO, as ``PostgresTableReader`` sets them).
    public static func target(_ text: String?, type: SQLServerDataType) throws(ValidationError) -> String? {
        guard let text else { return nil }
        func unreadable() -> ValidationError {
            ValidationError(.unreadableValue, "the target value '\(text.prefix(64))' cannot be read as \(type)", context: ["type": type.description])
        }
        switch type.category {
        case .boolean:
            switch text {
            case "t", "true", "1": return "1"
            case "f", "false", "0": return "0"
            default: throw unreadable()
            }
        case .integer:
            guard let number = Int64(text) else { throw unreadable() }
            return String(number)
        case .exactNumeric:
            return trimmedDecimal(text)
        case .approximateNumeric:
            if type.name == .real {
                guard let real = Float(text) else { throw unreadable() }
                return real.description
            }
            guard let double = Double(text) else { throw unreadable() }
            return double.description
        case .characterString:
            return isPadded(type) ? trimmingTrailingSpaces(text) : text
        case .binaryString:
            guard text.hasPrefix("\\x") else { throw unreadable() }
            return String(text.dropFirst(2)).lowercased()
        case .uniqueIdentifier:
            return text.lowercased()
        case .date:
            return text
        case .time:
            guard let nanoseconds = parseClock(Substring(text)) else { throw unreadable() }
            return clock(nanoseconds: nanoseconds, type: type)
        case .dateTime, .dateTimeOffset:
            // "2024-05-01 10:20:30.123456" or, for timestamptz in UTC, "…+00".
            var body = Substring(text)
            if type.category == .dateTimeOffset {
                guard body.hasSuffix("+00") else { throw unreadable() }
                body = body.dropLast(3)
            }
            guard body.count >= 19, let space = body.firstIndex(of: " "),
                  let nanoseconds = parseClock(body[body.index(after: space)...])
            else { throw unreadable() }
            return body[..<space] + " " + clock(nanoseconds: nanoseconds, type: type)
        case .hierarchyID, .spatial, .variant:
            return text
        }
    }

    /// The canonical form of `column`'s value read from SQL Server, cut to the column's compared prefix.
    static func source(_ value: TDSValue, column: ValidationTable.Column) throws(ValidationError) -> String? {
        comparedPart(try source(value, type: column.type), column: column)
    }

    /// The canonical form of `column`'s value printed by PostgreSQL, cut to the column's compared prefix.
    static func target(_ text: String?, column: ValidationTable.Column) throws(ValidationError) -> String? {
        comparedPart(try target(text, type: column.type), column: column)
    }

    /// The part of a canonical value that is compared: all of it, or its first
    /// `comparedPrefixBytes` bytes as SQL Server stores the value (binary values are lowercase hex
    /// here, two digits a byte).
    private static func comparedPart(_ canonical: String?, column: ValidationTable.Column) -> String? {
        guard let canonical, let bytes = column.comparedPrefixBytes else { return canonical }
        if column.type.category == .binaryString {
            let digits = 2 * max(0, bytes)
            return canonical.utf8.count > digits ? String(canonical.prefix(digits)) : canonical
        }
        return column.type.storedPrefix(of: canonical, maxBytes: bytes) ?? canonical
    }

    /// Whether values of the type are compared: the types stored opaquely (`hierarchyid`,
    /// spatial, `sql_variant`) have no common text form on both sides.
    public static func isComparable(_ type: SQLServerDataType) -> Bool {
        switch type.category {
        case .hierarchyID, .spatial, .variant: return false
        default: return true
        }
    }

    // MARK: Pieces

    /// `char`/`nchar` are blank-padded on both sides, and SQL Server compares strings ignoring
    /// trailing blanks: only the fixed-length types are trimmed, since trailing blanks of a
    /// `varchar` value are data that replication must keep.
    private static func isPadded(_ type: SQLServerDataType) -> Bool {
        type.name == .char || type.name == .nchar
    }

    private static func trimmingTrailingSpaces(_ text: String) -> String {
        var text = Substring(text)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }

    /// `12.5000` → `12.5`, `-0.00` → `0`, `7.` → `7`: numeric scale differs legitimately between
    /// sides (`money` prints 4 digits, `numeric(19,4)` too, but a widened column may print more).
    static func trimmedDecimal(_ text: String) -> String {
        var text = Substring(text)
        if text.contains(".") {
            while text.last == "0" { text = text.dropLast() }
            if text.last == "." { text = text.dropLast() }
        }
        if text == "-0" || text.isEmpty { return "0" }
        return String(text)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The fractional digits both sides can hold: at most 6 (PostgreSQL's microseconds).
    private static func digits(for type: SQLServerDataType) -> Int {
        min(type.effectiveScale ?? 6, 6)
    }

    /// `HH:MM:SS.ffffff` with the type's digits. `datetime` is rounded to milliseconds as SQL
    /// Server prints it (its 1/300 s ticks: `.997`, not `.996`); the others are truncated, as the
    /// sink truncates the 100 ns digit.
    private static func clock(nanoseconds: Int64, type: SQLServerDataType) -> String {
        let places = digits(for: type)
        var unit: Int64 = 1_000_000_000
        for _ in 0..<places { unit /= 10 }
        let units = type.name == .datetime ? (nanoseconds + unit / 2) / unit : nanoseconds / unit
        let totalSeconds = units / (1_000_000_000 / unit)
        let fraction = units % (1_000_000_000 / unit)
        let (hour, minute, second) = (totalSeconds / 3600, totalSeconds / 60 % 60, totalSeconds % 60)
        var text = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if places > 0 { text += "." + pad(fraction, places) }
        return text
    }

    /// A date and time as `YYYY-MM-DD HH:MM:SS.ffffff`; a `datetime` rounded up past midnight moves to the next day.
    private static func dateTimeText(days: Int, nanoseconds: Int64, type: SQLServerDataType) -> String {
        var days = days
        var nanoseconds = nanoseconds
        if type.name == .datetime, nanoseconds + 500_000 >= TDSTime.nanosecondsPerDay {
            days += 1
            nanoseconds = 0
        }
        return TDSDate(daysSinceJanuaryFirst0001: days).description + " " + clock(nanoseconds: nanoseconds, type: type)
    }

    private static func pad(_ number: Int64, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// Nanoseconds since midnight from `HH:MM:SS[.f…]`.
    private static func parseClock(_ text: Substring) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let hour = Int64(parts[0]), let minute = Int64(parts[1]) else { return nil }
        let secondParts = parts[2].split(separator: ".", omittingEmptySubsequences: false)
        guard let second = Int64(secondParts[0]) else { return nil }
        var fraction: Int64 = 0
        if secondParts.count == 2 {
            let digits = secondParts[1].prefix(9)
            guard let value = Int64(digits) else { return nil }
            fraction = value
            for _ in digits.count..<9 { fraction *= 10 }
        }
        return ((hour * 60 + minute) * 60 + second) * 1_000_000_000 + fraction
    }
}
