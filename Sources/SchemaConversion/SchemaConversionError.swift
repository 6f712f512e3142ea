/// An error from `ferry convert`: the source catalog cannot be read, the target refuses the DDL,
/// or an option or file is unusable.
public struct SchemaConversionError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A source or target URL, or an option, is not usable (exit status 2).
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// The source catalog could not be read.
        public static let catalogReadFailed = Code("catalogReadFailed")
        /// The target refused the generated DDL; nothing was applied.
        public static let applyFailed = Code("applyFailed")
        /// The target's catalog could not be read for the diff.
        public static let targetReadFailed = Code("targetReadFailed")
        /// The report or script file could not be written.
        public static let outputFailed = Code("outputFailed")
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence naming the object, option, file or field at fault.
    public var message: String
    /// Where it happened: `table`, `option`, `file`, `statement`…
    public var context: [String: String]
    /// Whether trying again may help (a connection that broke, not a DDL the target refuses).
    public var isRetriable: Bool

    /// Makes an error.
    public init(_ code: Code, _ message: String, context: [String: String] = [:], isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.context = context
        self.isRetriable = isRetriable
    }

    /// The message, and the context sorted by key. Never includes a password.
    public var description: String {
        let details = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return details.isEmpty ? message : "\(message) (\(details))"
    }
}
