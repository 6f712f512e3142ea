extension JSONValue {
    /// Parses one JSON document (RFC 8259), strictly: no trailing commas or text, no duplicate
    /// keys, no invalid UTF-8 or lone surrogates, nesting at most 128 deep.
    init(parsing bytes: some Collection<UInt8>) throws(FerryCoreError) {
        var parser = JSONParser(bytes: Array(bytes))
        self = try parser.parseDocument()
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes (also the tokenizer of the direct envelope
/// reader, `EnvelopeCodec+DirectDecoding.swift`).
struct JSONParser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0
    static let maximumDepth = 128

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ message: String) -> FerryCoreError {
        FerryCoreError(.malformedJSON, "invalid JSON at byte \(position): \(message)", context: ["offset": String(position)])
    }

    mutating func parseDocument() throws(FerryCoreError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected text after the document") }
        return value
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(FerryCoreError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected character, expected a value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(FerryCoreError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw fail("expected '\(literal)'") }
        let utf8 = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != utf8[offset] { throw fail("expected '\(literal)'") }
        position += count
    }

    mutating func enter() throws(FerryCoreError) {
        depth += 1
        guard depth <= JSONParser.maximumDepth else { throw fail("nesting deeper than \(JSONParser.maximumDepth)") }
    }

    mutating func parseObject() throws(FerryCoreError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var members: [JSONValue.Member] = []
        // Objects in events are small: a linear search finds a repeated name faster than hashing.
        var keys: Set<String>? = nil
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let key = try parseString()
            if keys == nil, members.count >= 16 { keys = Set(members.map(\.key)) }
            let repeated = keys != nil ? !keys!.insert(key).inserted : members.contains { $0.key == key }
            guard !repeated else { throw fail("duplicate member '\(key)'") }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail("expected ':' after '\(key)'") }
            position += 1
            members.append(JSONValue.Member(key, try parseValue()))
            skipWhitespace()
            guard position < bytes.count else { throw fail("unterminated object") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw fail("expected ',' or '}' in an object")
        }
    }

    mutating func parseArray() throws(FerryCoreError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw fail("unterminated array") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
            throw fail("expected ',' or ']' in an array")
        }
    }

    mutating func parseNumber() throws(FerryCoreError) -> String {
        let start = position
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.position
            while parser.position < parser.bytes.count, (48...57).contains(parser.bytes[parser.position]) { parser.position += 1 }
            return parser.position - from
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw fail("a number needs digits") }
        guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { throw fail("a number may not have leading zeros") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw fail("a fraction needs digits") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw fail("an exponent needs digits") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Strings without escapes (nearly all of an event's) are validated and made in one step from
    /// their bytes; escaped ones are assembled as UTF-8 bytes and validated once at the end.
    mutating func parseString() throws(FerryCoreError) -> String {
        position += 1
        let start = position
        var bits: UInt8 = 0
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                // ASCII is valid UTF-8 as it stands: only other text needs validating.
                let text: String
                if bits < 0x80 {
                    text = String(decoding: bytes[start..<position], as: UTF8.self)
                } else {
                    guard let valid = String(validating: bytes[start..<position], as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
                    text = valid
                }
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            bits |= byte
            position += 1
        }
        var utf8 = Array(bytes[start..<position])
        while true {
            guard position < bytes.count else { throw fail("unterminated string") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                guard let text = String(validating: utf8, as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
                return text
            }
            if byte < 0x20 { throw fail("a control character must be escaped in a string") }
            position += 1
            if byte != UInt8(ascii: "\\") {
                utf8.append(byte)
                continue
            }
            guard position < bytes.count else { throw fail("unterminated escape") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                let first = try parseHex4()
                let scalar: Unicode.Scalar
                if (0xD800...0xDBFF).contains(first) {
                    guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                        throw fail("a high surrogate must be followed by a low surrogate")
                    }
                    position += 2
                    let second = try parseHex4()
                    guard (0xDC00...0xDFFF).contains(second) else { throw fail("a high surrogate must be followed by a low surrogate") }
                    scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
                } else {
                    guard let single = Unicode.Scalar(first) else { throw fail("a lone low surrogate") }
                    scalar = single
                }
                utf8.append(contentsOf: UTF8.encode(scalar)!)
            default:
                throw fail("unknown escape")
            }
        }
    }

    mutating func parseHex4() throws(FerryCoreError) -> UInt32 {
        guard bytes.count - position >= 4,
              let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16),
              bytes[position..<position + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
        else { throw fail("expected four hex digits after \\u") }
        position += 4
        return value
    }
}
