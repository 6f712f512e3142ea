import FerryCore
import FreeTDS
import Postgres

/// Compares a table by partitions computed on each server: one `GROUP BY` scan per side, run at the
/// same time, gives every partition's row count and checksum. Only partitions whose count or
/// checksum differ are read row by row afterwards (``filter(for:)``). The checksum is either
/// - the MD5 of the partition's canonical row texts (``ChecksumExpressions``) concatenated in key
///   order (`STRING_AGG … WITHIN GROUP (ORDER BY key)` / `string_agg(… ORDER BY key)`), when the
///   key orders alike on both servers and rows are small; or
/// - the sum of the rows' 64-bit checksums (the first 8 bytes of the MD5 of each row's text), an
///   order-independent form for string and other keys and for rows with large objects.
///
/// Partitions are independent of collations and of the key's order on either side:
/// - a single integer key is cut into ranges of `width` values (`key / width`, truncated toward
///   zero on both servers), so a partition's rows are read again by an index range;
/// - any other key goes to bucket `(first 3 bytes of the MD5 of the key's canonical text) % count`
///   (3 bytes: an unsigned number on both servers).
///
/// The partition count is the target's row estimate (`pg_class.reltuples`, else `count(*)`) over
/// `PartitionSize`, so a partition holds about `PartitionSize` rows.
struct PartitionChecksums {
    /// How rows are assigned to partitions.
    enum Scheme: Sendable, Equatable {
        /// `key / width` of the single integer key column.
        case keyRanges(width: Int64)
        /// The key hash modulo `count`.
        case keyHash(count: Int64)
    }

    /// One partition's count and checksum sum (decimal text) on one side.
    struct Totals: Equatable {
        var rows: Int64
        var sum: String
    }

    /// What the checksum scans found.
    struct Outcome {
        /// Partitions seen on either side.
        var partitions: Int
        /// Partitions whose count or sum differ; `nil` is the partition of a NULL key.
        var mismatched: [Int64?]
        var sourceRows: Int64
        var targetRows: Int64
        /// Source rows of the partitions that agree.
        var matchedRows: Int64
    }

    let source: TDSConnection
    let target: PostgresConnection
    let table: ValidationTable
    /// Key columns first.
    let columns: [ValidationTable.Column]
    let keyCount: Int
    let scheme: Scheme
    /// Whether a partition's checksum is the MD5 of its rows' texts concatenated in key order (one
    /// hash per partition, see ``hashesInKeyOrder(table:columns:partitionSize:)``), rather than the
    /// sum of one hash per row.
    let ordered: Bool

    /// Whether partitions can be hashed as one text in key order: both servers must order the key
    /// alike (numbers, dates and times — not strings, whose collations differ), and a partition's
    /// text must stay small (no large objects; at most 256 MB per partition). One MD5 over a
    /// partition costs each server far less than one per row.
    static func hashesInKeyOrder(table: ValidationTable, columns: [ValidationTable.Column], partitionSize: Int) -> Bool {
        let keysOrderAlike = table.keyColumns.allSatisfy { column in
            switch column.type.category {
            case .integer, .exactNumeric, .date, .dateTime: true
            default: false
            }
        }
        guard keysOrderAlike, let rowBytes = ChecksumExpressions.maximumRowBytes(columns) else { return false }
        let (partitionBytes, overflow) = rowBytes.multipliedReportingOverflow(by: partitionSize)
        return !overflow && partitionBytes <= 256 << 20
    }

    /// Why server-side checksums cannot be used for these columns on these servers, or `nil`.
    static func ineligibility(source: TDSConnection, target: PostgresConnection, table: ValidationTable, columns: [ValidationTable.Column]) async throws -> String? {
        if let column = columns.first(where: { !ChecksumExpressions.supports($0.type) }) {
            return "column \(column.sourceName) is \(column.type), which has no server-side checksum form"
        }
        if await target.parameterStatus("server_encoding") != "UTF8" {
            return "the target database's encoding is not UTF8"
        }
        // UTF-8 collations (strings) are SQL Server 2019's, STRING_AGG 2017's.
        let version = try await source.query("SELECT CAST(SERVERPROPERTY('ProductMajorVersion') AS int)")
        guard let major = version.first?[0].int64Value, major >= 15 else {
            return "server-side checksums need SQL Server 2019 or later (UTF-8 collations, STRING_AGG)"
        }
        let rows = try await target.query("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
            """, [.text(PostgresIdentifier.qualified(schema: table.targetSchema, table.targetTable))])
        var types: [String: String] = [:]
        for row in rows { types[try row.decode(String.self, at: 0)] = try row.decode(String.self, at: 1) }
        for column in columns {
            let expected = ChecksumExpressions.formattedTargetType(column.type)
            guard let actual = types[column.targetName] else {
                return "the target has no column \(column.targetName)"
            }
            if actual != expected {
                return "target column \(column.targetName) is \(actual), not \(expected) as Ferry maps \(column.type)"
            }
        }
        return nil
    }

    /// Chooses the partitions for about `partitionSize` rows each.
    static func scheme(source: TDSConnection, target: PostgresConnection, table: ValidationTable, keyCount: Int, partitionSize: Int) async throws -> Scheme {
        let targetTable = PostgresIdentifier.qualified(schema: table.targetSchema, table.targetTable)
        var estimate = try await target.query("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)", [.text(targetTable)])
            .first.flatMap { try $0.decode(Int64?.self, at: 0) } ?? -1
        // Never analyzed (-1), or analyzed while empty (0): count instead.
        if estimate <= 0 {
            estimate = try await target.query("SELECT count(*) FROM \(targetTable)").first.flatMap { try $0.decode(Int64?.self, at: 0) } ?? 0
        }
        let count = max(1, (estimate + Int64(partitionSize) - 1) / Int64(partitionSize))
        let key = table.keyColumns[0]
        guard keyCount == 1, key.type.category == .integer else { return .keyHash(count: count) }

        let sourceKey = try TDSLiteral.identifier(key.sourceName)
        let sourceSQL = "SELECT MIN(\(sourceKey)), MAX(\(sourceKey)) FROM \(try TDSLiteral.qualifiedIdentifier(table.source.schema, table.source.table))"
        let targetKey = PostgresIdentifier.quote(key.targetName)
        async let targetBounds = target.query("SELECT min(\(targetKey))::bigint, max(\(targetKey))::bigint FROM \(targetTable)")
        let sourceBounds = try await source.query(sourceSQL).first
        let targetRow = try await targetBounds.first
        var low: Int64?
        var high: Int64?
        for (minimum, maximum) in [
            (sourceBounds?[0].int64Value, sourceBounds?[1].int64Value),
            (try targetRow?.decode(Int64?.self, at: 0), try targetRow?.decode(Int64?.self, at: 1)),
        ] {
            if let minimum { low = min(low ?? minimum, minimum) }
            if let maximum { high = max(high ?? maximum, maximum) }
        }
        guard let low, let high else { return .keyRanges(width: Int64.max) }
        let span = Int128(high) - Int128(low) + 1
        let width = max(1, (span + Int128(count) - 1) / Int128(count))
        return .keyRanges(width: Int64(clamping: width))
    }

    // MARK: Partition expressions

    /// The T-SQL partition of a row.
    func sourcePartition() throws -> String {
        switch scheme {
        case .keyRanges(let width):
            return "CAST(\(try TDSLiteral.identifier(columns[0].sourceName)) AS bigint) / CAST(\(width) AS bigint)"
        case .keyHash(let count):
            let key = try ChecksumExpressions.sourceRow(Array(columns.prefix(keyCount)))
            return "CAST(CAST(SUBSTRING(HASHBYTES('MD5', \(key)), 1, 3) AS int) AS bigint) % CAST(\(count) AS bigint)"
        }
    }

    /// The PostgreSQL partition of a row of the target table aliased `t`.
    func targetPartition() -> String {
        switch scheme {
        case .keyRanges(let width):
            return "t.\(PostgresIdentifier.quote(columns[0].targetName))::bigint / \(width)::bigint"
        case .keyHash(let count):
            let key = ChecksumExpressions.targetRow(Array(columns.prefix(keyCount)))
            return "('x' || substr(md5(\(key)), 1, 6))::bit(24)::integer::bigint % \(count)::bigint"
        }
    }

    // MARK: Comparing

    /// Runs both scans at once and compares them partition by partition.
    func compare() async throws -> Outcome {
        let sourceTable = try TDSLiteral.qualifiedIdentifier(table.source.schema, table.source.table)
        let targetTable = PostgresIdentifier.qualified(schema: table.targetSchema, table.targetTable)
        let sourceSQL: String
        let targetSQL: String
        if ordered {
            let keys = Array(columns.prefix(keyCount))
            let sourceKeys = try keys.enumerated().map { "\(try TDSLiteral.identifier($1.sourceName)) AS k\($0)" }.joined(separator: ", ")
            let sourceOrder = keys.indices.map { "k\($0)" }.joined(separator: ", ")
            sourceSQL = """
                SELECT p, COUNT_BIG(*), HASHBYTES('MD5', CAST((STRING_AGG(r, N'') WITHIN GROUP (ORDER BY \(sourceOrder))) COLLATE \(ChecksumExpressions.utf8Collation) AS varchar(max))) FROM (
                SELECT \(try sourcePartition()) AS p, \(sourceKeys), \(try ChecksumExpressions.sourceRowText(columns)) AS r FROM \(sourceTable)
                ) AS x GROUP BY p
                """
            let targetKeys = keys.enumerated().map { "t.\(PostgresIdentifier.quote($1.targetName)) AS k\($0)" }.joined(separator: ", ")
            let targetOrder = keys.indices.map { "k\($0) NULLS FIRST" }.joined(separator: ", ")
            targetSQL = """
                SELECT p::text, count(*)::text, md5(string_agg(r, '' ORDER BY \(targetOrder))) FROM (
                SELECT \(targetPartition()) AS p, \(targetKeys), \(ChecksumExpressions.targetRow(columns)) AS r FROM \(targetTable) AS t
                ) AS x GROUP BY p
                """
        } else {
            sourceSQL = """
                SELECT p, COUNT_BIG(*), SUM(CAST(h AS decimal(38,0))) FROM (
                SELECT \(try sourcePartition()) AS p, \(try ChecksumExpressions.sourceRowHash(columns)) AS h FROM \(sourceTable)
                ) AS r GROUP BY p
                """
            targetSQL = """
                SELECT p::text, count(*)::text, sum(h)::text FROM (
                SELECT \(targetPartition()) AS p, \(ChecksumExpressions.targetRowHash(columns)) AS h FROM \(targetTable) AS t
                ) AS r GROUP BY p
                """
        }
        async let targetRows = target.query(targetSQL)
        let sourceRows = try await source.query(sourceSQL)
        var sourceTotals: [Int64?: Totals] = [:]
        for row in sourceRows {
            let sum: String
            switch row[2] {
            case .bytes(let hash): sum = hash.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            case .decimal(let decimal): sum = decimal.description
            case let other: sum = other.int64Value.map(String.init) ?? "\(other)"
            }
            sourceTotals[row[0].int64Value] = Totals(rows: row[1].int64Value ?? 0, sum: CanonicalValue.trimmedDecimal(sum))
        }
        var targetTotals: [Int64?: Totals] = [:]
        for row in try await targetRows {
            let partition = try row.decode(String?.self, at: 0).flatMap { Int64($0) }
            targetTotals[partition] = Totals(
                rows: Int64(try row.decode(String.self, at: 1)) ?? 0,
                sum: CanonicalValue.trimmedDecimal(try row.decode(String?.self, at: 2) ?? "0"))
        }
        var outcome = Outcome(partitions: 0, mismatched: [], sourceRows: 0, targetRows: 0, matchedRows: 0)
        let partitions = Set(sourceTotals.keys).union(targetTotals.keys)
        outcome.partitions = partitions.count
        for partition in partitions {
            let sourceSide = sourceTotals[partition]
            let targetSide = targetTotals[partition]
            outcome.sourceRows += sourceSide?.rows ?? 0
            outcome.targetRows += targetSide?.rows ?? 0
            if let sourceSide, sourceSide == targetSide {
                outcome.matchedRows += sourceSide.rows
            } else {
                outcome.mismatched.append(partition)
            }
        }
        outcome.mismatched.sort { ($0 ?? .min) < ($1 ?? .min) }
        return outcome
    }

    // MARK: Drilling down

    /// `WHERE` conditions (T-SQL, PostgreSQL over alias `t`) selecting the rows of `partitions`;
    /// `nil` when so many differ that reading the whole table is simpler.
    func filter(for partitions: [Int64?]) throws -> (source: String, target: String)? {
        switch scheme {
        case .keyHash:
            guard partitions.count <= 1_000 else { return nil }
            let list = partitions.compactMap { $0 }.map(String.init).joined(separator: ", ")
            return ("\(try sourcePartition()) IN (\(list))", "\(targetPartition()) IN (\(list))")
        case .keyRanges(let width):
            var ranges: [ClosedRange<Int64>] = []
            for partition in partitions.compactMap({ $0 }) {
                let range = Self.keyRange(partition: partition, width: width)
                if let last = ranges.last, Int128(range.lowerBound) <= Int128(last.upperBound) + 1 {
                    ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
                } else {
                    ranges.append(range)
                }
            }
            guard ranges.count <= 200 else { return nil }
            let sourceKey = try TDSLiteral.identifier(columns[0].sourceName)
            let targetKey = "t." + PostgresIdentifier.quote(columns[0].targetName)
            var sourceConditions = ranges.map { "\(sourceKey) BETWEEN CAST(\($0.lowerBound) AS bigint) AND CAST(\($0.upperBound) AS bigint)" }
            var targetConditions = ranges.map { "\(targetKey) BETWEEN \($0.lowerBound) AND \($0.upperBound)" }
            if partitions.contains(where: { $0 == nil }) {
                sourceConditions.append("\(sourceKey) IS NULL")
                targetConditions.append("\(targetKey) IS NULL")
            }
            return ("(" + sourceConditions.joined(separator: " OR ") + ")", "(" + targetConditions.joined(separator: " OR ") + ")")
        }
    }

    /// The keys `key / width` (truncated toward zero) maps to `partition`: partition 0 holds
    /// `-(width-1)…width-1`, the others `width` values each.
    static func keyRange(partition: Int64, width: Int64) -> ClosedRange<Int64> {
        let k = Int128(partition)
        let w = Int128(width)
        let (low, high): (Int128, Int128) =
            k > 0 ? (k * w, k * w + w - 1) : k < 0 ? (k * w - (w - 1), k * w) : (-(w - 1), w - 1)
        return Int64(clamping: low)...Int64(clamping: high)
    }
}
