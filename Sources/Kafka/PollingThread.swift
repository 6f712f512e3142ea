#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A dedicated OS thread that calls a blocking poll function over and over until stopped.
///
/// librdkafka serves delivery reports from `rd_kafka_poll`, which blocks; it must not run on
/// Swift's cooperative pool. The body is released on the thread itself when it exits, so a client
/// it captures is destroyed there too, off the pool.
final class PollingThread: Sendable {
    private struct State {
        var body: (@Sendable () -> Void)?
        var isStopping = false
        var hasExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    /// Starts the thread; `body` should block for a short while (e.g. `rd_kafka_poll(rk, 100)`).
    init(body: @escaping @Sendable () -> Void) {
        state = Mutex(State(body: body))
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { argument in
            #if canImport(Darwin)
            let pollingThread = Unmanaged<PollingThread>.fromOpaque(argument).takeRetainedValue()
            #else
            let pollingThread = Unmanaged<PollingThread>.fromOpaque(argument!).takeRetainedValue()
            #endif
            pollingThread.run()
            return nil
        }, box.toOpaque())
        precondition(rc == 0, "pthread_create failed with \(rc)")
        pthread_detach(thread)
    }

    /// Asks the thread to finish its current poll and exit, without waiting.
    func requestStop() {
        state.withLock { $0.isStopping = true }
    }

    /// Stops the thread and waits until it has exited and released its body.
    func stop() async {
        await withCheckedContinuation { continuation in
            let alreadyExited = state.withLock { state in
                state.isStopping = true
                if state.hasExited { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if alreadyExited { continuation.resume() }
        }
    }

    private func run() {
        pollUntilStopped()
        let waiters = state.withLock { state in
            state.hasExited = true
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Every reference to the body ends with this function, so whatever it captured is freed on
    /// this thread before any waiter resumes.
    private func pollUntilStopped() {
        guard let body = state.withLock({ $0.body }) else { return }
        while !state.withLock({ $0.isStopping }) {
            body()
        }
        state.withLock { $0.body = nil }
    }
}
