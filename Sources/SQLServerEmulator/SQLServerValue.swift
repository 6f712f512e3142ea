public import Foundation

/// One value of a result row, typed the way SQL Server types it (the column's ``SQLServerType``
/// says which size and precision).
public enum SQLServerValue: Hashable, Sendable, CustomStringConvertible {
    /// NULL.
    case null
    /// bit.
    case bit(Bool)
    /// tinyint, smallint, int, bigint.
    case integer(Int64)
    /// decimal, numeric, money, smallmoney: the exact decimal text (`125.5000`).
    case decimal(String)
    /// float, real.
    case float(Double)
    /// char, varchar, nchar, nvarchar, text, ntext, xml.
    case string(String)
    /// binary, varbinary, image, rowversion and the opaque types.
    case binary([UInt8])
    /// uniqueidentifier.
    case uniqueidentifier(UUID)
    /// date.
    case date(SQLServerDate)
    /// time(n): the time of day.
    case time(SQLServerTime)
    /// datetime, smalldatetime, datetime2(n).
    case dateTime(SQLServerDate, SQLServerTime)
    /// datetimeoffset(n): the local date and time and the offset from UTC in minutes.
    case dateTimeOffset(SQLServerDate, SQLServerTime, offsetMinutes: Int)
    /// sql_variant: a non-NULL value together with its base type (the type
    /// `SQL_VARIANT_PROPERTY` reports: `decimal(8,2)`, `nvarchar(5)`…).
    indirect case variant(SQLServerType, SQLServerValue)

    /// Whether this is NULL.
    public var isNull: Bool { self == .null }

    /// The value as SQL Server Management Studio would show it.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .bit(let value): value ? "1" : "0"
        case .integer(let value): String(value)
        case .decimal(let value): value
        case .float(let value): String(value)
        case .string(let value): value
        case .binary(let bytes): "0x" + bytes.map { String(format: "%02X", $0) }.joined()
        case .uniqueidentifier(let uuid): uuid.uuidString
        case .date(let date): date.description
        case .time(let time): time.description
        case .dateTime(let date, let time): "\(date) \(time)"
        case .dateTimeOffset(let date, let time, let offset):
            "\(date) \(time) \(offset < 0 ? "-" : "+")\(String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60))"
        case .variant(_, let value): value.description
        }
    }
}

/// A calendar date (proleptic Gregorian, year 1 to 9999).
public struct SQLServerDate: Hashable, Sendable, CustomStringConvertible {
    /// The year.
    public var year: Int
    /// The month, 1 to 12.
    public var month: Int
    /// The day of the month.
    public var day: Int

    /// Creates a date.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `yyyy-mm-dd`.
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
}

/// A time of day with nanosecond resolution (SQL Server keeps 100 ns; PostgreSQL 1 µs).
public struct SQLServerTime: Hashable, Sendable, CustomStringConvertible {
    /// The hour, 0 to 23.
    public var hour: Int
    /// The minute.
    public var minute: Int
    /// The second.
    public var second: Int
    /// The fraction of the second in nanoseconds.
    public var nanoseconds: Int

    /// Creates a time.
    public init(hour: Int, minute: Int, second: Int, nanoseconds: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanoseconds = nanoseconds
    }

    /// `hh:mm:ss.fffffff`.
    public var description: String {
        String(format: "%02d:%02d:%02d.%07d", hour, minute, second, nanoseconds / 100)
    }
}

extension SQLServerValue {
    /// The value as PostgreSQL text input for its storage type (nil for NULL).
    var postgresText: String? {
        switch self {
        case .null: nil
        case .bit(let value): value ? "1" : "0"
        case .integer(let value): String(value)
        case .decimal(let value): value
        case .float(let value): String(value)
        case .string(let value): value
        case .binary(let bytes): "\\x" + bytes.map { String(format: "%02x", $0) }.joined()
        case .uniqueidentifier(let uuid): uuid.uuidString
        case .date(let date): date.description
        case .time(let time): Self.postgresTime(time)
        case .dateTime(let date, let time): "\(date) \(Self.postgresTime(time))"
        case .dateTimeOffset(let date, let time, let offset):
            "\(date) \(Self.postgresTime(time)) \(offset < 0 ? "-" : "+")"
                + String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60)
        case .variant(let type, let value): Self.variantPostgresText(type: type, value: value)
        }
    }

    private static func postgresTime(_ time: SQLServerTime) -> String {
        // Seven digits: PostgreSQL rounds the 7th away, the emulator's composites keep it.
        String(format: "%02d:%02d:%02d.%07d", time.hour, time.minute, time.second, time.nanoseconds / 100)
    }

    /// Decodes PostgreSQL's text output for a value stored as `type` (see
    /// ``SQLServerType/postgresStorageType``). Returns `nil` when the text is malformed.
    static func decode(postgresText text: String, as type: SQLServerType) -> SQLServerValue? {
        switch type.base {
        case .tinyint, .smallint, .int, .bigint:
            return Int64(text).map { .integer($0) }
        case .bit:
            switch text {
            case "0", "f", "false": return .bit(false)
            case "1", "t", "true": return .bit(true)
            default: return Int64(text).map { .bit($0 != 0) }
            }
        case .decimal, .numeric, .money, .smallmoney:
            return .decimal(text)
        case .float, .real:
            switch text {
            case "Infinity": return .float(.infinity)
            case "-Infinity": return .float(-.infinity)
            default: return Double(text).map { .float($0) }
            }
        case .char, .varchar, .nchar, .nvarchar, .text, .ntext, .xml:
            return .string(text)
        case .binary, .varbinary, .image, .rowversion, .geography, .geometry:
            return decodeHexBytea(text).map { .binary($0) }
        case .sqlVariant:
            return variant(postgresText: text)
        case .hierarchyid:
            // Not SQL Server's [MS-SSCLRT] bit encoding: the path's UTF-8 bytes (docs/types.md).
            return hierarchyidPath(postgresText: text).map { .binary(Array($0.utf8)) }
        case .uniqueidentifier:
            return UUID(uuidString: text).map { .uniqueidentifier($0) }
        case .date:
            return parseDate(text[...]).map { .date($0) }
        case .time:
            return parseTime(text[...]).map { .time($0) }
        case .datetime, .smalldatetime, .datetime2:
            let parts = text.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let date = parseDate(parts[0]), let time = parseTime(parts[1]) else { return nil }
            return .dateTime(date, time)
        case .datetimeoffset:
            // Rendered by sqlserver_catalog.datetimeoffset_text: `yyyy-mm-dd hh:mm:ss.fffffff +hh:mm`.
            let parts = text.split(separator: " ")
            guard parts.count == 3, let date = parseDate(parts[0]), let time = parseTime(parts[1]) else { return nil }
            let offsetText = parts[2]
            let sign = offsetText.first == "-" ? -1 : 1
            let digits = offsetText.dropFirst().split(separator: ":")
            guard digits.count == 2, let hours = Int(digits[0]), let minutes = Int(digits[1]) else { return nil }
            return .dateTimeOffset(date, time, offsetMinutes: sign * (hours * 60 + minutes))
        }
    }

    private static func parseDate(_ text: Substring) -> SQLServerDate? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            return nil
        }
        return SQLServerDate(year: year, month: month, day: day)
    }

    private static func parseTime(_ text: Substring) -> SQLServerTime? {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        let secondParts = parts[2].split(separator: ".", maxSplits: 1)
        guard let second = Int(secondParts[0]) else { return nil }
        var nanoseconds = 0
        if secondParts.count == 2 {
            let digits = String(secondParts[1].prefix(9))
            guard let fraction = Int(digits) else { return nil }
            nanoseconds = fraction * Int(pow(10.0, Double(9 - digits.count)))
        }
        return SQLServerTime(hour: hour, minute: minute, second: second, nanoseconds: nanoseconds)
    }

    private static func decodeHexBytea(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("\\x") else { return nil }
        let hex = Array(text.utf8.dropFirst(2))
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let high = hexDigit(hex[index]), let low = hexDigit(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
