#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One TCP socket, owned: closed on deinit. Reads and writes block; they are only ever called from
/// the owning session's (or the listener's) own thread, never from Swift's concurrency pool.
/// ``shutdown()`` may be called from any thread to wake a blocked read or write.
final class TDSSocket: Sendable {
    let descriptor: Int32
    private let isShutDown = Atomic<Bool>(false)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Stops both directions: blocked `recv`/`send`/`accept` calls on the socket return.
    func shutdown() {
        guard !isShutDown.exchange(true, ordering: .relaxed) else { return }
        _ = systemShutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Makes reads fail after `timeout` without data (nil: wait for ever).
    func setReceiveTimeout(_ timeout: Duration?) {
        let (seconds, attoseconds) = (timeout ?? .zero).components
        var value = timeval()
        value.tv_sec = .init(seconds)
        value.tv_usec = .init(attoseconds / 1_000_000_000_000)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads exactly `count` bytes; throws `connectionClosed` on end of stream or error.
    func readExactly(_ count: Int) throws(TDSServerError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let result = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + received, count - received, 0) }
            if result > 0 {
                received += result
            } else if result < 0, errno == EINTR {
                continue
            } else {
                let code = errno
                let reason = result == 0 ? "the client closed the connection"
                    : code == EAGAIN || code == EWOULDBLOCK ? "the client sent nothing within the login timeout"
                    : "reading from the client failed: \(String(cString: strerror(code)))"
                throw TDSServerError(.connectionClosed, reason)
            }
        }
        return buffer
    }

    /// Writes all of `bytes`; throws `connectionClosed` if the client is gone.
    func send(_ bytes: [UInt8]) throws(TDSServerError) {
        var sent = 0
        while sent < bytes.count {
            let result = bytes.withUnsafeBytes { systemSend(descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if result > 0 {
                sent += result
            } else if result < 0, errno == EINTR {
                continue
            } else {
                throw TDSServerError(.connectionClosed, "writing to the client failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Whether a read would not block (data or end of stream waiting), without consuming anything.
    func isReadable() -> Bool {
        var descriptors = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptors, 1, 0) > 0 && descriptors.revents != 0
    }
}

/// An 8-byte TDS packet header (MS-TDS 2.2.3.1).
struct TDSPacketHeader {
    /// The packet type: 0x01 SQL batch, 0x02 pre-7 login, 0x03 RPC, 0x04 reply, 0x06 attention,
    /// 0x07 bulk load, 0x0E transaction manager, 0x10 LOGIN7, 0x12 PRELOGIN.
    var type: UInt8
    /// 0x01 = end of message.
    var status: UInt8
    /// The packet length, header included (big-endian on the wire).
    var length: Int

    var isEndOfMessage: Bool { status & 0x01 != 0 }

    init(type: UInt8, status: UInt8, length: Int) {
        self.type = type
        self.status = status
        self.length = length
    }

    init(_ bytes: [UInt8]) {
        type = bytes[0]
        status = bytes[1]
        length = Int(bytes[2]) << 8 | Int(bytes[3])
    }

    /// The 8 header bytes for a reply packet.
    static func encode(type: UInt8, isEndOfMessage: Bool, payloadLength: Int, spid: Int, packetID: UInt8) -> [UInt8] {
        let length = payloadLength + 8
        return [
            type, isEndOfMessage ? 0x01 : 0x00, UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length),
            UInt8(truncatingIfNeeded: spid >> 8), UInt8(truncatingIfNeeded: spid), packetID, 0,
        ]
    }
}

extension TDSSocket {
    /// Reads one packet: its header and payload.
    func readPacket(maximumLength: Int) throws(TDSServerError) -> (header: TDSPacketHeader, payload: [UInt8]) {
        let header = TDSPacketHeader(try readExactly(8))
        guard header.length >= 8, header.length <= max(maximumLength, 4096) + 8 else {
            throw TDSServerError(.malformedRequest, "a packet header announces \(header.length) bytes (type 0x\(String(header.type, radix: 16)))")
        }
        return (header, try readExactly(header.length - 8))
    }

    /// Reads packets up to the end of message and returns the message's type and payload.
    func readMessage(maximumPacketLength: Int, maximumMessageSize: Int) throws(TDSServerError) -> (type: UInt8, payload: [UInt8]) {
        let first = try readPacket(maximumLength: maximumPacketLength)
        var payload = first.payload
        var last = first.header
        while !last.isEndOfMessage {
            let next = try readPacket(maximumLength: maximumPacketLength)
            guard next.header.type == first.header.type else {
                throw TDSServerError(.malformedRequest, "a message of type 0x\(String(first.header.type, radix: 16)) continues with a packet of type 0x\(String(next.header.type, radix: 16))")
            }
            payload += next.payload
            guard payload.count <= maximumMessageSize else {
                throw TDSServerError(.malformedRequest, "a request exceeds the limit of \(maximumMessageSize) bytes")
            }
            last = next.header
        }
        return (first.header.type, payload)
    }
}

#if canImport(Glibc)
private let systemShutdown = Glibc.shutdown
private let systemSend = Glibc.send
#else
private let systemShutdown = Darwin.shutdown
private let systemSend = Darwin.send
#endif
