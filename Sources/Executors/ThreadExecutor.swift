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
/// The thread lives until ``shutdown()`` is called and its queue is empty. A job enqueued after the
/// thread has exited starts a new thread that drains the queue and exits again, so a late call on a
/// closed connection still runs (and reports `closed`) instead of hanging its caller.
public final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // Guarded by `mutex`; the condition wakes the thread when a job arrives or shutdown begins.
    private var jobs: [UnownedJob] = []
    private var isShuttingDown = false
    private var isThreadRunning = false
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
        pthread_mutex_lock(&mutex)
        isThreadRunning = true
        startThread()
        pthread_mutex_unlock(&mutex)
    }

    /// Starts the thread that runs `runLoop`; the thread keeps the executor alive until it exits.
    /// Called with `mutex` held.
    private func startThread() {
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
        pthread_detach(handle)
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
        if isThreadRunning {
            pthread_cond_signal(&condition)
        } else {
            isThreadRunning = true
            startThread()
        }
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
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
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
                    isThreadRunning = false
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
