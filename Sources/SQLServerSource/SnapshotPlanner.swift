/// Splits a table keyed by one integer column into key ranges for parallel reading.
public enum SnapshotPlanner {
    /// Ranges covering `minimum...maximum` with about `rowsPerRange` of `rowCount` rows each
    /// (assuming keys spread evenly); one range when the table is small. The ranges are disjoint,
    /// in order, and cover every key in the bounds.
    public static func ranges(minimum: Int64, maximum: Int64, rowCount: Int64, rowsPerRange: Int) -> [ClosedRange<Int64>] {
        guard minimum <= maximum else { return [] }
        let parts = max(1, min(Int64(10_000), (rowCount + Int64(rowsPerRange) - 1) / Int64(max(1, rowsPerRange))))
        guard parts > 1 else { return [minimum...maximum] }
        let span = maximum.subtractingReportingOverflow(minimum)
        guard !span.overflow else {
            // A span over 2^63: split at zero first, then each half.
            return ranges(minimum: minimum, maximum: -1, rowCount: rowCount / 2, rowsPerRange: rowsPerRange)
                + ranges(minimum: 0, maximum: maximum, rowCount: rowCount / 2, rowsPerRange: rowsPerRange)
        }
        let width = span.partialValue / parts + 1
        var result: [ClosedRange<Int64>] = []
        var low = minimum
        while true {
            let (high, overflow) = low.addingReportingOverflow(width - 1)
            if overflow || high >= maximum {
                result.append(low...maximum)
                break
            }
            result.append(low...high)
            low = high + 1
        }
        return result
    }
}
