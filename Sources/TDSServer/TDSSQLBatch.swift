/// A SQL batch request (packet type 0x01): the text and the ALL_HEADERS that preceded it.
public struct TDSSQLBatch: Sendable, Hashable {
    /// The batch text.
    public var text: String
    /// The transaction descriptor from the ALL_HEADERS transaction header (0 when outside a
    /// transaction): the 8 bytes the server last announced with ENVCHANGE 8, read little-endian.
    public var transactionDescriptor: UInt64
    /// The outstanding request count from the same header (1 without MARS).
    public var outstandingRequestCount: UInt32

    /// Makes a batch.
    public init(text: String, transactionDescriptor: UInt64 = 0, outstandingRequestCount: UInt32 = 1) {
        self.text = text
        self.transactionDescriptor = transactionDescriptor
        self.outstandingRequestCount = outstandingRequestCount
    }
}

/// The headers every SQL batch and RPC request starts with (MS-TDS 2.2.5.3).
struct TDSAllHeaders {
    var transactionDescriptor: UInt64 = 0
    var outstandingRequestCount: UInt32 = 1

    /// Reads ALL_HEADERS: a total length, then headers of (length, type, data). Type 2 is the
    /// transaction descriptor; query notifications (1) and trace activity (3) are skipped.
    static func read(from reader: inout ByteReader) throws(TDSServerError) -> TDSAllHeaders {
        var headers = TDSAllHeaders()
        let start = reader.position
        let total = Int(try reader.littleEndian(UInt32.self, "the ALL_HEADERS length"))
        guard total >= 4, total - 4 <= reader.remaining else {
            throw TDSServerError(.malformedRequest, "ALL_HEADERS declares \(total) bytes, which does not fit the request")
        }
        while reader.position < start + total {
            let headerStart = reader.position
            let length = Int(try reader.littleEndian(UInt32.self, "a header length"))
            guard length >= 6, headerStart + length <= start + total else {
                throw TDSServerError(.malformedRequest, "a header of \(length) bytes does not fit ALL_HEADERS")
            }
            let type = try reader.littleEndian(UInt16.self, "a header type")
            if type == 2, length >= 18 {
                headers.transactionDescriptor = try reader.littleEndian(UInt64.self, "the transaction descriptor")
                headers.outstandingRequestCount = try reader.littleEndian(UInt32.self, "the outstanding request count")
            }
            try reader.skip(headerStart + length - reader.position, "a header")
        }
        return headers
    }

    /// Whether a request payload starts with ALL_HEADERS: its first DWORD is a plausible total length.
    /// (Required since TDS 7.2; older clients send the text or procedure name right away.)
    static func isPresent(in payload: [UInt8]) -> Bool {
        guard payload.count >= 4 else { return false }
        let total = Int(payload[0]) | Int(payload[1]) << 8 | Int(payload[2]) << 16 | Int(payload[3]) << 24
        return total >= 4 && total <= payload.count && total <= 1024
    }
}

extension TDSSQLBatch {
    /// Parses a SQL batch payload.
    init(parsing payload: [UInt8]) throws(TDSServerError) {
        var reader = ByteReader(payload)
        let headers = TDSAllHeaders.isPresent(in: payload) ? try TDSAllHeaders.read(from: &reader) : TDSAllHeaders()
        guard reader.remaining % 2 == 0 else {
            throw TDSServerError(.malformedRequest, "the batch text is an odd number of bytes, not UTF-16")
        }
        let text = try reader.utf16(units: reader.remaining / 2, "the batch text")
        self.init(text: text, transactionDescriptor: headers.transactionDescriptor, outstandingRequestCount: headers.outstandingRequestCount)
    }
}
