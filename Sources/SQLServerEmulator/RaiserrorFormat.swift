/// RAISERROR's printf-style message formatting:
/// `% [flags] [width] [.precision] [h|l] type`, with flags `-`, `+`, `0`, ` ` and `#`, a `*`
/// width or precision taken from the next argument, and the types `d`/`i` (signed), `u`, `o`,
/// `x`/`X` (integers) and `s` (string). `%%` is a percent sign; a NULL argument prints `(null)`.
/// Arguments missing for a specification print `(null)` as well, and specifications SQL Server
/// does not know are copied as they are.
enum RaiserrorFormat {
    /// Formats `format` with the arguments, given as their text (nil for NULL).
    static func format(_ format: String, arguments: [String?]) -> String {
        var output = ""
        var remaining = arguments[...]
        let characters = Array(format)
        var index = 0
        func nextArgument() -> String? {
            guard let first = remaining.first else { return nil }
            remaining = remaining.dropFirst()
            return first
        }
        while index < characters.count {
            let character = characters[index]
            guard character == "%" else {
                output.append(character)
                index += 1
                continue
            }
            let start = index
            index += 1
            if index < characters.count, characters[index] == "%" {
                output.append("%")
                index += 1
                continue
            }
            var flags = Set<Character>()
            while index < characters.count, "-+0 #".contains(characters[index]) {
                flags.insert(characters[index])
                index += 1
            }
            var width: Int?
            if index < characters.count, characters[index] == "*" {
                width = nextArgument().flatMap { Int($0) }
                index += 1
            } else {
                var digits = ""
                while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                    digits.append(characters[index])
                    index += 1
                }
                width = Int(digits)
            }
            var precision: Int?
            if index < characters.count, characters[index] == "." {
                index += 1
                if index < characters.count, characters[index] == "*" {
                    precision = nextArgument().flatMap { Int($0) }
                    index += 1
                } else {
                    var digits = ""
                    while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                        digits.append(characters[index])
                        index += 1
                    }
                    precision = Int(digits) ?? 0
                }
            }
            // Size modifiers change nothing for the emulator's 64-bit integers.
            if index + 2 < characters.count, String(characters[index..<(index + 3)]) == "I64" {
                index += 3
            } else if index < characters.count, characters[index] == "h" || characters[index] == "l" {
                index += 1
            }
            guard index < characters.count, "diouxXs".contains(characters[index]) else {
                output += String(characters[start..<min(index, characters.count)])
                continue
            }
            let type = characters[index]
            index += 1
            let argument = nextArgument()
            var text: String
            if let argument {
                text = type == "s" ? argument : integerText(argument, type: type, flags: flags)
                if type == "s", let precision { text = String(text.prefix(precision)) }
            } else {
                text = "(null)"
            }
            if let width, text.count < width {
                let padding = width - text.count
                if flags.contains("-") {
                    text += String(repeating: " ", count: padding)
                } else if flags.contains("0"), type != "s", argument != nil {
                    let sign = text.first == "-" || text.first == "+" ? String(text.removeFirst()) : ""
                    text = sign + String(repeating: "0", count: padding) + text
                } else {
                    text = String(repeating: " ", count: padding) + text
                }
            }
            output += text
        }
        return output
    }

    private static func integerText(_ argument: String, type: Character, flags: Set<Character>) -> String {
        guard let value = Int64(argument.trimmingSpaces()) ?? Double(argument.trimmingSpaces()).map({ Int64($0) }) else {
            return argument
        }
        switch type {
        case "u": return String(UInt32(truncatingIfNeeded: value))
        case "o": return (flags.contains("#") && value != 0 ? "0" : "") + String(UInt32(truncatingIfNeeded: value), radix: 8)
        case "x": return (flags.contains("#") && value != 0 ? "0x" : "") + String(UInt32(truncatingIfNeeded: value), radix: 16)
        case "X": return (flags.contains("#") && value != 0 ? "0X" : "") + String(UInt32(truncatingIfNeeded: value), radix: 16).uppercased()
        default:
            if value >= 0, flags.contains("+") { return "+" + String(value) }
            if value >= 0, flags.contains(" ") { return " " + String(value) }
            return String(value)
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
