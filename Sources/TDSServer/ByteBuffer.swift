/// Little-endian building of TDS payloads. TDS is little-endian except for packet headers, the
/// PRELOGIN option table and LOGINACK's version, which call the big-endian helpers explicitly.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func append(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    mutating func littleEndian<T: FixedWidthInteger>(_ value: T) {
        var value = value.littleEndian
        withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
    }

    mutating func bigEndian<T: FixedWidthInteger>(_ value: T) {
        var value = value.bigEndian
        withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
    }

    mutating func uint16(_ value: Int) { littleEndian(UInt16(truncatingIfNeeded: value)) }
    mutating func uint32(_ value: Int) { littleEndian(UInt32(truncatingIfNeeded: value)) }

    /// The low `count` bytes of `value`, least significant first (3-byte dates, 3–5-byte times).
    mutating func littleEndian(_ value: UInt64, byteCount: Int) {
        for index in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    mutating func utf16(_ text: String) {
        for unit in text.utf16 { littleEndian(unit) }
    }

    /// B_VARCHAR: a byte count of UTF-16 code units, then the text (cut to 255 units).
    mutating func bVarChar(_ text: String) {
        let units = Array(text.utf16.prefix(255))
        byte(UInt8(units.count))
        for unit in units { littleEndian(unit) }
    }

    /// US_VARCHAR: a USHORT count of UTF-16 code units, then the text (cut to 65 535 units).
    mutating func usVarChar(_ text: String) {
        let units = Array(text.utf16.prefix(65_535))
        uint16(units.count)
        for unit in units { littleEndian(unit) }
    }

    /// Overwrites a USHORT written earlier (token lengths known only after the body).
    mutating func patchUInt16(at offset: Int, _ value: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }
}

/// Bounds-checked little-endian reading of a request payload; every read that would run past the
/// end throws a ``TDSServerError`` with code `malformedRequest` naming `what` was being read.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    private func require(_ count: Int, _ what: @autoclosure () -> String) throws(TDSServerError) {
        guard count >= 0, count <= remaining else {
            throw TDSServerError(.malformedRequest, "the request ends inside \(what()) (needs \(count) bytes, \(max(remaining, 0)) left)")
        }
    }

    mutating func byte(_ what: @autoclosure () -> String) throws(TDSServerError) -> UInt8 {
        try require(1, what())
        defer { position += 1 }
        return bytes[position]
    }

    mutating func peekByte() -> UInt8? {
        position < end ? bytes[position] : nil
    }

    mutating func littleEndian<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(TDSServerError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, what())
        var value: T = 0
        for index in 0..<size { value |= T(truncatingIfNeeded: bytes[position + index]) << (8 * index) }
        position += size
        return value
    }

    mutating func bigEndianUInt16(_ what: @autoclosure () -> String) throws(TDSServerError) -> UInt16 {
        try require(2, what())
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    /// An unsigned little-endian integer of 1...8 bytes (3-byte dates, 3–5-byte times).
    mutating func littleEndian(byteCount: Int, _ what: @autoclosure () -> String) throws(TDSServerError) -> UInt64 {
        try require(byteCount, what())
        var value: UInt64 = 0
        for index in 0..<byteCount { value |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += byteCount
        return value
    }

    mutating func bytes(_ count: Int, _ what: @autoclosure () -> String) throws(TDSServerError) -> [UInt8] {
        try require(count, what())
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws(TDSServerError) {
        try require(count, what())
        position += count
    }

    /// `count` UTF-16LE code units as a String (unpaired surrogates become U+FFFD).
    mutating func utf16(units count: Int, _ what: @autoclosure () -> String) throws(TDSServerError) -> String {
        try require(count * 2, what())
        defer { position += count * 2 }
        return decodeUTF16LE(bytes[position..<(position + count * 2)])
    }

    mutating func bVarChar(_ what: @autoclosure () -> String) throws(TDSServerError) -> String {
        let count = Int(try byte(what()))
        return try utf16(units: count, what())
    }

    mutating func usVarChar(_ what: @autoclosure () -> String) throws(TDSServerError) -> String {
        let count = Int(try littleEndian(UInt16.self, what()))
        return try utf16(units: count, what())
    }
}

/// UTF-16LE bytes as a String; an odd trailing byte is ignored.
func decodeUTF16LE(_ bytes: some Collection<UInt8>) -> String {
    var units: [UInt16] = []
    units.reserveCapacity(bytes.count / 2)
    var iterator = bytes.makeIterator()
    while let low = iterator.next(), let high = iterator.next() {
        units.append(UInt16(low) | UInt16(high) << 8)
    }
    return String(decoding: units, as: UTF16.self)
}

/// A String as UTF-16LE bytes.
func encodeUTF16LE(_ text: String) -> [UInt8] {
    var writer = ByteWriter(capacity: text.utf8.count * 2)
    writer.utf16(text)
    return writer.bytes
}
