/// An exact decimal number: an unscaled integer and a scale, `value = unscaled × 10^-scale`.
///
/// Holds every `decimal(38,s)`, `numeric`, `money` and `smallmoney` value without rounding;
/// never goes through `Double`. Equality is structural: `1.0` (scale 1) and `1.00` (scale 2) differ,
/// because the scale is part of what the source sent.
public struct ExactDecimal: Hashable, Sendable, CustomStringConvertible {
    /// The digits without the decimal point; |unscaled| < 10^38.
    public var unscaled: Int128
    /// The number of digits after the decimal point (0–38).
    public var scale: Int

    /// The largest magnitude SQL Server stores: 10^38 − 1.
    public static let maximumUnscaled: Int128 = {
        var value: Int128 = 1
        for _ in 0..<38 { value *= 10 }
        return value - 1
    }()

    /// Makes a decimal; `nil` if the scale is not 0–38 or the digits exceed 38.
    public init?(unscaled: Int128, scale: Int) {
        guard (0...38).contains(scale), unscaled >= -Self.maximumUnscaled, unscaled <= Self.maximumUnscaled else { return nil }
        self.unscaled = unscaled
        self.scale = scale
    }

    /// Parses plain decimal text: `-12345.6789`, `0.5`, `42` (no exponent, no grouping). The scale
    /// is the number of digits written after the point.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: Substring(text).utf8)
    }

    /// Parses plain decimal text given as UTF-8 bytes, with the grammar of ``init(_:)``: optional
    /// sign, digits, optional point and digits; at most 38 significant digits.
    public init?<Bytes: Collection<UInt8>>(utf8 bytes: Bytes) {
        var utf8 = bytes[...]
        var negative = false
        if utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") {
            negative = utf8.first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var unscaled: Int128 = 0
        var scale = 0
        var digits = 0
        var seenPoint = false
        var integerDigits = 0
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            if seenPoint { scale += 1 } else { integerDigits += 1 }
            if unscaled == 0 && byte == UInt8(ascii: "0") && !seenPoint { continue }
            digits += 1
            guard digits <= 38 else { return nil }
            unscaled = unscaled * 10 + Int128(byte - UInt8(ascii: "0"))
        }
        guard integerDigits > 0, !seenPoint || scale > 0 else { return nil }
        self.init(unscaled: negative ? -unscaled : unscaled, scale: scale)
    }

    /// The same number with another scale; `nil` if digits would be lost or the result exceeds 38 digits.
    public func rescaled(to newScale: Int) -> ExactDecimal? {
        guard (0...38).contains(newScale) else { return nil }
        if newScale == scale { return self }
        if newScale > scale {
            var value = unscaled
            for _ in scale..<newScale {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = product
            }
            return ExactDecimal(unscaled: value, scale: newScale)
        }
        var value = unscaled
        for _ in newScale..<scale {
            guard value % 10 == 0 else { return nil }
            value /= 10
        }
        return ExactDecimal(unscaled: value, scale: newScale)
    }

    /// The number of significant integer-part and fraction digits together (as SQL Server's precision counts them).
    public var precision: Int {
        var digits = 0
        var value = unscaled.magnitude
        while value > 0 { digits += 1; value /= 10 }
        return Swift.max(digits, scale, 1)
    }

    /// Plain text with exactly ``scale`` fraction digits: `-922337203685477.5808`, `0.0100`.
    public var description: String {
        let digits = String(unscaled.magnitude)
        let sign = unscaled < 0 ? "-" : ""
        guard scale > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: Swift.max(0, scale + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -scale)
        return sign + padded[..<point] + "." + padded[point...]
    }
}
