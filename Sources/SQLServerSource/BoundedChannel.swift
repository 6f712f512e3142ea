/// A bounded single-producer, single-consumer channel: the producer waits while `capacity`
/// elements are queued, so a fast reader never holds more than that in memory.
actor BoundedChannel<Element: Sendable> {
    private var queue: [Element] = []
    private var head = 0
    private let capacity: Int
    private var finished = false
    private var failure: (any Error)?
    private var waitingReceiver: CheckedContinuation<Void, Never>?
    private var waitingSender: CheckedContinuation<Void, Never>?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues an element, waiting while the channel is full. Throws `CancellationError` if the
    /// producing task is cancelled or the consumer closed the channel.
    func send(_ element: Element) async throws {
        while queue.count - head >= capacity, !finished {
            try Task.checkCancellation()
            await withTaskCancellationHandler {
                await withCheckedContinuation { waitingSender = $0 }
            } onCancel: {
                Task { await self.wakeSender() }
            }
        }
        if finished { throw CancellationError() }
        queue.append(element)
        wakeReceiver()
    }

    /// Ends the stream after the queued elements; with an error, the consumer gets it after them.
    func finish(throwing error: (any Error)? = nil) {
        guard !finished else { return }
        finished = true
        failure = error
        wakeReceiver()
        wakeSender()
    }

    /// The next element, or `nil` once the producer finished and the queue is empty.
    func receive() async throws -> Element? {
        while head == queue.count {
            if finished {
                if let failure { self.failure = nil; throw failure }
                return nil
            }
            await withCheckedContinuation { waitingReceiver = $0 }
        }
        let element = queue[head]
        head += 1
        if head > 64, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        wakeSender()
        return element
    }

    /// Stops the producer: its next `send` throws.
    func close() {
        finished = true
        queue = []
        head = 0
        wakeSender()
        wakeReceiver()
    }

    private func wakeReceiver() {
        let continuation = waitingReceiver
        waitingReceiver = nil
        continuation?.resume()
    }

    private func wakeSender() {
        let continuation = waitingSender
        waitingSender = nil
        continuation?.resume()
    }
}
