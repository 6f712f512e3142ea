import FerryCore
@testable import SQLServerSource
import Testing

/// Merging change tables into commit order, and pairing update images.
@Suite struct ChangeOrderingTests {
    static func lsn(_ block: UInt32, _ slot: UInt16 = 0) -> LSN { LSN(virtualLogFile: 0x2a, block: block, slot: slot) }

    static func row(_ commit: UInt32, command: Int64 = 1, seq: UInt16, _ operation: ChangeRow.Operation, id: Int64, table: Int = 0) -> ChangeRow {
        ChangeRow(commitLSN: lsn(commit), commandID: command, sequenceValue: lsn(commit, seq), operation: operation,
                  updateMask: UpdateMask([0x03]), values: [.int(id), .string("v\(id)")], tableIndex: table)
    }

    func drain(_ merger: ChangeMerger) async throws -> [PairedChange] {
        var result: [PairedChange] = []
        while let change = try await merger.next() { result.append(change) }
        return result
    }

    @Test func mergesTablesByCommitLSNThenCommandThenSequence() async throws {
        // Table 0 and table 1 share transaction 0x20: statement 1 wrote table 1, statement 2 table 0,
        // though table 0's seqval is lower (Microsoft: order by command id within a transaction).
        let a = ArrayChangeRowCursor([Self.row(0x10, seq: 1, .insert, id: 1), Self.row(0x20, command: 2, seq: 1, .insert, id: 2),
                                      Self.row(0x30, seq: 1, .delete, id: 1)])
        let b = ArrayChangeRowCursor([Self.row(0x20, command: 1, seq: 5, .insert, id: 10, table: 1),
                                      Self.row(0x25, seq: 1, .updateBefore, id: 10, table: 1), Self.row(0x25, seq: 1, .updateAfter, id: 10, table: 1)])
        let merged = try await drain(ChangeMerger([UpdatePairing(a, table: "a"), UpdatePairing(b, table: "b")]))
        #expect(merged.map(\.operation) == [.create, .create, .create, .update, .delete])
        #expect(merged.map(\.tableIndex) == [0, 1, 0, 1, 0])
        #expect(merged.map(\.commitLSN) == [Self.lsn(0x10), Self.lsn(0x20), Self.lsn(0x20), Self.lsn(0x25), Self.lsn(0x30)])
        #expect(merged[3].first.operation == .updateBefore)
        #expect(merged[3].after?.operation == .updateAfter)
    }

    @Test func anUpdateBeforeImageWithoutItsAfterImageIsAnError() async throws {
        let cursor = ArrayChangeRowCursor([Self.row(0x10, seq: 1, .updateBefore, id: 1), Self.row(0x10, seq: 2, .updateAfter, id: 1)])
        await #expect(throws: SourceError.self) { _ = try await UpdatePairing(cursor, table: "dbo.t").next() }
        let lone = ArrayChangeRowCursor([Self.row(0x10, seq: 1, .updateAfter, id: 1)])
        do {
            _ = try await UpdatePairing(lone, table: "dbo.t").next()
            Issue.record("expected an error")
        } catch let error as SourceError {
            #expect(error.code == .unexpectedChangeData)
            #expect(error.message.contains("dbo.t"))
        }
    }

    @Test func rowsOutOfOrderWithinOneTableAreRefused() async throws {
        let cursor = ArrayChangeRowCursor([Self.row(0x20, seq: 1, .insert, id: 1), Self.row(0x10, seq: 1, .insert, id: 2)])
        let merger = ChangeMerger([UpdatePairing(cursor, table: "t")])
        _ = try await merger.next()
        await #expect(throws: SourceError.self) { _ = try await merger.next() }
    }

    @Test func orderKeySortsOperationLastSoBeforeImagesPrecedeAfterImages() {
        let before = Self.row(0x10, seq: 3, .updateBefore, id: 1).orderKey
        let after = Self.row(0x10, seq: 3, .updateAfter, id: 1).orderKey
        let laterCommand = Self.row(0x10, command: 2, seq: 1, .insert, id: 1).orderKey
        #expect(before < after)
        #expect(after < laterCommand)
    }

    @Test func serialNumbersCountRepeatsOfOnePosition() {
        var counter = EventBuilder.SerialCounter()
        #expect(counter.next(commit: Self.lsn(1), change: Self.lsn(1, 1)) == 1)
        #expect(counter.next(commit: Self.lsn(1), change: Self.lsn(1, 1)) == 2)
        #expect(counter.next(commit: Self.lsn(1), change: Self.lsn(1, 2)) == 1)
        #expect(counter.next(commit: Self.lsn(2), change: Self.lsn(1, 2)) == 1)
    }
}
