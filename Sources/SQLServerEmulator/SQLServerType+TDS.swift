public import TDSServer

extension SQLServerType {
    /// The TDS type a result column or return value of this type is described with. Types TDS has
    /// no form for (`rowversion`, the CLR types) travel as binary, as their values do.
    public var tdsType: TDSType {
        /// A bounded length within TDS's limit, or nil (`max`) beyond it.
        func bounded(_ limit: Int) -> Int? {
            if case .bounded(let count) = length, count <= limit { return max(count, 1) }
            return nil
        }
        switch base {
        case .tinyint: return .tinyInt
        case .smallint: return .smallInt
        case .int: return .int
        case .bigint: return .bigInt
        case .bit: return .bit
        case .decimal: return .decimal(precision: precision ?? 18, scale: scale ?? 0)
        case .numeric: return .numeric(precision: precision ?? 18, scale: scale ?? 0)
        case .money: return .money
        case .smallmoney: return .smallMoney
        case .float: return .float
        case .real: return .real
        case .date: return .date
        case .time: return .time(scale: scale ?? 7)
        case .datetime: return .dateTime
        case .smalldatetime: return .smallDateTime
        case .datetime2: return .dateTime2(scale: scale ?? 7)
        case .datetimeoffset: return .dateTimeOffset(scale: scale ?? 7)
        case .char: return bounded(8000).map { .char(length: $0) } ?? .varChar(maxLength: nil)
        case .varchar: return .varChar(maxLength: bounded(8000))
        case .nchar: return bounded(4000).map { .nChar(length: $0) } ?? .nVarChar(maxLength: nil)
        case .nvarchar: return .nVarChar(maxLength: bounded(4000))
        case .text: return .text()
        case .ntext: return .nText()
        case .binary: return bounded(8000).map { .binary(length: $0) } ?? .varBinary(maxLength: nil)
        case .varbinary: return .varBinary(maxLength: bounded(8000))
        case .image: return .image
        case .uniqueidentifier: return .uniqueIdentifier
        case .xml: return .xml
        case .rowversion: return .binary(length: 8)
        case .sqlVariant: return .variant
        case .hierarchyid, .geography, .geometry: return .varBinary(maxLength: nil)
        }
    }

    /// The engine type of an RPC parameter the client declared as `type`.
    public init(tdsType type: TDSType) {
        switch type {
        case .tinyInt: self = SQLServerType(.tinyint)
        case .smallInt: self = SQLServerType(.smallint)
        case .int: self = .int
        case .bigInt: self = .bigint
        case .bit: self = .bit
        case .real: self = SQLServerType(.real)
        case .float: self = .float
        case .decimal(let precision, let scale): self = SQLServerType(.decimal, precision: precision, scale: scale)
        case .numeric(let precision, let scale): self = SQLServerType(.numeric, precision: precision, scale: scale)
        case .money: self = SQLServerType(.money)
        case .smallMoney: self = SQLServerType(.smallmoney)
        case .dateTime: self = .datetime
        case .smallDateTime: self = SQLServerType(.smalldatetime)
        case .date: self = SQLServerType(.date)
        case .time(let scale): self = SQLServerType(.time, scale: scale)
        case .dateTime2(let scale): self = SQLServerType(.datetime2, scale: scale)
        case .dateTimeOffset(let scale): self = SQLServerType(.datetimeoffset, scale: scale)
        case .char(let length, _): self = SQLServerType(.char, length: .bounded(length))
        case .varChar(let length, _): self = SQLServerType(.varchar, length: length.map { .bounded($0) } ?? .max)
        case .nChar(let length, _): self = SQLServerType(.nchar, length: .bounded(length))
        case .nVarChar(let length, _): self = SQLServerType(.nvarchar, length: length.map { .bounded($0) } ?? .max)
        case .binary(let length): self = SQLServerType(.binary, length: .bounded(length))
        case .varBinary(let length): self = SQLServerType(.varbinary, length: length.map { .bounded($0) } ?? .max)
        case .uniqueIdentifier: self = .uniqueidentifier
        case .xml: self = SQLServerType(.xml)
        case .text: self = SQLServerType(.text)
        case .nText: self = SQLServerType(.ntext)
        case .image: self = SQLServerType(.image)
        case .variant: self = SQLServerType(.sqlVariant)
        }
    }
}
