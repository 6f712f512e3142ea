extension AssessmentReport {
    /// The report as JSON (UTF-8, stable key order).
    public var json: String {
        var out = "{\n"
        out += "  \"database\": \(Self.string(database)),\n"
        out += "  \"targetSchemas\": [\(targetSchemas.map(Self.string).joined(separator: ", "))],\n"
        out += "  \"complexity\": \(Self.string(complexity.rawValue)),\n"
        out += "  \"estimatedHours\": \(estimatedHours),\n"
        out += "  \"actionItemCounts\": {\"manual\": \(count(.manual)), \"warning\": \(count(.warning)), \"info\": \(count(.info))},\n"
        out += "  \"summary\": [\n"
        out += summary.map { entry in
            "    {\"kind\": \(Self.string(entry.kind.rawValue)), \"total\": \(entry.total), \"automatic\": \(entry.automatic), \"withWarnings\": \(entry.withWarnings), \"manual\": \(entry.manual)}"
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"actionItems\": [\n"
        out += actionItems.map { item in
            var fields = [
                "\"severity\": \(Self.string(item.severity.rawValue))", "\"kind\": \(Self.string(item.kind.rawValue))",
                "\"object\": \(Self.string(item.sourceObject))", "\"message\": \(Self.string(item.message))",
            ]
            fields.append("\"source\": \(item.sourceSnippet.map(Self.string) ?? "null")")
            fields.append("\"generated\": \(item.generated.map(Self.string) ?? "null")")
            fields.append("\"recommendation\": \(Self.string(item.recommendation))")
            return "    {" + fields.joined(separator: ", ") + "}"
        }.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }

    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
