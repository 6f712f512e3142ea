import CFreeTDS

/// Byte buffers laid out exactly as db-lib's `dbdata()` hands them out, built from the real C structs.
enum Buffers {
    static func of<T>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    /// A `DBNUMERIC`: precision, scale, sign byte (1 = negative), then the big-endian magnitude bytes
    /// FreeTDS stores (already swapped from the little-endian wire form), zero-filled to 33 bytes.
    static func numeric(precision: UInt8, scale: UInt8, negative: Bool, magnitude: [UInt8]) -> [UInt8] {
        var numeric = DBNUMERIC()
        numeric.precision = precision
        numeric.scale = scale
        withUnsafeMutableBytes(of: &numeric.array) { array in
            array[0] = negative ? 1 : 0
            for (index, byte) in magnitude.enumerated() { array[1 + index] = byte }
        }
        return of(numeric)
    }

    static func money(_ tenThousandths: Int64) -> [UInt8] {
        var money = DBMONEY()
        money.mnyhigh = DBINT(truncatingIfNeeded: tenThousandths >> 32)
        money.mnylow = DBUINT(truncatingIfNeeded: tenThousandths)
        return of(money)
    }

    static func smallMoney(_ tenThousandths: Int32) -> [UInt8] {
        var money = DBMONEY4()
        money.mny4 = tenThousandths
        return of(money)
    }

    static func dateTime(days: Int32, ticks: Int32) -> [UInt8] {
        var dateTime = DBDATETIME()
        dateTime.dtdays = days
        dateTime.dttime = ticks
        return of(dateTime)
    }

    static func smallDateTime(days: UInt16, minutes: UInt16) -> [UInt8] {
        var dateTime = DBDATETIME4()
        dateTime.days = days
        dateTime.minutes = minutes
        return of(dateTime)
    }

    /// A `DBDATETIMEALL` as FreeTDS fills it: time in 100 ns (scaled up from the column's precision),
    /// date in days since 1900-01-01, offset in minutes, and the presence bits.
    static func dateTimeAll(time: UInt64? = nil, daysSince1900: Int32? = nil, offset: Int16? = nil, precision: UInt16 = 7) -> [UInt8] {
        var value = DBDATETIMEALL()
        value.time_prec = precision
        if let time {
            value.time = time
            value.has_time = 1
        }
        if let daysSince1900 {
            value.date = daysSince1900
            value.has_date = 1
        }
        if let offset {
            value.offset = offset
            value.has_offset = 1
        }
        return of(value)
    }
}
