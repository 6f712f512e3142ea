/// The results of one batch, read on demand: an `AsyncSequence` of ``TDSResultEvent``s.
///
/// Rows are fetched on the connection's thread in chunks as the sequence is iterated, so a large
/// result is never held in memory unless ``collect()`` is asked for. The sequence is single-pass.
/// Cancelling the reading task, calling ``cancel()``, or starting another batch on the connection
/// cancels the rest of the batch (`dbcancel`) and leaves the connection usable.
public struct TDSResultStream: AsyncSequence, Sendable {
    /// Each element is one step of the results.
    public typealias Element = TDSResultEvent

    private let connection: TDSConnection
    private let id: UInt64
    private let chunkSize: Int
    private let control: StreamControl

    init(connection: TDSConnection, id: UInt64, chunkSize: Int, control: StreamControl) {
        self.connection = connection
        self.id = id
        self.chunkSize = chunkSize
        self.control = control
    }

    /// Starts reading.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: self)
    }

    /// Stops the batch: the server is told to cancel and unread results are discarded.
    public func cancel() async {
        control.cancel()
        await connection.cancelStream(id: id)
    }

    /// Only the rows, of every result set in order.
    public var rows: AsyncCompactMapSequence<TDSResultStream, TDSRow> {
        compactMap { event in
            if case .row(let row) = event { return row }
            return nil
        }
    }

    /// Reads everything that is left into memory.
    public func collect() async throws -> TDSBatchResult {
        var result = TDSBatchResult()
        for try await event in self { result.append(event) }
        return result
    }

    /// Reads the events, fetching a chunk from the connection whenever the buffer is empty.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let stream: TDSResultStream
        private var buffer: [TDSResultEvent] = []
        private var position = 0
        private var isFinished = false

        init(stream: TDSResultStream) {
            self.stream = stream
        }

        /// The next event, nil at the end of the batch.
        public mutating func next() async throws -> TDSResultEvent? {
            if stream.control.isCancelled, !isFinished || position < buffer.count {
                buffer = []
                position = 0
                isFinished = true
                throw TDSError(.cancelled, "the result stream was cancelled or replaced by a newer batch")
            }
            while position == buffer.count {
                if isFinished { return nil }
                if Task.isCancelled {
                    await stream.cancel()
                    throw TDSError(.cancelled, "the task reading the result stream was cancelled")
                }
                let stream = self.stream
                let chunk = try await withTaskCancellationHandler {
                    try await stream.connection.nextChunk(streamID: stream.id, maxRows: stream.chunkSize)
                } onCancel: {
                    stream.control.cancel()
                }
                buffer = chunk.events
                position = 0
                isFinished = chunk.isFinished
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}
