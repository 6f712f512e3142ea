/// One column of a result set, as COLMETADATA describes it.
public struct TDSColumnDescription: Hashable, Sendable {
    /// The column name (empty for an unnamed expression).
    public var name: String
    /// The data type with its length, precision, scale and collation.
    public var type: TDSType
    /// Whether the column may hold NULL.
    public var isNullable: Bool
    /// Whether the column is an identity column.
    public var isIdentity: Bool
    /// Whether the column is computed.
    public var isComputed: Bool
    /// Whether the column may be updated (`usUpdateable` read/write); false reports read-only.
    public var isUpdatable: Bool
    /// The table a `text`/`ntext`/`image` column belongs to, as up to four name parts
    /// (`[database, schema, table]`); TDS sends it only for those types.
    public var tableNameParts: [String]

    /// Makes a column description.
    public init(
        name: String,
        type: TDSType,
        isNullable: Bool = true,
        isIdentity: Bool = false,
        isComputed: Bool = false,
        isUpdatable: Bool = false,
        tableNameParts: [String] = []
    ) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.isIdentity = isIdentity
        self.isComputed = isComputed
        self.isUpdatable = isUpdatable
        self.tableNameParts = tableNameParts
    }

    /// The COLMETADATA/RETURNVALUE flags USHORT: 0x01 nullable, 0x08 read/write, 0x10 identity, 0x20 computed.
    var flags: UInt16 {
        var flags: UInt16 = 0
        if isNullable { flags |= 0x0001 }
        if isUpdatable { flags |= 0x0008 }
        if isIdentity { flags |= 0x0010 }
        if isComputed { flags |= 0x0020 }
        return flags
    }
}
