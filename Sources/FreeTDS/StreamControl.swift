import Synchronization

/// Shared between a ``TDSResultStream`` and its connection: set when the reader cancels, checked by
/// the connection between rows.
final class StreamControl: Sendable {
    private let cancelled = Atomic<Bool>(false)

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func cancel() { cancelled.store(true, ordering: .relaxed) }
}
