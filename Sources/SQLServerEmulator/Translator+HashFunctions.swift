import Postgres
import TSQL

/// The PostgreSQL helper the byte-level functions below call: UTF-16LE, the bytes SQL Server
/// stores (and hashes) for `nvarchar`, which PostgreSQL's `convert_to` cannot produce.
enum HashFunctionsSchema {
    /// Idempotent; runs with the catalog bootstrap (``SQLServerEngine/open(postgresURL:logger:)``).
    static let bootstrap = """
        CREATE OR REPLACE FUNCTION sqlserver_catalog.utf16le(value text)
        RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
            SELECT coalesce(decode(string_agg(
                CASE WHEN cp < 65536 THEN lpad(to_hex(cp & 255), 2, '0') || lpad(to_hex(cp >> 8), 2, '0')
                ELSE lpad(to_hex((55296 + ((cp - 65536) >> 10)) & 255), 2, '0')
                    || lpad(to_hex((55296 + ((cp - 65536) >> 10)) >> 8), 2, '0')
                    || lpad(to_hex((56320 + ((cp - 65536) & 1023)) & 255), 2, '0')
                    || lpad(to_hex((56320 + ((cp - 65536) & 1023)) >> 8), 2, '0')
                END, '' ORDER BY n), 'hex'), ''::bytea)
            FROM (SELECT ascii(c) AS cp, n FROM string_to_table(value, NULL) WITH ORDINALITY AS s(c, n)) AS chars
        $$;
        """
}

extension Translator {
    // MARK: HASHBYTES and SUBSTRING of binary

    /// `HASHBYTES`, `STRING_AGG` and `SUBSTRING` over binary strings; `nil` for every other function.
    ///
    /// STRING_AGG concatenates the non-NULL values of its group with the separator between them,
    /// in `WITHIN GROUP (ORDER BY …)` order (SQL Server puts NULLs first in ascending order); the
    /// result is `nvarchar`/`varchar(max)` for a `(max)` input, else `nvarchar(4000)`/`varchar(8000)`.
    ///
    /// HASHBYTES hashes the bytes SQL Server stores for its input: `varbinary` as is, `nvarchar`
    /// as UTF-16LE, `varchar` in its collation's code page. The emulator keeps `varchar` as
    /// Unicode text and turns it into bytes as UTF-8 (as its `CAST(… AS varbinary)` does), which
    /// is what SQL Server does under a `_UTF8` collation; non-ASCII `varchar` under a code-page
    /// collation hashes differently on SQL Server. MD5, SHA2_256 and SHA2_512 are supported;
    /// an algorithm SQL Server does not know gives NULL, as on SQL Server.
    func hashFunction(_ name: String, call: FunctionCall, arguments: [TranslatedExpression], scope: Scope, ctes: [String: TranslatedQuery])
        async throws -> TranslatedExpression?
    {
        switch name {
        case "STRING_AGG":
            guard arguments.count == 2 else {
                throw SQLServerError(
                    code: .init(174), severity: 15, message: "The string_agg function requires 2 argument(s).", abortsBatch: true)
            }
            var order: [String] = []
            for item in call.withinGroup {
                let key = try await expression(item.expression, scope: scope, ctes: ctes).sql
                order.append(item.direction == .descending ? "\(key) DESC NULLS LAST" : "\(key) ASC NULLS FIRST")
            }
            let input = arguments[0].type
            let unicode = input?.isUnicode ?? true
            let type: SQLServerType =
                input?.length == .max || input?.base == .text || input?.base == .ntext
                ? SQLServerType(unicode ? .nvarchar : .varchar, length: .max)
                : SQLServerType(unicode || input?.isCharacter != true ? .nvarchar : .varchar, length: .bounded(unicode || input?.isCharacter != true ? 4000 : 8000))
            let orderBy = order.isEmpty ? "" : " ORDER BY " + order.joined(separator: ", ")
            return TranslatedExpression(
                sql: "string_agg((\(arguments[0].sql))::text, (\(arguments[1].sql))::text\(orderBy))", type: type)
        case "HASHBYTES":
            guard arguments.count == 2 else {
                throw SQLServerError(
                    code: .init(174), severity: 15, message: "The hashbytes function requires 2 argument(s).", abortsBatch: true)
            }
            let input = arguments[1]
            let bytes: String
            if input.sql == "NULL" {
                bytes = "CAST(NULL AS bytea)"
            } else if let type = input.type {
                if type.isBinary {
                    bytes = "(\(input.sql))"
                } else if type.isCharacter {
                    var text = "(\(input.sql))::text"
                    // PostgreSQL's character(n) drops the padding when read as text; SQL Server hashes it.
                    if type.base == .char || type.base == .nchar, let limit = type.characterLimit {
                        text = "rpad(\(text), \(limit))"
                    }
                    bytes = type.isUnicode ? "sqlserver_catalog.utf16le(\(text))" : "convert_to(\(text), 'UTF8')"
                } else {
                    throw SQLServerError(
                        code: .init(8116),
                        message: "Argument data type \(type.base.rawValue) is invalid for argument 2 of hashbytes function.",
                        abortsBatch: true)
                }
            } else {
                bytes = "(\(input.sql))::bytea"
            }
            let algorithmSQL: String
            if case .literal(.string(let algorithm, _))? = call.arguments.first {
                guard let digest = try Self.digest(algorithm.uppercased(), bytes: bytes) else {
                    return TranslatedExpression(sql: "CAST(NULL AS bytea)", type: SQLServerType(.varbinary, length: .bounded(8000)))
                }
                algorithmSQL = digest
            } else {
                // A variable or expression naming the algorithm: decided per row.
                let name = "upper((\(arguments[0].sql))::text)"
                algorithmSQL = """
                    (CASE \(name) WHEN 'MD5' THEN \(try Self.digest("MD5", bytes: bytes)!) \
                    WHEN 'SHA2_256' THEN \(try Self.digest("SHA2_256", bytes: bytes)!) \
                    WHEN 'SHA2_512' THEN \(try Self.digest("SHA2_512", bytes: bytes)!) END)
                    """
            }
            return TranslatedExpression(sql: algorithmSQL, type: SQLServerType(.varbinary, length: .bounded(8000)))
        case "SUBSTRING":
            guard arguments.count == 3, let type = arguments[0].type, type.isBinary else { return nil }
            return TranslatedExpression(
                sql: "substr((\(arguments[0].sql))::bytea, \(arguments[1].sql), \(arguments[2].sql))",
                type: SQLServerType(.varbinary, length: type.length ?? .bounded(1)))
        default:
            return nil
        }
    }

    /// The PostgreSQL digest of `bytes`; `nil` for a name HASHBYTES does not know.
    private static func digest(_ algorithm: String, bytes: String) throws(SQLServerError) -> String? {
        switch algorithm {
        case "MD5": return "decode(md5(\(bytes)), 'hex')"
        case "SHA2_256": return "sha256(\(bytes))"
        case "SHA2_512": return "sha512(\(bytes))"
        case "MD2", "MD4", "SHA", "SHA1": throw SQLServerError.notSupported("HASHBYTES('\(algorithm)')")
        default: return nil
        }
    }

    // MARK: Conversions defined byte by byte

    /// The conversions SQL Server defines on the bytes of a value, which PostgreSQL's casts do not
    /// do; `nil` when `convert` handles the pair itself.
    ///
    /// - numbers to `binary`/`varbinary`: the value's big-endian bytes (two's complement integers,
    ///   IEEE 754 `float`/`real`), "padded or truncated on the left" with zero bytes to `binary(n)`;
    /// - `binary` to an integer: the rightmost bytes, big-endian;
    /// - `binary` to `binary(n)`: padded with zero bytes or truncated on the right;
    /// - `binary` to a string with style 1 (`0x4E…`) or 2 (`4E…`): upper-case hex;
    /// - `datetime2(n)` to a string with style 21/121: all `n` fractional digits (none for `n` = 0).
    func byteConversion(_ value: TranslatedExpression, to target: SQLServerType, style: Int?, implicit: Bool) -> TranslatedExpression? {
        guard let source = value.type, value.sql != "NULL" else { return nil }
        let result = { (sql: String) in TranslatedExpression(sql: sql, type: target.systemType, isNullable: value.isNullable) }
        if target.isBinary, target.base != .image, target.base != .rowversion {
            let width: Int
            let hex: String
            switch source.base {
            case .tinyint, .smallint, .int, .bigint, .bit:
                width = source.base == .bit ? 1 : source.maxLength
                hex = "right(lpad(to_hex((\(value.sql))::bigint), 16, '0'), \(2 * width))"
            case .float:
                width = 8
                hex = "encode(float8send((\(value.sql))::float8), 'hex')"
            case .real:
                width = 4
                hex = "encode(float4send((\(value.sql))::float4), 'hex')"
            case .binary, .varbinary, .image, .rowversion:
                guard case .bounded(let n)? = target.length else { return nil }
                let bytes = "(\(value.sql))::bytea"
                if target.base == .binary {
                    return result("substr(\(bytes) || decode(repeat('00', \(n)), 'hex'), 1, \(n))")
                }
                return result("substr(\(bytes), 1, \(n))")
            default:
                return nil
            }
            var size = width
            if case .bounded(let n)? = target.length, target.base == .binary || n < width { size = n }
            let fitted = size >= width ? "lpad(\(hex), \(2 * size), '0')" : "right(\(hex), \(2 * size))"
            return result("decode(\(fitted), 'hex')")
        }
        if source.isBinary, [.tinyint, .smallint, .int, .bigint].contains(target.base) {
            let width = target.maxLength
            // lpad would cut a longer value on the right; SQL Server keeps the rightmost bytes.
            let hex = "right(repeat('0', \(2 * width)) || encode((\(value.sql))::bytea, 'hex'), \(2 * width))"
            switch target.base {
            case .bigint: return result("('x' || \(hex))::bit(64)::bigint")
            case .int: return result("('x' || \(hex))::bit(32)::integer")
            case .smallint: return result("(((('x' || \(hex))::bit(16)::integer # 32768) - 32768))::smallint")
            default: return result("(('x' || \(hex))::bit(8)::integer)::smallint")
            }
        }
        if target.isCharacter, source.isBinary, style == 1 || style == 2 {
            var text = "upper(encode((\(value.sql))::bytea, 'hex'))"
            if style == 1 { text = "('0x' || \(text))" }
            if !implicit, let limit = target.characterLimit { text = "left(\(text), \(limit))" }
            return result(text)
        }
        if target.isCharacter, source.base == .datetime2, style == 121 || style == 21 {
            let digits = source.scale ?? 7
            var text: String
            switch digits {
            case 0: text = "to_char(\(value.sql), 'YYYY-MM-DD HH24:MI:SS')"
            case 7:
                text = value.seventhDigitSQL.map { "sqlserver_catalog.datetime2_7_text(\($0))" }
                    ?? "(to_char(\(value.sql), 'YYYY-MM-DD HH24:MI:SS.US') || '0')"
            default: text = "left(to_char(\(value.sql), 'YYYY-MM-DD HH24:MI:SS.US'), \(20 + digits))"
            }
            if !implicit, let limit = target.characterLimit { text = "left(\(text), \(limit))" }
            return result(text)
        }
        return nil
    }
}
