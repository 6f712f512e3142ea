/// A DMS object-locator name: a schema, table or column name with DMS's wildcards.
///
/// Wildcards, as DMS documents them for table mapping: `%` matches zero or more characters, `_`
/// exactly one character, `[_]` a literal underscore, `[ab]` one character of a set and `[a-d]` one
/// character of a range. A `[` without a closing `]` is a literal `[`. DMS's Oracle-only escape
/// character is not supported.
///
/// Matching compares whole names. ``NameComparison`` says whether letter case matters: DMS rules
/// are case-sensitive, but DMS resolves them through the source's catalog, so a SQL Server
/// database with a case-insensitive collation (the default) matches `humanresources` to
/// `HumanResources`. Ferry follows the source: case-insensitive unless told otherwise.
public struct NamePattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as written in the rule.
    public let text: String
    private let elements: [Element]

    enum Element: Hashable, Sendable {
        case literal(Character)
        case anyOne
        case anyRun
        case set([ClosedRange<Character>])
    }

    /// Parses a pattern; every string is a valid pattern.
    public init(_ text: String) {
        self.text = text
        var elements: [Element] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let c = characters[index]
            switch c {
            case "%":
                if elements.last != .anyRun { elements.append(.anyRun) }
                index += 1
            case "_":
                elements.append(.anyOne)
                index += 1
            case "[":
                if let close = characters[(index + 1)...].firstIndex(of: "]"), close > index + 1 {
                    elements.append(.set(Self.parseSet(characters[(index + 1)..<close])))
                    index = close + 1
                } else {
                    elements.append(.literal("["))
                    index += 1
                }
            default:
                elements.append(.literal(c))
                index += 1
            }
        }
        self.elements = elements
    }

    private static func parseSet(_ body: ArraySlice<Character>) -> [ClosedRange<Character>] {
        var ranges: [ClosedRange<Character>] = []
        let chars = Array(body)
        var i = 0
        while i < chars.count {
            if i + 2 < chars.count, chars[i + 1] == "-", chars[i] <= chars[i + 2] {
                ranges.append(chars[i]...chars[i + 2])
                i += 3
            } else {
                ranges.append(chars[i]...chars[i])
                i += 1
            }
        }
        return ranges
    }

    /// Whether the pattern contains a wildcard (`%`, `_` or a `[…]` set).
    public var hasWildcards: Bool {
        elements.contains { if case .literal = $0 { return false } else { return true } }
    }

    /// Whether the pattern is exactly `%` (matches every name).
    public var matchesEverything: Bool { elements == [.anyRun] }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String, comparison: NameComparison) -> Bool {
        let subject = comparison == .caseInsensitive ? Array(name.lowercased()) : Array(name)
        let pattern = comparison == .caseInsensitive ? elements.map(Self.lowercased) : elements
        return Self.match(pattern[...], subject[...])
    }

    /// Whether `name` equals the pattern's text, wildcards taken literally (for `explicit` rules).
    public func equalsLiterally(_ name: String, comparison: NameComparison) -> Bool {
        comparison.equal(text, name)
    }

    private static func lowercased(_ element: Element) -> Element {
        switch element {
        case .literal(let c): return .literal(Character(String(c).lowercased()))
        case .set(let ranges):
            // Keep the original ranges and add lower-cased single characters so `[A-D]` still matches `b`.
            var widened = ranges
            for range in ranges where range.lowerBound == range.upperBound {
                let lower = Character(String(range.lowerBound).lowercased())
                widened.append(lower...lower)
            }
            for range in ranges where range.lowerBound != range.upperBound {
                let lo = Character(String(range.lowerBound).lowercased()), hi = Character(String(range.upperBound).lowercased())
                if lo <= hi { widened.append(lo...hi) }
            }
            return .set(widened)
        default: return element
        }
    }

    private static func match(_ pattern: ArraySlice<Element>, _ name: ArraySlice<Character>) -> Bool {
        var p = pattern.startIndex, n = name.startIndex
        // Backtracking point for the last `%`: where it is in the pattern and how much of the name it absorbs.
        var starP: Int? = nil, starN = 0
        while n < name.endIndex {
            if p < pattern.endIndex {
                switch pattern[p] {
                case .anyRun:
                    starP = p
                    starN = n
                    p += 1
                    continue
                case .anyOne:
                    p += 1; n += 1
                    continue
                case .literal(let c) where c == name[n]:
                    p += 1; n += 1
                    continue
                case .set(let ranges) where ranges.contains(where: { $0.contains(name[n]) }):
                    p += 1; n += 1
                    continue
                default:
                    break
                }
            }
            guard let star = starP else { return false }
            p = star + 1
            starN += 1
            n = starN
        }
        while p < pattern.endIndex, pattern[p] == .anyRun { p += 1 }
        return p == pattern.endIndex
    }

    public var description: String { text }
}

/// Whether letter case matters when a rule's names are compared with the source's names.
public enum NameComparison: Hashable, Sendable {
    /// `Department` ≠ `department` (a case-sensitive collation, DMS's literal reading).
    case caseSensitive
    /// `Department` = `department` (SQL Server's default collations).
    case caseInsensitive

    /// Whether two names are equal under this comparison.
    public func equal(_ a: String, _ b: String) -> Bool {
        switch self {
        case .caseSensitive: return a == b
        case .caseInsensitive: return a == b || a.lowercased() == b.lowercased()
        }
    }

    /// Whether `name` starts with `prefix` under this comparison.
    func hasPrefix(_ name: String, _ prefix: String) -> Bool {
        self == .caseSensitive ? name.hasPrefix(prefix) : name.lowercased().hasPrefix(prefix.lowercased())
    }

    /// Whether `name` ends with `suffix` under this comparison.
    func hasSuffix(_ name: String, _ suffix: String) -> Bool {
        self == .caseSensitive ? name.hasSuffix(suffix) : name.lowercased().hasSuffix(suffix.lowercased())
    }
}
