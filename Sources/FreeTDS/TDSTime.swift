/// A time of day exact to 100 nanoseconds, as SQL Server's `time(n)` holds it, with the number of
/// fractional digits the column declares (used only for ``description``).
public struct TDSTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since midnight (0 ..< 86 400 000 000 000); a multiple of 100 for values from SQL Server.
    public var nanosecondsSinceMidnight: Int64
    /// Fractional second digits to print: the `n` of `time(n)`/`datetime2(n)`, 3 for `datetime`, 0 for `smalldatetime`.
    public var fractionalDigits: Int

    /// Nanoseconds in a day.
    public static let nanosecondsPerDay: Int64 = 86_400 * 1_000_000_000

    /// Makes a time from nanoseconds since midnight.
    public init(nanosecondsSinceMidnight: Int64, fractionalDigits: Int = 7) {
        self.nanosecondsSinceMidnight = nanosecondsSinceMidnight
        self.fractionalDigits = fractionalDigits
    }

    /// Makes a time from its parts.
    public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0, fractionalDigits: Int = 7) {
        let seconds = Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
        self.init(nanosecondsSinceMidnight: seconds * 1_000_000_000 + Int64(nanosecond), fractionalDigits: fractionalDigits)
    }

    /// The hour, 0...23.
    public var hour: Int { Int(nanosecondsSinceMidnight / 3_600_000_000_000) }
    /// The minute, 0...59.
    public var minute: Int { Int(nanosecondsSinceMidnight / 60_000_000_000 % 60) }
    /// The second, 0...59.
    public var second: Int { Int(nanosecondsSinceMidnight / 1_000_000_000 % 60) }
    /// The fraction of the second in nanoseconds, 0...999 999 999.
    public var nanosecond: Int { Int(nanosecondsSinceMidnight % 1_000_000_000) }

    /// `HH:mm:ss` followed by `fractionalDigits` digits of the second, rounded half up as SQL Server
    /// prints `datetime` (`.997` for 299/300 s).
    public var description: String {
        var text = "\(zeroPadded(hour, 2)):\(zeroPadded(minute, 2)):\(zeroPadded(second, 2))"
        let digits = min(max(fractionalDigits, 0), 9)
        guard digits > 0 else { return text }
        var unit = 1
        for _ in digits..<9 { unit *= 10 }
        var fraction = (nanosecond + unit / 2) / unit
        var limit = 1
        for _ in 0..<digits { limit *= 10 }
        // Rounding never carries into the seconds for SQL Server values; truncate if it would.
        if fraction >= limit { fraction = nanosecond / unit }
        text += "." + zeroPadded(fraction, digits)
        return text
    }

    public static func < (lhs: TDSTime, rhs: TDSTime) -> Bool {
        lhs.nanosecondsSinceMidnight < rhs.nanosecondsSinceMidnight
    }
}
