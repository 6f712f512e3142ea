/// A SQL Server log sequence number: the position of a change in the source's transaction log.
///
/// Ten bytes, compared as an unsigned big-endian integer: a 4-byte virtual log file number, a
/// 4-byte block and a 2-byte slot. SQL Server prints it in lowercase hex as `vlf:block:slot`
/// (`0000002d:00000580:001d`), which is the form Ferry writes into events and checkpoints.
public struct LSN: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The virtual log file number (bytes 0–3).
    public var virtualLogFile: UInt32
    /// The log block (bytes 4–7).
    public var block: UInt32
    /// The slot within the block (bytes 8–9).
    public var slot: UInt16

    /// The smallest LSN, ten zero bytes; `sys.fn_cdc_get_min_lsn` returns it for an unknown instance.
    public static let zero = LSN(virtualLogFile: 0, block: 0, slot: 0)
    /// The largest LSN.
    public static let max = LSN(virtualLogFile: .max, block: .max, slot: .max)

    /// Makes an LSN from its three parts.
    public init(virtualLogFile: UInt32, block: UInt32, slot: UInt16) {
        self.virtualLogFile = virtualLogFile
        self.block = block
        self.slot = slot
    }

    /// Reads the 10-byte `binary(10)` form; `nil` unless `bytes` has exactly ten bytes.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 10 else { return nil }
        let b = Array(bytes)
        virtualLogFile = b[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
        block = b[4..<8].reduce(0) { $0 << 8 | UInt32($1) }
        slot = b[8..<10].reduce(0) { $0 << 8 | UInt16($1) }
    }

    /// Parses SQL Server's printed form `vlf:block:slot` (8, 8 and 4 hex digits; case ignored), or
    /// the `0x` hex form of the ten bytes (`0x0000002D000005800001D`-style, 20 hex digits).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3 {
            guard parts[0].count == 8, parts[1].count == 8, parts[2].count == 4,
                  let vlf = UInt32(parts[0], radix: 16), let block = UInt32(parts[1], radix: 16),
                  let slot = UInt16(parts[2], radix: 16)
            else { return nil }
            self.init(virtualLogFile: vlf, block: block, slot: slot)
            return
        }
        guard text.count == 22, text.lowercased().hasPrefix("0x") else { return nil }
        let digits = Array(text.dropFirst(2))
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 20, by: 2) {
            guard let byte = UInt8(String(digits[i...i + 1]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.init(bytes: bytes)
    }

    /// The 10-byte big-endian form, as stored in `binary(10)` columns.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(10)
        for shift in stride(from: 24, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: virtualLogFile >> UInt32(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: block >> UInt32(shift))) }
        result.append(UInt8(truncatingIfNeeded: slot >> 8))
        result.append(UInt8(truncatingIfNeeded: slot))
        return result
    }

    /// The printed form, `0000002d:00000580:001d`.
    public var description: String {
        hex(UInt64(virtualLogFile), digits: 8) + ":" + hex(UInt64(block), digits: 8) + ":" + hex(UInt64(slot), digits: 4)
    }

    /// The T-SQL literal of the ten bytes, `0x0000002D00000580001D`, for queries.
    public var hexLiteral: String {
        "0x" + bytes.map { hex(UInt64($0), digits: 2).uppercased() }.joined()
    }

    /// The next LSN, as `sys.fn_cdc_increment_lsn` computes it; `nil` after ``max``.
    public func incremented() -> LSN? {
        if slot < .max { return LSN(virtualLogFile: virtualLogFile, block: block, slot: slot + 1) }
        if block < .max { return LSN(virtualLogFile: virtualLogFile, block: block + 1, slot: 0) }
        if virtualLogFile < .max { return LSN(virtualLogFile: virtualLogFile + 1, block: 0, slot: 0) }
        return nil
    }

    /// The previous LSN, as `sys.fn_cdc_decrement_lsn` computes it; `nil` before ``zero``.
    public func decremented() -> LSN? {
        if slot > 0 { return LSN(virtualLogFile: virtualLogFile, block: block, slot: slot - 1) }
        if block > 0 { return LSN(virtualLogFile: virtualLogFile, block: block - 1, slot: .max) }
        if virtualLogFile > 0 { return LSN(virtualLogFile: virtualLogFile - 1, block: .max, slot: .max) }
        return nil
    }

    public static func < (lhs: LSN, rhs: LSN) -> Bool {
        (lhs.virtualLogFile, lhs.block, lhs.slot) < (rhs.virtualLogFile, rhs.block, rhs.slot)
    }
}

private func hex(_ value: UInt64, digits: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: Swift.max(0, digits - text.count)) + text
}
