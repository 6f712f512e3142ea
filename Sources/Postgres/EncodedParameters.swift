import CLibPQ

/// Statement parameters laid out as libpq wants them: one buffer, and per parameter a type OID,
/// a pointer (NULL for SQL NULL), a length and a format (text, or binary for bytes).
struct EncodedParameters {
    // Starts with one byte so even an empty binary value gets a non-NULL pointer (NULL means SQL NULL).
    private var storage: [UInt8] = [0]
    private var offsets: [Int?] = []
    private var types: [Oid] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ values: [PostgresValue]) throws(PostgresError) {
        offsets.reserveCapacity(values.count)
        for (position, value) in values.enumerated() {
            types.append(value.dataType.rawValue)
            switch value {
            case .null:
                offsets.append(nil)
                lengths.append(0)
                formats.append(PostgresFormat.text.rawValue)
            case .bytes(let bytes):
                offsets.append(storage.count)
                storage.append(contentsOf: bytes)
                lengths.append(Int32(bytes.count))
                formats.append(PostgresFormat.binary.rawValue)
            default:
                let text = value.textRepresentation ?? ""
                // Text parameters are C strings: a NUL would silently cut the value short.
                guard !text.utf8.contains(0) else {
                    throw PostgresError(
                        code: .invalidParameter,
                        message: "parameter $\(position + 1) contains a NUL character, which PostgreSQL text cannot store")
                }
                offsets.append(storage.count)
                storage.append(contentsOf: text.utf8)
                storage.append(0)
                lengths.append(Int32(text.utf8.count))
                formats.append(PostgresFormat.text.rawValue)
            }
        }
    }

    /// Calls `body` with libpq's parameter arrays; the pointers are valid only during the call.
    func withPointers<T>(
        _ body: (
            Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
            UnsafePointer<Int32>?
        ) -> T
    ) -> T {
        storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { base + $0 } }
            return types.withUnsafeBufferPointer { types in
                pointers.withUnsafeBufferPointer { values in
                    lengths.withUnsafeBufferPointer { lengths in
                        formats.withUnsafeBufferPointer { formats in
                            body(Int32(offsets.count), types.baseAddress, values.baseAddress, lengths.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
