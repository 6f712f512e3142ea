/// PRELOGIN (MS-TDS 2.2.6.5): the client's option table is checked, and the server answers with
/// its version, encryption 0x02 (not supported: the session stays plaintext), no instance,
/// and MARS off.
enum TDSPrelogin {
    static let version: UInt8 = 0x00
    static let encryption: UInt8 = 0x01
    static let instance: UInt8 = 0x02
    static let threadID: UInt8 = 0x03
    static let mars: UInt8 = 0x04
    static let terminator: UInt8 = 0xFF
    /// ENCRYPT_NOT_SUP.
    static let encryptionNotSupported: UInt8 = 0x02

    /// Checks that the option table is well formed: entries (token, big-endian offset, big-endian
    /// length) inside the payload, ending with 0xFF.
    static func validate(_ payload: [UInt8]) throws(TDSServerError) {
        var reader = ByteReader(payload)
        while true {
            let token = try reader.byte("a PRELOGIN option token")
            if token == terminator { return }
            let offset = Int(try reader.bigEndianUInt16("a PRELOGIN option offset"))
            let length = Int(try reader.bigEndianUInt16("a PRELOGIN option length"))
            guard offset + length <= payload.count else {
                throw TDSServerError(.malformedRequest, "PRELOGIN option 0x\(String(token, radix: 16)) lies outside the message")
            }
        }
    }

    /// The server's PRELOGIN reply payload.
    static func reply(version serverVersion: TDSServer.Version) -> [UInt8] {
        let options: [(token: UInt8, data: [UInt8])] = [
            (version, [serverVersion.major, serverVersion.minor, UInt8(serverVersion.build >> 8), UInt8(serverVersion.build & 0xFF), 0, 0]),
            (encryption, [encryptionNotSupported]),
            (instance, [0]),
            (threadID, []),
            (mars, [0]),
        ]
        var writer = ByteWriter()
        var offset = options.count * 5 + 1
        for option in options {
            writer.byte(option.token)
            writer.bigEndian(UInt16(offset))
            writer.bigEndian(UInt16(option.data.count))
            offset += option.data.count
        }
        writer.byte(terminator)
        for option in options { writer.append(option.data) }
        return writer.bytes
    }
}
