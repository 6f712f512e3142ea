import CLibPQ

/// Finds the password in a libpq connection string so it can be kept out of every message.
enum PostgresConnectionString {
    /// Every spelling of the password that `connectionString` contains: as libpq parses it and as
    /// written (percent-encoded, quoted), whether in a URI's user info, a URI query or `password=`.
    static func secrets(in connectionString: String) -> [String] {
        var secrets: Set<String> = []
        if let parsed = parsedPassword(connectionString) {
            secrets.insert(parsed)
        }
        if let userInfo = uriUserInfo(connectionString), let colon = userInfo.firstIndex(of: ":") {
            secrets.insert(String(userInfo[userInfo.index(after: colon)...]))
        }
        secrets.formUnion(keywordValues(named: "password", in: connectionString))
        secrets.remove("")
        // Longest first, so a password that contains another spelling is replaced whole.
        return secrets.sorted { $0.count > $1.count }
    }

    /// Replaces every occurrence of each secret in `text`.
    static func redact(_ text: String, secrets: [String]) -> String {
        var redacted = text
        for secret in secrets {
            redacted = redacted.replacing(secret, with: "********")
        }
        return redacted
    }

    private static func parsedPassword(_ connectionString: String) -> String? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                return String(cString: value)
            }
            option += 1
        }
        return nil
    }

    /// `user:password` of `postgresql://user:password@host/…`.
    private static func uriUserInfo(_ connectionString: String) -> Substring? {
        guard let scheme = connectionString.range(of: "://") else { return nil }
        let rest = connectionString[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        return authority[..<at]
    }

    /// The raw values of `name=value` pairs, both in key/value strings and in URI queries.
    private static func keywordValues(named name: String, in connectionString: String) -> [String] {
        var values: [String] = []
        var searchStart = connectionString.startIndex
        while let match = connectionString.range(of: name, range: searchStart..<connectionString.endIndex) {
            searchStart = match.upperBound
            var cursor = match.upperBound
            while cursor < connectionString.endIndex, connectionString[cursor] == " " {
                cursor = connectionString.index(after: cursor)
            }
            guard cursor < connectionString.endIndex, connectionString[cursor] == "=" else { continue }
            cursor = connectionString.index(after: cursor)
            while cursor < connectionString.endIndex, connectionString[cursor] == " " {
                cursor = connectionString.index(after: cursor)
            }
            let value = connectionString[cursor...].prefix { $0 != " " && $0 != "&" }
            values.append(String(value))
            let unquoted = value.trimmingPrefix("'")
            values.append(String(unquoted.hasSuffix("'") ? unquoted.dropLast() : unquoted))
        }
        return values
    }
}

extension String {
    fileprivate func range(of needle: String, range: Range<String.Index>? = nil) -> Range<String.Index>? {
        self[range ?? startIndex..<endIndex].firstRange(of: needle)
    }
}
