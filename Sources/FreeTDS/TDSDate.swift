/// A calendar date in the proleptic Gregorian calendar, as SQL Server's `date` type holds it
/// (0001-01-01 through 9999-12-31).
public struct TDSDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year (1...9999 for values from SQL Server).
    public var year: Int
    /// The month, 1...12.
    public var month: Int
    /// The day of the month, 1...31.
    public var day: Int

    /// Makes a date from its parts; they are not validated.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days between 0001-01-01 and 1970-01-01.
    static let unixEpochDayNumber = 719_162
    /// Days between 0001-01-01 and 1900-01-01, the epoch of `datetime` and of FreeTDS's `DBDATETIMEALL.date`.
    static let sqlServerEpochDayNumber = 693_595

    /// The date `days` days after 0001-01-01 (the encoding of `date`, `datetime2` and `datetimeoffset`).
    public init(daysSinceJanuaryFirst0001 days: Int) {
        let (year, month, day) = Self.civil(fromUnixDays: days - Self.unixEpochDayNumber)
        self.init(year: year, month: month, day: day)
    }

    /// The number of days since 0001-01-01.
    public var daysSinceJanuaryFirst0001: Int {
        Self.unixDays(year: year, month: month, day: day) + Self.unixEpochDayNumber
    }

    /// `yyyy-MM-dd`.
    public var description: String {
        "\(zeroPadded(year, 4))-\(zeroPadded(month, 2))-\(zeroPadded(day, 2))"
    }

    public static func < (lhs: TDSDate, rhs: TDSDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // Howard Hinnant's days-from-civil algorithm: eras of 400 years, years starting in March.
    static func unixDays(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromUnixDays unixDays: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = unixDays + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// `value` in decimal, left-padded with zeros to `width` digits (a leading `-` if negative).
func zeroPadded(_ value: some BinaryInteger, _ width: Int) -> String {
    let digits = String(value.magnitude)
    let padded = digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
    return value < 0 ? "-" + padded : padded
}
