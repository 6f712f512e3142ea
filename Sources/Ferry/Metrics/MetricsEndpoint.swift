#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// The HTTP endpoint `--metrics-listen HOST:PORT` opens: `GET /metrics` answers the Prometheus
/// text format from the registry every swift-metrics counter, gauge and timer of the process writes
/// to, and `GET /health` answers `200 ok` while the process runs (`503` once it shuts down).
///
/// Scrapes are small and rare, so one dedicated thread accepts and answers them in turn; a client
/// that stalls is cut off after a few seconds and cannot hold up the next scrape for longer.
final class MetricsEndpoint: Service, Sendable {
    let host: String
    let port: UInt16
    private let registry: PrometheusCollectorRegistry
    private let logger: Logger
    private let listener: Int32
    private let isStopping = Atomic<Bool>(false)

    /// Binds the listening socket at once, so a busy port is reported before anything else starts.
    init(host: String, port: UInt16, registry: PrometheusCollectorRegistry, logger: Logger) throws {
        self.host = host
        self.registry = registry
        self.logger = logger
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw ConfigurationError(subject: "--metrics-listen", message: "cannot create a socket: \(String(cString: strerror(errno)))")
        }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
            close(descriptor)
            throw ConfigurationError(subject: "--metrics-listen", message: "'\(host)' is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw ConfigurationError(subject: "--metrics-listen", message: "cannot listen on \(host):\(port): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        self.listener = descriptor
    }

    deinit {
        close(listener)
    }

    /// Serves scrapes until graceful shutdown.
    func run() async throws {
        logger.info("metrics endpoint listening", metadata: ["address": "\(host):\(port)"])
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "ferry-metrics"
        thread.start()
        await withGracefulShutdownHandler {
            while !isStopping.load(ordering: .relaxed), !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
            }
        } onGracefulShutdown: { [self] in
            stop()
        }
        stop()
    }

    /// Stops accepting; the accept thread wakes and ends.
    func stop() {
        guard !isStopping.exchange(true, ordering: .relaxed) else { return }
        _ = systemShutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while !isStopping.load(ordering: .relaxed) {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            var timeout = timeval(tv_sec: 3, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            answer(client)
            close(client)
        }
    }

    /// Reads the request head and writes one response.
    private func answer(_ client: Int32) {
        var request = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 2048)
        while request.count < 16_384 {
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            request += chunk[..<count]
            if request.count >= 4, request.suffix(4).elementsEqual([13, 10, 13, 10]) { break }
            if let text = String(bytes: request, encoding: .utf8), text.contains("\r\n\r\n") { break }
        }
        let requestLine = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = requestLine.split(separator: " ")
        let response: (status: String, type: String, body: [UInt8])
        if parts.count < 2 || (parts[0] != "GET" && parts[0] != "HEAD") {
            response = ("405 Method Not Allowed", "text/plain", Array("only GET is served\n".utf8))
        } else {
            switch parts[1].split(separator: "?").first.map(String.init) ?? "" {
            case "/metrics":
                response = ("200 OK", "text/plain; version=0.0.4; charset=utf-8", registry.emitToBuffer())
            case "/health", "/healthz":
                response = isStopping.load(ordering: .relaxed)
                    ? ("503 Service Unavailable", "text/plain", Array("stopping\n".utf8))
                    : ("200 OK", "text/plain", Array("ok\n".utf8))
            default:
                response = ("404 Not Found", "text/plain", Array("try /metrics or /health\n".utf8))
            }
        }
        let head = "HTTP/1.1 \(response.status)\r\nContent-Type: \(response.type)\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        if parts.first != "HEAD" { bytes += response.body }
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { systemSend(client, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { if errno == EINTR { continue }; return }
            sent += count
        }
    }
}

#if canImport(Glibc)
private let systemShutdown = Glibc.shutdown
private let systemSend = Glibc.send
#else
private let systemShutdown = Darwin.shutdown
private let systemSend = Darwin.send
#endif
