import SQLServerEmulator
import Synchronization
import Testing

/// An output that records what the session streams to it, and can cancel after some chunks.
final class RecordingOutput: EngineOutput {
    struct Record {
        var events: [String] = []
        var chunkSizes: [Int] = []
        var rows = 0
    }

    private let record = Mutex(Record())
    private let cancelAfterChunks: Int?

    init(cancelAfterChunks: Int? = nil) {
        self.cancelAfterChunks = cancelAfterChunks
    }

    var recorded: Record { record.withLock { $0 } }

    var isCancelled: Bool {
        guard let cancelAfterChunks else { return false }
        return record.withLock { $0.chunkSizes.count >= cancelAfterChunks }
    }

    func write(_ result: EngineResult) async throws {
        let name: String
        switch result {
        case .resultSet(let set): name = "resultSet(\(set.rows.count))"
        case .rowCount(let count): name = "rowCount(\(count))"
        case .message(let message): name = "message(\(message.number))"
        case .error(let error): name = "error(\(error.number))"
        case .transaction(let change): name = "transaction(\(change))"
        }
        record.withLock { $0.events.append(name) }
    }

    func beginResultSet(_ columns: [ResultColumn]) async throws {
        record.withLock { $0.events.append("begin(\(columns.map(\.name).joined(separator: ",")))") }
    }

    func writeRows(_ rows: [[SQLServerValue]]) async throws {
        record.withLock { record in
            record.chunkSizes.append(rows.count)
            record.rows += rows.count
        }
    }
}

@Suite struct StreamingOutputTests {
    @Test func resultSetsArriveInChunksInResultOrder() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                "CREATE TABLE t (id int NOT NULL); CREATE TABLE d (n int NOT NULL); INSERT INTO d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)")
            let output = RecordingOutput()
            try await session.execute(
                batch: """
                    BEGIN TRAN;
                    INSERT INTO t SELECT a.n * 1000 + b.n * 100 + c.n * 10 + e.n FROM d a CROSS JOIN d b CROSS JOIN d c CROSS JOIN d e
                        WHERE a.n < 3 AND a.n * 1000 + b.n * 100 < 2500;
                    PRINT 'between';
                    SELECT id FROM t ORDER BY id;
                    COMMIT;
                    """,
                output: output)
            let recorded = output.recorded
            #expect(recorded.events == ["transaction(began)", "rowCount(2500)", "message(0)", "begin(id)", "rowCount(2500)", "transaction(committed)"])
            #expect(recorded.rows == 2500)
            #expect(recorded.chunkSizes.count == 3)
            #expect(recorded.chunkSizes.allSatisfy { $0 <= EngineSession.streamingChunkSize })
        }
    }

    @Test func aCancelledOutputStopsTheStatementAndKeepsTheTransaction() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(
                "CREATE TABLE t (id int NOT NULL); CREATE TABLE d (n int NOT NULL); INSERT INTO d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9); BEGIN TRAN; INSERT INTO t VALUES (1);")
            let output = RecordingOutput(cancelAfterChunks: 1)
            await #expect(throws: CancellationError.self) {
                try await session.execute(
                    batch: "SELECT a.n FROM d a CROSS JOIN d b CROSS JOIN d c CROSS JOIN d e", output: output)
            }
            #expect(output.recorded.chunkSizes == [EngineSession.streamingChunkSize])
            let sets = try await session.resultSets("SELECT @@TRANCOUNT, COUNT(*) FROM t; ROLLBACK")
            #expect(sets.first?.rows == [[.integer(1), .integer(1)]])
        }
    }
}
