/// A local date and time with its UTC offset, exact to 100 ns (SQL Server's `datetimeoffset`).
///
/// The offset is kept as the source wrote it: `2024-05-10T19:00:00+03:00` and
/// `2024-05-10T16:00:00Z` are the same instant but different values.
public struct SQLDateTimeOffset: Hashable, Sendable, CustomStringConvertible {
    /// The local date and time (as written, not converted to UTC).
    public var local: SQLDateTime
    /// Minutes east of UTC, −840 … +840 (−14:00 … +14:00).
    public var offsetMinutes: Int

    /// Makes a value; `nil` if the offset is outside ±14:00.
    public init?(local: SQLDateTime, offsetMinutes: Int) {
        guard (-840...840).contains(offsetMinutes) else { return nil }
        self.local = local
        self.offsetMinutes = offsetMinutes
    }

    /// The same instant in UTC; `nil` if it falls outside 0001–9999.
    public var utc: SQLDateTime? {
        SQLDateTime(ticksSinceEpoch: local.ticksSinceEpoch - Int64(offsetMinutes) * 60 * SQLTime.ticksPerSecond)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fffffff]` followed by `Z` or `±HH:MM` (an optional space before the offset).
    public init?(_ text: some StringProtocol) {
        var s = Substring(text)
        var offset = 0
        if s.last == "Z" {
            s = s.dropLast()
        } else {
            guard s.count >= 6 else { return nil }
            let tail = Array(s.suffix(6).utf8)
            guard tail[0] == UInt8(ascii: "+") || tail[0] == UInt8(ascii: "-"), tail[3] == UInt8(ascii: ":"),
                  let h = decimalDigits(tail[1..<3]), let m = decimalDigits(tail[4..<6]), h <= 14, m <= 59
            else { return nil }
            offset = (h * 60 + m) * (tail[0] == UInt8(ascii: "-") ? -1 : 1)
            s = s.dropLast(6)
            if s.last == " " { s = s.dropLast() }
        }
        guard let local = SQLDateTime(s) else { return nil }
        self.init(local: local, offsetMinutes: offset)
    }

    /// ISO 8601 with seven fraction digits and `±HH:MM`.
    public var description: String { formatted(fractionDigits: 7) }

    /// ISO 8601 with `digits` fraction digits and `±HH:MM` (`+00:00` for UTC).
    public func formatted(fractionDigits digits: Int) -> String {
        let sign = offsetMinutes < 0 ? "-" : "+"
        let magnitude = abs(offsetMinutes)
        return local.formatted(fractionDigits: digits) + sign + padded(magnitude / 60, 2) + ":" + padded(magnitude % 60, 2)
    }
}
