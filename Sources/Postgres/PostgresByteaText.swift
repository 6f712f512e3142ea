/// The text forms of `bytea`: output parsing (hex and escape formats) and hex encoding.
enum PostgresByteaText {
    /// Parses `\x0a1b…` (hex, the default `bytea_output`) or the legacy escape format.
    static func decode(_ text: UnsafeRawBufferPointer) throws(PostgresDecodingFailure) -> [UInt8] {
        let backslash = UInt8(ascii: "\\")
        if text.count >= 2, text[0] == backslash, text[1] == UInt8(ascii: "x") {
            guard text.count % 2 == 0 else { throw PostgresDecodingFailure("malformed hex bytea") }
            var output: [UInt8] = []
            output.reserveCapacity((text.count - 2) / 2)
            var index = 2
            while index < text.count {
                guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else {
                    throw PostgresDecodingFailure("malformed hex bytea")
                }
                output.append(high << 4 | low)
                index += 2
            }
            return output
        }
        // Escape format: `\\` is a backslash, `\ooo` an octal byte, everything else literal.
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let byte = text[index]
            guard byte == backslash else {
                output.append(byte)
                index += 1
                continue
            }
            if index + 1 < text.count, text[index + 1] == backslash {
                output.append(backslash)
                index += 2
            } else if index + 3 < text.count, let value = octalValue(text, at: index + 1) {
                output.append(value)
                index += 4
            } else {
                throw PostgresDecodingFailure("malformed escaped bytea")
            }
        }
        return output
    }

    /// `\x` followed by lowercase hex digits: bytea's text input format.
    static func hexEncoded(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        output.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func octalValue(_ text: UnsafeRawBufferPointer, at start: Int) -> UInt8? {
        var value: UInt16 = 0
        for offset in 0..<3 {
            let digit = text[start + offset]
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + UInt16(digit - UInt8(ascii: "0"))
        }
        return UInt8(exactly: value)
    }
}
