/// Builds T-SQL literals and quoted identifiers safely, for batches sent without parameters.
///
/// Batches go through db-lib as C strings, so a NUL character cannot be sent inside a literal; string
/// literals containing one are written as a concatenation with `NCHAR(0)`.
public enum TDSLiteral {
    /// A Unicode string literal: `N'it''s'`. Quotes are doubled; NUL characters become `NCHAR(0)`
    /// pieces of a parenthesised concatenation.
    public static func string(_ value: String) -> String {
        let pieces = value.split(separator: "\u{0}", omittingEmptySubsequences: false)
        let quoted = pieces.map { "N'" + $0.replacing("'", with: "''") + "'" }
        guard quoted.count > 1 else { return quoted[0] }
        return "(" + quoted.joined(separator: " + NCHAR(0) + ") + ")"
    }

    /// A bracket-quoted identifier: `[we]]ird]`. Throws for an empty name, a NUL character or more
    /// than 128 characters, which SQL Server does not accept.
    public static func identifier(_ name: String) throws(TDSError) -> String {
        guard !name.isEmpty, !name.unicodeScalars.contains("\u{0}"), name.count <= 128 else {
            throw TDSError(.invalidArgument, "'\(name.prefix(140))' is not a valid SQL Server identifier")
        }
        return "[" + name.replacing("]", with: "]]") + "]"
    }

    /// A multi-part name such as `[db].[dbo].[table]`, each part bracket-quoted.
    public static func qualifiedIdentifier(_ parts: String...) throws(TDSError) -> String {
        var quoted: [String] = []
        for part in parts { quoted.append(try identifier(part)) }
        return quoted.joined(separator: ".")
    }

    /// A binary literal: `0x0AFF` (`0x` alone for no bytes).
    public static func binary(_ bytes: some Sequence<UInt8>) -> String {
        "0x" + bytes.map(hexByte).joined()
    }

    /// A literal for any value, typed so that SQL Server reads it back exactly: `NULL`, integers,
    /// exact decimals, `CAST('…' AS datetime2(7))` and the like.
    public static func value(_ value: TDSValue) -> String {
        switch value {
        case .null: "NULL"
        case .tinyInt, .smallInt, .int, .bigInt, .bit: value.description
        case .decimal(let decimal): "CAST(\(decimal) AS decimal(\(max(decimal.precision, decimal.scale, 1)),\(decimal.scale)))"
        case .money(let money): "CAST(\(money) AS money)"
        case .real(let real): "CAST(\(real.isFinite ? String(real) : "NULL") AS real)"
        case .float(let double): "CAST(\(double.isFinite ? String(double) : "NULL") AS float)"
        case .string(let text): string(text)
        case .bytes(let bytes): binary(bytes)
        case .date(let date): "CAST('\(date)' AS date)"
        case .time(let time): "CAST('\(TDSTime(nanosecondsSinceMidnight: time.nanosecondsSinceMidnight, fractionalDigits: 7))' AS time(7))"
        case .dateTime(let dateTime):
            "CAST('\(TDSDateTime(date: dateTime.date, time: TDSTime(nanosecondsSinceMidnight: dateTime.time.nanosecondsSinceMidnight, fractionalDigits: 7)))' AS datetime2(7))"
        case .dateTimeOffset(let offset):
            "CAST('\(TDSDateTimeOffset(utc: TDSDateTime(date: offset.utc.date, time: TDSTime(nanosecondsSinceMidnight: offset.utc.time.nanosecondsSinceMidnight, fractionalDigits: 7)), offsetMinutes: offset.offsetMinutes))' AS datetimeoffset(7))"
        case .uniqueIdentifier(let guid): "CAST('\(guid)' AS uniqueidentifier)"
        }
    }
}
