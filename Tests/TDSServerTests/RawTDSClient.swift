#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Executors

/// A hand-driven TCP client for what FreeTDS cannot be made to send: hand-built requests and
/// malformed bytes. Reads time out after 10 s so a broken server cannot hang the tests.
final class RawTDSClient {
    private let descriptor: Int32

    struct Failure: Error {
        var reason: String
    }

    init(port: Int) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(reason: "connect failed")
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { return }
            sent += result
        }
    }

    /// Sends `payload` as one message of `type` in packets of at most 4096 bytes.
    func sendMessage(type: UInt8, _ payload: [UInt8]) {
        var offset = 0
        var packetID: UInt8 = 1
        repeat {
            let end = min(offset + 4088, payload.count)
            let length = end - offset + 8
            send([type, end == payload.count ? 1 : 0, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, packetID, 0] + payload[offset..<end])
            offset = end
            packetID &+= 1
        } while offset < payload.count
    }

    /// Stops sending (the server reads end of stream).
    func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads one whole reply message; nil when the server closed the connection.
    func readMessage() throws -> [UInt8]? {
        var payload: [UInt8] = []
        while true {
            guard let header = try readExactly(8) else { return nil }
            let length = Int(header[2]) << 8 | Int(header[3])
            guard let body = try readExactly(length - 8) else { return nil }
            payload += body
            if header[1] & 1 != 0 { return payload }
        }
    }

    /// Reads until the server closes the connection; true when it did (false on timeout).
    func readUntilClosed() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let result = recv(descriptor, &buffer, buffer.count, 0)
            if result == 0 { return true }
            if result < 0 {
                if errno == EINTR { continue }
                return errno == ECONNRESET
            }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let result = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + received, count - received, 0) }
            if result == 0 { return nil }
            if result < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET { return nil }
                throw Failure(reason: "recv failed or timed out (errno \(errno))")
            }
            received += result
        }
        return buffer
    }

    // MARK: Building requests

    static let prelogin: [UInt8] = [
        0x00, 0x00, 0x0B, 0x00, 0x06,  // VERSION at 11, 6 bytes
        0xFF,
        0x00, 0x00, 0x00, 0x00, 0x00,  // padding so VERSION's offset holds
        0x0C, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]

    static func utf16(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    /// A LOGIN7 for `user`/`password`, TDS 7.4, packet size 4096.
    static func login7(user: String, password: String) -> [UInt8] {
        let scrambled = utf16(password).map { byte in (byte << 4 | byte >> 4) ^ 0xA5 }
        let strings: [[UInt8]] = [utf16("rawhost"), utf16(user), scrambled, utf16("raw-client"), utf16("server"), [], utf16("raw"), [], utf16("master")]
        var fixed: [UInt8] = []
        func u32(_ value: UInt32) { fixed += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)] }
        func u16(_ value: Int) { fixed += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        u32(0)  // length, patched below
        u32(0x7400_0004)
        u32(4096)
        u32(7)
        u32(1234)
        u32(0)
        fixed += [0xE0, 0x03, 0x00, 0x00]
        u32(0)
        u32(0x0409)
        var data: [UInt8] = []
        var offset = 94
        for string in strings {
            u16(string.isEmpty ? 0 : offset)
            u16(string.count / 2)
            data += string
            offset += string.count
        }
        fixed += [1, 2, 3, 4, 5, 6]  // client id
        u16(0); u16(0)  // SSPI
        u16(0); u16(0)  // attach file
        u16(0); u16(0)  // change password
        u32(0)  // long SSPI
        var message = fixed + data
        let total = UInt32(message.count)
        message[0] = UInt8(total & 0xFF)
        message[1] = UInt8(total >> 8 & 0xFF)
        return message
    }

    /// The ALL_HEADERS block with a transaction descriptor of 0.
    static let allHeaders: [UInt8] = [22, 0, 0, 0, 18, 0, 0, 0, 2, 0] + [UInt8](repeating: 0, count: 8) + [1, 0, 0, 0]

    /// PRELOGIN and LOGIN7 as `ferry`/`secret`; returns the login reply.
    func logIn() throws -> [UInt8] {
        sendMessage(type: 0x12, Self.prelogin)
        guard try readMessage() != nil else { throw Failure(reason: "no PRELOGIN reply") }
        sendMessage(type: 0x10, Self.login7(user: "ferry", password: "secret"))
        guard let reply = try readMessage() else { throw Failure(reason: "no login reply") }
        return reply
    }
}

extension RawTDSClient: @unchecked Sendable {}

/// Runs the raw client's blocking socket calls on a thread of their own: blocking Swift's small
/// concurrency pool would starve the server's handlers, which run there.
actor BlockingThread {
    private let executor = ThreadExecutor(name: "raw-client")

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    deinit { executor.shutdown() }

    func run<Result: Sendable>(_ body: @Sendable () throws -> Result) throws -> Result {
        try body()
    }
}
