// The sink decodes every event of a table topic with a known table schema, almost all of them
// written by Ferry itself. Building a `JSONValue` tree, a dictionary per object and a `String` per
// member name and value cost most of the sink's CPU, so such events are read here straight from
// their bytes into a `ChangeEvent`.
//
// The direct reader only ever accepts what the general decoder accepts and yields the same event:
// on anything else — a Debezium event, a `schema` part, an escape in a member name, an unknown or
// repeated member, a value of an unusual type, any fault at all — it gives up and the general
// decoder decodes the record or reports the fault with its usual message.

extension EnvelopeCodec {
    /// A Ferry event (`source.version` `ferry-1`, no `schema` part) decoded with `schema` straight
    /// from its bytes; `nil` if the record needs the general decoder.
    static func decodeDirectly(_ value: [UInt8], schema: TableSchema) -> ChangeEvent? {
        var reader = JSONParser(bytes: value)
        return try? reader.directEnvelope(schema: schema)
    }
}

extension JSONParser {
    /// Thrown to hand a record to the general decoder; never seen outside this file.
    static let notDirect = FerryCoreError(.invalidEvent, "the record needs the general decoder")

    // MARK: Envelope

    private static let payloadKeys: [StaticString] = ["before", "after", "source", "op", "ts_ms", "transaction"]
    private static let sourceKeys: [StaticString] = ["version", "connector", "name", "ts_ms", "snapshot", "db", "schema", "table",
                                                     "change_lsn", "commit_lsn", "event_serial_no"]
    private static let transactionKeys: [StaticString] = ["id", "total_order", "data_collection_order"]

    mutating func directEnvelope(schema: TableSchema) throws(FerryCoreError) -> ChangeEvent {
        var before: Row?, after: Row?, source: SourceInfo?, operation: ChangeEvent.Operation?, timestamp: Int64?
        var transaction: ChangeEvent.TransactionPosition?
        var seen: UInt32 = 0
        guard try beginObject() else { throw Self.notDirect }
        repeat {
            let index = try memberIndex(Self.payloadKeys, seen: &seen)
            switch index {
            case 0: before = try directRow(schema)
            case 1: after = try directRow(schema)
            case 2: source = try directSource(expecting: schema.identity)
            case 3:
                guard let op = ChangeEvent.Operation(rawValue: try directString()) else { throw Self.notDirect }
                operation = op
            case 4: timestamp = try directInt64()
            default: transaction = try directTransaction()
            }
        } while try endMember()
        skipWhitespace()
        guard position == bytes.count, let source, let operation, let timestamp, source.table == schema.identity else { throw Self.notDirect }
        return try ChangeEvent(operation: operation, before: before, after: after, source: source, timestampMilliseconds: timestamp, transaction: transaction)
    }

    /// The `source` block; names equal to `table`'s reuse its strings.
    private mutating func directSource(expecting table: TableIdentity) throws(FerryCoreError) -> SourceInfo {
        var version = "", connector = "", name = "", db = "", schemaName = "", tableName = ""
        var timestamp: Int64 = 0
        var snapshot = SourceInfo.Snapshot.false
        var changeLSN: LSN?, commitLSN: LSN?, serial: Int64?
        var seen: UInt32 = 0
        guard try beginObject() else { throw Self.notDirect }
        repeat {
            switch try memberIndex(Self.sourceKeys, seen: &seen) {
            case 0: version = try directKnownString(SourceInfo.ferryVersion)
            case 1: connector = try directKnownString(SourceInfo.connector)
            case 2: name = try directString()
            case 3: timestamp = try directInt64()
            case 4:
                guard let s = SourceInfo.Snapshot(rawValue: try directString()) else { throw Self.notDirect }
                snapshot = s
            case 5: db = try directKnownString(table.database)
            case 6: schemaName = try directKnownString(table.schema)
            case 7: tableName = try directKnownString(table.table)
            case 8: changeLSN = try directOptionalLSN()
            case 9: commitLSN = try directOptionalLSN()
            default: serial = try directNullable { (parser: inout JSONParser) throws(FerryCoreError) in try parser.directInt64() }
            }
        } while try endMember()
        // version, connector, name, ts_ms, snapshot, db, schema and table are required.
        guard seen & 0b1111_1111 == 0b1111_1111, version == SourceInfo.ferryVersion, connector == SourceInfo.connector else { throw Self.notDirect }
        return SourceInfo(version: version, name: name, table: TableIdentity(database: db, schema: schemaName, table: tableName),
                          changeLSN: changeLSN, commitLSN: commitLSN, eventSerialNumber: serial,
                          timestampMilliseconds: timestamp, snapshot: snapshot)
    }

    private mutating func directTransaction() throws(FerryCoreError) -> ChangeEvent.TransactionPosition? {
        try directNullable { (parser: inout JSONParser) throws(FerryCoreError) in
            var id = "", total: Int64 = 0, order: Int64 = 0
            var seen: UInt32 = 0
            guard try parser.beginObject() else { throw Self.notDirect }
            repeat {
                switch try parser.memberIndex(Self.transactionKeys, seen: &seen) {
                case 0: id = try parser.directString()
                case 1: total = try parser.directInt64()
                default: order = try parser.directInt64()
                }
            } while try parser.endMember()
            guard seen == 0b111 else { throw Self.notDirect }
            return ChangeEvent.TransactionPosition(id: id, totalOrder: total, dataCollectionOrder: order)
        }
    }

    /// A row image in document order, each member a column of `schema`.
    private mutating func directRow(_ schema: TableSchema) throws(FerryCoreError) -> Row? {
        try directNullable { (parser: inout JSONParser) throws(FerryCoreError) in
            let definitions = schema.columns
            var columns: [Row.Column] = []
            columns.reserveCapacity(definitions.count)
            guard try parser.beginObject() else { return Row() }
            // Members seen, by column index: a repeated member goes to the general decoder. A bit
            // set for the usual table; wider tables let `Row(_:)` find repeats.
            let tracked = definitions.count <= 64
            var seen: UInt64 = 0
            var next = 0
            repeat {
                let key = try parser.memberKey()
                // Ferry writes columns in table order: try the one after the last first.
                var index = next < definitions.count && parser.matches(key, definitions[next].name) ? next : -1
                if index < 0 {
                    guard let found = definitions.firstIndex(where: { parser.matches(key, $0.name) }) else { throw Self.notDirect }
                    index = found
                }
                if tracked {
                    let bit: UInt64 = 1 << UInt64(index)
                    guard seen & bit == 0 else { throw Self.notDirect }
                    seen |= bit
                }
                next = index + 1
                let definition = definitions[index]
                columns.append(Row.Column(name: definition.name, value: try parser.directColumnValue(definition.type)))
            } while try parser.endMember()
            if tracked { return Row(distinctColumns: columns) }
            let row = Row(columns)
            guard row.columns.count == columns.count else { throw Self.notDirect }  // a repeated member
            return row
        }
    }

    // MARK: Column values

    /// One column value as ``ValueJSONCoder/decode(_:as:flavor:)`` reads Ferry's encoding: the
    /// common types straight from the bytes, the others through a `JSONValue`.
    mutating func directColumnValue(_ type: SQLServerDataType) throws(FerryCoreError) -> ColumnValue {
        skipWhitespace()
        guard position < bytes.count else { throw Self.notDirect }
        let start = position
        let first = bytes[position]
        if first == UInt8(ascii: "n") {
            try expectLiteral("null")
            return .null
        }
        let isString = first == UInt8(ascii: "\"")
        switch type.category {
        case .integer where first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")):
            let n = try directInt64()
            guard type.integerRange!.contains(n) else { throw Self.notDirect }
            return .int(n)
        case .characterString where isString, .hierarchyID where isString:
            return .string(try parseString())
        case .exactNumeric where isString:
            if let range = rawString(), let d = Self.decimal(bytes, range) {
                return .decimal(try ValueJSONCoder.fitDecimal(d, to: type))
            }
        case .dateTime where isString:
            if let range = rawString(), let v = Self.dateTime(bytes, range) {
                try ValueJSONCoder.checkDateTimeRange(v, type: type)
                return .dateTime(v)
            }
        case .date where isString:
            if let range = rawString(), let d = Self.date(bytes, range.lowerBound, range.count) { return .date(d) }
        case .time where isString:
            if let range = rawString(), let t = Self.time(bytes, range.lowerBound, range.count) {
                guard t.fits(fractionDigits: type.effectiveScale!) else { throw Self.notDirect }
                return .time(t)
            }
        case .boolean where first == UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case .boolean where first == UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        default:
            break
        }
        position = start
        return try ValueJSONCoder.decode(try parseValue(), as: type, flavor: .ferry)
    }

    /// The decimal written in `bytes[range]` (``ExactDecimal/init(utf8:)``).
    static func decimal(_ bytes: [UInt8], _ range: Range<Int>) -> ExactDecimal? {
        ExactDecimal(utf8: bytes[range])
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f…]` with 0–7 fraction digits; `nil` for any other form (which the
    /// general reader then parses), never a different value than `SQLDateTime(_:)`.
    static func dateTime(_ bytes: [UInt8], _ range: Range<Int>) -> SQLDateTime? {
        let start = range.lowerBound
        guard range.count >= 19, bytes[start + 10] == UInt8(ascii: "T"),
              let date = date(bytes, start, 10), let time = time(bytes, start + 11, range.count - 11)
        else { return nil }
        return SQLDateTime(date: date, time: time)
    }

    /// `YYYY-MM-DD` at `start`, exactly `count` bytes.
    static func date(_ bytes: [UInt8], _ start: Int, _ count: Int) -> SQLDate? {
        guard count == 10, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
              let year = digits(bytes, start, 4), let month = digits(bytes, start + 5, 2), let day = digits(bytes, start + 8, 2)
        else { return nil }
        return SQLDate(year: year, month: month, day: day)
    }

    /// `HH:MM:SS[.f…]` at `start` with 0–7 fraction digits, exactly `count` bytes.
    static func time(_ bytes: [UInt8], _ start: Int, _ count: Int) -> SQLTime? {
        guard count == 8 || (10...16).contains(count), bytes[start + 2] == UInt8(ascii: ":"), bytes[start + 5] == UInt8(ascii: ":"),
              let hour = digits(bytes, start, 2), let minute = digits(bytes, start + 3, 2), let second = digits(bytes, start + 6, 2)
        else { return nil }
        var fraction = 0
        if count > 8 {
            guard bytes[start + 8] == UInt8(ascii: "."), let f = digits(bytes, start + 9, count - 9) else { return nil }
            fraction = f
            for _ in (count - 9)..<7 { fraction *= 10 }
        }
        return SQLTime(hour: hour, minute: minute, second: second, fraction: fraction)
    }

    private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<start + count {
            let byte = bytes[i]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// `null`, or an LSN string (`vlf:block:slot` read from the bytes, other forms by `LSN(_:)`).
    private mutating func directOptionalLSN() throws(FerryCoreError) -> LSN? {
        try directNullable { (parser: inout JSONParser) throws(FerryCoreError) in
            let start = parser.position
            if let range = parser.rawString(), range.count == 22,
               parser.bytes[range.lowerBound + 8] == UInt8(ascii: ":"), parser.bytes[range.lowerBound + 17] == UInt8(ascii: ":"),
               let vlf = Self.hex(parser.bytes, range.lowerBound, 8), let block = Self.hex(parser.bytes, range.lowerBound + 9, 8),
               let slot = Self.hex(parser.bytes, range.lowerBound + 18, 4) {
                return LSN(virtualLogFile: UInt32(vlf), block: UInt32(block), slot: UInt16(slot))
            }
            parser.position = start
            guard let lsn = LSN(try parser.directString()) else { throw Self.notDirect }
            return lsn
        }
    }

    private static func hex(_ bytes: [UInt8], _ start: Int, _ count: Int) -> UInt64? {
        var value: UInt64 = 0
        for i in start..<start + count {
            let byte = bytes[i]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    // MARK: Tokens

    /// `nil` for JSON `null`, else what `body` reads.
    private mutating func directNullable<T>(_ body: (inout JSONParser) throws(FerryCoreError) -> T) throws(FerryCoreError) -> T? {
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "n") {
            try expectLiteral("null")
            return nil
        }
        return try body(&self)
    }

    /// A string value that is usually `expected`: compared as bytes, made only when it differs.
    private mutating func directKnownString(_ expected: String) throws(FerryCoreError) -> String {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw Self.notDirect }
        let start = position
        if let range = rawString(), matches(range, expected) { return expected }
        position = start
        return try parseString()
    }

    /// A string value.
    private mutating func directString() throws(FerryCoreError) -> String {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw Self.notDirect }
        return try parseString()
    }

    /// A JSON integer (no fraction, no exponent) that fits in 64 bits, as `Int64(_:)` reads it.
    mutating func directInt64() throws(FerryCoreError) -> Int64 {
        skipWhitespace()
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let start = position
        var magnitude: UInt64 = 0
        while position < bytes.count {
            let byte = bytes[position]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw Self.notDirect }
            magnitude = sum
            position += 1
        }
        let count = position - start
        guard count > 0, count == 1 || bytes[start] != UInt8(ascii: "0") else { throw Self.notDirect }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            throw Self.notDirect
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw Self.notDirect }
            return Int64(bitPattern: 0 &- magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw Self.notDirect }
        return Int64(magnitude)
    }

    /// The bytes between the quotes of a string (at the position) without escapes or control
    /// characters, the position after it; `nil` (position unchanged) for anything else.
    mutating func rawString() -> Range<Int>? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                position = i + 1
                return start..<i
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// Opens an object; `false` if it is empty (and already closed).
    mutating func beginObject() throws(FerryCoreError) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { throw Self.notDirect }
        try enter()
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return false
        }
        return true
    }

    /// A member name without escapes and its `:`: the name's byte range.
    mutating func memberKey() throws(FerryCoreError) -> Range<Int> {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = rawString() else { throw Self.notDirect }
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw Self.notDirect }
        position += 1
        return key
    }

    /// The index of the next member's name in `names`, marked in `seen`; throws for an unknown or repeated name.
    private mutating func memberIndex(_ names: [StaticString], seen: inout UInt32) throws(FerryCoreError) -> Int {
        let key = try memberKey()
        // Ferry writes the members in the order of `names`: start after the last one seen.
        let start = seen == 0 ? 0 : min(names.count, UInt32.bitWidth - seen.leadingZeroBitCount)
        for step in 0..<names.count {
            let index = (start + step) % names.count
            guard matches(key, names[index]) else { continue }
            let bit: UInt32 = 1 << UInt32(index)
            guard seen & bit == 0 else { throw Self.notDirect }
            seen |= bit
            return index
        }
        throw Self.notDirect
    }

    /// After a member's value: `true` after `,`, `false` after the closing `}`.
    mutating func endMember() throws(FerryCoreError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw Self.notDirect }
        if bytes[position] == UInt8(ascii: ",") {
            position += 1
            return true
        }
        guard bytes[position] == UInt8(ascii: "}") else { throw Self.notDirect }
        position += 1
        depth -= 1
        return false
    }

    func matches(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard name.utf8CodeUnitCount == range.count else { return false }
        let start = name.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != start[offset] { return false }
        return true
    }

    func matches(_ range: Range<Int>, _ name: String) -> Bool {
        let utf8 = name.utf8
        guard utf8.count == range.count else { return false }
        return utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            for offset in 0..<buffer.count where bytes[range.lowerBound + offset] != buffer[offset] { return false }
            return true
        } ?? utf8.elementsEqual(bytes[range])
    }
}
