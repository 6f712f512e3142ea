/// An exact `decimal`/`numeric` value: an unscaled integer and a scale (`value = unscaled / 10^scale`).
///
/// SQL Server allows up to 38 digits, so the unscaled value always fits an `Int128`. Nothing here goes
/// through floating point. Two values with the same number but different scales (`1.0`, `1.00`) are
/// different representations and compare unequal.
public struct TDSDecimal: Hashable, Sendable, CustomStringConvertible {
    /// The digits without the decimal point, with the sign.
    public var unscaledValue: Int128
    /// How many of the digits are after the decimal point (0...38).
    public var scale: Int
    /// The declared precision (total digits, 1...38).
    public var precision: Int

    /// The largest precision SQL Server supports.
    public static let maximumPrecision = 38

    /// Makes a value from its unscaled digits, scale and precision.
    public init(unscaledValue: Int128, scale: Int, precision: Int = TDSDecimal.maximumPrecision) {
        self.unscaledValue = unscaledValue
        self.scale = scale
        self.precision = precision
    }

    /// Parses a plain decimal string such as `-123.4500` exactly (no exponent, at most 38 digits).
    /// The precision becomes the number of digits given (at least the scale, at least 1).
    public init?(exactly text: String) {
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var magnitude: UInt128 = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        for byte in utf8 {
            if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            digits += 1
            guard digits <= Self.maximumPrecision else { return nil }
            magnitude = magnitude * 10 + UInt128(byte - UInt8(ascii: "0"))
            if seenPoint { scale += 1 }
        }
        guard digits > 0 else { return nil }
        let signed = Int128(magnitude)
        self.init(unscaledValue: negative ? -signed : signed, scale: scale, precision: max(digits, scale, 1))
    }

    /// Whether the value is below zero.
    public var isNegative: Bool { unscaledValue < 0 }

    /// The exact value, e.g. `-0.0500` for unscaled -500 with scale 4.
    public var description: String {
        var digits = String(unscaledValue.magnitude)
        if scale > 0 {
            if digits.count <= scale {
                digits = String(repeating: "0", count: scale - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return unscaledValue < 0 ? "-" + digits : digits
    }
}
