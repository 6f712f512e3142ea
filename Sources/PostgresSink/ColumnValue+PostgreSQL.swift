import FerryCore

extension ColumnValue {
    /// The value in PostgreSQL's text input format for the column type docs/types.md maps
    /// `type` to; `nil` for NULL. `.unchanged` has no text: callers leave such columns out.
    ///
    /// Times keep microseconds: the 100 ns digit of `(7)` types is cut, never rounded, so
    /// `23:59:59.9999999` stays on its day.
    func postgreSQLText(as type: SQLServerDataType) -> String? {
        switch self {
        case .null, .unchanged: return nil
        case .bool(let value): return value ? "t" : "f"
        case .int(let value): return String(value)
        case .real(let value): return value.description
        case .float(let value): return value.description
        case .decimal, .date, .time, .dateTime:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(32)
            appendPostgreSQLText(as: type, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        case .dateTimeOffset(let value): return value.formatted(fractionDigits: Swift.min(type.effectiveScale ?? 7, 6))
        case .guid(let value): return value.uuidString
        case .bytes(let bytes): return Self.hex(bytes)
        case .string(let value): return value
        case .spatial(let srid, let wkb): return Self.hex(Self.extendedWellKnownBinary(srid: srid, wkb))
        case .variant(let base, let value): return value.postgreSQLText(as: base)
        }
    }

    /// Appends the text of ``postgreSQLText(as:)`` for integers, decimals, dates and times, written
    /// digit by digit (no intermediate strings: these are most of a typical row); returns `false`
    /// for other values, leaving `bytes` as it was. None of these texts needs COPY escaping.
    @discardableResult
    func appendPostgreSQLText(as type: SQLServerDataType, to bytes: inout [UInt8]) -> Bool {
        switch self {
        case .int(let value):
            Self.appendDecimal(value < 0, UInt128(value.magnitude), scale: 0, to: &bytes)
        case .decimal(let value):
            Self.appendDecimal(value.unscaled < 0, value.unscaled.magnitude, scale: value.scale, to: &bytes)
        case .date(let value):
            Self.append(value, to: &bytes)
        case .time(let value):
            Self.append(value, fractionDigits: Swift.min(type.effectiveScale ?? 7, 6), to: &bytes)
        case .dateTime(let value):
            Self.append(value.date, to: &bytes)
            bytes.append(UInt8(ascii: "T"))
            Self.append(value.time, fractionDigits: Swift.min(type.effectiveScale ?? 7, 6), to: &bytes)
        default:
            return false
        }
        return true
    }

    /// `ExactDecimal.description`'s form: optional `-`, at least one integer digit, and exactly
    /// `scale` fraction digits. Written backwards, then reversed in place.
    private static func appendDecimal(_ negative: Bool, _ magnitude: UInt128, scale: Int, to bytes: inout [UInt8]) {
        let start = bytes.count
        var written = 0
        func emit(_ digit: UInt8, _ bytes: inout [UInt8]) {
            bytes.append(UInt8(ascii: "0") + digit)
            written += 1
            if written == scale { bytes.append(UInt8(ascii: ".")) }
        }
        if magnitude <= UInt128(UInt64.max) {
            var rest = UInt64(magnitude)
            while rest > 0 {
                emit(UInt8(rest % 10), &bytes)
                rest /= 10
            }
        } else {
            var rest = magnitude
            while rest > 0 {
                emit(UInt8(rest % 10), &bytes)
                rest /= 10
            }
        }
        while written <= scale { emit(0, &bytes) }  // fraction padding and the integer part's 0
        if negative { bytes.append(UInt8(ascii: "-")) }
        bytes[start...].reverse()
    }

    private static func append(_ date: SQLDate, to bytes: inout [UInt8]) {
        appendPadded(date.year, 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(date.month, 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(date.day, 2, to: &bytes)
    }

    /// `SQLTime.formatted(fractionDigits:)`: `HH:MM:SS`, then `.` and the first `digits` of the
    /// seven fraction digits.
    private static func append(_ time: SQLTime, fractionDigits digits: Int, to bytes: inout [UInt8]) {
        let c = time.components
        appendPadded(c.hour, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(c.minute, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(c.second, 2, to: &bytes)
        guard digits > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var divisor = 1_000_000
        for _ in 0..<Swift.min(digits, 7) {
            bytes.append(UInt8(ascii: "0") + UInt8(c.fraction / divisor % 10))
            divisor /= 10
        }
    }

    /// A non-negative value with at least `width` digits, zero-padded (`padded` in FerryCore).
    private static func appendPadded(_ value: Int, _ width: Int, to bytes: inout [UInt8]) {
        guard value >= 0 else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        let start = bytes.count
        var rest = value
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        while bytes.count - start < width { bytes.append(UInt8(ascii: "0")) }
        bytes[start...].reverse()
    }

    /// bytea's hex input form, `\x00ff…`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// PostGIS's EWKB: the WKB with the SRID flag set in the geometry type and the SRID after it,
    /// so the `bytea` column keeps the spatial reference (docs/types.md). WKB too short to carry a
    /// header is kept as it is.
    static func extendedWellKnownBinary(srid: Int32, _ wkb: [UInt8]) -> [UInt8] {
        guard wkb.count >= 5, srid != 0 else { return wkb }
        let littleEndian = wkb[0] == 1
        var type = UInt32(0)
        for i in 0..<4 {
            let byte = UInt32(wkb[littleEndian ? 1 + i : 4 - i])
            type |= byte << (8 * UInt32(i))
        }
        type |= 0x2000_0000
        func bytes(_ value: UInt32) -> [UInt8] {
            let le = (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
            return littleEndian ? le : le.reversed()
        }
        return [wkb[0]] + bytes(type) + bytes(UInt32(bitPattern: srid)) + wkb[5...]
    }
}

/// Builds `COPY … FROM STDIN` text-format data: tab-separated fields, `\N` for NULL, escapes.
struct CopyTextBuffer {
    private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    mutating func field(_ text: String?) {
        separate()
        guard let text else {
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "N"))
            return
        }
        appendEscaped(text)
    }

    /// A value in the text ``ColumnValue/postgreSQLText(as:)`` gives, written straight into the
    /// buffer for the common kinds; NULL (and `.unchanged`, which has no text) as `\N`.
    mutating func field(_ value: ColumnValue, as type: SQLServerDataType) {
        switch value {
        case .string(let text):
            separate()
            appendEscaped(text)
        case .int, .decimal, .date, .time, .dateTime:
            separate()
            value.appendPostgreSQLText(as: type, to: &bytes)
        default:
            field(value.postgreSQLText(as: type))
        }
    }

    private mutating func appendEscaped(_ text: String) {
        let utf8 = text.utf8
        // Most text has nothing to escape: copy it in one step.
        let copied = utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            guard !buffer.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
                return false
            }
            bytes.append(contentsOf: buffer)
            return true
        } ?? false
        guard !copied else { return }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            default: bytes.append(byte)
            }
        }
    }

    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }
}
