/// How record headers are stored in one blob: for each header, the name's length (4 bytes, big
/// endian), the name in UTF-8, the value's length (4 bytes, big endian, `0xFFFFFFFF` for a `nil`
/// value) and the value. No headers are stored as `NULL`.
enum EmbeddedLogHeaders {
    private static let nilValueLength = UInt32.max

    static func encode(_ headers: [RecordHeader]) -> [UInt8]? {
        guard !headers.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headers.reduce(0) { $0 + 8 + $1.name.utf8.count + ($1.value?.count ?? 0) })
        for header in headers {
            append(UInt32(header.name.utf8.count), to: &bytes)
            bytes += header.name.utf8
            if let value = header.value {
                append(UInt32(value.count), to: &bytes)
                bytes += value
            } else {
                append(nilValueLength, to: &bytes)
            }
        }
        return bytes
    }

    /// The headers in `bytes`, or `nil` if the blob is malformed.
    static func decode(_ bytes: [UInt8]?) -> [RecordHeader]? {
        guard let bytes else { return [] }
        var headers: [RecordHeader] = []
        var index = 0
        func readLength() -> UInt32? {
            guard bytes.count - index >= 4 else { return nil }
            defer { index += 4 }
            return bytes[index..<index + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        func readBytes(_ count: Int) -> ArraySlice<UInt8>? {
            guard bytes.count - index >= count else { return nil }
            defer { index += count }
            return bytes[index..<index + count]
        }
        while index < bytes.count {
            guard let nameLength = readLength(), let name = readBytes(Int(nameLength)), let valueLength = readLength() else {
                return nil
            }
            var value: [UInt8]?
            if valueLength != nilValueLength {
                guard let valueBytes = readBytes(Int(valueLength)) else { return nil }
                value = Array(valueBytes)
            }
            headers.append(RecordHeader(name: String(decoding: name, as: UTF8.self), value: value))
        }
        return headers
    }

    private static func append(_ length: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(length >> 24), UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
    }
}
