/// A date and time of day without a time zone (`datetime`, `smalldatetime`, `datetime2(n)`), exact to 100 ns.
public struct TDSDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The calendar date.
    public var date: TDSDate
    /// The time of day.
    public var time: TDSTime

    /// Makes a value from a date and a time.
    public init(date: TDSDate, time: TDSTime) {
        self.date = date
        self.time = time
    }

    /// Makes a value from days since 0001-01-01 and nanoseconds into that day; nanoseconds outside
    /// one day move the date.
    public init(daysSinceJanuaryFirst0001 days: Int, nanosecondsSinceMidnight nanoseconds: Int64, fractionalDigits: Int) {
        let dayShift = nanoseconds >= 0
            ? nanoseconds / TDSTime.nanosecondsPerDay
            : -((-nanoseconds + TDSTime.nanosecondsPerDay - 1) / TDSTime.nanosecondsPerDay)
        let remainder = nanoseconds - dayShift * TDSTime.nanosecondsPerDay
        self.init(
            date: TDSDate(daysSinceJanuaryFirst0001: days + Int(dayShift)),
            time: TDSTime(nanosecondsSinceMidnight: remainder, fractionalDigits: fractionalDigits)
        )
    }

    /// This value moved by a number of minutes (used to apply a time-zone offset).
    public func adding(minutes: Int) -> TDSDateTime {
        TDSDateTime(
            daysSinceJanuaryFirst0001: date.daysSinceJanuaryFirst0001,
            nanosecondsSinceMidnight: time.nanosecondsSinceMidnight + Int64(minutes) * 60_000_000_000,
            fractionalDigits: time.fractionalDigits
        )
    }

    /// `yyyy-MM-dd HH:mm:ss[.fffffff]`.
    public var description: String { "\(date) \(time)" }

    public static func < (lhs: TDSDateTime, rhs: TDSDateTime) -> Bool {
        (lhs.date, lhs.time) < (rhs.date, rhs.time)
    }
}
