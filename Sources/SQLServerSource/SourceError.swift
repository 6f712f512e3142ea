/// An error of the SQL Server source: a stable code, a message naming the table, capture instance,
/// setting or LSN at fault, context, and whether retrying may succeed.
public struct SourceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A setting is invalid (names the setting).
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// The database is not enabled for change data capture.
        public static let cdcNotEnabled = Code("cdcNotEnabled")
        /// A selected table has no capture instance (the message carries the `sp_cdc_enable_table` call).
        public static let tableNotCaptured = Code("tableNotCaptured")
        /// No table matches the selection rules.
        public static let noTablesSelected = Code("noTablesSelected")
        /// The stored position is older than what the change tables still hold.
        public static let changeDataGap = Code("changeDataGap")
        /// The change tables returned rows that break SQL Server's documented shape (an update
        /// before-image without its after-image, an unknown operation).
        public static let unexpectedChangeData = Code("unexpectedChangeData")
        /// A value could not be converted to its column's type.
        public static let valueConversion = Code("valueConversion")
        /// The stored checkpoint could not be read.
        public static let invalidCheckpoint = Code("invalidCheckpoint")
        /// A table's capture instance no longer matches its columns and Ferry may not rotate it.
        public static let captureInstanceOutdated = Code("captureInstanceOutdated")
        /// The snapshot could not take its brief shared lock on a table: a long-running writer holds it (names the table).
        public static let snapshotLockTimeout = Code("snapshotLockTimeout")
        /// The capture job did not pass the snapshot time in time: it is not running, or far behind.
        public static let captureNotRunning = Code("captureNotRunning")
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, naming the thing at fault.
    public var message: String
    /// Details: `table`, `capture_instance`, `lsn`, `setting`.
    public var context: [String: String]
    /// Whether the same operation may succeed later.
    public var isRetriable: Bool

    /// Makes an error.
    public init(_ code: Code, _ message: String, context: [String: String] = [:], isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.context = context
        self.isRetriable = isRetriable
    }

    public var description: String {
        guard !context.isEmpty else { return "\(code): \(message)" }
        let details = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(code): \(message) (\(details))"
    }
}
