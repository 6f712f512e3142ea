import CLibPQ

/// Streams rows into a running `COPY … FROM STDIN` (text format); handed to the body of
/// ``PostgresConnection/copyIn(_:_:)``.
///
/// Rows are encoded into a buffer that is sent with `PQputCopyData` whenever it reaches about
/// 64 KiB, so memory stays flat however many rows are copied. The writer cannot be copied or kept
/// after the body returns.
public struct PostgresCopyWriter: ~Copyable {
    /// Bytes buffered before a send: large enough to amortise calls, small enough to stream.
    static let chunkSize = 64 * 1024

    private let handle: PostgresConnectionHandle
    private var buffer: [UInt8] = []
    private var fieldsInRow = 0
    /// Rows finished so far with ``writeRow(_:)`` or ``endRow()``.
    public private(set) var rowsWritten = 0
    /// Bytes handed to libpq so far.
    public private(set) var bytesSent = 0

    init(handle: PostgresConnectionHandle) {
        self.handle = handle
        buffer.reserveCapacity(Self.chunkSize + 4096)
    }

    /// Writes one row in COPY text format: fields separated by tabs, `\N` for NULL, and
    /// backslash, tab, newline and carriage return escaped.
    public mutating func writeRow(_ values: [PostgresValue]) throws(PostgresError) {
        for value in values {
            writeField(value)
        }
        try endRow()
    }

    /// Appends one field to the current row; finish the row with ``endRow()``.
    public mutating func writeField(_ value: PostgresValue) {
        if fieldsInRow > 0 {
            buffer.append(UInt8(ascii: "\t"))
        }
        fieldsInRow += 1
        switch value {
        case .null:
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
        case .text(let text):
            appendEscaped(text)
        case .bytes(let bytes):
            // bytea's hex input `\x…`, whose backslash COPY text needs escaped (`\\x…`).
            appendEscaped(PostgresByteaText.hexEncoded(bytes))
        default:
            // Numbers and booleans contain nothing that needs escaping.
            buffer.append(contentsOf: (value.textRepresentation ?? "").utf8)
        }
    }

    /// Ends the current row, sending the buffer if it has grown past the chunk size.
    public mutating func endRow() throws(PostgresError) {
        buffer.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rowsWritten += 1
        if buffer.count >= Self.chunkSize {
            try flush()
        }
    }

    /// Sends data that is already in the format the COPY statement expects (text, CSV, binary).
    /// Do not mix with a row left open by ``writeField(_:)``.
    public mutating func writeRaw(_ data: some Sequence<UInt8>) throws(PostgresError) {
        buffer.append(contentsOf: data)
        if buffer.count >= Self.chunkSize {
            try flush()
        }
    }

    /// Sends everything buffered so far.
    mutating func flush() throws(PostgresError) {
        guard !buffer.isEmpty else { return }
        let handle = self.handle
        let status = buffer.withUnsafeBufferPointer { bytes in
            handle.withConnection { connection in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    PQputCopyData(connection, chars.baseAddress, Int32(chars.count))
                }
            }
        }
        guard status == 1 else {
            throw PostgresError(
                code: handle.isBad ? .connectionLost : .copyFailed,
                message: "sending COPY data failed: \(handle.errorMessage)")
        }
        bytesSent += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func appendEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"):
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\t"):
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"):
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"):
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "r"))
            default:
                buffer.append(byte)
            }
        }
    }
}
