import Testing
@testable import FreeTDS

@Suite("Decoding date and time types")
struct DateTimeDecodingTests {
    @Test func datetimeRange() throws {
        let earliest = try TDSValue(decoding: Buffers.dateTime(days: -53_690, ticks: 0), as: .dateTime)
        #expect(earliest.description == "1753-01-01 00:00:00.000")
        // 23:59:59 plus 299/300 s is what SQL Server prints as .997.
        let latest = try TDSValue(decoding: Buffers.dateTime(days: 2_958_463, ticks: 25_919_999), as: .dateTimeN)
        #expect(latest.description == "9999-12-31 23:59:59.997")
        guard case .dateTime(let value) = latest else {
            Issue.record("expected a datetime, got \(latest)")
            return
        }
        // Kept to 100 ns the way CAST(... AS datetime2(7)) does: .9966667.
        #expect(value.time.nanosecond == 996_666_700)
        #expect(value.date == TDSDate(year: 9999, month: 12, day: 31))
    }

    @Test func datetimeThreeHundredthsRoundLikeSQLServer() throws {
        #expect(try TDSValue(decoding: Buffers.dateTime(days: 0, ticks: 1), as: .dateTime).description == "1900-01-01 00:00:00.003")
        #expect(try TDSValue(decoding: Buffers.dateTime(days: 0, ticks: 2), as: .dateTime).description == "1900-01-01 00:00:00.007")
        #expect(throws: TDSError.self) { try TDSValue(decoding: Buffers.dateTime(days: 0, ticks: 25_920_000), as: .dateTime) }
    }

    @Test func smallDatetimeRange() throws {
        #expect(try TDSValue(decoding: Buffers.smallDateTime(days: 0, minutes: 0), as: .smallDateTime).description == "1900-01-01 00:00:00")
        #expect(try TDSValue(decoding: Buffers.smallDateTime(days: 65_535, minutes: 1439), as: .dateTimeN).description == "2079-06-06 23:59:00")
    }

    @Test func dateExtremes() throws {
        // FreeTDS stores days relative to 1900-01-01, so 0001-01-01 is -693595.
        let first = try TDSValue(decoding: Buffers.dateTimeAll(daysSince1900: -693_595, precision: 0), as: .date)
        #expect(first == .date(TDSDate(year: 1, month: 1, day: 1)))
        #expect(first.description == "0001-01-01")
        let last = try TDSValue(decoding: Buffers.dateTimeAll(daysSince1900: 2_958_463, precision: 0), as: .date)
        #expect(last.description == "9999-12-31")
        #expect(throws: TDSError.self) { try TDSValue(decoding: Buffers.dateTimeAll(daysSince1900: -693_596, precision: 0), as: .date) }
    }

    @Test func timeWithSevenDigits() throws {
        let value = try TDSValue(decoding: Buffers.dateTimeAll(time: 863_999_999_999, precision: 7), as: .time)
        #expect(value.description == "23:59:59.9999999")
        guard case .time(let time) = value else {
            Issue.record("expected a time, got \(value)")
            return
        }
        #expect(time.nanosecond == 999_999_900)
        #expect(try TDSValue(decoding: Buffers.dateTimeAll(time: 0, precision: 0), as: .time).description == "00:00:00")
        // time(3): FreeTDS scales to 100 ns units, the column keeps 3 digits.
        #expect(try TDSValue(decoding: Buffers.dateTimeAll(time: 45_296_789_0000, precision: 3), as: .time).description == "12:34:56.789")
    }

    @Test func datetime2KeepsOneHundredNanoseconds() throws {
        let value = try TDSValue(decoding: Buffers.dateTimeAll(time: 452_961_234_567, daysSince1900: 45_349, precision: 7), as: .dateTime2)
        #expect(value.description == "2024-02-29 12:34:56.1234567")
        let next = try TDSValue(decoding: Buffers.dateTimeAll(time: 452_961_234_568, daysSince1900: 45_349, precision: 7), as: .dateTime2)
        #expect(value != next)
    }

    @Test func datetimeoffsetWithNegativeOffsets() throws {
        // 2020-01-01 00:30 -05:00 arrives as 05:30 UTC with offset -300.
        let fiveHoursBehind = try TDSValue(
            decoding: Buffers.dateTimeAll(time: 5 * 36_000_000_000 + 30 * 600_000_000, daysSince1900: 43_829, offset: -300, precision: 7),
            as: .dateTimeOffset
        )
        #expect(fiveHoursBehind.description == "2020-01-01 00:30:00.0000000 -05:00")
        // 02:00 UTC at -05:30 is the previous local day.
        let previousDay = try TDSValue(
            decoding: Buffers.dateTimeAll(time: 2 * 36_000_000_000, daysSince1900: 43_829, offset: -330, precision: 0),
            as: .dateTimeOffset
        )
        #expect(previousDay.description == "2019-12-31 20:30:00 -05:30")
        guard case .dateTimeOffset(let offset) = previousDay else {
            Issue.record("expected a datetimeoffset, got \(previousDay)")
            return
        }
        #expect(offset.offsetMinutes == -330)
        #expect(offset.utc.description == "2020-01-01 02:00:00")
        #expect(TDSDateTimeOffset(local: offset.local, offsetMinutes: -330) == offset)
        let farEast = try TDSValue(decoding: Buffers.dateTimeAll(time: 0, daysSince1900: 0, offset: 840, precision: 3), as: .dateTimeOffset)
        #expect(farEast.description == "1900-01-01 14:00:00.000 +14:00")
    }

    @Test func incompleteDateTimeAllFails() {
        #expect(throws: TDSError.self) { try TDSValue(decoding: Buffers.dateTimeAll(time: 0, precision: 7), as: .dateTime2) }
        #expect(throws: TDSError.self) { try TDSValue(decoding: Buffers.dateTimeAll(time: 0, daysSince1900: 0, precision: 7), as: .dateTimeOffset) }
        #expect(throws: TDSError.self) { try TDSValue(decoding: Array(Buffers.dateTimeAll(time: 0, precision: 7).prefix(12)), as: .time) }
    }

    @Test func calendarRoundTripsEveryDay() {
        var expected = TDSDate(year: 1, month: 1, day: 1)
        let daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for day in 0...3_652_058 {
            let date = TDSDate(daysSinceJanuaryFirst0001: day)
            if date != expected || date.daysSinceJanuaryFirst0001 != day {
                Issue.record("day \(day): got \(date), expected \(expected)")
                return
            }
            let isLeap = expected.year % 4 == 0 && (expected.year % 100 != 0 || expected.year % 400 == 0)
            let length = expected.month == 2 && isLeap ? 29 : daysInMonth[expected.month - 1]
            if expected.day < length {
                expected.day += 1
            } else if expected.month < 12 {
                expected = TDSDate(year: expected.year, month: expected.month + 1, day: 1)
            } else {
                expected = TDSDate(year: expected.year + 1, month: 1, day: 1)
            }
        }
        #expect(expected == TDSDate(year: 10_000, month: 1, day: 1))
        #expect(TDSDate(year: 1970, month: 1, day: 1).daysSinceJanuaryFirst0001 == 719_162)
    }
}
