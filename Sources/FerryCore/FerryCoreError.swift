/// An error from Ferry's value model: a declaration that does not parse, a value that does not
/// fit its column, or an event that is malformed or of an unknown version.
public struct FerryCoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A type declaration such as `nvarchar(50)` is not a valid SQL Server type.
        public static let invalidDeclaration = Code("invalidDeclaration")
        /// A value is outside the range its SQL Server type can hold.
        public static let valueOutOfRange = Code("valueOutOfRange")
        /// A value's kind does not match its column's type (a string for an `int` column).
        public static let typeMismatch = Code("typeMismatch")
        /// A table schema, row or event contradicts itself (duplicate or unknown column, missing image).
        public static let invalidEvent = Code("invalidEvent")
        /// The bytes are not valid JSON.
        public static let malformedJSON = Code("malformedJSON")
        /// A required field is missing from an event.
        public static let missingField = Code("missingField")
        /// A field is present but does not hold what was expected.
        public static let invalidField = Code("invalidField")
        /// The event was written by a format version this build does not understand.
        public static let unknownVersion = Code("unknownVersion")
        /// The event carries no type information for a column (no table schema, no `schema` part).
        public static let missingTypeInformation = Code("missingTypeInformation")
        /// A topic name would contain characters Kafka does not accept, or be ambiguous.
        public static let invalidTopicName = Code("invalidTopicName")
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people, naming the field or thing at fault and what was expected.
    public var message: String
    /// Where it happened: topic, table, column, field path.
    public var context: [String: String]
    /// Always `false` today: a value-model error is a property of the data, retrying cannot help.
    public var isRetriable: Bool

    /// Makes an error.
    public init(_ code: Code, _ message: String, context: [String: String] = [:], isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.context = context
        self.isRetriable = isRetriable
    }

    /// The same error with more context; existing keys win, so the innermost detail is kept.
    func adding(_ extra: [String: String]) -> FerryCoreError {
        var copy = self
        copy.context.merge(extra) { inner, _ in inner }
        return copy
    }

    public var description: String {
        guard !context.isEmpty else { return "\(code): \(message)" }
        let details = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(code): \(message) (\(details))"
    }
}
