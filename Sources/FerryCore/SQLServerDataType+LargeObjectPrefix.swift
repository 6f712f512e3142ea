extension SQLServerDataType {
    /// The first `maxBytes` bytes of a string value as SQL Server stores it, or `nil` when the whole
    /// value fits: two bytes per UTF-16 code unit for the Unicode types (``isUnicode``) (a surrogate pair is never
    /// split, so the cut may keep one unit less), one byte per character otherwise.
    ///
    /// This is the one cut of DMS's limited LOB mode (`LobMaxSize`) and of partial LOB validation
    /// (`ValidationPartialLobSize`), so that a value the first produced compares equal under the second.
    public func storedPrefix(of text: String, maxBytes: Int) -> String? {
        let limit = max(0, maxBytes)
        guard isUnicode else {
            guard text.unicodeScalars.count > limit else { return nil }
            return String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit)))
        }
        let units = limit / 2
        guard text.utf16.count > units else { return nil }
        var kept = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let width = scalar.utf16.count
            guard used + width <= units else { break }
            kept.append(scalar)
            used += width
        }
        return String(kept)
    }
}
