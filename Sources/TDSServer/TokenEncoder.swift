/// Encodes the server's tokens (MS-TDS 2.2.7) other than ENVCHANGE and row data.
enum TokenEncoder {
    static func done(_ kind: TDSDoneKind, status: TDSDoneStatus, command: TDSCurrentCommand, rowCount: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: 13)
        writer.byte(kind.rawValue)
        writer.littleEndian(status.rawValue)
        writer.littleEndian(command.rawValue)
        writer.littleEndian(rowCount)
        return writer.bytes
    }

    /// ERROR (0xAA) for class above 10, INFO (0xAB) otherwise.
    static func message(_ message: TDSServerMessage, defaultServerName: String) -> [UInt8] {
        var body = ByteWriter()
        body.littleEndian(message.number)
        body.byte(message.state)
        body.byte(message.severity)
        body.usVarChar(message.text)
        body.bVarChar(message.serverName ?? defaultServerName)
        body.bVarChar(message.procedure)
        body.littleEndian(message.line)
        var token = ByteWriter(capacity: body.count + 3)
        token.byte(message.isError ? 0xAA : 0xAB)
        token.uint16(body.count)
        token.append(body.bytes)
        return token.bytes
    }

    /// LOGINACK (0xAD): interface 1 (T-SQL), the TDS version big-endian, the program name and version.
    /// FreeTDS derives the name's length from the token length, so it must be exactly 10 + 2 × name.
    static func loginAck(tdsVersion: UInt32, programName: String, version: TDSServer.Version) -> [UInt8] {
        var body = ByteWriter()
        body.byte(1)
        body.bigEndian(tdsVersion)
        body.bVarChar(programName)
        body.byte(version.major)
        body.byte(version.minor)
        body.bigEndian(version.build)
        var token = ByteWriter()
        token.byte(0xAD)
        token.uint16(body.count)
        token.append(body.bytes)
        return token.bytes
    }

    /// FEATUREEXTACK (0xAE): each acknowledged feature's id, data length and data, then 0xFF.
    static func featureExtensionAck(_ features: [(id: UInt8, data: [UInt8])]) -> [UInt8] {
        var writer = ByteWriter()
        writer.byte(0xAE)
        for feature in features {
            writer.byte(feature.id)
            writer.uint32(feature.data.count)
            writer.append(feature.data)
        }
        writer.byte(0xFF)
        return writer.bytes
    }

    static func returnStatus(_ status: Int32) -> [UInt8] {
        var writer = ByteWriter(capacity: 5)
        writer.byte(0x79)
        writer.littleEndian(status)
        return writer.bytes
    }

    /// COLMETADATA (0x81): per column UserType 0, flags, TYPE_INFO, the table name of text/ntext/image, the name.
    static func columnMetadata(_ columns: [TDSColumnDescription]) -> [UInt8] {
        var writer = ByteWriter()
        writer.byte(0x81)
        writer.uint16(columns.count)
        for column in columns {
            writer.uint32(0)
            writer.littleEndian(column.flags)
            column.type.writeTypeInfo(into: &writer)
            if column.type.isLegacyLargeObject {
                let parts = column.tableNameParts.isEmpty ? [""] : Array(column.tableNameParts.prefix(4))
                writer.byte(UInt8(parts.count))
                for part in parts { writer.usVarChar(part) }
            }
            writer.bVarChar(column.name)
        }
        return writer.bytes
    }

    /// RETURNVALUE (0xAC): ordinal, name, status (0x01 output parameter, 0x02 UDF result), UserType,
    /// flags, TYPE_INFO, value.
    static func returnValue(name: String, ordinal: Int, isUserDefinedFunction: Bool, type: TDSType, value: TDSWireValue) throws(TDSServerError) -> [UInt8] {
        var writer = ByteWriter()
        writer.byte(0xAC)
        writer.uint16(ordinal)
        writer.bVarChar(name)
        writer.byte(isUserDefinedFunction ? 0x02 : 0x01)
        writer.uint32(0)
        writer.uint16(0x0001)
        type.writeTypeInfo(into: &writer)
        try type.writeValue(value, into: &writer)
        return writer.bytes
    }

    /// ROW (0xD1) or NBCROW (0xD2), whichever is shorter: NBCROW replaces each NULL's marker with
    /// one bit of a bitmap, which pays off when the NULLs' markers outweigh the bitmap.
    static func row(_ values: [TDSWireValue], columns: [TDSColumnDescription]) throws(TDSServerError) -> [UInt8] {
        guard values.count == columns.count else {
            throw TDSServerError(.invalidResponse, "a row has \(values.count) values but the result set has \(columns.count) columns")
        }
        var nullMarkerBytes = 0
        for (value, column) in zip(values, columns) where value.isNull { nullMarkerBytes += column.type.nullMarkerSize }
        let bitmapBytes = (columns.count + 7) / 8
        var writer = ByteWriter(capacity: 64)
        if nullMarkerBytes > bitmapBytes {
            writer.byte(0xD2)
            var bitmap = [UInt8](repeating: 0, count: bitmapBytes)
            for (index, value) in values.enumerated() where value.isNull { bitmap[index / 8] |= 1 << (index % 8) }
            writer.append(bitmap)
            for (value, column) in zip(values, columns) where !value.isNull {
                try column.type.writeValue(value, into: &writer)
            }
        } else {
            writer.byte(0xD1)
            for (value, column) in zip(values, columns) {
                try column.type.writeValue(value, into: &writer)
            }
        }
        return writer.bytes
    }
}
