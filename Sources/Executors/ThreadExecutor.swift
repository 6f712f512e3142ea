#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A serial executor backed by one dedicated OS thread.
///
/// Blocking C libraries (libpq, FreeTDS db-lib, SQLite) must never run on Swift's cooperative
/// pool: a call that waits on the network would starve every other task. An actor that owns such a
/// connection returns this executor from `unownedExecutor`, so each of its methods runs on the
/// connection's own thread, one at a time, while callers simply `await` it.
///
/// The thread lives until ``shutdown()`` is called; jobs enqueued after that are still run, on the
/// way out, so no continuation is ever leaked.
public final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // Guarded by `mutex`; the condition wakes the thread when a job arrives or shutdown begins.
    private var jobs: [UnownedJob] = []
    private var isShuttingDown = false
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var thread: pthread_t?
    /// The name this executor was created with, for logs and debugging.
    public let name: String

    /// Starts a new thread that will run the jobs of this executor.
    /// - Parameter name: a short name for the thread (Linux keeps the first 15 bytes).
    public init(name: String) {
        self.name = name
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { argument in
            #if canImport(Darwin)
            let executor = Unmanaged<ThreadExecutor>.fromOpaque(argument).takeRetainedValue()
            #else
            let executor = Unmanaged<ThreadExecutor>.fromOpaque(argument!).takeRetainedValue()
            #endif
            executor.runLoop()
            return nil
        }, box.toOpaque())
        precondition(rc == 0, "pthread_create failed with \(rc)")
        thread = handle
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    /// Enqueues a job; it runs on this executor's thread after every job enqueued before it.
    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        pthread_mutex_lock(&mutex)
        jobs.append(unowned)
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }

    /// This executor as the unowned reference an actor's `unownedExecutor` returns.
    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Asks the thread to finish the jobs already enqueued and then exit. Safe to call more than once.
    public func shutdown() {
        pthread_mutex_lock(&mutex)
        isShuttingDown = true
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }

    /// Whether the calling code is running on this executor's thread.
    public var isCurrentThread: Bool {
        guard let thread else { return false }
        return pthread_equal(pthread_self(), thread) != 0
    }

    private func runLoop() {
        var batch: [UnownedJob] = []
        while true {
            pthread_mutex_lock(&mutex)
            var finished = false
            while true {
                if !jobs.isEmpty {
                    swap(&batch, &jobs)
                    break
                }
                if isShuttingDown {
                    finished = true
                    break
                }
                pthread_cond_wait(&condition, &mutex)
            }
            pthread_mutex_unlock(&mutex)
            if finished { return }
            for job in batch {
                job.runSynchronously(on: asUnownedSerialExecutor())
            }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
