import Testing
@testable import FreeTDS

@Suite("Collecting result events")
struct BatchResultTests {
    private let columns = [
        TDSColumn(name: "id", type: .int, maxLength: 4, isNullable: false),
        TDSColumn(name: "Name", type: .char, serverType: .nVarChar, maxLength: 100),
    ]

    @Test func eventsAreGroupedIntoResultSets() {
        let row1 = TDSRow(columns: columns, values: [.int(1), .string("a")])
        let row2 = TDSRow(columns: columns, values: [.int(2), .null])
        let info = TDSMessage(number: 0, state: 1, severity: 0, text: "hello")
        var result = TDSBatchResult()
        for event: TDSResultEvent in [
            .message(info), .done(rowCount: 3),
            .resultSet(columns), .row(row1), .row(row2), .done(rowCount: 2),
            .resultSet(columns), .done(rowCount: 0),
            .done(rowCount: nil), .returnStatus(-6),
        ] {
            result.append(event)
        }
        #expect(result.resultSets.count == 2)
        #expect(result.resultSets[0].rows == [row1, row2])
        #expect(result.resultSets[0].rowCount == 2)
        #expect(result.resultSets[1].rows.isEmpty)
        #expect(result.resultSets[1].rowCount == 0)
        #expect(result.rowCounts == [3, 2, 0, nil])
        #expect(result.returnStatus == -6)
        #expect(result.messages == [info])
        #expect(result.rows == [row1, row2])
    }

    @Test func rowsAreReachableByNameAndIndex() {
        let row = TDSRow(columns: columns, values: [.int(7), .string("x")])
        #expect(row[0] == .int(7))
        #expect(row["Name"] == .string("x"))
        #expect(row["name"] == .string("x"))
        #expect(row["missing"] == nil)
    }

    @Test func errorsReportServerDetailsAndRetriability() {
        let deadlock = TDSMessage(number: 1205, state: 51, severity: 13, text: "Transaction (Process ID 52) was deadlocked", procedure: "p_move", line: 7)
        let error = TDSError(.serverError, deadlock.text, serverMessages: [deadlock], context: ["host": "db"])
        #expect(error.isRetriable)
        #expect(error.number == 1205)
        #expect(error.state == 51)
        #expect(error.severity == 13)
        #expect(error.line == 7)
        #expect(error.procedure == "p_move")
        #expect(error.description.contains("Msg 1205, Level 13, State 51, Procedure p_move, Line 7"))
        let syntax = TDSMessage(number: 102, state: 1, severity: 15, text: "Incorrect syntax near 'x'.")
        #expect(!TDSError(.serverError, syntax.text, serverMessages: [syntax]).isRetriable)
        #expect(TDSError(.connectionLost, "gone").isRetriable)
        #expect(!TDSError(.decodingFailed, "bad").isRetriable)
    }
}
