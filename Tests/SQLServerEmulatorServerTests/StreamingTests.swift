import FreeTDS
import SQLServerEmulator
import Testing

/// Large results are streamed from PostgreSQL through the TDS writer, and a client's cancel
/// (ATTENTION) stops them.
@Suite struct StreamingTests {
    /// A batch that makes `digits` (0…9); six of them cross joined give a million rows.
    static let setup = """
        CREATE TABLE dbo.digits (d int NOT NULL PRIMARY KEY);
        INSERT INTO dbo.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
        """
    /// A million rows of about 130 bytes: far more than socket buffers and the server's queue hold.
    static let millionRows = """
        SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS n,
               REPLICATE(N'x', 60) AS padding
        FROM dbo.digits a CROSS JOIN dbo.digits b CROSS JOIN dbo.digits c
        CROSS JOIN dbo.digits e CROSS JOIN dbo.digits f CROSS JOIN dbo.digits g
        """

    @Test func cancellingAMillionRowSelectStopsTheServerAndKeepsTheConnection() async throws {
        try await EmulatorHarness.withServer { port, recorder in
            let connection = try await EmulatorHarness.connect(port: port)
            _ = try await connection.execute(Self.setup)
            let stream = try await connection.stream(Self.millionRows, chunkSize: 100)
            var iterator = stream.makeAsyncIterator()
            var rows = 0
            while rows < 2000, let event = try await iterator.next() {
                if case .row = event { rows += 1 }
            }
            await stream.cancel()
            let error = await #expect(throws: TDSError.self) { _ = try await iterator.next() }
            #expect(error?.code == .cancelled)

            // The connection is usable and the cancelled statement left no transaction behind.
            let check = try await connection.query("SELECT @@TRANCOUNT AS t, COUNT(*) AS c FROM dbo.digits")
            #expect(check.first?[0].int64Value == 0)
            #expect(check.first?[1].int64Value == 10)
            await connection.close()

            // The server stopped producing: the cancelled request wrote a fraction of the rows.
            let written = try #require(recorder.rowsWrittenPerRequest.max())
            #expect(written >= 2000)
            #expect(written < 500_000)
        }
    }

    @Test func aMillionRowSelectStreamsToTheEnd() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let connection = try await EmulatorHarness.connect(port: port)
            _ = try await connection.execute(Self.setup)
            var count = 0
            var sum = 0
            var doneCount: Int?
            for try await event in try await connection.stream(Self.millionRows + " ORDER BY n", chunkSize: 1000) {
                switch event {
                case .row(let row):
                    if let n = row[0].int64Value.map(Int.init) {
                        #expect(n == count)
                        sum &+= n
                    }
                    count += 1
                case .done(let rowCount): doneCount = rowCount
                default: break
                }
            }
            #expect(count == 1_000_000)
            #expect(sum == 999_999 * 1_000_000 / 2)
            #expect(doneCount == 1_000_000)
            await connection.close()
        }
    }
}
