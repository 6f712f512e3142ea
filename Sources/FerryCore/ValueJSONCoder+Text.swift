// The printed forms of decimals, dates and times written digit by digit into a byte buffer.
// Every event carries several of them and every COPY row too; building them from small strings
// (`padded`, concatenation) cost more than the rest of the value's encoding.

extension ExactDecimal {
    /// Appends exactly the text of ``description`` (`-12.3400`) to `bytes`.
    public func appendDescription(to bytes: inout [UInt8]) {
        ExactDecimal.appendDigits(negative: unscaled < 0, magnitude: unscaled.magnitude, scale: scale, to: &bytes)
    }

    /// `-`, at least one integer digit, a point and `scale` fraction digits when `scale > 0`:
    /// written backwards, then reversed in place.
    static func appendDigits(negative: Bool, magnitude: UInt128, scale: Int, to bytes: inout [UInt8]) {
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
}

extension SQLDate {
    /// Appends exactly the text of ``description`` (`YYYY-MM-DD`) to `bytes`.
    public func appendDescription(to bytes: inout [UInt8]) {
        appendPaddedDigits(year, 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPaddedDigits(month, 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPaddedDigits(day, 2, to: &bytes)
    }
}

extension SQLTime {
    /// Appends exactly the text of ``formatted(fractionDigits:)`` (`HH:MM:SS.fff`) to `bytes`.
    public func appendFormatted(fractionDigits digits: Int, to bytes: inout [UInt8]) {
        let c = components
        appendPaddedDigits(c.hour, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPaddedDigits(c.minute, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPaddedDigits(c.second, 2, to: &bytes)
        guard digits > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var divisor = 1_000_000
        for _ in 0..<Swift.min(digits, 7) {
            bytes.append(UInt8(ascii: "0") + UInt8(c.fraction / divisor % 10))
            divisor /= 10
        }
    }
}

extension SQLDateTime {
    /// Appends exactly the text of ``formatted(fractionDigits:)`` (`YYYY-MM-DDTHH:MM:SS.fff`) to `bytes`.
    public func appendFormatted(fractionDigits digits: Int, to bytes: inout [UInt8]) {
        date.appendDescription(to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        time.appendFormatted(fractionDigits: digits, to: &bytes)
    }
}

/// `padded(value, width)` as bytes: at least `width` digits, zero-filled.
func appendPaddedDigits(_ value: Int, _ width: Int, to bytes: inout [UInt8]) {
    guard value >= 0 else {
        bytes.append(contentsOf: padded(value, width).utf8)
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

extension ValueJSONCoder {
    /// The text a byte writer makes, as a `String`.
    static func text(_ write: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        write(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
