import CFreeTDS

/// Owns an open DBPROCESS and the sink its handler calls report to; `dbclose` runs when the last
/// reference goes. Used only on its connection's thread.
final class DBProcess {
    private let process: OpaquePointer
    /// Where db-lib's handlers put this connection's messages and errors.
    let sink: MessageSink

    /// Takes ownership of `process` and routes its handler calls to `sink` through `dbsetuserdata`.
    init(_ process: OpaquePointer, sink: MessageSink) {
        self.process = process
        self.sink = sink
        dbsetuserdata(process, Unmanaged.passUnretained(sink).toOpaque().assumingMemoryBound(to: BYTE.self))
        sink.markOpen()
    }

    deinit {
        // Detach the sink first: dbclose may still report errors, and this object is going away.
        dbsetuserdata(process, nil)
        dbclose(process)
    }

    /// Whether db-lib has marked the connection dead (`dbdead`).
    var isDead: Bool { dbdead(process) != 0 }

    /// Runs `body` with the raw DBPROCESS pointer, which must not escape.
    func withPointer<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result {
        try body(process)
    }
}
