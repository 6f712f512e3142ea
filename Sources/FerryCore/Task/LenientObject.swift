/// Reads one JSON object of a DMS document the way DMS accepts it: numbers and booleans may be
/// written as strings, `null` means "not given", and (for task settings) key case does not matter.
/// It remembers which keys were read so the rest can be reported as ignored.
struct LenientObject {
    /// The object's field path (`TargetMetadata`, `rules[2].object-locator`).
    let path: String
    /// The rule being read, for messages.
    let ruleID: String?
    private let members: [JSONValue.Member]
    private let caseInsensitive: Bool
    private var used: Set<Int> = []

    init(_ json: JSONValue, path: String, ruleID: String? = nil, caseInsensitive: Bool) throws(TaskConfigurationError) {
        self.path = path
        self.ruleID = ruleID
        self.caseInsensitive = caseInsensitive
        guard case .object(let members) = json else {
            throw TaskConfigurationError(.invalidField, Self.prefix(ruleID) + "'\(path.isEmpty ? "(document)" : path)' must be a JSON object, found \(json.kindName)", field: path, ruleID: ruleID)
        }
        self.members = members
    }

    static func prefix(_ ruleID: String?) -> String { ruleID.map { "rule \($0): " } ?? "" }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ message: String, context: [String: String] = [:]) -> TaskConfigurationError {
        error(.invalidField, key, message, context: context)
    }

    func error(_ code: TaskConfigurationError.Code, _ key: String, _ message: String, context: [String: String] = [:]) -> TaskConfigurationError {
        TaskConfigurationError(code, Self.prefix(ruleID) + "'\(fieldPath(key))' " + message, field: fieldPath(key), ruleID: ruleID, context: context)
    }

    private func index(of key: String) -> Int? {
        if let exact = members.firstIndex(where: { $0.key == key }) { return exact }
        guard caseInsensitive else { return nil }
        let lower = key.lowercased()
        return members.firstIndex { $0.key.lowercased() == lower }
    }

    /// Whether the key is present (even as `null`); does not mark it read.
    func contains(_ key: String) -> Bool { index(of: key) != nil }

    /// The member's value, marking it read; `nil` when absent or `null`.
    mutating func value(_ key: String) -> JSONValue? {
        guard let i = index(of: key) else { return nil }
        used.insert(i)
        let value = members[i].value
        return value == .null ? nil : value
    }

    /// Marks a key as read without interpreting it.
    mutating func consume(_ key: String) { _ = value(key) }

    /// A string; numbers and booleans are accepted as their text.
    mutating func string(_ key: String) throws(TaskConfigurationError) -> String? {
        guard let value = value(key) else { return nil }
        switch value {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: throw error(key, "must be a string, found \(value.kindName)")
        }
    }

    mutating func requiredString(_ key: String) throws(TaskConfigurationError) -> String {
        guard let s = try string(key) else { throw error(.missingField, key, "is missing") }
        return s
    }

    /// `true`/`false`, also as strings in any case, or `1`/`0`.
    mutating func bool(_ key: String) throws(TaskConfigurationError) -> Bool? {
        guard let value = value(key) else { return nil }
        switch value {
        case .bool(let b): return b
        case .number("1"): return true
        case .number("0"): return false
        case .string(let s):
            switch s.lowercased().trimmedASCII {
            case "true", "1", "y", "yes": return true
            case "false", "0", "n", "no": return false
            case "": return nil
            default: break
            }
        default: break
        }
        throw error(key, "must be true or false, found \(value.kindName)\(value.textForMessage)")
    }

    /// An integer, also written as a string (`"64"`); an empty string counts as not given.
    mutating func integer(_ key: String) throws(TaskConfigurationError) -> Int? {
        guard let value = value(key) else { return nil }
        var text: String
        switch value {
        case .number(let n): text = n
        case .string(let s): text = s.trimmedASCII
        default: throw error(key, "must be an integer, found \(value.kindName)")
        }
        if text.isEmpty { return nil }
        // Exports sometimes carry `64.0`; a zero fraction is still an integer.
        if let dot = text.firstIndex(of: "."), text[text.index(after: dot)...].allSatisfy({ $0 == "0" }) {
            text = String(text[..<dot])
        }
        guard let n = Int(text) else { throw error(key, "must be an integer, found \(value.kindName)\(value.textForMessage)") }
        return n
    }

    /// An integer within `range`.
    mutating func integer(_ key: String, in range: ClosedRange<Int>) throws(TaskConfigurationError) -> Int? {
        guard let n = try integer(key) else { return nil }
        guard range.contains(n) else {
            throw error(key, "must be \(range.lowerBound)–\(range.upperBound), found \(n)")
        }
        return n
    }

    /// One of `allowed` (compared case-insensitively, returned as spelt in `allowed`).
    mutating func choice(_ key: String, _ allowed: [String]) throws(TaskConfigurationError) -> String? {
        guard let text = try string(key) else { return nil }
        let trimmed = text.trimmedASCII
        if trimmed.isEmpty { return nil }
        guard let match = allowed.first(where: { $0.lowercased() == trimmed.lowercased() }) else {
            throw error(key, "must be one of \(allowed.joined(separator: ", ")), found '\(text)'")
        }
        return match
    }

    mutating func object(_ key: String) throws(TaskConfigurationError) -> LenientObject? {
        guard let value = value(key) else { return nil }
        return try LenientObject(value, path: fieldPath(key), ruleID: ruleID, caseInsensitive: caseInsensitive)
    }

    mutating func array(_ key: String) throws(TaskConfigurationError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw error(key, "must be an array, found \(value.kindName)") }
        return items
    }

    /// The keys not read, in document order, with their values.
    var unread: [JSONValue.Member] {
        members.indices.filter { !used.contains($0) }.map { members[$0] }
    }
}

extension JSONValue {
    /// ` 'text'` for strings and numbers, for messages; empty otherwise.
    var textForMessage: String {
        switch self {
        case .string(let s): return " '\(s)'"
        default: return ""
        }
    }

    /// The value as a scalar's text (string, number or boolean), or `nil`.
    var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and line breaks.
    var trimmedASCII: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
