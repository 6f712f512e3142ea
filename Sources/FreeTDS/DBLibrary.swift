import CFreeTDS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-wide db-lib state: `dbinit()` once, the error and message handlers, and the settings
/// db-lib only has globally (login timeout, query timeout).
final class DBLibrary: Sendable {
    /// Initialised on first use; Swift runs a static's initializer exactly once, thread-safely.
    static let shared = DBLibrary()

    /// Whether `dbinit()` succeeded.
    let isInitialized: Bool

    private init() {
        isInitialized = dbinit() == SUCCEED
        guard isInitialized else { return }
        _ = dberrhandle(handleLibraryError)
        _ = dbmsghandle(handleServerMessage)
        // Ask db-lib for TDS 7.4 behaviour (date/time types as DBDATETIMEALL) on every connection.
        _ = dbsetversion(DBINT(DBVERSION_74))
    }

    /// Runs `body` (which calls `dbopen`) with `sink` receiving the handlers' reports on this thread.
    func withConnectingSink<Result>(_ sink: MessageSink, _ body: () -> Result) -> Result {
        let pointer = Unmanaged.passUnretained(sink).toOpaque()
        pthread_setspecific(connectingSinkKey, pointer)
        defer { pthread_setspecific(connectingSinkKey, nil) }
        return body()
    }
}

/// Thread-local slot for the sink of the connection being opened on this thread.
private let connectingSinkKey: pthread_key_t = {
    var key = pthread_key_t()
    let rc = pthread_key_create(&key, nil)
    precondition(rc == 0, "pthread_key_create failed with \(rc)")
    return key
}()

/// The sink a handler call belongs to: the DBPROCESS's user data, else the connection opening on this thread.
private func sink(for process: OpaquePointer?) -> MessageSink? {
    if let process, let pointer = dbgetuserdata(process) {
        return Unmanaged<MessageSink>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
    if let pointer = pthread_getspecific(connectingSinkKey) {
        return Unmanaged<MessageSink>.fromOpaque(pointer).takeUnretainedValue()
    }
    return nil
}

private func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
}

private func handleLibraryError(
    _ process: OpaquePointer?, _ severity: Int32, _ number: Int32, _ osError: Int32,
    _ message: UnsafeMutablePointer<CChar>?, _ osMessage: UnsafeMutablePointer<CChar>?
) -> Int32 {
    let error = TDSLibraryError(
        number: Int(number), severity: Int(severity), osError: Int(osError),
        text: text(message) ?? "db-lib error \(number)", osText: text(osMessage)
    )
    guard let sink = sink(for: process) else { return INT_CANCEL }
    return sink.record(error)
}

private func handleServerMessage(
    _ process: OpaquePointer?, _ number: DBINT, _ state: Int32, _ severity: Int32,
    _ message: UnsafeMutablePointer<CChar>?, _ server: UnsafeMutablePointer<CChar>?,
    _ procedure: UnsafeMutablePointer<CChar>?, _ line: Int32
) -> Int32 {
    sink(for: process)?.record(TDSMessage(
        number: Int(number), state: Int(state), severity: Int(severity), text: text(message) ?? "",
        server: text(server).flatMap { $0.isEmpty ? nil : $0 },
        procedure: text(procedure).flatMap { $0.isEmpty ? nil : $0 },
        line: Int(line)
    ))
    return 0
}
