#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Local TCP sockets for connection tests that need no server.
final class LocalListener {
    let port: Int
    private let descriptor: Int32

    /// Binds a socket to an ephemeral port on `address`; with `listening`, the kernel accepts
    /// connections into the backlog but nothing ever answers them (a server that hangs at login).
    init(address: String = "127.0.0.1", listening: Bool) throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw SocketError(operation: "socket") }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = 0
        inet_pton(AF_INET, address, &socketAddress.sin_addr)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw SocketError(operation: "bind")
        }
        if listening { _ = listen(descriptor, 16) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: socketAddress.sin_port))
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The socket, for a server that takes it over (it must `dup` it: this object closes its copy).
    var descriptorForServer: Int32 { descriptor }

    /// A port on 127.0.0.1 that nothing listens on: bound (so no one else takes it) but not listening.
    static func closedPort() throws -> LocalListener {
        try LocalListener(listening: false)
    }
}

struct SocketError: Error {
    let operation: String
}
