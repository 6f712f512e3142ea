import FerryCore
@testable import SQLServerSource
import Testing

@Suite struct WindowPlannerTests {
    static func lsn(_ block: UInt32, _ slot: UInt16 = 0) -> LSN { LSN(virtualLogFile: 1, block: block, slot: slot) }

    @Test func noWindowWhenNothingIsNew() {
        #expect(WindowPlanner.window(after: Self.lsn(5), maxLSN: nil, transactionLimitLSN: nil, boundaries: []) == nil)
        #expect(WindowPlanner.window(after: Self.lsn(5), maxLSN: Self.lsn(5), transactionLimitLSN: nil, boundaries: []) == nil)
        #expect(WindowPlanner.window(after: Self.lsn(5), maxLSN: Self.lsn(4), transactionLimitLSN: nil, boundaries: []) == nil)
    }

    @Test func windowEndsAtMaxLSNOrTheTransactionLimit() {
        #expect(WindowPlanner.window(after: Self.lsn(5), maxLSN: Self.lsn(9), transactionLimitLSN: nil, boundaries: []) == LSNWindow(after: Self.lsn(5), through: Self.lsn(9)))
        #expect(WindowPlanner.window(after: Self.lsn(5), maxLSN: Self.lsn(9), transactionLimitLSN: Self.lsn(7), boundaries: [])?.through == Self.lsn(7))
    }

    @Test func boundariesStartANewWindow() {
        // A DDL at 7:0 cuts the window just before it: 6:ffff.
        let window = WindowPlanner.window(after: Self.lsn(5), maxLSN: Self.lsn(9), transactionLimitLSN: nil, boundaries: [Self.lsn(7)])
        #expect(window?.through == LSN(virtualLogFile: 1, block: 6, slot: .max))
        // A boundary right after the position starts this window: no cut.
        let next = WindowPlanner.window(after: Self.lsn(7).decremented()!, maxLSN: Self.lsn(9), transactionLimitLSN: nil, boundaries: [Self.lsn(7)])
        #expect(next?.through == Self.lsn(9))
        // Boundaries beyond the window do not matter.
        #expect(WindowPlanner.window(after: Self.lsn(5), maxLSN: Self.lsn(9), transactionLimitLSN: nil, boundaries: [Self.lsn(12)])?.through == Self.lsn(9))
    }

    @Test func narrowKeepsEveryTableWhenConnectionsSuffice() {
        let window = LSNWindow(after: Self.lsn(1), through: Self.lsn(100))
        let plan = WindowPlanner.narrow(window, firstChanges: [(0, Self.lsn(50)), (1, Self.lsn(10))], connections: 2)
        #expect(plan.window == window)
        #expect(plan.tables == [1, 0])
    }

    @Test func narrowEndsBeforeTheTableThatNeedsOneConnectionTooMany() {
        let window = LSNWindow(after: Self.lsn(1), through: Self.lsn(100))
        let firsts: [(table: Int, lsn: LSN)] = [(0, Self.lsn(30)), (1, Self.lsn(10)), (2, Self.lsn(20)), (3, Self.lsn(20))]
        let plan = WindowPlanner.narrow(window, firstChanges: firsts, connections: 2)
        // Sorted: 1@10, 2@20, 3@20, 0@30. The third table (k+1 = 3) starts at 20, after the first
        // table's 10, so the window ends at 20 − 1, where only table 1 has rows.
        #expect(plan.window.through == Self.lsn(20).decremented())
        #expect(plan.tables == [1])
    }

    @Test func narrowFallsBackToOneTransactionWhenItSpansMoreTablesThanConnections() {
        let window = LSNWindow(after: Self.lsn(1), through: Self.lsn(100))
        let firsts: [(table: Int, lsn: LSN)] = [(0, Self.lsn(10)), (1, Self.lsn(10)), (2, Self.lsn(10)), (3, Self.lsn(40))]
        let plan = WindowPlanner.narrow(window, firstChanges: firsts, connections: 2)
        #expect(plan.window == LSNWindow(after: Self.lsn(1), through: Self.lsn(10)))
        #expect(plan.tables == [0, 1, 2])
    }

    @Test func idleDelayDoublesUpToTheMaximum() {
        let delays = (1...6).map { WindowPlanner.idleDelay(idlePolls: $0, pollInterval: .milliseconds(100), maximum: .milliseconds(1000)) }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1000), .milliseconds(1000)])
    }

    @Test func snapshotRangesCoverTheKeysWithoutOverlap() {
        let ranges = SnapshotPlanner.ranges(minimum: 1, maximum: 1_000_000, rowCount: 1_000_000, rowsPerRange: 250_000)
        #expect(ranges.count == 4)
        #expect(ranges.first?.lowerBound == 1)
        #expect(ranges.last?.upperBound == 1_000_000)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound + 1 == b.lowerBound) }
        #expect(SnapshotPlanner.ranges(minimum: 5, maximum: 9, rowCount: 5, rowsPerRange: 100) == [5...9])
        let extreme = SnapshotPlanner.ranges(minimum: .min, maximum: .max, rowCount: 10, rowsPerRange: 2)
        #expect(extreme.first?.lowerBound == .min)
        #expect(extreme.last?.upperBound == .max)
        for (a, b) in zip(extreme, extreme.dropFirst()) { #expect(a.upperBound + 1 == b.lowerBound) }
    }
}
