import CFreeTDS
import Synchronization

/// Collects what db-lib's process-wide error and message handlers report for one connection.
///
/// The handlers find the sink through `dbgetuserdata()` once the connection is open, and through a
/// thread-local pointer while `dbopen()` runs (db-lib calls them before the caller has the
/// DBPROCESS to attach user data to). Both happen on the connection's own thread.
final class MessageSink: Sendable {
    private struct State {
        var messages: [TDSMessage] = []
        var libraryErrors: [TDSLibraryError] = []
        var isOpen = false
    }

    private let state = Mutex(State())

    /// What was collected since the last ``drain()``.
    struct Collected {
        var messages: [TDSMessage] = []
        var libraryErrors: [TDSLibraryError] = []

        var serverErrors: [TDSMessage] { messages.filter(\.isError) }
        var infoMessages: [TDSMessage] { messages.filter { !$0.isError } }
        var isEmpty: Bool { messages.isEmpty && libraryErrors.isEmpty }
        /// db-lib errors other than "check the server messages", which only echoes server errors.
        var significantLibraryErrors: [TDSLibraryError] {
            libraryErrors.filter { $0.number != TDSLibraryError.serverMessageFollows }
        }
    }

    /// Marks the login as done: from now on a timeout cancels the query instead of the connection.
    func markOpen() {
        state.withLock { $0.isOpen = true }
    }

    func record(_ message: TDSMessage) {
        state.withLock { $0.messages.append(message) }
    }

    /// Records a db-lib error and returns what db-lib should do: `INT_TIMEOUT` to cancel a timed-out
    /// query but keep the connection, `INT_CANCEL` otherwise (never `INT_EXIT`, which exits the process).
    func record(_ error: TDSLibraryError) -> Int32 {
        let isOpen = state.withLock { state in
            state.libraryErrors.append(error)
            return state.isOpen
        }
        if error.number == TDSLibraryError.timedOut, isOpen { return INT_TIMEOUT }
        return INT_CANCEL
    }

    /// Takes everything collected so far.
    func drain() -> Collected {
        state.withLock { state in
            defer {
                state.messages.removeAll()
                state.libraryErrors.removeAll()
            }
            return Collected(messages: state.messages, libraryErrors: state.libraryErrors)
        }
    }
}
