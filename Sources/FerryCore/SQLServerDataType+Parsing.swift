extension SQLServerDataType {
    /// Parses declaration text: `nvarchar(50)`, `DECIMAL(38, 4)`, `[datetime2](7)`, `varbinary(max)`.
    ///
    /// Names are case-insensitive and may be bracket-quoted. Omitted parameters take SQL Server's
    /// defaults (`varchar` → 1, `decimal` → (18,0), `time` → 7). Synonyms are normalised:
    /// `timestamp` → `rowversion`, `dec` → `decimal`, `integer` → `int`, `double precision` →
    /// `float`, and `float(1…24)` → `real` (SQL Server stores it as `real`).
    public init(declaration: String, aliasName: String? = nil) throws(FerryCoreError) {
        func fail(_ why: String) -> FerryCoreError {
            FerryCoreError(.invalidDeclaration, "'\(declaration)' is not a valid SQL Server type: \(why)", context: ["type": declaration])
        }
        var text = Substring(declaration).trimmingSpaces()
        var arguments: [Substring]? = nil
        if text.last == ")" {
            guard let open = text.firstIndex(of: "(") else { throw fail("unbalanced parentheses") }
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
            guard !inner.contains("("), !inner.contains(")") else { throw fail("unbalanced parentheses") }
            arguments = inner.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            text = text[..<open].trimmingSpaces()
        } else if text.contains("(") || text.contains(")") {
            throw fail("unbalanced parentheses")
        }
        if text.first == "[", text.last == "]", text.count >= 2 { text = text.dropFirst().dropLast() }
        let spelled = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        let synonyms: [String: Name] = ["timestamp": .rowversion, "dec": .decimal, "integer": .int, "double precision": .float]
        guard let name = Name(rawValue: spelled) ?? synonyms[spelled] else {
            throw fail("unknown type name '\(text)'")
        }

        func integer(_ argument: Substring) throws(FerryCoreError) -> Int {
            guard let n = Int(argument) else { throw fail("'\(argument)' is not a number") }
            return n
        }
        guard let arguments else {
            try self.init(name, aliasName: aliasName, declaration: declaration)
            return
        }
        guard !arguments.contains(where: \.isEmpty) else { throw fail("an empty parameter") }
        switch name {
        case .char, .varchar, .nchar, .nvarchar, .binary, .varbinary:
            guard arguments.count == 1 else { throw fail("\(name.rawValue) takes one length") }
            let length: Length = arguments[0].lowercased() == "max" ? .max : .limited(try integer(arguments[0]))
            try self.init(name, length: length, aliasName: aliasName, declaration: declaration)
        case .decimal, .numeric:
            guard arguments.count <= 2 else { throw fail("\(name.rawValue) takes precision and scale") }
            let precision = try integer(arguments[0])
            let scale = arguments.count == 2 ? try integer(arguments[1]) : 0
            try self.init(name, precision: precision, scale: scale, aliasName: aliasName, declaration: declaration)
        case .time, .datetime2, .datetimeoffset:
            guard arguments.count == 1 else { throw fail("\(name.rawValue) takes one fractional-second scale") }
            try self.init(name, scale: try integer(arguments[0]), aliasName: aliasName, declaration: declaration)
        case .float:
            guard arguments.count == 1 else { throw fail("float takes one mantissa size") }
            let bits = try integer(arguments[0])
            guard (1...53).contains(bits) else { throw fail("the float mantissa size must be 1–53") }
            try self.init(bits <= 24 ? .real : .float, aliasName: aliasName, declaration: declaration)
        default:
            throw fail("\(name.rawValue) takes no parameters")
        }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s = s.dropLast() }
        return s
    }
}
