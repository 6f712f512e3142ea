import FerryCore

/// Matches rows from both sides by key (see ``TableValidator`` for why not a plain merge).
struct RowMatcher {
    typealias Row = [String?]

    let columns: [ValidationTable.Column]
    let keyCount: Int
    /// Whether both sides order keys alike, so rows behind the other side's position are settled.
    let keyOrderIsShared: Bool
    let failureMaxCount: Int

    private var pendingSource: [ArraySlice<String?>: Row] = [:]
    private var pendingTarget: [ArraySlice<String?>: Row] = [:]
    private(set) var sourceRows = 0
    private(set) var targetRows = 0
    private(set) var matchedRows = 0
    private(set) var mismatchCount = 0
    private(set) var mismatches: [RowMismatch] = []

    init(columns: [ValidationTable.Column], keyCount: Int, keyOrderIsShared: Bool, failureMaxCount: Int) {
        self.columns = columns
        self.keyCount = keyCount
        self.keyOrderIsShared = keyOrderIsShared
        self.failureMaxCount = failureMaxCount
    }

    var pendingCount: Int { pendingSource.count + pendingTarget.count }

    /// Takes the next rows of each side (each side's rows in its key order).
    mutating func add(source: [Row], target: [Row]) {
        sourceRows += source.count
        targetRows += target.count
        for row in source {
            let key = row[..<keyCount]
            if let other = pendingTarget.removeValue(forKey: key) {
                compare(source: row, target: other)
            } else {
                pendingSource[key] = row
            }
        }
        for row in target {
            let key = row[..<keyCount]
            if let other = pendingSource.removeValue(forKey: key) {
                compare(source: other, target: row)
            } else {
                pendingTarget[key] = row
            }
        }
        guard keyOrderIsShared else { return }
        if let position = target.last?[..<keyCount] {
            for key in keys(of: pendingSource, before: position) {
                pendingSource.removeValue(forKey: key)
                record(key, .missingOnTarget)
            }
        }
        if let position = source.last?[..<keyCount] {
            for key in keys(of: pendingTarget, before: position) {
                pendingTarget.removeValue(forKey: key)
                record(key, .missingOnSource)
            }
        }
    }

    /// Everything still waiting has no partner.
    mutating func finish() {
        for (key, _) in pendingSource.sorted(by: { KeyOrder.less($0.key, $1.key, columns) }) { record(key, .missingOnTarget) }
        for (key, _) in pendingTarget.sorted(by: { KeyOrder.less($0.key, $1.key, columns) }) { record(key, .missingOnSource) }
        pendingSource = [:]
        pendingTarget = [:]
    }

    /// The waiting keys the other side has passed (in key order): they will not come any more.
    private func keys(of pending: [ArraySlice<String?>: Row], before position: ArraySlice<String?>) -> [ArraySlice<String?>] {
        pending.keys.filter { KeyOrder.less($0, position, columns) }.sorted { KeyOrder.less($0, $1, columns) }
    }

    private mutating func compare(source: Row, target: Row) {
        var differing: [String] = []
        for index in keyCount..<columns.count where source[index] != target[index] {
            differing.append(columns[index].sourceName)
        }
        if differing.isEmpty {
            matchedRows += 1
        } else {
            record(source[..<keyCount], .different(columns: differing))
        }
    }

    private mutating func record(_ key: ArraySlice<String?>, _ kind: RowMismatch.Kind) {
        mismatchCount += 1
        guard mismatches.count < failureMaxCount else { return }
        var named: [String: String] = [:]
        for (offset, value) in key.enumerated() { named[columns[offset].sourceName] = value ?? "NULL" }
        mismatches.append(RowMismatch(key: named, kind: kind))
    }
}

/// Orders canonical keys the way both servers order them, for the key types where they agree.
enum KeyOrder {
    static func less(_ lhs: ArraySlice<String?>, _ rhs: ArraySlice<String?>, _ columns: [ValidationTable.Column]) -> Bool {
        for (offset, (left, right)) in zip(lhs, rhs).enumerated() {
            let order = compare(left, right, columns[offset].type)
            if order != 0 { return order < 0 }
        }
        return false
    }

    /// -1, 0 or 1. NULL sorts first, as on SQL Server.
    static func compare(_ lhs: String?, _ rhs: String?, _ type: SQLServerDataType) -> Int {
        switch (lhs, rhs) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (left?, right?):
            switch type.category {
            case .integer, .boolean:
                return sign(Int64(left) ?? 0, Int64(right) ?? 0)
            case .approximateNumeric:
                return sign(Double(left) ?? 0, Double(right) ?? 0)
            case .exactNumeric:
                return compareDecimals(left, right)
            default:
                return left == right ? 0 : (left < right ? -1 : 1)
            }
        }
    }

    private static func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a == b ? 0 : (a < b ? -1 : 1) }

    /// Compares two canonical decimal strings exactly (no floating point: `decimal(38)` keys).
    static func compareDecimals(_ lhs: String, _ rhs: String) -> Int {
        let leftNegative = lhs.hasPrefix("-"), rightNegative = rhs.hasPrefix("-")
        if leftNegative != rightNegative { return leftNegative ? -1 : 1 }
        let magnitude = compareMagnitudes(leftNegative ? String(lhs.dropFirst()) : lhs, rightNegative ? String(rhs.dropFirst()) : rhs)
        return leftNegative ? -magnitude : magnitude
    }

    private static func compareMagnitudes(_ lhs: String, _ rhs: String) -> Int {
        let left = lhs.split(separator: ".", omittingEmptySubsequences: false)
        let right = rhs.split(separator: ".", omittingEmptySubsequences: false)
        let (leftInteger, rightInteger) = (left[0], right[0])
        if leftInteger.count != rightInteger.count { return leftInteger.count < rightInteger.count ? -1 : 1 }
        if leftInteger != rightInteger { return leftInteger < rightInteger ? -1 : 1 }
        var leftFraction = left.count > 1 ? String(left[1]) : ""
        var rightFraction = right.count > 1 ? String(right[1]) : ""
        let width = max(leftFraction.count, rightFraction.count)
        leftFraction += String(repeating: "0", count: width - leftFraction.count)
        rightFraction += String(repeating: "0", count: width - rightFraction.count)
        return leftFraction == rightFraction ? 0 : (leftFraction < rightFraction ? -1 : 1)
    }
}
