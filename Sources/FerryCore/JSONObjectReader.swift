/// Reads the members of one JSON object, with errors that name the field path and what was expected.
struct JSONObjectReader {
    /// The path of the object itself (`payload.source`); empty for the document.
    let path: String
    private let members: [String: JSONValue]
    private let order: [String]

    init(_ json: JSONValue, path: String) throws(FerryCoreError) {
        guard case .object(let list) = json else {
            throw FerryCoreError(.invalidField, "'\(path.isEmpty ? "(document)" : path)' must be an object, found \(json.kindName)", context: ["field": path])
        }
        self.path = path
        var members: [String: JSONValue] = [:]
        for member in list { members[member.key] = member.value }
        self.members = members
        self.order = list.map(\.key)
    }

    /// The member names in document order.
    var keys: [String] { order }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func invalid(_ key: String, expected: String, found: JSONValue) -> FerryCoreError {
        FerryCoreError(.invalidField, "'\(fieldPath(key))' must be \(expected), found \(found.kindName)", context: ["field": fieldPath(key)])
    }

    func contains(_ key: String) -> Bool { members[key] != nil }

    /// The member, or `nil` if absent (JSON `null` is returned as `.null`).
    func optional(_ key: String) -> JSONValue? { members[key] }

    func required(_ key: String) throws(FerryCoreError) -> JSONValue {
        guard let value = members[key] else {
            throw FerryCoreError(.missingField, "'\(fieldPath(key))' is missing", context: ["field": fieldPath(key)])
        }
        return value
    }

    func string(_ key: String) throws(FerryCoreError) -> String {
        let value = try required(key)
        guard case .string(let s) = value else { throw invalid(key, expected: "a string", found: value) }
        return s
    }

    func optionalString(_ key: String) throws(FerryCoreError) -> String? {
        guard let value = members[key], value != .null else { return nil }
        guard case .string(let s) = value else { throw invalid(key, expected: "a string or null", found: value) }
        return s
    }

    func int64(_ key: String) throws(FerryCoreError) -> Int64 {
        let value = try required(key)
        guard case .number(let text) = value, let n = Int64(text) else { throw invalid(key, expected: "a 64-bit integer", found: value) }
        return n
    }

    func optionalInt64(_ key: String) throws(FerryCoreError) -> Int64? {
        guard let value = members[key], value != .null else { return nil }
        guard case .number(let text) = value, let n = Int64(text) else { throw invalid(key, expected: "a 64-bit integer or null", found: value) }
        return n
    }

    func bool(_ key: String) throws(FerryCoreError) -> Bool {
        let value = try required(key)
        guard case .bool(let b) = value else { throw invalid(key, expected: "true or false", found: value) }
        return b
    }

    func optionalLSN(_ key: String) throws(FerryCoreError) -> LSN? {
        guard let value = members[key], value != .null else { return nil }
        guard case .string(let text) = value, let lsn = LSN(text) else {
            throw invalid(key, expected: "an LSN such as \"0000002d:00000580:001d\" or null", found: value)
        }
        return lsn
    }

    /// Throws for the first member not in `allowed`.
    func rejectUnknown(_ allowed: Set<String>) throws(FerryCoreError) {
        if let unknown = order.first(where: { !allowed.contains($0) }) {
            throw FerryCoreError(.invalidField, "'\(fieldPath(unknown))' is not a known field", context: ["field": fieldPath(unknown)])
        }
    }
}
