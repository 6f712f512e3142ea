/// A `datetimeoffset(n)` value: a UTC instant exact to 100 ns plus the offset it was written with.
public struct TDSDateTimeOffset: Hashable, Sendable, CustomStringConvertible {
    /// The instant in UTC (what the server sends and db-lib keeps).
    public var utc: TDSDateTime
    /// The offset from UTC in minutes (-840...840), e.g. -300 for `-05:00`.
    public var offsetMinutes: Int

    /// Makes a value from its UTC instant and offset.
    public init(utc: TDSDateTime, offsetMinutes: Int) {
        self.utc = utc
        self.offsetMinutes = offsetMinutes
    }

    /// Makes a value from the local date and time it displays as and its offset.
    public init(local: TDSDateTime, offsetMinutes: Int) {
        self.init(utc: local.adding(minutes: -offsetMinutes), offsetMinutes: offsetMinutes)
    }

    /// The date and time as written at the offset (UTC plus the offset).
    public var local: TDSDateTime { utc.adding(minutes: offsetMinutes) }

    /// `yyyy-MM-dd HH:mm:ss[.fffffff] ±hh:mm`, the local time like SQL Server prints it.
    public var description: String {
        let sign = offsetMinutes < 0 ? "-" : "+"
        let magnitude = abs(offsetMinutes)
        return "\(local) \(sign)\(zeroPadded(magnitude / 60, 2)):\(zeroPadded(magnitude % 60, 2))"
    }
}
