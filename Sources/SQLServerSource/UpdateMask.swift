/// `__$update_mask`: one bit per captured column, bit `column_ordinal − 1`, bytes big-endian (the
/// last byte holds ordinals 1–8, ordinal 1 = `0x01`), as `sys.fn_cdc_is_bit_set` reads it.
public struct UpdateMask: Hashable, Sendable {
    /// The mask bytes as stored.
    public var bytes: [UInt8]

    /// Wraps the stored bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether the column with 1-based `ordinal` is marked changed. Ordinals beyond the mask are not.
    public func isSet(ordinal: Int) -> Bool {
        guard ordinal >= 1 else { return false }
        let bit = ordinal - 1
        let byteFromEnd = bit / 8
        guard byteFromEnd < bytes.count else { return false }
        return bytes[bytes.count - 1 - byteFromEnd] & (1 << UInt8(bit % 8)) != 0
    }

    /// The mask with the given 1-based ordinals set, `ceil(count / 8)` bytes long.
    public static func with(ordinals: [Int], count: Int) -> UpdateMask {
        var bytes = [UInt8](repeating: 0, count: max(1, (count + 7) / 8))
        for ordinal in ordinals where ordinal >= 1 && ordinal <= count {
            let bit = ordinal - 1
            bytes[bytes.count - 1 - bit / 8] |= 1 << UInt8(bit % 8)
        }
        return UpdateMask(bytes)
    }
}
