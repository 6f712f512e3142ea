/// What a client sent in its LOGIN7 message, decoded (MS-TDS 2.2.6.4).
///
/// The description and `dump` never show the password.
public struct TDSLoginRequest: Sendable, CustomStringConvertible {
    /// The TDS version the client asks for, e.g. `0x74000004` for 7.4.
    public var tdsVersion: UInt32
    /// The packet size the client asks for, in bytes (0 = the server's default).
    public var requestedPacketSize: Int
    /// The client program's version.
    public var clientProgramVersion: UInt32
    /// The client's process id.
    public var clientProcessID: UInt32
    /// The connection id for connection pooling (0 normally).
    public var connectionID: UInt32
    /// Option flags 1 (byte order, char set, float format, dump/load, use-db and init-db warnings, set-lang).
    public var optionFlags1: UInt8
    /// Option flags 2 (init-lang fatal, ODBC, user type, integrated security 0x80).
    public var optionFlags2: UInt8
    /// Type flags (SQL type, OLE DB, read-only intent 0x20).
    public var typeFlags: UInt8
    /// Option flags 3 (change password, user instance, unknown-collation handling, extension 0x10).
    public var optionFlags3: UInt8
    /// The client's time zone, in minutes from UTC.
    public var clientTimeZone: Int32
    /// The client's Windows locale id.
    public var clientLCID: UInt32
    /// The client machine's name.
    public var hostName: String
    /// The SQL login name.
    public var userName: String
    /// The password, unscrambled. Never logged.
    public var password: String
    /// The application name (`program_name`).
    public var applicationName: String
    /// The server name the client connected to.
    public var serverName: String
    /// The client interface library name (e.g. `DB-Library`).
    public var libraryName: String
    /// The initial language the client asks for (empty = the login's default).
    public var language: String
    /// The initial database the client asks for (empty = the login's default).
    public var database: String
    /// The client's MAC address (6 bytes).
    public var clientID: [UInt8]
    /// The database file to attach, if any.
    public var attachDatabaseFile: String
    /// The new password when the client asks to change it (option flags 3, 0x01), else nil. Never logged.
    public var newPassword: String?
    /// The SSPI (integrated authentication) data, empty for SQL logins.
    public var sspi: [UInt8]
    /// The feature extensions the client sent (FeatureExt): feature id → data. 0x0A is UTF-8 support.
    public var featureExtensions: [UInt8: [UInt8]]

    /// Whether the client asks for integrated (Windows/Kerberos) authentication instead of a SQL login.
    public var usesIntegratedSecurity: Bool { optionFlags2 & 0x80 != 0 }
    /// Whether the client announced UTF-8 support (feature 0x0A).
    public var supportsUTF8: Bool { featureExtensions[Self.utf8SupportFeature] != nil }
    /// Whether the client declared read-only application intent.
    public var isReadOnlyIntent: Bool { typeFlags & 0x20 != 0 }

    /// The FeatureExt id of UTF-8 support.
    public static let utf8SupportFeature: UInt8 = 0x0A

    /// Makes a request (tests and handlers that build one).
    public init(
        tdsVersion: UInt32 = 0x7400_0004, requestedPacketSize: Int = 4096, clientProgramVersion: UInt32 = 0,
        clientProcessID: UInt32 = 0, connectionID: UInt32 = 0, optionFlags1: UInt8 = 0, optionFlags2: UInt8 = 0,
        typeFlags: UInt8 = 0, optionFlags3: UInt8 = 0, clientTimeZone: Int32 = 0, clientLCID: UInt32 = 0,
        hostName: String = "", userName: String, password: String, applicationName: String = "",
        serverName: String = "", libraryName: String = "", language: String = "", database: String = "",
        clientID: [UInt8] = [0, 0, 0, 0, 0, 0], attachDatabaseFile: String = "", newPassword: String? = nil,
        sspi: [UInt8] = [], featureExtensions: [UInt8: [UInt8]] = [:]
    ) {
        self.tdsVersion = tdsVersion
        self.requestedPacketSize = requestedPacketSize
        self.clientProgramVersion = clientProgramVersion
        self.clientProcessID = clientProcessID
        self.connectionID = connectionID
        self.optionFlags1 = optionFlags1
        self.optionFlags2 = optionFlags2
        self.typeFlags = typeFlags
        self.optionFlags3 = optionFlags3
        self.clientTimeZone = clientTimeZone
        self.clientLCID = clientLCID
        self.hostName = hostName
        self.userName = userName
        self.password = password
        self.applicationName = applicationName
        self.serverName = serverName
        self.libraryName = libraryName
        self.language = language
        self.database = database
        self.clientID = clientID
        self.attachDatabaseFile = attachDatabaseFile
        self.newPassword = newPassword
        self.sspi = sspi
        self.featureExtensions = featureExtensions
    }

    /// User, host, application, database and TDS version; never the password.
    public var description: String {
        "TDSLoginRequest(user: \(userName), host: \(hostName), app: \(applicationName), database: \(database.isEmpty ? "(default)" : database), tds: 0x\(String(tdsVersion, radix: 16)))"
    }
}

extension TDSLoginRequest {
    /// Parses a LOGIN7 payload.
    init(parsing payload: [UInt8]) throws(TDSServerError) {
        var reader = ByteReader(payload)
        let length = Int(try reader.littleEndian(UInt32.self, "the LOGIN7 length"))
        guard length >= 94, length <= payload.count else {
            throw TDSServerError(.malformedRequest, "LOGIN7 declares \(length) bytes but \(payload.count) arrived (at least 94 are needed)")
        }
        let data = Array(payload[0..<length])
        reader = ByteReader(data, from: 4)
        let tdsVersion = try reader.littleEndian(UInt32.self, "the TDS version")
        let packetSize = try reader.littleEndian(UInt32.self, "the packet size")
        let programVersion = try reader.littleEndian(UInt32.self, "the client program version")
        let processID = try reader.littleEndian(UInt32.self, "the client process id")
        let connectionID = try reader.littleEndian(UInt32.self, "the connection id")
        let flags1 = try reader.byte("option flags 1")
        let flags2 = try reader.byte("option flags 2")
        let typeFlags = try reader.byte("type flags")
        let flags3 = try reader.byte("option flags 3")
        let timeZone = try reader.littleEndian(Int32.self, "the client time zone")
        let lcid = try reader.littleEndian(UInt32.self, "the client LCID")

        /// Reads an (offset, character count) pair and the UTF-16 string it points at.
        func string(_ what: String) throws(TDSServerError) -> String {
            let offset = Int(try reader.littleEndian(UInt16.self, "the offset of the \(what)"))
            let count = Int(try reader.littleEndian(UInt16.self, "the length of the \(what)"))
            guard count > 0 else { return "" }
            guard offset >= 94 || offset == 0, offset + count * 2 <= data.count else {
                throw TDSServerError(.malformedRequest, "the LOGIN7 \(what) (offset \(offset), \(count) characters) lies outside the message")
            }
            return decodeUTF16LE(data[offset..<(offset + count * 2)])
        }

        let hostName = try string("host name")
        let userName = try string("user name")
        let passwordOffset = Int(try reader.littleEndian(UInt16.self, "the offset of the password"))
        let passwordCount = Int(try reader.littleEndian(UInt16.self, "the length of the password"))
        let password = try Self.unscramble(data, offset: passwordOffset, count: passwordCount, what: "password")
        let applicationName = try string("application name")
        let serverName = try string("server name")
        let extensionOffset = Int(try reader.littleEndian(UInt16.self, "the offset of the extension"))
        let extensionLength = Int(try reader.littleEndian(UInt16.self, "the length of the extension"))
        let libraryName = try string("library name")
        let language = try string("language")
        let database = try string("database")
        let clientID = try reader.bytes(6, "the client id")
        let sspiOffset = Int(try reader.littleEndian(UInt16.self, "the offset of the SSPI data"))
        var sspiLength = Int(try reader.littleEndian(UInt16.self, "the length of the SSPI data"))
        let attachFile = try string("attach database file")
        let changeOffset = Int(try reader.littleEndian(UInt16.self, "the offset of the new password"))
        let changeCount = Int(try reader.littleEndian(UInt16.self, "the length of the new password"))
        let sspiLong = Int(try reader.littleEndian(UInt32.self, "the long SSPI length"))
        if sspiLength == 0xFFFF { sspiLength = sspiLong }
        guard sspiOffset + sspiLength <= data.count else {
            throw TDSServerError(.malformedRequest, "the LOGIN7 SSPI data lies outside the message")
        }

        var features: [UInt8: [UInt8]] = [:]
        if flags3 & 0x10 != 0, extensionLength >= 4 {
            guard extensionOffset + 4 <= data.count else {
                throw TDSServerError(.malformedRequest, "the LOGIN7 extension pointer lies outside the message")
            }
            var pointer = ByteReader(data, from: extensionOffset)
            let featuresOffset = Int(try pointer.littleEndian(UInt32.self, "the FeatureExt offset"))
            guard featuresOffset < data.count else {
                throw TDSServerError(.malformedRequest, "the LOGIN7 FeatureExt offset \(featuresOffset) lies outside the message")
            }
            var featureReader = ByteReader(data, from: featuresOffset)
            while true {
                let id = try featureReader.byte("a FeatureExt id")
                if id == 0xFF { break }
                let size = Int(try featureReader.littleEndian(UInt32.self, "a FeatureExt length"))
                features[id] = try featureReader.bytes(size, "FeatureExt 0x\(String(id, radix: 16)) data")
            }
        }

        self.init(
            tdsVersion: tdsVersion, requestedPacketSize: Int(packetSize), clientProgramVersion: programVersion,
            clientProcessID: processID, connectionID: connectionID, optionFlags1: flags1, optionFlags2: flags2,
            typeFlags: typeFlags, optionFlags3: flags3, clientTimeZone: timeZone, clientLCID: lcid,
            hostName: hostName, userName: userName, password: password, applicationName: applicationName,
            serverName: serverName, libraryName: libraryName, language: language, database: database,
            clientID: clientID, attachDatabaseFile: attachFile,
            newPassword: flags3 & 0x01 != 0 ? try Self.unscramble(data, offset: changeOffset, count: changeCount, what: "new password") : nil,
            sspi: sspiLength > 0 ? Array(data[sspiOffset..<(sspiOffset + sspiLength)]) : [],
            featureExtensions: features
        )
    }

    /// Passwords are sent with each byte's nibbles swapped and then XORed with 0xA5; undo both.
    static func unscramble(_ data: [UInt8], offset: Int, count: Int, what: String) throws(TDSServerError) -> String {
        guard count > 0 else { return "" }
        guard offset + count * 2 <= data.count else {
            throw TDSServerError(.malformedRequest, "the LOGIN7 \(what) lies outside the message")
        }
        let plain = data[offset..<(offset + count * 2)].map { byte in
            let unmasked = byte ^ 0xA5
            return unmasked << 4 | unmasked >> 4
        }
        return decodeUTF16LE(plain)
    }
}
