/// A time of day exact to 100 nanoseconds (SQL Server's `time(7)`).
public struct SQLTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 100-nanosecond ticks since midnight, 0 ..< 864 000 000 000.
    public let ticks: Int64

    /// Ticks in one second.
    public static let ticksPerSecond: Int64 = 10_000_000
    /// Ticks in one day.
    public static let ticksPerDay: Int64 = 86_400 * ticksPerSecond

    /// Makes a time from ticks since midnight; `nil` outside one day.
    public init?(ticks: Int64) {
        guard (0..<SQLTime.ticksPerDay).contains(ticks) else { return nil }
        self.ticks = ticks
    }

    /// Makes a time from its parts; `fraction` is in 100 ns ticks (0–9 999 999).
    public init?(hour: Int, minute: Int, second: Int, fraction: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second), (0..<10_000_000).contains(fraction) else { return nil }
        self.init(ticks: (Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)) * SQLTime.ticksPerSecond + Int64(fraction))
    }

    /// The hour, minute, second and the fraction of the second in ticks.
    public var components: (hour: Int, minute: Int, second: Int, fraction: Int) {
        let seconds = ticks / SQLTime.ticksPerSecond
        return (Int(seconds / 3600), Int(seconds / 60 % 60), Int(seconds % 60), Int(ticks % SQLTime.ticksPerSecond))
    }

    /// Whether the value needs no more than `digits` fractional-second digits.
    public func fits(fractionDigits digits: Int) -> Bool {
        var unit: Int64 = 1
        for _ in digits..<7 { unit *= 10 }
        return ticks % unit == 0
    }

    /// Parses `HH:MM:SS` with an optional fraction of 1–7 digits (8 or 9 digits are accepted when
    /// the digits past the seventh are zero, as Java prints nanoseconds).
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 8, utf8[2] == UInt8(ascii: ":"), utf8[5] == UInt8(ascii: ":"),
              let h = decimalDigits(utf8[0..<2]), let m = decimalDigits(utf8[3..<5]), let s = decimalDigits(utf8[6..<8])
        else { return nil }
        var fraction = 0
        if utf8.count > 8 {
            var digits = utf8[9...]
            while digits.count > 7, digits.last == UInt8(ascii: "0") { digits = digits.dropLast() }
            guard utf8[8] == UInt8(ascii: "."), (1...7).contains(digits.count), let f = decimalDigits(digits) else { return nil }
            fraction = f
            for _ in digits.count..<7 { fraction *= 10 }
        }
        self.init(hour: h, minute: m, second: s, fraction: fraction)
    }

    /// `HH:MM:SS.fffffff` with all seven digits; see ``formatted(fractionDigits:)``.
    public var description: String { formatted(fractionDigits: 7) }

    /// `HH:MM:SS` followed by `.` and `digits` fraction digits (none when 0); digits beyond are cut.
    public func formatted(fractionDigits digits: Int) -> String {
        let c = components
        var text = padded(c.hour, 2) + ":" + padded(c.minute, 2) + ":" + padded(c.second, 2)
        if digits > 0 { text += "." + padded(c.fraction, 7).prefix(digits) }
        return text
    }

    public static func < (lhs: SQLTime, rhs: SQLTime) -> Bool { lhs.ticks < rhs.ticks }
}

/// The value of ASCII decimal digits; `nil` if any byte is not a digit.
func decimalDigits(_ bytes: some Collection<UInt8>) -> Int? {
    guard !bytes.isEmpty else { return nil }
    var value = 0
    for byte in bytes {
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
    }
    return value
}
