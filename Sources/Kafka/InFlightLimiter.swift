import Synchronization

/// Counts messages handed to librdkafka but not yet reported, and makes senders wait while the
/// count is at its limit or librdkafka's own queue is full.
///
/// Slots are handed out first come, first served, so concurrent senders keep their order.
final class InFlightLimiter: Sendable {
    private struct State {
        var inFlight = 0
        var maxObservedInFlight = 0
        var waitsForSlot = 0
        var waitsForQueueSpace = 0
        /// Bumped on every release; lets a sender that saw a full queue know whether space was
        /// freed since it looked.
        var releases: UInt64 = 0
        var slotWaiters: [CheckedContinuation<Void, Never>] = []
        var progressWaiters: [(after: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        precondition(limit > 0, "the in-flight limit must be positive")
        self.limit = limit
    }

    /// Takes a slot, waiting for one if all are taken.
    func acquire() async {
        if state.withLock({ state in
            guard state.inFlight < limit, state.slotWaiters.isEmpty else { return false }
            state.inFlight += 1
            state.maxObservedInFlight = max(state.maxObservedInFlight, state.inFlight)
            return true
        }) { return }
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state in
                if state.inFlight < limit, state.slotWaiters.isEmpty {
                    state.inFlight += 1
                    state.maxObservedInFlight = max(state.maxObservedInFlight, state.inFlight)
                    return true
                }
                state.waitsForSlot += 1
                state.slotWaiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    /// Gives back a slot: hands it to the next waiting sender, or frees it.
    func release() {
        var resume: [CheckedContinuation<Void, Never>] = []
        state.withLock { state in
            state.releases &+= 1
            if state.slotWaiters.isEmpty {
                state.inFlight -= 1
            } else {
                resume.append(state.slotWaiters.removeFirst())
            }
            resume += state.progressWaiters.map(\.continuation)
            state.progressWaiters.removeAll()
            if state.inFlight == 0 {
                resume += state.idleWaiters
                state.idleWaiters.removeAll()
            }
        }
        for continuation in resume { continuation.resume() }
    }

    /// A marker to pass to ``waitForRelease(after:)``.
    var releaseCount: UInt64 { state.withLock { $0.releases } }

    /// Waits until a slot has been released after `marker` was read (librdkafka's queue had no
    /// room; a delivery report makes some).
    func waitForRelease(after marker: UInt64) async {
        await withCheckedContinuation { continuation in
            let moved = state.withLock { state in
                state.waitsForQueueSpace += 1
                if state.releases != marker { return true }
                state.progressWaiters.append((marker, continuation))
                return false
            }
            if moved { continuation.resume() }
        }
    }

    /// Waits until no message is in flight.
    func waitUntilIdle() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state in
                if state.inFlight == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    var statistics: KafkaProducer.Statistics {
        state.withLock { state in
            KafkaProducer.Statistics(
                inFlight: state.inFlight,
                maxObservedInFlight: state.maxObservedInFlight,
                waitingSenders: state.slotWaiters.count,
                waitsForSlot: state.waitsForSlot,
                waitsForQueueSpace: state.waitsForQueueSpace
            )
        }
    }
}
