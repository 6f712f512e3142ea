#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
public import ServiceLifecycle
import Synchronization

/// A TDS 7.4 server: accepts SQL Server clients over TCP and hands their logins and requests to a
/// ``TDSRequestHandler``. It speaks the protocol (PRELOGIN, LOGIN7, SQL batches, RPCs, attention,
/// every value encoding) and knows nothing of SQL.
///
/// Threads: the listener accepts on its own thread, and every connection is served by its own
/// thread doing blocking socket I/O (see `TDSServerSession`). Handlers run on Swift's concurrency
/// pool; no pool thread ever blocks on a socket.
///
/// ```swift
/// let server = try TDSServer(configuration: .init(port: 0), handler: emulator, logger: logger)
/// print(server.port)
/// try await server.run()   // until the task is cancelled or a graceful shutdown is triggered
/// ```
///
/// The socket is bound and listening from `init`, so the port is known (and clients may queue)
/// before ``run()`` starts accepting.
public final class TDSServer: Service, Sendable {
    /// The configuration the server was made with (``Configuration/port`` may be 0; see ``port``).
    public let configuration: Configuration
    /// The TCP port the server listens on (the ephemeral one chosen when the configuration says 0).
    public let port: Int
    private let listener: TDSSocket
    private let handler: any TDSRequestHandler
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var sessions: [Int: TDSServerSession] = [:]
        var nextSessionID = 51
        var isAccepting = false
        var isStopping = false
        var isListenerDone = false
        var waiters: [CheckedContinuation<Void, Never>] = []

        var isStopped: Bool { isStopping && isListenerDone && sessions.isEmpty }
    }

    /// Binds and listens.
    /// - Throws: ``TDSServerError`` `bindFailed` when the address is invalid or the port is taken.
    public init(configuration: Configuration, handler: any TDSRequestHandler, logger: Logger) throws(TDSServerError) {
        self.configuration = configuration
        self.handler = handler
        var logger = logger
        logger[metadataKey: "tds.listen"] = "\(configuration.host):\(configuration.port)"
        self.logger = logger
        let (socket, port) = try Self.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        self.listener = socket
        self.port = port
    }

    /// The number of connected sessions.
    public var sessionCount: Int { state.withLock { $0.sessions.count } }

    /// Accepts and serves clients until the task is cancelled, a graceful shutdown is triggered, or
    /// ``shutdown()`` is called; then stops listening, closes every session (cancelling their
    /// requests, as SQL Server does on shutdown) and returns once all session threads have ended.
    /// A handler that ignores cancellation delays the return until it finishes.
    public func run() async throws {
        startAccepting()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await self.waitUntilStopped()
            } onCancel: {
                self.shutdown()
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
    }

    /// Stops the server: no new connections, existing sessions are closed. Safe to call more than
    /// once and from any thread; ``run()`` returns when everything has ended.
    public func shutdown() {
        let (sessions, wasAccepting) = state.withLock { state -> ([TDSServerSession], Bool) in
            guard !state.isStopping else { return ([], true) }
            state.isStopping = true
            if !state.isAccepting { state.isListenerDone = true }
            return (Array(state.sessions.values), state.isAccepting)
        }
        logger.info("TDS server shutting down", metadata: ["tds.sessions": "\(sessions.count)"])
        listener.shutdown()
        for session in sessions { session.close() }
        if !wasAccepting { resumeWaitersIfStopped() }
    }

    private func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isStopped = state.withLock { state in
                if state.isStopped { return true }
                state.waiters.append(continuation)
                return false
            }
            if isStopped { continuation.resume() }
        }
    }

    private func resumeWaitersIfStopped() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.isStopped else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Accepting

    private func startAccepting() {
        let shouldStart = state.withLock { state in
            guard !state.isAccepting, !state.isStopping else { return false }
            state.isAccepting = true
            return true
        }
        guard shouldStart else { return }
        logger.info("TDS server listening", metadata: ["tds.port": "\(port)"])
        startThread { self.acceptLoop() }
    }

    private func acceptLoop() {
        while true {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let descriptor = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener.descriptor, $0, &length) }
            }
            if descriptor < 0 {
                let code = errno
                if state.withLock({ $0.isStopping }) { break }
                if code == EINTR || code == ECONNABORTED { continue }
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    // Out of descriptors or memory: wait a moment instead of spinning.
                    logger.error("accept failed; retrying", metadata: ["tds.error": "\(String(cString: strerror(code)))"])
                    usleep(50_000)
                    continue
                }
                logger.error("accept failed; the server stops listening", metadata: ["tds.error": "\(String(cString: strerror(code)))"])
                break
            }
            var enable: Int32 = 1
            _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &enable, socklen_t(MemoryLayout<Int32>.size))
            let socket = TDSSocket(descriptor: descriptor)
            let peer = Self.describe(&address)
            let session: TDSServerSession? = state.withLock { state in
                guard !state.isStopping else { return nil }
                let id = state.nextSessionID
                // SPIDs are 16 bits on the wire; wrap past the system range.
                state.nextSessionID = state.nextSessionID >= 32_767 ? 51 : state.nextSessionID + 1
                let session = TDSServerSession(id: id, socket: socket, peerAddress: peer, handler: handler, configuration: configuration, logger: logger)
                state.sessions[id] = session
                return session
            }
            guard let session else { break }
            logger.debug("client connected", metadata: ["tds.session": "\(session.id)", "tds.peer": "\(peer)"])
            startThread {
                session.run()
                self.sessionEnded(session.id)
            }
        }
        state.withLock { $0.isListenerDone = true }
        resumeWaitersIfStopped()
    }

    private func sessionEnded(_ id: Int) {
        state.withLock { _ = $0.sessions.removeValue(forKey: id) }
        resumeWaitersIfStopped()
    }

    // MARK: Sockets

    private static func listen(host: String, port: Int, backlog: Int) throws(TDSServerError) -> (TDSSocket, Int) {
        let context = ["host": host, "port": String(port)]
        guard (0...65_535).contains(port) else {
            throw TDSServerError(.bindFailed, "port \(port) is outside 0…65535", context: context, isRetriable: false)
        }
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var resolved: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &resolved)
        guard status == 0, let info = resolved else {
            throw TDSServerError(.bindFailed, "'\(host)' is not a numeric IPv4 or IPv6 address: \(String(cString: gai_strerror(status)))", context: context, isRetriable: false)
        }
        defer { freeaddrinfo(resolved) }
        let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard descriptor >= 0 else {
            throw TDSServerError(.bindFailed, "could not create a socket: \(String(cString: strerror(errno)))", context: context)
        }
        let socket = TDSSocket(descriptor: descriptor)
        var enable: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        guard bind(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            throw TDSServerError(.bindFailed, "could not bind \(host):\(port): \(String(cString: strerror(errno)))", context: context)
        }
        guard systemListen(descriptor, Int32(max(backlog, 1))) == 0 else {
            throw TDSServerError(.bindFailed, "could not listen on \(host):\(port): \(String(cString: strerror(errno)))", context: context)
        }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let boundPort: Int
        if Int32(address.ss_family) == AF_INET6 {
            boundPort = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        } else {
            boundPort = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
        }
        return (socket, boundPort)
    }

    /// `address:port` of a peer.
    private static func describe(_ address: inout sockaddr_storage) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, socklen_t(MemoryLayout<sockaddr_storage>.size), &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard status == 0 else { return "unknown" }
        let hostText = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let serviceText = String(decoding: service.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return hostText.contains(":") ? "[\(hostText)]:\(serviceText)" : "\(hostText):\(serviceText)"
    }
}

/// Starts a detached OS thread running `body` (for the listener and for sessions, which block on sockets).
private final class ThreadBody {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

private func startThread(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(ThreadBody(body))
    var handle = pthread_t()
    let rc = pthread_create(&handle, nil, { argument in
        #if canImport(Darwin)
        let box = Unmanaged<ThreadBody>.fromOpaque(argument).takeRetainedValue()
        #else
        let box = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
        #endif
        box.body()
        return nil
    }, box.toOpaque())
    precondition(rc == 0, "pthread_create failed with \(rc)")
    pthread_detach(handle)
}

#if canImport(Glibc)
private let systemListen = Glibc.listen
#else
private let systemListen = Darwin.listen
#endif
