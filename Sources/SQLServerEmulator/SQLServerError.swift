/// An error as SQL Server reports it: message number, severity (class), state, text, line and
/// procedure. The emulator never shows PostgreSQL's own messages: every failure is mapped to the
/// number and wording SQL Server uses.
public struct SQLServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SQL Server's message number as a matchable value.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The number (`sys.messages.message_id`).
        public let number: Int
        /// Wraps a message number.
        public init(_ number: Int) { self.number = number }

        /// 102: incorrect syntax.
        public static let incorrectSyntax = Code(102)
        /// 131: a declared size exceeds the type's maximum.
        public static let sizeExceedsMaximum = Code(131)
        /// 156: incorrect syntax near a keyword.
        public static let incorrectSyntaxNearKeyword = Code(156)
        /// 207: invalid column name.
        public static let invalidColumnName = Code(207)
        /// 208: invalid object name.
        public static let invalidObjectName = Code(208)
        /// 209: ambiguous column name.
        public static let ambiguousColumnName = Code(209)
        /// 213: column name or number of supplied values does not match table definition.
        public static let valueCountMismatch = Code(213)
        /// 245: conversion failed.
        public static let conversionFailed = Code(245)
        /// 515: NULL into a NOT NULL column.
        public static let nullNotAllowed = Code(515)
        /// 544: explicit identity value while IDENTITY_INSERT is OFF.
        public static let identityInsertOff = Code(544)
        /// 545: no identity value while IDENTITY_INSERT is ON.
        public static let identityValueRequired = Code(545)
        /// 547: foreign key, reference or check constraint conflict.
        public static let constraintConflict = Code(547)
        /// 911: unknown database.
        public static let databaseDoesNotExist = Code(911)
        /// 1801: duplicate database.
        public static let databaseAlreadyExists = Code(1801)
        /// 2601: duplicate key in a unique index.
        public static let duplicateKeyInUniqueIndex = Code(2601)
        /// 2627: primary key or unique constraint violation.
        public static let uniqueConstraintViolation = Code(2627)
        /// 2628: string or binary data would be truncated (SQL Server 2019+ wording).
        public static let stringTruncation = Code(2628)
        /// 2705: a column name is repeated in a table.
        public static let duplicateColumnName = Code(2705)
        /// 2714: an object of that name already exists.
        public static let objectAlreadyExists = Code(2714)
        /// 2715: unknown data type.
        public static let unknownDataType = Code(2715)
        /// 2759: CREATE SCHEMA failed because the schema exists.
        public static let schemaAlreadyExists = Code(2759)
        /// 2812: unknown stored procedure.
        public static let storedProcedureNotFound = Code(2812)
        /// 3701: cannot drop an object that does not exist.
        public static let cannotDropObject = Code(3701)
        /// 3902: COMMIT without BEGIN TRANSACTION.
        public static let commitWithoutBegin = Code(3902)
        /// 3903: ROLLBACK without BEGIN TRANSACTION.
        public static let rollbackWithoutBegin = Code(3903)
        /// 6401: ROLLBACK to an unknown savepoint.
        public static let savepointNotFound = Code(6401)
        /// 8101: explicit identity value without a column list.
        public static let identityNeedsColumnList = Code(8101)
        /// 8107: IDENTITY_INSERT already ON for another table.
        public static let identityInsertAlreadyOn = Code(8107)
        /// 8115: arithmetic overflow.
        public static let arithmeticOverflow = Code(8115)
        /// 8134: divide by zero.
        public static let divideByZero = Code(8134)
        /// 137: undeclared variable.
        public static let undeclaredVariable = Code(137)
        /// 134: variable declared twice.
        public static let variableRedeclared = Code(134)
        /// 40517: "Keyword or statement option '…' is not supported in this version of SQL Server."
        /// (Azure SQL's message), used for every statement the emulator does not run.
        public static let featureNotSupported = Code(40517)
        /// 4902: ALTER TABLE on an unknown table.
        public static let alterTableObjectNotFound = Code(4902)
        /// 4924: ALTER TABLE DROP COLUMN of an unknown column.
        public static let dropColumnNotFound = Code(4924)
        /// 1913: an index of that name already exists on the table.
        public static let indexAlreadyExists = Code(1913)
        /// 1911: an index key column does not exist.
        public static let indexColumnNotFound = Code(1911)
        /// 1767: a foreign key references an unknown table.
        public static let foreignKeyInvalidTable = Code(1767)

        /// `Msg <number>`.
        public var description: String { "Msg \(number)" }
    }

    /// The message number.
    public var code: Code
    /// The severity (class): 16 for most user errors, 14 for duplicate keys, 15 for syntax.
    public var severity: Int
    /// The state.
    public var state: Int
    /// The message text exactly as SQL Server words it.
    public var message: String
    /// The 1-based line of the batch (or procedure) where the statement starts.
    public var line: Int
    /// The procedure the error was raised in, if any.
    public var procedure: String?
    /// Whether the error ends the whole batch (compile and conversion errors) rather than only the
    /// statement (constraint violations and the like).
    public var abortsBatch: Bool
    /// What the emulator was doing, for logs (never shown as the message).
    public var context: String?
    /// Whether the line and procedure have been set (by the innermost statement that failed).
    var isLocated = false

    /// Creates an error.
    public init(
        code: Code, severity: Int = 16, state: Int = 1, message: String, line: Int = 1, procedure: String? = nil,
        abortsBatch: Bool = false, context: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.state = state
        self.message = message
        self.line = line
        self.procedure = procedure
        self.abortsBatch = abortsBatch
        self.context = context
    }

    /// The message number.
    public var number: Int { code.number }

    /// No SQL Server error here goes away by resending the same batch unchanged.
    public var isRetriable: Bool { false }

    /// `Msg N, Level L, State S, Line X` (with `Procedure P, ` when set), a newline, the text.
    public var description: String {
        let place = procedure.map { "Procedure \($0), " } ?? ""
        return "Msg \(number), Level \(severity), State \(state), \(place)Line \(line)\n\(message)"
    }
}

// MARK: - More message numbers

extension SQLServerError.Code {
    /// 4104: a qualified column whose table is not in scope.
    static let multiPartIdentifierNotBound = SQLServerError.Code(4104)
    /// 195: not a built-in function.
    static let unknownFunction = SQLServerError.Code(195)
    /// 271: a computed column cannot be assigned.
    static let computedColumnNotModifiable = SQLServerError.Code(271)
    /// 8102: an identity column cannot be updated.
    static let identityNotUpdatable = SQLServerError.Code(8102)
    /// 109/110: INSERT column and value counts differ.
    static let moreColumnsThanValues = SQLServerError.Code(109)
    static let fewerColumnsThanValues = SQLServerError.Code(110)
}

// MARK: - Messages

extension SQLServerError {
    static func invalidObjectName(_ name: String) -> SQLServerError {
        SQLServerError(code: .invalidObjectName, message: "Invalid object name '\(name)'.", abortsBatch: true)
    }

    static func invalidColumnName(_ name: String) -> SQLServerError {
        SQLServerError(code: .invalidColumnName, message: "Invalid column name '\(name)'.", abortsBatch: true)
    }

    static func ambiguousColumnName(_ name: String) -> SQLServerError {
        SQLServerError(code: .ambiguousColumnName, message: "Ambiguous column name '\(name)'.", abortsBatch: true)
    }

    static func sizeExceedsMaximum(size: Int, column: String, maximum: Int) -> SQLServerError {
        SQLServerError(
            code: .sizeExceedsMaximum, severity: 15,
            message: "The size (\(size)) given to the column '\(column)' exceeds the maximum allowed for any data type (\(maximum)).",
            abortsBatch: true)
    }

    static func unknownDataType(_ name: String, position: Int) -> SQLServerError {
        SQLServerError(
            code: .unknownDataType,
            message: "Column, parameter, or variable #\(position): Cannot find data type \(name).", abortsBatch: true)
    }

    static func objectAlreadyExists(_ name: String) -> SQLServerError {
        SQLServerError(code: .objectAlreadyExists, message: "There is already an object named '\(name)' in the database.")
    }

    static func databaseDoesNotExist(_ name: String) -> SQLServerError {
        SQLServerError(
            code: .databaseDoesNotExist,
            message: "Database '\(name)' does not exist. Make sure that the name is entered correctly.")
    }

    static func databaseAlreadyExists(_ name: String) -> SQLServerError {
        SQLServerError(
            code: .databaseAlreadyExists,
            message: "Database '\(name)' already exists. Choose a different database name.")
    }

    static func schemaAlreadyExists(_ name: String) -> SQLServerError {
        SQLServerError(
            code: .objectAlreadyExists, message: "There is already an object named '\(name)' in the database.")
    }

    static func identityInsertOff(table: String) -> SQLServerError {
        SQLServerError(
            code: .identityInsertOff,
            message: "Cannot insert explicit value for identity column in table '\(table)' when IDENTITY_INSERT is set to OFF.")
    }

    static func identityValueRequired(table: String) -> SQLServerError {
        SQLServerError(
            code: .identityValueRequired,
            message: "Explicit value must be specified for identity column in table '\(table)' either when IDENTITY_INSERT is set to ON or when a replication user is inserting into a NOT FOR REPLICATION identity column.")
    }

    static func valueCountMismatch() -> SQLServerError {
        SQLServerError(
            code: .valueCountMismatch,
            message: "Column name or number of supplied values does not match table definition.", abortsBatch: true)
    }

    static func commitWithoutBegin() -> SQLServerError {
        SQLServerError(
            code: .commitWithoutBegin, message: "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.")
    }

    static func rollbackWithoutBegin() -> SQLServerError {
        SQLServerError(
            code: .rollbackWithoutBegin,
            message: "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.")
    }

    static func cannotDrop(kind: String, name: String) -> SQLServerError {
        SQLServerError(
            code: .cannotDropObject,
            message: "Cannot drop the \(kind) '\(name)', because it does not exist or you do not have permission.")
    }

    static func undeclaredVariable(_ name: String) -> SQLServerError {
        SQLServerError(
            code: .undeclaredVariable, severity: 15, message: "Must declare the scalar variable \"\(name)\".",
            abortsBatch: true)
    }

    static func notSupported(_ keyword: String) -> SQLServerError {
        SQLServerError(
            code: .featureNotSupported, severity: 16,
            message: "Keyword or statement option '\(keyword)' is not supported in this version of SQL Server.",
            abortsBatch: true)
    }

    static func divideByZero() -> SQLServerError {
        SQLServerError(code: .divideByZero, message: "Divide by zero error encountered.", abortsBatch: true)
    }
}
