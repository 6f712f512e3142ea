/// The description of one result column.
public struct TDSColumn: Hashable, Sendable {
    /// The column name (empty for an unnamed expression).
    public var name: String
    /// The db-lib type (`dbcoltype()`), which decides how the value is laid out and decoded.
    public var type: TDSDataType
    /// The type the server declared (e.g. `nvarchar` where ``type`` says `char`), when db-lib reports
    /// it through `DBCOL2.ServerType`. FreeTDS 1.3.17 does not, so it is nil there: with that version
    /// `varchar`/`nvarchar` and `text`/`ntext`/`xml` cannot be told apart from the metadata.
    public var serverType: TDSDataType?
    /// The server's declaration, such as `nvarchar(50)` or `decimal(18,4)`, when db-lib reports it.
    public var serverTypeDeclaration: String?
    /// The maximum length in bytes as db-lib reports it (`dbcollen()`).
    public var maxLength: Int
    /// Precision of decimal/numeric columns (and the fractional digits of time types), else 0.
    public var precision: Int
    /// Scale of decimal/numeric and time types, else 0.
    public var scale: Int
    /// Whether the column may hold NULL.
    public var isNullable: Bool
    /// Whether the column is an identity column.
    public var isIdentity: Bool

    /// Makes a column description.
    public init(
        name: String,
        type: TDSDataType,
        serverType: TDSDataType? = nil,
        serverTypeDeclaration: String? = nil,
        maxLength: Int,
        precision: Int = 0,
        scale: Int = 0,
        isNullable: Bool = true,
        isIdentity: Bool = false
    ) {
        self.name = name
        self.type = type
        self.serverType = serverType
        self.serverTypeDeclaration = serverTypeDeclaration
        self.maxLength = maxLength
        self.precision = precision
        self.scale = scale
        self.isNullable = isNullable
        self.isIdentity = isIdentity
    }
}
