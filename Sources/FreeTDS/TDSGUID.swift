/// A `uniqueidentifier`, held in the order it is written (`6F9619FF-8B86-D011-B42D-00C04FC964FF`).
public struct TDSGUID: Hashable, Sendable, CustomStringConvertible {
    /// The 16 bytes in display order (the first three groups already byte-swapped from the wire).
    public let bytes: [UInt8]

    /// Makes a value from 16 bytes in display order.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Makes a value from the 16 bytes as SQL Server stores and sends them: the first three groups
    /// (4, 2 and 2 bytes) little-endian, the last 8 bytes as they are.
    public init?(storageBytes: some Collection<UInt8>) {
        let raw = Array(storageBytes)
        guard raw.count == 16 else { return nil }
        let order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
        self.bytes = order.map { raw[$0] }
    }

    /// Parses `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX` (either case, optional braces).
    public init?(uuidString: String) {
        var text = Substring(uuidString)
        if text.first == "{", text.last == "}" { text = text.dropFirst().dropLast() }
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return nil }
        var result: [UInt8] = []
        let hex = Array(groups.joined().utf8)
        for index in stride(from: 0, to: hex.count, by: 2) {
            guard let high = hexValue(hex[index]), let low = hexValue(hex[index + 1]) else { return nil }
            result.append(high << 4 | low)
        }
        self.bytes = result
    }

    /// The bytes in SQL Server's storage order (inverse of ``init(storageBytes:)``).
    public var storageBytes: [UInt8] {
        let order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
        return order.map { bytes[$0] }
    }

    /// Upper-case hex in 8-4-4-4-12 groups, as SQL Server prints it.
    public var uuidString: String {
        var text = ""
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text += "-" }
            text += hexByte(byte)
        }
        return text
    }

    /// Same as ``uuidString``.
    public var description: String { uuidString }
}

private func hexValue(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
    default: nil
    }
}

/// Two upper-case hex digits.
func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
