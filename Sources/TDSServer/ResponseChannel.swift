#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Hands the packets a handler produces (on Swift's concurrency pool) to its session's thread,
/// which writes them to the socket. The queue is bounded: when it is full the writer suspends
/// (never blocks a pool thread) until the session thread has taken the packets, so a client that
/// reads slowly or not at all holds back only its own handler, and memory stays bounded.
///
/// The session thread sleeps in `poll` on the socket and a wake-up pipe, so it notices an
/// ATTENTION or a vanished client even while the handler is busy producing nothing.
final class ResponseChannel: Sendable {
    /// Why output stopped, if it did.
    enum Interruption: Int {
        case none = 0
        case attention = 1
        case closed = 2
    }

    private struct State {
        var packets: [[UInt8]] = []
        var waiter: CheckedContinuation<Void, any Error>?
        var isFinished = false
    }

    /// Packets of at most the negotiated size; 8 of 4 KiB is 32 KiB in flight per session.
    static let capacity = 8
    private let state = Mutex(State())
    private let interruptionValue = Atomic<Int>(0)
    private let wakeDescriptor: Int32

    init(wakeDescriptor: Int32) {
        self.wakeDescriptor = wakeDescriptor
    }

    var interruption: Interruption { Interruption(rawValue: interruptionValue.load(ordering: .acquiring)) ?? .none }

    /// Stops output; later `enqueue` calls throw. The first interruption wins.
    func interrupt(_ reason: Interruption) {
        _ = interruptionValue.compareExchange(expected: 0, desired: reason.rawValue, ordering: .acquiringAndReleasing)
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: interruptionError())
        wake()
    }

    func interruptionError() -> TDSServerError {
        switch interruption {
        case .closed: TDSServerError(.connectionClosed, "the client connection is closed")
        default: TDSServerError(.cancelled, "the client cancelled the request")
        }
    }

    /// Queues packets for the session thread; suspends while the queue is full.
    func enqueue(_ packets: [[UInt8]]) async throws {
        guard interruption == .none else { throw interruptionError() }
        let isFull = state.withLock { state in
            state.packets += packets
            return state.packets.count >= Self.capacity
        }
        wake()
        guard isFull else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let resumeNow: Bool = state.withLock { state in
                guard interruption == .none, state.packets.count >= Self.capacity else { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow {
                if interruption == .none { continuation.resume() } else { continuation.resume(throwing: interruptionError()) }
            }
        }
    }

    /// Marks the handler as done: no more packets will come.
    func markFinished() {
        state.withLock { $0.isFinished = true }
        wake()
    }

    /// Takes every queued packet (releasing a suspended writer) and whether the handler is done.
    func take() -> (packets: [[UInt8]], isFinished: Bool) {
        let (packets, finished, waiter) = state.withLock { state in
            defer {
                state.packets = []
                state.waiter = nil
            }
            return (state.packets, state.isFinished, state.waiter)
        }
        waiter?.resume()
        return (packets, finished)
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeDescriptor, &byte, 1)
    }
}
