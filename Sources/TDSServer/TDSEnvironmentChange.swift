/// An ENVCHANGE token (0xE3): the server tells the client that session state changed.
public enum TDSEnvironmentChange: Sendable, Hashable {
    /// Type 1: the current database (after `USE`).
    case database(new: String, old: String)
    /// Type 2: the session language (after `SET LANGUAGE`).
    case language(new: String, old: String)
    /// Type 4: the packet size (sent by the server itself at login).
    case packetSize(new: Int, old: Int)
    /// Type 7: the default collation of the database.
    case collation(TDSCollation)
    /// Type 8: a transaction began; the client echoes `descriptor` in later ALL_HEADERS.
    case beginTransaction(descriptor: UInt64)
    /// Type 9: the transaction with `descriptor` committed.
    case commitTransaction(descriptor: UInt64)
    /// Type 10: the transaction with `descriptor` rolled back.
    case rollbackTransaction(descriptor: UInt64)

    /// The token, length included.
    func encoded() -> [UInt8] {
        var body = ByteWriter()
        func descriptorBytes(_ descriptor: UInt64) -> [UInt8] {
            var bytes = ByteWriter()
            bytes.littleEndian(descriptor)
            return bytes.bytes
        }
        switch self {
        case .database(let new, let old):
            body.byte(1)
            body.bVarChar(new)
            body.bVarChar(old)
        case .language(let new, let old):
            body.byte(2)
            body.bVarChar(new)
            body.bVarChar(old)
        case .packetSize(let new, let old):
            body.byte(4)
            body.bVarChar(String(new))
            body.bVarChar(String(old))
        case .collation(let collation):
            body.byte(7)
            body.byte(5)
            body.append(collation.bytes)
            body.byte(0)
        case .beginTransaction(let descriptor):
            body.byte(8)
            body.byte(8)
            body.append(descriptorBytes(descriptor))
            body.byte(0)
        case .commitTransaction(let descriptor):
            body.byte(9)
            body.byte(0)
            body.byte(8)
            body.append(descriptorBytes(descriptor))
        case .rollbackTransaction(let descriptor):
            body.byte(10)
            body.byte(0)
            body.byte(8)
            body.append(descriptorBytes(descriptor))
        }
        var token = ByteWriter(capacity: body.count + 3)
        token.byte(0xE3)
        token.uint16(body.count)
        token.append(body.bytes)
        return token.bytes
    }
}

/// The status bits of a DONE, DONEPROC or DONEINPROC token.
///
/// ``more`` and ``attention`` are managed by ``TDSResponseWriter``: the writer sets `more` on every
/// DONE-type token but the last of the response, and the server sends the attention acknowledgement.
public struct TDSDoneStatus: OptionSet, Sendable, Hashable {
    /// The raw USHORT.
    public let rawValue: UInt16
    /// Makes a status from its raw bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// 0x01: more results follow (set by the writer).
    public static let more = TDSDoneStatus(rawValue: 0x01)
    /// 0x02: the statement failed (an ERROR token preceded it).
    public static let error = TDSDoneStatus(rawValue: 0x02)
    /// 0x04: a transaction is in progress.
    public static let inTransaction = TDSDoneStatus(rawValue: 0x04)
    /// 0x10: the row count is valid (set by the writer when a row count is given).
    public static let count = TDSDoneStatus(rawValue: 0x10)
    /// 0x20: acknowledges an attention (sent by the server).
    public static let attention = TDSDoneStatus(rawValue: 0x20)
    /// 0x100: a severe error made the server discard the results of the statement.
    public static let serverError = TDSDoneStatus(rawValue: 0x100)
}

/// The kind of DONE token.
public enum TDSDoneKind: UInt8, Sendable {
    /// DONE (0xFD): a statement of a batch finished.
    case done = 0xFD
    /// DONEPROC (0xFE): a procedure (an RPC) finished.
    case doneProc = 0xFE
    /// DONEINPROC (0xFF): a statement inside a procedure finished.
    case doneInProc = 0xFF
}

/// The statement a DONE token reports on (CurCmd): SQL Server's token codes.
public struct TDSCurrentCommand: RawRepresentable, Sendable, Hashable {
    /// The raw USHORT.
    public let rawValue: UInt16
    /// Makes a command code.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// No particular statement.
    public static let none = TDSCurrentCommand(rawValue: 0)
    /// `SET …`.
    public static let set = TDSCurrentCommand(rawValue: 0xBE)
    /// `SELECT`.
    public static let select = TDSCurrentCommand(rawValue: 0xC1)
    /// `INSERT`.
    public static let insert = TDSCurrentCommand(rawValue: 0xC3)
    /// `DELETE`.
    public static let delete = TDSCurrentCommand(rawValue: 0xC4)
    /// `UPDATE`.
    public static let update = TDSCurrentCommand(rawValue: 0xC5)
    /// `CREATE TABLE`.
    public static let createTable = TDSCurrentCommand(rawValue: 0xC6)
    /// `DROP TABLE`.
    public static let dropTable = TDSCurrentCommand(rawValue: 0xC7)
    /// `BEGIN TRANSACTION`.
    public static let beginTransaction = TDSCurrentCommand(rawValue: 0xD4)
    /// `COMMIT`.
    public static let commit = TDSCurrentCommand(rawValue: 0xD5)
    /// `ROLLBACK`.
    public static let rollback = TDSCurrentCommand(rawValue: 0xD6)
    /// `EXECUTE`.
    public static let execute = TDSCurrentCommand(rawValue: 0xE0)
    /// `USE`.
    public static let use = TDSCurrentCommand(rawValue: 0xE2)
}
