/// A SQL Server collation as TDS carries it: 5 bytes holding the LCID (20 bits), the comparison
/// flags, a version (4 bits) and the SQL sort id.
///
/// The collation decides how `char`/`varchar`/`text` bytes are encoded: UTF-8 when the UTF-8 flag
/// is set (SQL Server 2019 `_UTF8` collations), otherwise the Windows code page of the sort id or
/// LCID. This server encodes Windows-1252 (the code page of `SQL_Latin1_General_CP1_CI_AS`, the
/// default, and of the Latin1_General Windows collations) and UTF-8; other code pages only carry ASCII.
public struct TDSCollation: Hashable, Sendable, CustomStringConvertible {
    /// The 5 bytes as sent on the wire.
    public let bytes: [UInt8]

    /// Makes a collation from its 5 wire bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 5 else { return nil }
        self.bytes = bytes
    }

    /// Makes a collation from its parts.
    /// - Parameters:
    ///   - lcid: the Windows locale id (0x0409 = en-US).
    ///   - flags: bits 0–7 of the flag byte: 0x01 ignore case, 0x02 ignore accents, 0x04 ignore kana,
    ///     0x08 ignore width, 0x10 binary, 0x20 binary2, 0x40 UTF-8.
    ///   - version: the collation version (0 for SQL collations, 2 for `_100_` collations).
    ///   - sortID: the SQL sort id (52 for `SQL_Latin1_General_CP1_CI_AS`), 0 for Windows collations.
    public init(lcid: UInt32, flags: UInt8, version: UInt8, sortID: UInt8) {
        let info = (lcid & 0xFFFFF) | UInt32(flags) << 20 | UInt32(version & 0x0F) << 28
        bytes = [
            UInt8(truncatingIfNeeded: info), UInt8(truncatingIfNeeded: info >> 8),
            UInt8(truncatingIfNeeded: info >> 16), UInt8(truncatingIfNeeded: info >> 24), sortID,
        ]
    }

    /// `SQL_Latin1_General_CP1_CI_AS`, SQL Server's default (`09 04 D0 00 34`), code page 1252.
    public static let sqlLatin1GeneralCP1CIAS = TDSCollation(lcid: 0x0409, flags: 0x0D, version: 0, sortID: 52)
    /// `Latin1_General_100_CI_AS_SC_UTF8`: `varchar` holds UTF-8.
    public static let latin1General100CIASSCUTF8 = TDSCollation(lcid: 0x0409, flags: 0x4D, version: 2, sortID: 0)

    private var info: UInt32 {
        UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    }

    /// The Windows locale id.
    public var lcid: UInt32 { info & 0xFFFFF }
    /// The SQL sort id (0 for Windows collations).
    public var sortID: UInt8 { bytes[4] }
    /// Whether `char`/`varchar` data in this collation is UTF-8.
    public var isUTF8: Bool { info >> 20 & 0x40 != 0 }

    /// How `char`/`varchar`/`text` values in this collation are encoded.
    var codePage: TDSCodePage {
        if isUTF8 { return .utf8 }
        // SQL sort ids 51–54 and 183… are the code page 1252 SQL collations; with sort id 0 the LCID
        // decides, and the Western European LCIDs (English, French, German, Spanish, Italian,
        // Dutch, Portuguese, Nordic) use 1252.
        if sortID != 0 {
            return Self.codePage1252SortIDs.contains(sortID) ? .windows1252 : .asciiOnly
        }
        return Self.codePage1252Languages.contains(lcid & 0x3FF) ? .windows1252 : .asciiOnly
    }

    private static let codePage1252SortIDs: Set<UInt8> = [51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 71, 72, 73, 74, 75, 183, 184, 185, 186]
    private static let codePage1252Languages: Set<UInt32> = [0x03, 0x06, 0x07, 0x09, 0x0A, 0x0B, 0x0C, 0x0F, 0x10, 0x13, 0x14, 0x16, 0x1D, 0x2D, 0x36, 0x38, 0x3E]

    /// The five bytes in hex, e.g. `0904D00034`.
    public var description: String {
        bytes.map { byte in
            let digits = Array("0123456789ABCDEF")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }
}

/// The byte encodings of non-Unicode text this server knows.
enum TDSCodePage: Sendable {
    case utf8
    case windows1252
    /// A code page this server has no table for: ASCII passes, anything else becomes `?`.
    case asciiOnly

    /// Encodes `text`; characters the code page lacks become `?`, as SQL Server converts them.
    func encode(_ text: String) -> [UInt8] {
        switch self {
        case .utf8:
            return Array(text.utf8)
        case .windows1252:
            return text.unicodeScalars.map { scalar in
                let value = scalar.value
                if value < 0x80 || (value >= 0xA0 && value <= 0xFF) { return UInt8(value) }
                return Self.windows1252Encoding[value] ?? UInt8(ascii: "?")
            }
        case .asciiOnly:
            return text.unicodeScalars.map { $0.value < 0x80 ? UInt8($0.value) : UInt8(ascii: "?") }
        }
    }

    /// Decodes bytes in this code page (invalid UTF-8 and unknown bytes become U+FFFD).
    func decode(_ bytes: some Collection<UInt8>) -> String {
        switch self {
        case .utf8:
            return String(decoding: Array(bytes), as: UTF8.self)
        case .windows1252:
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                let value: UInt32 = byte >= 0x80 && byte < 0xA0 ? Self.windows1252High[Int(byte - 0x80)] : UInt32(byte)
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            }
            return String(scalars)
        case .asciiOnly:
            return String(bytes.map { $0 < 0x80 ? Character(Unicode.Scalar($0)) : "\u{FFFD}" })
        }
    }

    /// Windows-1252 bytes 0x80–0x9F; the five undefined bytes map to the C1 controls, as Windows does.
    static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static let windows1252Encoding: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        for (index, scalar) in windows1252High.enumerated() { table[scalar] = UInt8(0x80 + index) }
        return table
    }()
}
