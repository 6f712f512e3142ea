/// Reads one section of a task-settings document and reports what it does not use.
struct SettingsSection {
    var object: LenientObject
    /// Keys DMS defines but that only mean something on AWS or for other engines: key → reason.
    let notApplicable: [String: String]

    init(_ object: LenientObject, notApplicable: [String: String] = [:]) {
        self.object = object
        self.notApplicable = notApplicable
    }

    static let unknownReason = "not a DMS task setting Ferry knows (misspelt, or newer than Ferry)"

    /// Reports every key not read: with its reason when DMS defines it, as unknown otherwise.
    func finish(into ignored: inout [IgnoredSetting]) {
        let reasons = Dictionary(notApplicable.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        for member in object.unread {
            ignored.append(IgnoredSetting(path: object.fieldPath(member.key), reason: reasons[member.key.lowercased()] ?? Self.unknownReason))
        }
    }

    mutating func bool(_ key: String, _ value: inout Bool) throws(TaskConfigurationError) {
        if let b = try object.bool(key) { value = b }
    }

    mutating func int(_ key: String, _ value: inout Int, in range: ClosedRange<Int> = Int.min...Int.max) throws(TaskConfigurationError) {
        if let n = try object.integer(key, in: range) { value = n }
    }

    mutating func string(_ key: String, _ value: inout String) throws(TaskConfigurationError) {
        if let s = try object.string(key) { value = s }
    }

    mutating func choice<T: RawRepresentable<String>>(_ key: String, _ value: inout T, allowed: [T]) throws(TaskConfigurationError) {
        if let text = try object.choice(key, allowed.map(\.rawValue)), let parsed = T(rawValue: text) { value = parsed }
    }
}

/// An effective-settings object being rendered, keys in DMS's order.
struct SettingsJSON {
    private(set) var members: [JSONValue.Member] = []
    mutating func add(_ key: String, _ value: Bool) { members.append(.init(key, .bool(value))) }
    mutating func add(_ key: String, _ value: Int) { members.append(.init(key, .integer(value))) }
    mutating func add(_ key: String, _ value: String) { members.append(.init(key, .string(value))) }
    mutating func add(_ key: String, _ value: JSONValue) { members.append(.init(key, value)) }
    var json: JSONValue { .object(members) }
}
