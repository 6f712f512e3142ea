/// A date and time of day without an offset, exact to 100 ns (SQL Server's `datetime2`,
/// `datetime`, `smalldatetime`).
public struct SQLDateTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The date.
    public var date: SQLDate
    /// The time of day.
    public var time: SQLTime

    /// Makes a value from a date and a time.
    public init(date: SQLDate, time: SQLTime) {
        self.date = date
        self.time = time
    }

    /// Makes the value `ticks` 100 ns units after 1970-01-01T00:00:00; `nil` outside 0001–9999.
    public init?(ticksSinceEpoch ticks: Int64) {
        let (days, rest) = ticks.quotientAndRemainder(dividingBy: SQLTime.ticksPerDay)
        let (day, tick) = rest < 0 ? (days - 1, rest + SQLTime.ticksPerDay) : (days, rest)
        guard let date = SQLDate(daysSinceEpoch: day), let time = SQLTime(ticks: tick) else { return nil }
        self.init(date: date, time: time)
    }

    /// 100 ns ticks since 1970-01-01T00:00:00 (fits in 64 bits for every year 1–9999).
    public var ticksSinceEpoch: Int64 { date.daysSinceEpoch * SQLTime.ticksPerDay + time.ticks }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fffffff]` (a space instead of `T` is accepted).
    public init?(_ text: some StringProtocol) {
        let s = Substring(text)
        guard s.count >= 19 else { return nil }
        let separator = s.index(s.startIndex, offsetBy: 10)
        guard s[separator] == "T" || s[separator] == " ",
              let date = SQLDate(s[..<separator]), let time = SQLTime(s[s.index(after: separator)...])
        else { return nil }
        self.init(date: date, time: time)
    }

    /// `YYYY-MM-DDTHH:MM:SS.fffffff` with seven fraction digits.
    public var description: String { formatted(fractionDigits: 7) }

    /// ISO 8601 with `digits` fraction digits (none when 0).
    public func formatted(fractionDigits digits: Int) -> String {
        date.description + "T" + time.formatted(fractionDigits: digits)
    }

    public static func < (lhs: SQLDateTime, rhs: SQLDateTime) -> Bool { (lhs.date, lhs.time) < (rhs.date, rhs.time) }
}
