/// Why a validation could not run (not a mismatch: mismatches are results, see ``TableValidationResult``).
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The table has no key to match rows on.
        public static let noKey = Code("noKey")
        /// A value read from one side does not fit the column's type.
        public static let unreadableValue = Code("unreadableValue")
        /// A query on the source or the target failed.
        public static let queryFailed = Code("queryFailed")
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, naming the table or column at fault.
    public let message: String
    /// Details (table, column, side).
    public let context: [String: String]
    /// Whether trying again may succeed (a lost connection does, a missing key does not).
    public let isRetriable: Bool

    /// Makes an error.
    public init(_ code: Code, _ message: String, context: [String: String] = [:], isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.context = context
        self.isRetriable = isRetriable
    }

    public var description: String { message }
}
