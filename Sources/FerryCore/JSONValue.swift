/// A JSON document as Ferry reads and writes it: objects keep their member order (so events
/// print in a stable, Debezium-like order) and numbers keep their literal text (so no 64-bit
/// integer or decimal is ever rounded through `Double`).
enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal text, already checked against JSON's number grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` pair of an object.
    struct Member: Hashable, Sendable {
        var key: String
        var value: JSONValue
        init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    static func integer(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    /// The value of `key` in an object; `nil` if absent or not an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A word for messages: what kind of JSON value this is.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(let text): return "the number \(text)"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
