import FerryCore
import FreeTDS
import Postgres

/// The SQL that puts a row in one canonical text on both servers, byte for byte, so that each
/// server can hash its own rows and only the hashes cross the network (see ``PartitionChecksums``).
///
/// A row's text is its columns' pieces in column order:
/// - `N` for NULL;
/// - `V<text>;` for a value whose text never holds `;` (numbers, dates, hex, GUIDs);
/// - `S<bytes>:<text>` for a string, `<bytes>` its UTF-8 length, so no content can be mistaken
///   for the next piece.
///
/// The texts follow the type mapping (docs/types.md), so a value and its replicated form agree:
///
/// | SQL Server | T-SQL text | PostgreSQL text |
/// |---|---|---|
/// | `bit` | `CONVERT(nvarchar(1), c)` | `1`/`0` of the boolean |
/// | integers | `CONVERT(nvarchar(20), c)` | `c::text` |
/// | `decimal(p,s)` | `CONVERT(nvarchar(50), c)` (`s` digits) | `c::text` of `numeric(p,s)` |
/// | `money`, `smallmoney` | via `decimal(19,4)`/`decimal(10,4)` | `c::text` of `numeric(19,4)`/`(10,4)` |
/// | `float`, `real` | hex of `CAST(c AS binary(8))`/`binary(4)` (IEEE 754, big-endian) | hex of `float8send`/`float4send` |
/// | `uniqueidentifier` | `CONVERT(nvarchar(36), c)` | `upper(c::text)` |
/// | `date` | style 23 | `to_char(c, 'YYYY-MM-DD')` |
/// | `datetime2(n)`, `datetime` | style 121, cut to `min(n, 6)` digits | `to_char(…US)`, cut alike |
/// | `smalldatetime` | style 120 | `to_char(c, 'YYYY-MM-DD HH24:MI:SS')` |
/// | `binary`, `varbinary`, `image`, `rowversion` | `CONVERT(nvarchar(max), c, 2)` | `upper(encode(c, 'hex'))` |
/// | `char`, `nchar` | `RTRIM(c)`, as UTF-8 | `c::text` (PostgreSQL drops the padding) |
/// | `varchar`, `nvarchar`, `text`, `ntext` | `c`, as UTF-8 | `c::text` |
///
/// A column compared by its first bytes only (`ValidationPartialLobSize`) is cut first: `LEFT`
/// of its characters (UTF-16 code units for the `n` types, so half as many as bytes), `SUBSTRING`
/// of its bytes.
///
/// Strings become UTF-8 on SQL Server through a `_UTF8` collation (SQL Server 2019 and later), so
/// `varchar` in any code page and `nvarchar` hash like PostgreSQL's UTF-8 text. `time`,
/// `datetimeoffset`, `xml`, `hierarchyid`, the spatial types and `sql_variant` have no such text
/// here: tables with them are compared row by row.
enum ChecksumExpressions {
    /// The collation that makes SQL Server store `varchar` as UTF-8.
    static let utf8Collation = "Latin1_General_100_BIN2_UTF8"

    /// Whether both servers can write `type`'s values in the same canonical text.
    static func supports(_ type: SQLServerDataType) -> Bool {
        switch type.name {
        case .bit, .tinyint, .smallint, .int, .bigint, .decimal, .numeric, .money, .smallmoney, .real, .float,
             .uniqueidentifier, .date, .datetime2, .datetime, .smalldatetime,
             .char, .varchar, .nchar, .nvarchar, .text, .ntext, .binary, .varbinary, .image, .rowversion:
            return true
        case .time, .datetimeoffset, .xml, .hierarchyid, .geography, .geometry, .sqlVariant:
            return false
        }
    }

    /// Whether the type is written as a length-prefixed string piece.
    static func isString(_ type: SQLServerDataType) -> Bool {
        switch type.name {
        case .char, .varchar, .nchar, .nvarchar, .text, .ntext: true
        default: false
        }
    }

    /// Fractional digits compared for `datetime2`/`datetime` (what PostgreSQL's column keeps).
    private static func fractionDigits(_ type: SQLServerDataType) -> Int {
        min(type.effectiveScale ?? 6, 6)
    }

    /// The characters of a string column's compared prefix (UTF-16 code units for the Unicode
    /// types, two bytes each), or `nil` when whole values are compared.
    private static func prefixCharacters(_ column: ValidationTable.Column) -> Int? {
        column.comparedPrefixBytes.map { column.type.isUnicode ? max(0, $0) / 2 : max(0, $0) }
    }

    // MARK: SQL Server

    /// The `nvarchar` piece of one column (see the type's table), never NULL.
    static func sourcePiece(_ column: ValidationTable.Column) throws -> String {
        let c = try TDSLiteral.identifier(column.sourceName)
        let type = column.type
        if isString(type) {
            var value = type.name == .char || type.name == .nchar ? "RTRIM(\(c))" : c
            if let characters = prefixCharacters(column) {
                // LEFT counts UTF-16 code units of nvarchar; the rows of a partition that differs
                // only by a surrogate pair cut at the limit are settled row by row, exactly.
                value = "LEFT(CAST(\(c) AS \(type.isUnicode ? "nvarchar" : "varchar")(max)), \(characters))"
            }
            let unicode = "CAST(\(value) AS nvarchar(max)) COLLATE \(utf8Collation)"
            return "CASE WHEN \(c) IS NULL THEN N'N' ELSE N'S' + CONVERT(nvarchar(20), DATALENGTH(CAST(\(unicode) AS varchar(max)))) + N':' + \(unicode) END"
        }
        let text: String
        switch type.name {
        case .bit: text = "CONVERT(nvarchar(1), \(c))"
        case .tinyint, .smallint, .int, .bigint: text = "CONVERT(nvarchar(20), \(c))"
        case .decimal, .numeric: text = "CONVERT(nvarchar(50), \(c))"
        case .money: text = "CONVERT(nvarchar(50), CAST(\(c) AS decimal(19,4)))"
        case .smallmoney: text = "CONVERT(nvarchar(50), CAST(\(c) AS decimal(10,4)))"
        case .float: text = "CONVERT(nvarchar(16), CAST(\(c) AS binary(8)), 2)"
        case .real: text = "CONVERT(nvarchar(8), CAST(\(c) AS binary(4)), 2)"
        case .uniqueidentifier: text = "CONVERT(nvarchar(36), \(c))"
        case .date: text = "CONVERT(nvarchar(10), \(c), 23)"
        case .datetime2, .datetime:
            let digits = fractionDigits(type)
            text = "LEFT(CONVERT(nvarchar(27), \(c), 121), \(digits == 0 ? 19 : 20 + digits))"
        case .smalldatetime: text = "CONVERT(nvarchar(19), \(c), 120)"
        case .binary, .varbinary, .image, .rowversion:
            if let bytes = column.comparedPrefixBytes {
                text = "CONVERT(nvarchar(max), SUBSTRING(CAST(\(c) AS varbinary(max)), 1, \(max(0, bytes))), 2)"
            } else {
                text = type.name == .image ? "CONVERT(nvarchar(max), CAST(\(c) AS varbinary(max)), 2)" : "CONVERT(nvarchar(max), \(c), 2)"
            }
        default: throw ValidationError(.unreadableValue, "\(type) has no server-side checksum form", context: ["column": column.sourceName])
        }
        return "CASE WHEN \(c) IS NULL THEN N'N' ELSE N'V' + \(text) + N';' END"
    }

    /// The canonical row text of `columns` as UTF-8 `varchar(max)`.
    static func sourceRow(_ columns: [ValidationTable.Column]) throws -> String {
        "CAST(\(try sourceRowText(columns)) COLLATE \(utf8Collation) AS varchar(max))"
    }

    /// The canonical row text of `columns` as `nvarchar(max)`.
    static func sourceRowText(_ columns: [ValidationTable.Column]) throws -> String {
        let pieces = try columns.map { try sourcePiece($0) }
        return "CAST((\(pieces.joined(separator: " + "))) AS nvarchar(max))"
    }

    /// The most UTF-8 bytes a row's canonical text can take, or `nil` when a column is a large object.
    static func maximumRowBytes(_ columns: [ValidationTable.Column]) -> Int? {
        var total = 0
        for column in columns {
            let type = column.type
            if type.isLargeObject { return nil }
            switch type.name {
            // A UTF-16 code unit or code-page byte is at most 3 UTF-8 bytes.
            case .char, .varchar, .nchar, .nvarchar:
                guard case .limited(let n)? = type.length else { return nil }
                total += 3 * n + 24
            case .binary, .varbinary:
                guard case .limited(let n)? = type.length else { return nil }
                total += 2 * n + 2
            default: total += 60
            }
        }
        return total
    }

    /// The row's 64-bit checksum: the first 8 bytes of its MD5, as a signed big-endian `bigint`.
    static func sourceRowHash(_ columns: [ValidationTable.Column]) throws -> String {
        "CAST(SUBSTRING(HASHBYTES('MD5', \(try sourceRow(columns))), 1, 8) AS bigint)"
    }

    // MARK: PostgreSQL

    /// The `text` piece of one column of the target table aliased `t`, never NULL.
    static func targetPiece(_ column: ValidationTable.Column) -> String {
        let c = "t." + PostgresIdentifier.quote(column.targetName)
        let type = column.type
        if isString(type) {
            var value = "\(c)::text"
            if let characters = prefixCharacters(column) { value = "left(\(value), \(characters))" }
            return "coalesce('S' || octet_length(\(value)) || ':' || \(value), 'N')"
        }
        let text: String
        switch type.name {
        case .bit: text = "CASE WHEN \(c) THEN '1' WHEN NOT \(c) THEN '0' END"
        case .float: text = "upper(encode(float8send(\(c)), 'hex'))"
        case .real: text = "upper(encode(float4send(\(c)), 'hex'))"
        case .uniqueidentifier: text = "upper(\(c)::text)"
        case .date: text = "to_char(\(c), 'YYYY-MM-DD')"
        case .datetime2, .datetime:
            let digits = fractionDigits(type)
            text = digits == 0
                ? "to_char(\(c), 'YYYY-MM-DD HH24:MI:SS')"
                : "left(to_char(\(c), 'YYYY-MM-DD HH24:MI:SS.US'), \(20 + digits))"
        case .smalldatetime: text = "to_char(\(c), 'YYYY-MM-DD HH24:MI:SS')"
        case .binary, .varbinary, .image, .rowversion:
            text = column.comparedPrefixBytes.map { "upper(encode(substring(\(c) from 1 for \(max(0, $0))), 'hex'))" } ?? "upper(encode(\(c), 'hex'))"
        default: text = "\(c)::text"
        }
        return "coalesce('V' || \(text) || ';', 'N')"
    }

    /// The canonical row text of `columns` (UTF-8 in a UTF-8 database).
    static func targetRow(_ columns: [ValidationTable.Column]) -> String {
        "(" + columns.map(targetPiece).joined(separator: " || ") + ")"
    }

    /// The row's 64-bit checksum, as on SQL Server.
    static func targetRowHash(_ columns: [ValidationTable.Column]) -> String {
        "('x' || substr(md5(\(targetRow(columns))), 1, 16))::bit(64)::bigint"
    }

    /// The PostgreSQL declaration `format_type` prints for Ferry's mapping of `type`, to check the
    /// target column is the type the canonical text assumes (a retyped column may print differently).
    static func formattedTargetType(_ type: SQLServerDataType) -> String {
        let declaration = type.postgreSQLType.declaration
        func rewrite(_ prefix: String, _ replacement: String, suffix: String = "") -> String? {
            guard declaration.hasPrefix(prefix + "(") else { return nil }
            return replacement + declaration.dropFirst(prefix.count) + suffix
        }
        return rewrite("varchar", "character varying")
            ?? rewrite("timestamptz", "timestamp", suffix: " with time zone")
            ?? rewrite("timestamp", "timestamp", suffix: " without time zone")
            ?? rewrite("time", "time", suffix: " without time zone")
            ?? declaration
    }
}
