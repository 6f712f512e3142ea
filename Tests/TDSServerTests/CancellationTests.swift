import FreeTDS
import Testing
import TDSServer

@Suite("Attention and slow clients")
struct CancellationTests {
    @Test func cancellingAMillionRowResultStopsTheHandler() async throws {
        let harness = try ServerHarness()
        let connection = try await harness.connect()
        let stream = try await connection.stream("MANY 1000000", chunkSize: 10)
        var iterator = stream.makeAsyncIterator()
        var rows = 0
        while rows < 5, let event = try await iterator.next() {
            if case .row = event { rows += 1 }
        }
        await stream.cancel()
        // The handler sees its writes fail with `cancelled` long before the end.
        #expect(await harness.recorder.wait { !$0.stoppedStreams.isEmpty })
        let stopped = try #require(harness.recorder.snapshot.stoppedStreams.first)
        #expect(stopped.code == .cancelled)
        #expect(stopped.rows >= 5)
        #expect(stopped.rows < 1_000_000)
        #expect(harness.recorder.snapshot.completedStreams.isEmpty)
        // The attention was acknowledged: the connection is in sync for the next batch.
        #expect(try await connection.query("MANY 3").map { $0[0] } == [.int(0), .int(1), .int(2)])
        await connection.close()
        await harness.stop()
    }

    @Test func attentionAfterTheResponseEndedIsAcknowledged() async throws {
        let harness = try ServerHarness()
        let connection = try await harness.connect()
        // Small enough to arrive whole before the cancel: db-lib may still send an attention.
        let stream = try await connection.stream("MANY 3", chunkSize: 1)
        var iterator = stream.makeAsyncIterator()
        _ = try await iterator.next()
        await stream.cancel()
        #expect(try await connection.query("MANY 2").count == 2)
        await connection.close()
        await harness.stop()
    }

    @Test func twentyConcurrentClientsWhileOneNeverReads() async throws {
        let harness = try ServerHarness()
        // This client asks for a million rows and never reads them: its session blocks on a full
        // socket, and only its own handler waits.
        let stuck = try await harness.connect()
        let unread = try await stuck.stream("MANY 1000000")
        let results = try await withThrowingTaskGroup(of: [Int32].self) { group in
            for client in 0..<19 {
                group.addTask {
                    let connection = try await harness.connect()
                    var values: [Int32] = []
                    for _ in 0..<3 {
                        let rows = try await connection.query("MANY \(1000 + client)")
                        values.append(Int32(rows.count))
                        if case .int(let last) = rows.last?[0] { values.append(last) }
                    }
                    await connection.close()
                    return values
                }
            }
            var all: [[Int32]] = []
            for try await values in group { all.append(values) }
            return all
        }
        #expect(results.count == 19)
        for values in results {
            #expect(values.count == 6)
            #expect(values[0] == values[1] + 1)
        }
        #expect(harness.recorder.snapshot.completedStreams.count == 19 * 3)
        #expect(harness.recorder.snapshot.stoppedStreams.isEmpty)
        _ = unread
        // Closing the stuck client ends its session and stops its handler.
        await stuck.close()
        #expect(await harness.recorder.wait { !$0.stoppedStreams.isEmpty })
        let stopped = try #require(harness.recorder.snapshot.stoppedStreams.first)
        #expect(stopped.rows < 1_000_000)
        #expect(stopped.code == .connectionClosed || stopped.code == .cancelled)
        await harness.stop()
    }

    @Test func shutdownClosesASessionStuckOnAClientThatDoesNotRead() async throws {
        let harness = try ServerHarness()
        let stuck = try await harness.connect()
        _ = try await stuck.stream("MANY 1000000")
        #expect(harness.server.sessionCount == 1)
        // run() returns only once the blocked session thread has ended and its handler stopped.
        await harness.stop()
        #expect(harness.server.sessionCount == 0)
        let stopped = try #require(harness.recorder.snapshot.stoppedStreams.first)
        #expect(stopped.rows < 1_000_000)
        #expect(harness.recorder.snapshot.endedSessions.count == 1)
        await stuck.close()
    }
}
