/// A problem in a DMS task settings or table mappings document: malformed JSON, a missing or
/// invalid field, a rule Ferry cannot honour, or a rule that does not fit the table it applies to.
///
/// The message always names the field path (`FullLoadSettings.CommitRate`,
/// `rules[2].filters[0].filter-conditions[1].value`) and, for table mappings, the rule id.
public struct TaskConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file could not be read.
        public static let unreadableFile = Code("unreadableFile")
        /// The bytes are not valid JSON.
        public static let malformedJSON = Code("malformedJSON")
        /// A required field is absent.
        public static let missingField = Code("missingField")
        /// A field is present but does not hold an acceptable value.
        public static let invalidField = Code("invalidField")
        /// A DMS feature that changes data or target shape which Ferry does not implement (data
        /// masking, before-image columns, SQLite expression functions): refused rather than ignored.
        public static let unsupportedFeature = Code("unsupportedFeature")
        /// A rule names a column the table does not have, or two rules produce the same target column.
        public static let ruleDoesNotFit = Code("ruleDoesNotFit")
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people, naming the rule, field and what was expected.
    public var message: String
    /// The field path at fault (`TargetMetadata.LobMaxSize`, `rules[1].object-locator.table-name`); empty for the document.
    public var field: String
    /// The `rule-id` of the table-mapping rule at fault, if any.
    public var ruleID: String?
    /// The file the document came from, once a loader knows it.
    public var file: String?
    /// More detail: table, column, value.
    public var context: [String: String]
    /// Always `false`: a configuration error stays until the file is fixed.
    public var isRetriable: Bool { false }

    /// Makes an error.
    public init(_ code: Code, _ message: String, field: String, ruleID: String? = nil, file: String? = nil, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.field = field
        self.ruleID = ruleID
        self.file = file
        self.context = context
    }

    /// The same error attributed to `file`.
    public func inFile(_ file: String) -> TaskConfigurationError {
        var copy = self
        copy.file = file
        return copy
    }

    /// `file: rule 3: 'rules[2].value' …`; the code and context follow in parentheses.
    public var description: String {
        var text = ""
        if let file { text += "\(file): " }
        text += message
        var details = context
        details["code"] = code.description
        if !field.isEmpty { details["field"] = field }
        let rendered = details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return text + " (" + rendered + ")"
    }
}
