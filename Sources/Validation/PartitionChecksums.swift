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
        /// `key / width` of the single integer key column; `keys` is the smallest and largest key on
        /// either side when the scheme was chosen (`nil`: both sides were empty).
        case keyRanges(width: Int64, keys: ClosedRange<Int64>?)
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
        guard let low, let high else { return .keyRanges(width: Int64.max, keys: nil) }
        let span = Int128(high) - Int128(low) + 1
        let width = max(1, (span + Int128(count) - 1) / Int128(count))
        return .keyRanges(width: Int64(clamping: width), keys: low...high)
    }

    // MARK: Partition expressions

    /// The T-SQL partition of a row.
    func sourcePartition() throws -> String {
        switch scheme {
        case .keyRanges(let width, _):
            return "CAST(\(try TDSLiteral.identifier(columns[0].sourceName)) AS bigint) / CAST(\(width) AS bigint)"
        case .keyHash(let count):
            let key = try ChecksumExpressions.sourceRow(Array(columns.prefix(keyCount)))
            return "CAST(CAST(SUBSTRING(HASHBYTES('MD5', \(key)), 1, 3) AS int) AS bigint) % CAST(\(count) AS bigint)"
        }
    }

    /// The PostgreSQL partition of a row of the target table aliased `t`.
    func targetPartition() -> String {
        switch scheme {
        case .keyRanges(let width, _):
            return "t.\(PostgresIdentifier.quote(columns[0].targetName))::bigint / \(width)::bigint"
        case .keyHash(let count):
            let key = ChecksumExpressions.targetRow(Array(columns.prefix(keyCount)))
            return "('x' || substr(md5(\(key)), 1, 6))::bit(24)::integer::bigint % \(count)::bigint"
        }
    }

    // MARK: Comparing

    /// One scan's share of a table cut by key ranges: whole partitions, and the keys they hold.
    struct Slice: Sendable {
        var partitions: ClosedRange<Int64>
        var keys: ClosedRange<Int64>
        /// Whether rows with a NULL key are counted here (the first slice).
        var includesNullKey: Bool
    }

    /// Cuts the partitions into at most `count` slices of whole, consecutive partitions (at least
    /// `partitionsPerSlice` each), so that several scans per side can run at once, each on its own
    /// connections. `[]` when the table is not cut: partitions by key hash (a slice would rescan
    /// the table), an empty table, or too few partitions.
    func slices(_ count: Int, partitionsPerSlice: Int) -> [Slice] {
        guard count > 1, case .keyRanges(let width, let span?) = scheme else { return [] }
        let first = Int128(span.lowerBound / width)
        let total = Int128(span.upperBound / width) - first + 1
        let sliceCount = min(Int128(count), total / Int128(max(1, partitionsPerSlice)))
        guard sliceCount > 1 else { return [] }
        return (0..<sliceCount).map { index in
            let low = Int64(first + total * index / sliceCount)
            let high = Int64(first + total * (index + 1) / sliceCount - 1)
            let keys = Self.keyRange(partition: low, width: width, keys: span).lowerBound...Self.keyRange(partition: high, width: width, keys: span).upperBound
            return Slice(partitions: low...high, keys: keys, includesNullKey: index == 0)
        }
    }

    /// Runs the scans of both sides at once and compares them partition by partition: one scan per
    /// side on this comparison's own connections, or one per slice of `slices` (from
    /// ``slices(_:partitionsPerSlice:)``), the first on the own connections and each other on its
    /// pair of `sliceConnections`.
    func compare(slices: [Slice] = [], sliceConnections: [(source: TDSConnection, target: PostgresConnection)] = []) async throws -> Outcome {
        precondition(slices.isEmpty || sliceConnections.count == slices.count - 1, "one pair of connections per slice beyond the first")
        var readsInKeyOrder = false
        if ordered, case .keyRanges(_, _?) = scheme { readsInKeyOrder = try await targetIsStoredInKeyOrder() }
        var scans: [(source: TDSConnection, target: PostgresConnection, sourceSQL: String, targetSQL: String)] = []
        if slices.isEmpty {
            scans.append((source, target, try sourceSQL(slice: nil), try targetSQL(slice: nil, readsInKeyOrder: readsInKeyOrder)))
        } else {
            for (connections, slice) in zip([(source, target)] + sliceConnections, slices) {
                scans.append((connections.0, connections.1, try sourceSQL(slice: slice), try targetSQL(slice: slice, readsInKeyOrder: readsInKeyOrder)))
            }
        }
        var sourceTotals: [Int64?: Totals] = [:]
        var targetTotals: [Int64?: Totals] = [:]
        try await withThrowingTaskGroup(of: (source: [Int64?: Totals], target: [Int64?: Totals]).self) { group in
            for scan in scans {
                group.addTask {
                    async let targetRows = scan.target.query(scan.targetSQL)
                    let sourceRows = try await scan.source.query(scan.sourceSQL)
                    return (Self.sourceTotals(sourceRows), try Self.targetTotals(try await targetRows))
                }
            }
            // Slices hold disjoint partitions.
            for try await totals in group {
                sourceTotals.merge(totals.source) { first, _ in first }
                targetTotals.merge(totals.target) { first, _ in first }
            }
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

    /// The T-SQL scan of the whole table, or of `slice`: each partition's number, row count and checksum.
    func sourceSQL(slice: Slice?) throws -> String {
        let sourceTable = try TDSLiteral.qualifiedIdentifier(table.source.schema, table.source.table)
        let keyColumn = try TDSLiteral.identifier(columns[0].sourceName)
        let filter = slice.map { " WHERE " + Self.sourceKeyCondition(keyColumn, $0.keys, orNull: $0.includesNullKey) } ?? ""
        if ordered {
            let keys = Array(columns.prefix(keyCount))
            let sourceKeys = try keys.enumerated().map { "\(try TDSLiteral.identifier($1.sourceName)) AS k\($0)" }.joined(separator: ", ")
            let sourceOrder = keys.indices.map { "k\($0)" }.joined(separator: ", ")
            return """
                SELECT p, COUNT_BIG(*), HASHBYTES('MD5', CAST((STRING_AGG(r, N'') WITHIN GROUP (ORDER BY \(sourceOrder))) COLLATE \(ChecksumExpressions.utf8Collation) AS varchar(max))) FROM (
                SELECT \(try sourcePartition()) AS p, \(sourceKeys), \(try ChecksumExpressions.sourceRowText(columns)) AS r FROM \(sourceTable)\(filter)
                ) AS x GROUP BY p
                """
        }
        return """
            SELECT p, COUNT_BIG(*), SUM(CAST(h AS decimal(38,0))) FROM (
            SELECT \(try sourcePartition()) AS p, \(try ChecksumExpressions.sourceRowHash(columns)) AS h FROM \(sourceTable)\(filter)
            ) AS r GROUP BY p
            """
    }

    /// The PostgreSQL scan of the whole table, or of `slice`, giving what ``sourceSQL(slice:)`` gives.
    func targetSQL(slice: Slice?, readsInKeyOrder: Bool) throws -> String {
        let targetTable = PostgresIdentifier.qualified(schema: table.targetSchema, table.targetTable)
        let keyColumn = "t." + PostgresIdentifier.quote(columns[0].targetName)
        let filter = slice.map { " WHERE " + Self.targetKeyCondition(keyColumn, $0.keys, orNull: $0.includesNullKey) } ?? ""
        if ordered {
            if readsInKeyOrder, case .keyRanges(let width, let span?) = scheme {
                return Self.partitionByPartitionSQL(
                    table: targetTable, key: columns[0].targetName, row: ChecksumExpressions.targetRow(columns),
                    width: width, keys: span, partitions: slice?.partitions ?? (span.lowerBound / width)...(span.upperBound / width))
            }
            let keys = Array(columns.prefix(keyCount))
            let targetKeys = keys.enumerated().map { "t.\(PostgresIdentifier.quote($1.targetName)) AS k\($0)" }.joined(separator: ", ")
            let targetOrder = keys.indices.map { "k\($0) NULLS FIRST" }.joined(separator: ", ")
            return """
                SELECT p::text, count(*)::text, md5(string_agg(r, '' ORDER BY \(targetOrder))) FROM (
                SELECT \(targetPartition()) AS p, \(targetKeys), \(ChecksumExpressions.targetRow(columns)) AS r FROM \(targetTable) AS t\(filter)
                ) AS x GROUP BY p
                """
        }
        return """
            SELECT p::text, count(*)::text, sum(h)::text FROM (
            SELECT \(targetPartition()) AS p, \(ChecksumExpressions.targetRowHash(columns)) AS h FROM \(targetTable) AS t\(filter)
            ) AS r GROUP BY p
            """
    }

    /// Partition totals from the source's scan rows.
    static func sourceTotals(_ rows: [TDSRow]) -> [Int64?: Totals] {
        var totals: [Int64?: Totals] = [:]
        for row in rows {
            let sum: String
            switch row[2] {
            case .bytes(let hash): sum = hash.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            case .decimal(let decimal): sum = decimal.description
            case let other: sum = other.int64Value.map(String.init) ?? "\(other)"
            }
            totals[row[0].int64Value] = Totals(rows: row[1].int64Value ?? 0, sum: CanonicalValue.trimmedDecimal(sum))
        }
        return totals
    }

    /// Partition totals from the target's scan rows.
    static func targetTotals(_ rows: PostgresRows) throws -> [Int64?: Totals] {
        var totals: [Int64?: Totals] = [:]
        for row in rows {
            let partition = try row.decode(String?.self, at: 0).flatMap { Int64($0) }
            totals[partition] = Totals(
                rows: Int64(try row.decode(String.self, at: 1)) ?? 0,
                sum: CanonicalValue.trimmedDecimal(try row.decode(String?.self, at: 2) ?? "0"))
        }
        return totals
    }

    /// `key` within `keys` (an open end, `Int64.min`/`max`, is left unbounded), or NULL when
    /// `orNull`; `literal` writes a bound in the server's dialect.
    static func keyCondition(_ key: String, _ keys: ClosedRange<Int64>, orNull: Bool, literal: (Int64) -> String) -> String {
        var bounds: [String] = []
        if keys.lowerBound > .min { bounds.append("\(key) >= \(literal(keys.lowerBound))") }
        if keys.upperBound < .max { bounds.append("\(key) <= \(literal(keys.upperBound))") }
        let range = bounds.isEmpty ? "\(key) IS NOT NULL" : bounds.joined(separator: " AND ")
        return orNull ? "(\(range) OR \(key) IS NULL)" : "(\(range))"
    }

    /// ``keyCondition(_:_:orNull:literal:)`` in T-SQL.
    static func sourceKeyCondition(_ key: String, _ keys: ClosedRange<Int64>, orNull: Bool) -> String {
        keyCondition(key, keys, orNull: orNull) { "CAST(\($0) AS bigint)" }
    }

    /// ``keyCondition(_:_:orNull:literal:)`` in PostgreSQL.
    static func targetKeyCondition(_ key: String, _ keys: ClosedRange<Int64>, orNull: Bool) -> String {
        keyCondition(key, keys, orNull: orNull) { String($0) }
    }

    /// Whether the target's rows lie on disk nearly in key order (`pg_stats.correlation` of the
    /// key column at least ``minimumKeyCorrelation``, as after a load in key order), the key column
    /// is `NOT NULL` and leads an index — then reading each partition by an index range hands the
    /// ordered aggregate rows already in order, which costs PostgreSQL far less than sorting the
    /// table by partition and each partition by key. Without statistics (never analyzed), or with
    /// rows scattered, a range read would jump around the table: the one-scan form is kept.
    func targetIsStoredInKeyOrder() async throws -> Bool {
        let key = columns[0].targetName
        let rows = try await target.query("""
            SELECT a.attnotnull,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indkey[0] = a.attnum),
                   (SELECT abs(s.correlation)::float8 FROM pg_stats s WHERE s.schemaname = $2 AND s.tablename = $3 AND s.attname = a.attname)
            FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attname = $4
            """, [.text(PostgresIdentifier.qualified(schema: table.targetSchema, table.targetTable)), .text(table.targetSchema), .text(table.targetTable), .text(key)])
        guard let row = rows.first, try row.decode(Bool.self, at: 0), try row.decode(Bool.self, at: 1),
              let correlation = try row.decode(Double?.self, at: 2) else { return false }
        return correlation >= Self.minimumKeyCorrelation
    }

    /// How closely the target's physical row order must follow the key for partitions to be read
    /// by index ranges (see ``targetIsStoredInKeyOrder()``).
    static let minimumKeyCorrelation = 0.9

    /// The target's partition checksums read partition by partition: each partition's rows by an
    /// index range on `key`, hashed in key order exactly as the one-scan form does. `partitions`
    /// are numbers of `key / width` within the span `keys`; the span's first and last are open-ended, so a row written
    /// outside the span since it was measured is still counted (in a partition the source numbers
    /// differently, so it is re-read and reported rather than missed).
    static func partitionByPartitionSQL(table: String, key: String, row: String, width: Int64, keys: ClosedRange<Int64>, partitions: ClosedRange<Int64>) -> String {
        var numbers: [String] = []
        var lows: [String] = []
        var highs: [String] = []
        for partition in partitions {
            let range = keyRange(partition: partition, width: width, keys: keys)
            numbers.append(String(partition))
            lows.append(String(range.lowerBound))
            highs.append(String(range.upperBound))
        }
        let quotedKey = "t." + PostgresIdentifier.quote(key)
        return """
            SELECT g.p::text, a.n::text, a.h FROM unnest('{\(numbers.joined(separator: ","))}'::bigint[], '{\(lows.joined(separator: ","))}'::bigint[], '{\(highs.joined(separator: ","))}'::bigint[]) AS g(p, lo, hi)
            CROSS JOIN LATERAL (
            SELECT count(*) AS n, md5(string_agg(x.r, '' ORDER BY x.k0)) AS h FROM (
            SELECT \(quotedKey) AS k0, \(row) AS r FROM \(table) AS t WHERE \(quotedKey) BETWEEN g.lo AND g.hi
            ) AS x) AS a WHERE a.n > 0
            """
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
        case .keyRanges(let width, let keys):
            var ranges: [ClosedRange<Int64>] = []
            for partition in partitions.compactMap({ $0 }).sorted() {
                let range = Self.keyRange(partition: partition, width: width, keys: keys)
                if let last = ranges.last, Int128(range.lowerBound) <= Int128(last.upperBound) + 1 {
                    ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
                } else {
                    ranges.append(range)
                }
            }
            guard ranges.count <= 200 else { return nil }
            let sourceKey = try TDSLiteral.identifier(columns[0].sourceName)
            let targetKey = "t." + PostgresIdentifier.quote(columns[0].targetName)
            var sourceConditions = ranges.map { Self.sourceKeyCondition(sourceKey, $0, orNull: false) }
            var targetConditions = ranges.map { Self.targetKeyCondition(targetKey, $0, orNull: false) }
            if partitions.contains(where: { $0 == nil }) {
                sourceConditions.append("\(sourceKey) IS NULL")
                targetConditions.append("\(targetKey) IS NULL")
            }
            return ("(" + sourceConditions.joined(separator: " OR ") + ")", "(" + targetConditions.joined(separator: " OR ") + ")")
        }
    }

    /// The keys `key / width` (truncated toward zero) maps to `partition`: partition 0 holds
    /// `-(width-1)…width-1`, the others `width` values each. With the key span `keys` the scheme was
    /// chosen for, the first and last partitions of the span are open-ended, as the target's
    /// partition-by-partition read counts them: re-reading one of them also covers keys written
    /// beyond the span since.
    static func keyRange(partition: Int64, width: Int64, keys: ClosedRange<Int64>? = nil) -> ClosedRange<Int64> {
        let k = Int128(partition)
        let w = Int128(width)
        var (low, high): (Int128, Int128) =
            k > 0 ? (k * w, k * w + w - 1) : k < 0 ? (k * w - (w - 1), k * w) : (-(w - 1), w - 1)
        if let keys {
            if partition <= keys.lowerBound / width { low = Int128(Int64.min) }
            if partition >= keys.upperBound / width { high = Int128(Int64.max) }
        }
        return Int64(clamping: low)...Int64(clamping: high)
    }
}
