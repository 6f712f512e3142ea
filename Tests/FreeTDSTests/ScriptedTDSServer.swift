#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A scripted TDS 7.4 peer on 127.0.0.1 for end-to-end tests of the connection until Ferry's SQL
/// Server emulator exists. It answers PRELOGIN (no encryption) and LOGIN7 (a login named `wrong`
/// gets error 18456), then answers each SQL batch with the token stream `respond` returns, and an
/// attention with DONE(attention). The batch `KILL` closes the socket. It runs on its own thread and serves one client at a time.
final class ScriptedTDSServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let respond: @Sendable (String) -> [UInt8]
    private let batchesState = Mutex<[String]>([])
    private let attentionsState = Mutex(0)

    /// Every SQL batch text received, in order.
    var batches: [String] { batchesState.withLock { $0 } }
    /// How many attention (cancel) packets arrived.
    var attentions: Int { attentionsState.withLock { $0 } }

    init(respond: @escaping @Sendable (String) -> [UInt8]) throws {
        let listening = try LocalListener(listening: true)
        self.port = listening.port
        self.listener = dup(listening.descriptorForServer)
        self.respond = respond
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { argument in
            #if canImport(Darwin)
            let server = Unmanaged<ScriptedTDSServer>.fromOpaque(argument).takeRetainedValue()
            #else
            let server = Unmanaged<ScriptedTDSServer>.fromOpaque(argument!).takeRetainedValue()
            #endif
            server.serve()
            return nil
        }, box.toOpaque())
        precondition(rc == 0)
        pthread_detach(thread)
    }

    /// Stops accepting clients; the serving thread exits when accept fails.
    ///
    /// Only the serving thread closes the listener: closing it here would free its descriptor number
    /// while the thread may still be serving a client, and when that thread came back to `accept`
    /// it would take the connections of whatever socket reused the number — the next test's server.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func serve() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        while let (type, payload) = readMessage(client) {
            switch type {
            case 0x12:
                send(client, type: 0x04, payload: Self.preloginReply)
            case 0x10:
                send(client, type: 0x04, payload: Self.loginReply(user: Self.loginUser(payload)))
            case 0x01:
                let text = Self.batchText(payload)
                batchesState.withLock { $0.append(text) }
                // "KILL" drops the connection, like a server that went away mid-batch.
                if text == "KILL" { return }
                let reply = respond(text)
                // An empty reply means "never answer": the client has to time out and send an attention.
                if !reply.isEmpty { send(client, type: 0x04, payload: reply) }
            case 0x06:
                attentionsState.withLock { $0 += 1 }
                var writer = TokenWriter()
                writer.done(status: 0x20)
                send(client, type: 0x04, payload: writer.bytes)
            default:
                return
            }
        }
    }

    private func readExactly(_ client: Int32, _ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress! + received, count - received, 0) }
            guard n > 0 else { return nil }
            received += n
        }
        return buffer
    }

    private func readMessage(_ client: Int32) -> (UInt8, [UInt8])? {
        var payload: [UInt8] = []
        while true {
            guard let header = readExactly(client, 8) else { return nil }
            let length = Int(header[2]) << 8 | Int(header[3])
            guard length >= 8, let body = readExactly(client, length - 8) else { return nil }
            payload += body
            if header[1] & 0x01 != 0 { return (header[0], payload) }
        }
    }

    private func send(_ client: Int32, type: UInt8, payload: [UInt8]) {
        let chunkSize = 4096 - 8
        var offset = 0
        var packetID: UInt8 = 1
        repeat {
            let end = min(offset + chunkSize, payload.count)
            let isLast = end == payload.count
            let length = end - offset + 8
            var packet: [UInt8] = [type, isLast ? 0x01 : 0x00, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, packetID, 0]
            packet += payload[offset..<end]
            var sent = 0
            while sent < packet.count {
                let n = packet.withUnsafeBytes { Glibc.send(client, $0.baseAddress! + sent, packet.count - sent, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { return }
                sent += n
            }
            offset = end
            packetID &+= 1
        } while offset < payload.count
    }

    private static let preloginReply: [UInt8] = [
        0x00, 0x00, 26, 0x00, 6,   // VERSION
        0x01, 0x00, 32, 0x00, 1,   // ENCRYPTION
        0x02, 0x00, 33, 0x00, 1,   // INSTOPT
        0x03, 0x00, 34, 0x00, 0,   // THREADID
        0x04, 0x00, 34, 0x00, 1,   // MARS
        0xFF,
        0x10, 0x00, 0x0F, 0xA0, 0x00, 0x00,
        0x02,                      // encryption not supported
        0x00,
        0x00,
    ]

    private static func loginUser(_ payload: [UInt8]) -> String {
        guard payload.count >= 44 else { return "" }
        let offset = Int(payload[40]) | Int(payload[41]) << 8
        let count = Int(payload[42]) | Int(payload[43]) << 8
        guard offset + count * 2 <= payload.count else { return "" }
        return utf16(Array(payload[offset..<(offset + count * 2)]))
    }

    private static func loginReply(user: String) -> [UInt8] {
        var writer = TokenWriter()
        if user == "wrong" {
            writer.message(token: 0xAA, number: 18456, state: 1, severity: 14, text: "Login failed for user 'wrong'.", line: 1)
            writer.done(status: 0x02)
            return writer.bytes
        }
        writer.envChangeCollation()
        writer.message(token: 0xAB, number: 5701, state: 2, severity: 0, text: "Changed database context to 'master'.", line: 1)
        writer.loginAck()
        writer.done(status: 0)
        return writer.bytes
    }

    private static func batchText(_ payload: [UInt8]) -> String {
        guard payload.count >= 4 else { return "" }
        let headersLength = Int(payload[0]) | Int(payload[1]) << 8 | Int(payload[2]) << 16 | Int(payload[3]) << 24
        guard headersLength <= payload.count else { return "" }
        return utf16(Array(payload[headersLength...]))
    }

    private static func utf16(_ bytes: [UInt8]) -> String {
        let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
        return String(decoding: units, as: UTF16.self)
    }
}

/// Builds TDS 7.4 reply token streams.
struct TokenWriter {
    private(set) var bytes: [UInt8] = []

    enum Column {
        case int(String)
        case nvarchar(String)
        case decimal(String, precision: UInt8, scale: UInt8)
        case datetime2(String)
        case datetimeoffset(String)
        case guid(String)
        case varbinary(String)
        case varchar(String)
        case nvarcharMax(String)
        case varbinaryMax(String)
        case xml(String)
    }

    enum Value {
        case null
        case int(Int32)
        case text(String)
        case decimal(negative: Bool, magnitude: UInt128)
        case datetime2(days: Int, ticks: UInt64)
        case datetimeoffset(days: Int, ticks: UInt64, offset: Int16)
        case guid([UInt8])
        case bytes([UInt8])
        /// A PLP value of a `(max)` or `xml` column; nil is NULL.
        case plp([UInt8]?)
    }

    mutating func u16(_ value: Int) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    mutating func u32(_ value: Int) { for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(value >> shift & 0xFF)) } }
    mutating func u64(_ value: UInt64) { for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(value >> UInt64(shift) & 0xFF)) } }
    mutating func utf16(_ text: String) { for unit in text.utf16 { u16(Int(unit)) } }
    mutating func bVarchar(_ text: String) {
        bytes.append(UInt8(text.utf16.count))
        utf16(text)
    }

    mutating func envChangeCollation() {
        bytes.append(0xE3)
        u16(8)
        bytes += [7, 5, 0x09, 0x04, 0xD0, 0x00, 0x34, 0]
    }

    mutating func loginAck() {
        let name = "Microsoft SQL Server"
        bytes.append(0xAD)
        u16(10 + 2 * name.utf16.count)
        bytes += [0x01, 0x74, 0x00, 0x00, 0x04]
        bVarchar(name)
        bytes += [0x10, 0x00, 0x0F, 0xA0]
    }

    mutating func message(token: UInt8, number: Int, state: UInt8, severity: UInt8, text: String, procedure: String = "", line: Int) {
        var body = TokenWriter()
        body.u32(number)
        body.bytes += [state, severity]
        body.u16(text.utf16.count)
        body.utf16(text)
        body.bVarchar("scripted")
        body.bVarchar(procedure)
        body.u32(line)
        bytes.append(token)
        u16(body.bytes.count)
        bytes += body.bytes
    }

    mutating func columns(_ columns: [Column]) {
        bytes.append(0x81)
        u16(columns.count)
        for column in columns {
            u32(0)
            u16(0x0001)
            let name: String
            switch column {
            case .int(let n): bytes += [0x26, 4]; name = n
            case .nvarchar(let n): bytes.append(0xE7); u16(200); bytes += [0x09, 0x04, 0xD0, 0x00, 0x34]; name = n
            case .decimal(let n, let precision, let scale): bytes += [0x6A, 17, precision, scale]; name = n
            case .datetime2(let n): bytes += [0x2A, 7]; name = n
            case .datetimeoffset(let n): bytes += [0x2B, 7]; name = n
            case .guid(let n): bytes += [0x24, 16]; name = n
            case .varbinary(let n): bytes.append(0xA5); u16(50); name = n
            case .varchar(let n): bytes.append(0xA7); u16(50); bytes += [0x09, 0x04, 0xD0, 0x00, 0x34]; name = n
            case .nvarcharMax(let n): bytes.append(0xE7); u16(0xFFFF); bytes += [0x09, 0x04, 0xD0, 0x00, 0x34]; name = n
            case .varbinaryMax(let n): bytes.append(0xA5); u16(0xFFFF); name = n
            case .xml(let n): bytes += [0xF1, 0x00]; name = n
            }
            bVarchar(name)
        }
    }

    /// One ROW; `columns` gives each value's wire form (variable-length types use a USHORT length).
    mutating func row(_ values: [Value], columns: [Column]) {
        bytes.append(0xD1)
        for (value, column) in zip(values, columns) {
            let usesShortLength: Bool
            switch column {
            case .nvarchar, .varbinary, .varchar: usesShortLength = true
            default: usesShortLength = false
            }
            switch value {
            case .null:
                if usesShortLength { u16(0xFFFF) } else { bytes.append(0) }
            case .int(let v): bytes.append(4); u32(Int(UInt32(bitPattern: v)))
            case .text(let text): u16(text.utf16.count * 2); utf16(text)
            case .bytes(let data): u16(data.count); bytes += data
            case .decimal(let negative, let magnitude):
                bytes += [17, negative ? 0 : 1]
                for shift in stride(from: 0, to: 128, by: 8) { bytes.append(UInt8(truncatingIfNeeded: magnitude >> UInt128(shift))) }
            case .datetime2(let days, let ticks):
                bytes.append(8)
                for shift in stride(from: 0, to: 40, by: 8) { bytes.append(UInt8(truncatingIfNeeded: ticks >> UInt64(shift))) }
                for shift in stride(from: 0, to: 24, by: 8) { bytes.append(UInt8(truncatingIfNeeded: days >> shift)) }
            case .datetimeoffset(let days, let ticks, let offset):
                bytes.append(10)
                for shift in stride(from: 0, to: 40, by: 8) { bytes.append(UInt8(truncatingIfNeeded: ticks >> UInt64(shift))) }
                for shift in stride(from: 0, to: 24, by: 8) { bytes.append(UInt8(truncatingIfNeeded: days >> shift)) }
                u16(Int(UInt16(bitPattern: offset)))
            case .guid(let stored): bytes.append(16); bytes += stored
            case .plp(nil): u64(.max)
            case .plp(let data?):
                u64(UInt64(data.count))
                var offset = 0
                while offset < data.count {
                    let end = min(offset + 8000, data.count)
                    u32(end - offset)
                    bytes += data[offset..<end]
                    offset = end
                }
                u32(0)
            }
        }
    }

    mutating func returnStatus(_ status: Int32) {
        bytes.append(0x79)
        u32(Int(UInt32(bitPattern: status)))
    }

    @discardableResult
    mutating func done(token: UInt8 = 0xFD, status: Int, command: Int = 0xC1, rowCount: UInt64 = 0) -> TokenWriter {
        bytes.append(token)
        u16(status)
        u16(command)
        u64(rowCount)
        return self
    }
}
