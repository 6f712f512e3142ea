#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization

/// One client connection, served by its own thread from PRELOGIN to disconnect.
///
/// The thread owns all socket I/O, with blocking calls: reading requests, writing the packets the
/// handler produces, and watching for ATTENTION while a request runs. The handler itself runs on
/// Swift's concurrency pool (a task per request); the two meet in a ``ResponseChannel``. A slow
/// or stuck client therefore blocks only its own thread, never the pool or other sessions.
///
/// Why a plain thread and not an actor on a `ThreadExecutor`: while a request runs, the thread must
/// wait on two things at once — packets from the handler and bytes from the client (an ATTENTION
/// or a disconnect) — which `poll` on the socket and a wake-up pipe does, and an executor's job
/// queue cannot. No Swift job ever runs on this thread.
///
/// Any protocol violation ends this session only: it is logged, the socket is closed, and the
/// handler is told with `sessionEnded`.
final class TDSServerSession: Sendable {
    let id: Int
    let peerAddress: String
    private let socket: TDSSocket
    private let handler: any TDSRequestHandler
    private let configuration: TDSServer.Configuration
    private let logger: Logger
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let isClosing = Atomic<Bool>(false)
    /// Session-thread state: the packet size in force and the packet numbering of the current message.
    private let threadState = Mutex(ThreadState())

    private struct ThreadState {
        var packetSize = 4096
        var packetID: UInt8 = 1
    }

    /// The packet size before login is negotiated.
    static let initialPacketSize = 4096
    /// The TDS versions this server acknowledges, highest first.
    static let supportedVersions: [UInt32] = [0x7400_0004, 0x730B_0003, 0x730A_0003, 0x7209_0002]

    init(id: Int, socket: TDSSocket, peerAddress: String, handler: any TDSRequestHandler, configuration: TDSServer.Configuration, logger: Logger) {
        self.id = id
        self.socket = socket
        self.peerAddress = peerAddress
        self.handler = handler
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "tds.session"] = "\(id)"
        logger[metadataKey: "tds.peer"] = "\(peerAddress)"
        self.logger = logger
        var descriptors: [Int32] = [0, 0]
        if pipe(&descriptors) == 0 {
            for descriptor in descriptors { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK) }
            wakeRead = descriptors[0]
            wakeWrite = descriptors[1]
        } else {
            wakeRead = -1
            wakeWrite = -1
        }
    }

    deinit {
        if wakeRead >= 0 { closeDescriptor(wakeRead) }
        if wakeWrite >= 0 { closeDescriptor(wakeWrite) }
    }

    /// Ends the session from another thread (server shutdown): wakes whatever the thread waits on.
    func close() {
        isClosing.store(true, ordering: .releasing)
        socket.shutdown()
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private var packetSize: Int {
        get { threadState.withLock { $0.packetSize } }
        set { threadState.withLock { $0.packetSize = newValue } }
    }

    // MARK: Session life

    /// Serves the connection until it ends. Runs on the session's own thread.
    func run() {
        guard wakeRead >= 0 else {
            logger.error("could not create the session's wake-up pipe; closing the connection")
            socket.shutdown()
            return
        }
        var context: TDSSessionContext?
        do {
            // A client must log in within the login timeout; afterwards it may idle for ever.
            socket.setReceiveTimeout(configuration.loginTimeout)
            context = try logIn()
            socket.setReceiveTimeout(nil)
            if let context { try serveRequests(context) }
        } catch where error.code == .connectionClosed {
            logger.debug("client disconnected", metadata: ["tds.reason": "\(error.message)"])
        } catch {
            if isClosing.load(ordering: .acquiring) {
                logger.debug("session closed by the server")
            } else {
                logger.warning("ending session after a protocol error", metadata: ["tds.error": "\(error)"])
            }
        }
        socket.shutdown()
        if let context {
            let handler = self.handler
            _ = runOnPool(watchingSocket: false) { _ in await handler.sessionEnded(context) }
        }
        logger.debug("session ended")
    }

    private func readMessage() throws(TDSServerError) -> (type: UInt8, payload: [UInt8]) {
        try socket.readMessage(maximumPacketLength: configuration.maximumPacketSize, maximumMessageSize: configuration.maximumRequestSize)
    }

    /// PRELOGIN and LOGIN7; returns the session's context, or nil when the login was refused.
    private func logIn() throws(TDSServerError) -> TDSSessionContext? {
        var message = try readMessage()
        if message.type == 0x12 {
            try TDSPrelogin.validate(message.payload)
            try sendMessage(TDSPrelogin.reply(version: configuration.version))
            message = try readMessage()
        }
        switch message.type {
        case 0x10:
            break
        case 0x02:
            throw TDSServerError(.unsupportedRequest, "a TDS 4.2/5.0 login was refused; only TDS 7.2 to 7.4 are supported")
        default:
            throw TDSServerError(.malformedRequest, "expected LOGIN7 but received a message of type 0x\(String(message.type, radix: 16))")
        }
        let request = try TDSLoginRequest(parsing: message.payload)
        logger.debug("login received", metadata: ["tds.login": "\(request)"])

        guard let version = Self.supportedVersions.first(where: { $0 <= request.tdsVersion }) else {
            try refuse(TDSServerMessage(number: 4002, state: 1, severity: 16, text: "The TDS version 0x\(String(request.tdsVersion, radix: 16)) of the client is not supported; use TDS 7.2 or later."))
            return nil
        }
        if request.usesIntegratedSecurity {
            try refuse(TDSServerMessage(number: 18452, state: 1, severity: 14, text: "Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication."))
            return nil
        }

        let handler = self.handler
        let decision: TDSLoginDecision
        switch runOnPool(watchingSocket: true, { _ in try await handler.login(request) }) {
        case .success(let value):
            decision = value
        case .failure(let error):
            if let error = error as? TDSServerError, error.code == .connectionClosed { throw error }
            logger.error("the login handler failed; refusing the login", metadata: ["tds.error": "\(error)"])
            decision = .reject(.loginFailed(user: request.userName))
        }

        switch decision {
        case .reject(let message):
            try refuse(message)
            logger.info("login refused", metadata: ["tds.user": "\(request.userName)", "tds.number": "\(message.number)"])
            return nil
        case .accept(let database, let collation, let language, let state):
            let requested = request.requestedPacketSize
            let negotiated = min(max(requested == 0 ? Self.initialPacketSize : requested, 512), max(configuration.maximumPacketSize, 512))
            var reply: [UInt8] = []
            reply += TDSEnvironmentChange.database(new: database, old: "master").encoded()
            reply += TokenEncoder.message(TDSServerMessage(number: 5701, state: 2, severity: 0, text: "Changed database context to '\(database)'."), defaultServerName: configuration.serverName)
            reply += TDSEnvironmentChange.collation(collation).encoded()
            reply += TDSEnvironmentChange.language(new: language, old: "").encoded()
            reply += TokenEncoder.message(TDSServerMessage(number: 5703, state: 1, severity: 0, text: "Changed language setting to \(language)."), defaultServerName: configuration.serverName)
            reply += TokenEncoder.loginAck(tdsVersion: version, programName: configuration.programName, version: configuration.version)
            if version >= 0x7400_0000, request.optionFlags3 & 0x10 != 0 {
                // Acknowledge only what was asked: UTF-8 support (data 0x01 = the server supports it).
                let acknowledged: [(id: UInt8, data: [UInt8])] = request.supportsUTF8 ? [(TDSLoginRequest.utf8SupportFeature, [0x01])] : []
                reply += TokenEncoder.featureExtensionAck(acknowledged)
            }
            reply += TDSEnvironmentChange.packetSize(new: negotiated, old: requested).encoded()
            reply += TokenEncoder.done(.done, status: [], command: .none, rowCount: 0)
            let context = TDSSessionContext(id: id, peerAddress: peerAddress, login: request, tdsVersion: version, packetSize: negotiated)
            context.state = state
            do {
                try sendMessage(reply)
            } catch {
                // The handler's state for this login (an open engine session) must still be released.
                _ = runOnPool(watchingSocket: false) { _ in await handler.sessionEnded(context) }
                throw error
            }
            packetSize = negotiated
            logger.debug("login accepted", metadata: ["tds.user": "\(request.userName)", "tds.database": "\(database)", "tds.packetSize": "\(negotiated)"])
            return context
        }
    }

    /// Sends ERROR and DONE(error) for a refused login; the caller then closes the connection.
    private func refuse(_ message: TDSServerMessage) throws(TDSServerError) {
        var reply = TokenEncoder.message(message, defaultServerName: configuration.serverName)
        reply += TokenEncoder.done(.done, status: .error, command: .none, rowCount: 0)
        try sendMessage(reply)
    }

    // MARK: Requests

    private func serveRequests(_ context: TDSSessionContext) throws(TDSServerError) {
        while true {
            let message = try readMessage()
            switch message.type {
            case 0x01:
                let batch = try TDSSQLBatch(parsing: message.payload)
                logger.trace("SQL batch", metadata: ["tds.length": "\(batch.text.utf16.count)"])
                try respond { writer in
                    try await self.handler.execute(batch: batch, session: context, response: writer)
                    try await writer.endRequestPart(isRPC: false)
                }
            case 0x03:
                let requests: [TDSRPCRequest]
                do {
                    requests = try TDSRPCRequest.parseBatch(message.payload)
                } catch where error.code == .unsupportedRequest {
                    // The whole message was read, so the session can go on after saying why.
                    try respondWithError(error)
                    continue
                }
                try respond { writer in
                    for request in requests {
                        if writer.isCancelled { break }
                        try await self.handler.execute(rpc: request, session: context, response: writer)
                        try await writer.endRequestPart(isRPC: true)
                    }
                }
            case 0x06:
                // An attention after the response was complete: acknowledge it on its own.
                try sendMessage(TokenEncoder.done(.done, status: .attention, command: .none, rowCount: 0))
            case 0x07, 0x0E:
                let kind = message.type == 0x07 ? "bulk load" : "transaction manager request"
                try respondWithError(TDSServerError(.unsupportedRequest, "a \(kind) is not supported by this server"))
            default:
                throw TDSServerError(.malformedRequest, "a message of type 0x\(String(message.type, radix: 16)) is not a request")
            }
        }
    }

    private func respondWithError(_ error: TDSServerError) throws(TDSServerError) {
        logger.info("request refused", metadata: ["tds.error": "\(error)"])
        var reply = TokenEncoder.message(TDSServerMessage(number: 50000, state: 1, severity: 16, text: error.message), defaultServerName: configuration.serverName)
        reply += TokenEncoder.done(.done, status: .error, command: .none, rowCount: 0)
        try sendMessage(reply)
    }

    /// Runs `body` on the pool with a writer, streams what it writes, and ends the response.
    private func respond(_ body: @escaping @Sendable (TDSResponseWriter) async throws -> Void) throws(TDSServerError) {
        let serverName = configuration.serverName
        let logger = self.logger
        let packetSize = self.packetSize
        var writerOfRequest: TDSResponseWriter?
        let outcome = runOnPool(watchingSocket: true, prepare: { channel in
            let writer = TDSResponseWriter(channel: channel, packetSize: packetSize, serverName: serverName)
            writerOfRequest = writer
            return writer
        }) { (writer: TDSResponseWriter) in
            do {
                try await body(writer)
            } catch let error as TDSServerError where error.code == .cancelled || error.code == .connectionClosed {
                logger.debug("request stopped", metadata: ["tds.reason": "\(error.message)"])
            } catch {
                if writer.isCancelled { return }
                logger.error("the request handler failed", metadata: ["tds.error": "\(error)"])
                try? await writer.writeError(TDSServerMessage(number: 50000, state: 1, severity: 16, text: "The server could not complete the request: \(error)"))
            }
        }
        let channel: ResponseChannel
        switch outcome.channelResult {
        case .success(let value): channel = value
        case .failure(let error): throw error
        }
        guard let writer = writerOfRequest else {
            throw TDSServerError(.invalidResponse, "the request produced no response writer")
        }
        if channel.interruption == .closed {
            throw TDSServerError(.connectionClosed, "the connection closed during the request")
        }
        // A last look for an attention that arrived after the handler finished.
        if channel.interruption == .none, socket.isReadable() { try checkIncoming(during: channel) }
        if channel.interruption == .closed {
            throw TDSServerError(.connectionClosed, "the connection closed during the request")
        }
        let tail = writer.finish(acknowledgingAttention: channel.interruption == .attention)
        for (index, payload) in tail.enumerated() {
            try sendPacket(payload, isEndOfMessage: index == tail.count - 1)
        }
    }

    // MARK: Running handler code

    private struct PoolOutcome<Value> {
        var channelResult: Result<ResponseChannel, TDSServerError>
        var value: Result<Value, any Error>
    }

    /// Runs `work` on the pool and, while it runs, serves its channel on this thread: writes its
    /// packets and watches the socket for an attention or a disconnect.
    private func runOnPool<Value: Sendable>(watchingSocket: Bool, _ work: @escaping @Sendable (ResponseChannel) async throws -> Value) -> Result<Value, any Error> {
        let outcome = runOnPool(watchingSocket: watchingSocket, prepare: { $0 }, work)
        return outcome.value
    }

    private func runOnPool<Input: Sendable, Value: Sendable>(
        watchingSocket: Bool,
        prepare: (ResponseChannel) -> Input,
        _ work: @escaping @Sendable (Input) async throws -> Value
    ) -> PoolOutcome<Value> {
        let channel = ResponseChannel(wakeDescriptor: wakeWrite)
        let input = prepare(channel)
        let result = Mutex<Result<Value, any Error>?>(nil)
        let task = Task.detached {
            do {
                let value = try await work(input)
                result.withLock { $0 = .success(value) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
            channel.markFinished()
        }
        var failure: TDSServerError?
        do {
            try serve(channel, task: task, watchingSocket: watchingSocket)
        } catch {
            failure = error
        }
        let value = result.withLock { $0 } ?? .failure(TDSServerError(.cancelled, "the handler did not finish"))
        return PoolOutcome(channelResult: failure.map { .failure($0) } ?? .success(channel), value: value)
    }

    /// The session thread's loop while a handler runs.
    private func serve(_ channel: ResponseChannel, task: Task<Void, Never>, watchingSocket: Bool) throws(TDSServerError) {
        var isWatching = watchingSocket
        var isAlive = true
        var pendingError: TDSServerError?
        while true {
            let (packets, isFinished) = channel.take()
            for payload in packets where isAlive && channel.interruption != .closed {
                do {
                    try sendPacket(payload, isEndOfMessage: false)
                } catch {
                    isAlive = false
                    channel.interrupt(.closed)
                    task.cancel()
                    break
                }
                if isWatching, channel.interruption == .none, socket.isReadable() {
                    do {
                        try checkIncoming(during: channel)
                    } catch {
                        pendingError = error
                    }
                    if channel.interruption != .none {
                        task.cancel()
                        isWatching = false
                    }
                }
            }
            if isFinished { break }
            if !packets.isEmpty { continue }
            if isClosing.load(ordering: .acquiring), channel.interruption == .none {
                channel.interrupt(.closed)
                task.cancel()
                isWatching = false
            }

            var descriptors = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if isWatching, isAlive, channel.interruption == .none {
                descriptors.append(pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            guard ready > 0 else { continue }
            if descriptors[0].revents != 0 {
                var sink = [UInt8](repeating: 0, count: 64)
                while read(wakeRead, &sink, sink.count) > 0 {}
            }
            if descriptors.count > 1, descriptors[1].revents != 0 {
                do {
                    try checkIncoming(during: channel)
                } catch {
                    pendingError = error
                }
                if channel.interruption != .none {
                    task.cancel()
                    isWatching = false
                }
            }
        }
        if let pendingError { throw pendingError }
    }

    /// Reads what the client sent while a response is being produced: an ATTENTION cancels the
    /// request; end of stream marks the connection closed; anything else is a protocol error
    /// (without MARS a client may not send another request before the response ends).
    private func checkIncoming(during channel: ResponseChannel) throws(TDSServerError) {
        do throws(TDSServerError) {
            let packet = try socket.readPacket(maximumLength: configuration.maximumPacketSize)
            if packet.header.type == 0x06 {
                logger.debug("attention received")
                channel.interrupt(.attention)
                return
            }
            channel.interrupt(.closed)
            throw TDSServerError(.malformedRequest, "the client sent a message of type 0x\(String(packet.header.type, radix: 16)) before the response ended")
        } catch where error.code == .connectionClosed {
            channel.interrupt(.closed)
        }
    }

    // MARK: Packets

    /// Sends a whole message as reply packets of the current packet size.
    private func sendMessage(_ payload: [UInt8]) throws(TDSServerError) {
        let size = packetSize - 8
        var offset = 0
        repeat {
            let end = min(offset + size, payload.count)
            try sendPacket(Array(payload[offset..<end]), isEndOfMessage: end == payload.count)
            offset = end
        } while offset < payload.count
    }

    /// Sends one reply packet; packet ids count from 1 within each message.
    private func sendPacket(_ payload: [UInt8], isEndOfMessage: Bool) throws(TDSServerError) {
        let packetID = threadState.withLock { state in
            defer { state.packetID = isEndOfMessage ? 1 : state.packetID &+ 1 }
            return state.packetID
        }
        let header = TDSPacketHeader.encode(type: 0x04, isEndOfMessage: isEndOfMessage, payloadLength: payload.count, spid: id, packetID: packetID)
        try socket.send(header + payload)
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    close(descriptor)
}
