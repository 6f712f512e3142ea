
/// What validating one table found, in the terms of DMS's table statistics
/// (`ValidationState`, `ValidationFailedRecords`, …).
public struct TableValidationResult: Sendable {
    /// The outcome.
    public enum State: Hashable, Sendable, CustomStringConvertible {
        /// Every row on each side has an equal row on the other.
        case validated
        /// Some rows differ or are missing: see ``TableValidationResult/mismatches``.
        case mismatched
        /// The table could not be compared; the reason says why.
        case notValidated(reason: String)

        /// DMS's state strings: `Validated`, `Mismatched records`, `Not enabled`-style reasons.
        public var description: String {
            switch self {
            case .validated: "Validated"
            case .mismatched: "Mismatched records"
            case .notValidated(let reason): "Not validated: \(reason)"
            }
        }
    }

    /// The table.
    public var table: ValidationTable
    /// The outcome.
    public var state: State
    /// Rows read from the source.
    public var sourceRows: Int
    /// Rows read from the target.
    public var targetRows: Int
    /// Rows present on both sides and equal.
    public var matchedRows: Int
    /// How many rows differ in all (``mismatches`` keeps at most `FailureMaxCount` of them).
    public var mismatchCount: Int
    /// The differing rows found, up to the configured maximum.
    public var mismatches: [RowMismatch]
    /// Ranges of `PartitionSize` rows compared.
    public var partitions: Int
    /// Columns left out of the comparison, with the reason (opaque types, skipped LOBs).
    public var skippedColumns: [String: String]
    /// How long the comparison took.
    public var duration: Duration
    /// How the rows were compared.
    public var method: Method
    /// Partitions whose checksums differed and were compared row by row (0 when compared row by row throughout).
    public var mismatchedPartitions: Int

    /// How a table was compared.
    public enum Method: Hashable, Sendable, CustomStringConvertible {
        /// Each server computed per-partition row counts and checksums; only partitions that
        /// differed were read row by row.
        case partitionChecksums
        /// Every row was read from both sides and compared in Ferry, for the reason given
        /// (a column type without a server-side checksum form, an older SQL Server, …).
        case rowByRow(reason: String)

        /// `partition checksums` or `row by row (reason)`.
        public var description: String {
            switch self {
            case .partitionChecksums: "partition checksums"
            case .rowByRow(let reason): "row by row (\(reason))"
            }
        }
    }

    /// Makes a result.
    public init(
        table: ValidationTable, state: State, sourceRows: Int, targetRows: Int, matchedRows: Int, mismatchCount: Int, mismatches: [RowMismatch],
        partitions: Int, skippedColumns: [String: String], duration: Duration,
        method: Method = .rowByRow(reason: "not compared"), mismatchedPartitions: Int = 0
    ) {
        self.table = table
        self.state = state
        self.sourceRows = sourceRows
        self.targetRows = targetRows
        self.matchedRows = matchedRows
        self.mismatchCount = mismatchCount
        self.mismatches = mismatches
        self.partitions = partitions
        self.skippedColumns = skippedColumns
        self.duration = duration
        self.method = method
        self.mismatchedPartitions = mismatchedPartitions
    }
}

/// One row that is not the same on both sides.
public struct RowMismatch: Hashable, Sendable, CustomStringConvertible {
    /// How the row differs.
    public enum Kind: Hashable, Sendable {
        /// The source has the row; the target does not.
        case missingOnTarget
        /// The target has a row the source does not.
        case missingOnSource
        /// Both have the row, with different values in these (source) columns.
        case different(columns: [String])
    }

    /// The key, as `column=value` pairs in the canonical text form (`NULL` for null).
    public var key: [String: String]
    /// How the row differs.
    public var kind: Kind

    /// Makes a mismatch.
    public init(key: [String: String], kind: Kind) {
        self.key = key
        self.kind = kind
    }

    /// `{DepartmentID=17}: missing on the target`.
    public var description: String {
        let keyText = key.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        switch kind {
        case .missingOnTarget: return "{\(keyText)}: missing on the target"
        case .missingOnSource: return "{\(keyText)}: on the target but not on the source"
        case .different(let columns): return "{\(keyText)}: different \(columns.joined(separator: ", "))"
        }
    }
}
