import FreeTDS
import Testing
import TDSServer

@Suite("SQL batches through FreeTDS")
struct BatchTests {
    static let descriptor: UInt64 = 0x0807_0605_0403_0201

    static let scripts: [String: ScriptedHandler.Script] = [
        "MULTI": { _, _, response in
            try await response.writeColumns([.init(name: "a", type: .int), .init(name: "b", type: .nVarChar(maxLength: 10))])
            try await response.writeRows([[.int(1), .string("one")], [.int(2), .null]])
            try await response.writeDone(rowCount: 2)
            try await response.writeInfo(TDSServerMessage(number: 0, state: 1, severity: 0, text: "between sets", line: 2))
            try await response.writeDone(command: .update, rowCount: 3)
            try await response.writeColumns([.init(name: "c", type: .bigInt)])
            try await response.writeRow([.bigInt(7)])
            try await response.writeDone(rowCount: 1)
        },
        "FAIL": { _, _, response in
            try await response.writeInfo(TDSServerMessage(number: 5701, state: 2, severity: 10, text: "informational", procedure: "p_insert", line: 2))
            try await response.writeError(TDSServerMessage(number: 2627, state: 3, severity: 14, text: "Violation of PRIMARY KEY constraint 'pk'.", procedure: "p_insert", line: 7))
            try await response.writeDone(.doneInProc, status: .error, command: .insert)
            try await response.writeReturnStatus(-4)
            try await response.writeDone(.doneProc, status: .error, command: .execute)
        },
        "NOTHING": { _, _, _ in },
        "BEGIN": { _, _, response in
            try await response.writeEnvironmentChange(.beginTransaction(descriptor: descriptor))
            try await response.writeDone(status: .inTransaction, command: .beginTransaction)
        },
        "COMMIT": { _, _, response in
            try await response.writeEnvironmentChange(.commitTransaction(descriptor: descriptor))
            try await response.writeDone(command: .commit)
        },
        "USE other": { _, _, response in
            try await response.writeEnvironmentChange(.database(new: "other", old: "master"))
            try await response.writeInfo(TDSServerMessage(number: 5701, state: 1, severity: 0, text: "Changed database context to 'other'."))
            try await response.writeDone(command: .use)
        },
        "EXEC p": { _, _, response in
            try await response.writeColumns([.init(name: "x", type: .int)])
            try await response.writeRow([.int(5)])
            try await response.writeDone(.doneInProc, rowCount: 1)
            try await response.writeReturnStatus(3)
            try await response.writeDone(.doneProc, command: .execute)
        },
    ]

    @Test func severalResultSetsAndRowCountsInOneBatch() async throws {
        let harness = try ServerHarness(scripts: Self.scripts)
        let connection = try await harness.connect()
        let result = try await connection.execute("MULTI")
        #expect(result.resultSets.count == 2)
        #expect(result.resultSets[0].rows.map(\.values) == [[.int(1), .string("one")], [.int(2), .null]])
        #expect(result.resultSets[1].rows.map(\.values) == [[.bigInt(7)]])
        #expect(result.rowCounts == [2, 3, 1])
        let message = try #require(result.messages.first)
        #expect(message.text == "between sets")
        #expect(message.line == 2)
        #expect(message.server == "ferry")
        // The connection is in sync afterwards: every DONE but the last carried DONE_MORE.
        #expect(try await connection.query("MANY 2").count == 2)
        await connection.close()
        await harness.stop()
    }

    @Test func errorsAndInfoKeepNumberStateClassProcedureAndLine() async throws {
        let harness = try ServerHarness(scripts: Self.scripts)
        let connection = try await harness.connect()
        let error = await #expect(throws: TDSError.self) { try await connection.execute("FAIL") }
        #expect(error?.code == .serverError)
        #expect(error?.number == 2627)
        #expect(error?.state == 3)
        #expect(error?.severity == 14)
        #expect(error?.line == 7)
        #expect(error?.procedure == "p_insert")
        // An unknown batch gets the script's 2812 and the server's DONE with the error bit.
        let missing = await #expect(throws: TDSError.self) { try await connection.execute("nope") }
        #expect(missing?.number == 2812)
        #expect(missing?.state == 62)
        // A handler that writes nothing still produces a complete response.
        let empty = try await connection.execute("NOTHING")
        #expect(empty.resultSets.isEmpty)
        #expect(try await connection.execute("EXEC p").returnStatus == 3)
        #expect(try await connection.query("MANY 1").count == 1)
        await connection.close()
        await harness.stop()
    }

    @Test func transactionDescriptorIsEchoedAfterBeginAndClearedAfterCommit() async throws {
        let harness = try ServerHarness(scripts: Self.scripts)
        let connection = try await harness.connect()
        _ = try await connection.execute("BEGIN")
        _ = try await connection.query("MANY 1")
        _ = try await connection.execute("COMMIT")
        _ = try await connection.query("MANY 1")
        _ = try await connection.execute("USE other")
        let batches = harness.recorder.snapshot.batches.filter { !$0.text.hasPrefix("SET TEXTSIZE") }
        #expect(batches.map(\.text) == ["BEGIN", "MANY 1", "COMMIT", "MANY 1", "USE other"])
        #expect(batches.map(\.transactionDescriptor) == [0, Self.descriptor, Self.descriptor, 0, 0])
        #expect(batches.allSatisfy { $0.outstandingRequestCount == 1 })
        await connection.close()
        await harness.stop()
    }
}
