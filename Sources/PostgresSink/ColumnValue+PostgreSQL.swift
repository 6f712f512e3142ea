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
        case .variant(let base, let value):
            // jsonb: the object the event carries ({"type": "decimal(10,2)", "value": "12.34"}).
            // Encoding cannot fail for a variant decoded from an event (decoding checks the same
            // rules); were it to, the base value's text makes PostgreSQL refuse the row.
            return (try? EnvelopeCodec.encodeColumnValue(self, as: Self.variantType)) ?? value.postgreSQLText(as: base)
        }
    }

    /// Appends the text of ``postgreSQLText(as:)`` for integers, decimals, dates and times, written
    /// digit by digit (no intermediate strings: these are most of a typical row); returns `false`
    /// for other values, leaving `bytes` as it was. None of these texts needs COPY escaping.
    @discardableResult
    func appendPostgreSQLText(as type: SQLServerDataType, to bytes: inout [UInt8]) -> Bool {
        switch self {
        case .int(let value):
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            let start = bytes.count
            var rest = value.magnitude
            repeat {
                bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            bytes[start...].reverse()
        case .decimal(let value):
            value.appendDescription(to: &bytes)
        case .date(let value):
            value.appendDescription(to: &bytes)
        case .time(let value):
            value.appendFormatted(fractionDigits: Swift.min(type.effectiveScale ?? 7, 6), to: &bytes)
        case .dateTime(let value):
            value.appendFormatted(fractionDigits: Swift.min(type.effectiveScale ?? 7, 6), to: &bytes)
        default:
            return false
        }
        return true
    }

    /// `sql_variant`, the column type a variant value is encoded as.
    static let variantType = try! SQLServerDataType(.sqlVariant)

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

    /// A field of one ASCII character that needs no escaping (the staging operation).
    mutating func asciiField(_ byte: UInt8) {
        separate()
        bytes.append(byte)
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

    mutating func reserveCapacity(_ capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Empties the buffer for the next chunk of rows, keeping its storage.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldsInRow = 0
    }

    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }
}
