/// One parsed statement with where it came from.
public struct TSQLStatement: Hashable, Sendable {
    /// What the statement says.
    public var kind: Statement
    /// Where the statement's first token starts (SQL Server reports errors at this line).
    public var location: SourcePosition
    /// The statement's exact source text, from its first token to its last (the terminating `;`
    /// excluded). `ddl_history` and `sys.sql_modules` record this.
    public var sourceText: String

    /// Creates a statement.
    public init(kind: Statement, location: SourcePosition = .start, sourceText: String = "") {
        self.kind = kind
        self.location = location
        self.sourceText = sourceText
    }
}

/// A parsed batch: its statements in order.
public struct TSQLBatch: Hashable, Sendable {
    /// The statements.
    public var statements: [TSQLStatement]
    /// The batch's source text.
    public var source: String

    /// Creates a batch.
    public init(statements: [TSQLStatement], source: String) {
        self.statements = statements
        self.source = source
    }
}

/// Every statement form the emulator runs.
public indirect enum Statement: Hashable, Sendable {
    // MARK: Queries and DML
    /// `[WITH …] SELECT …`.
    case select(Query)
    /// `INSERT`.
    case insert(InsertStatement)
    /// `UPDATE`.
    case update(UpdateStatement)
    /// `DELETE`.
    case delete(DeleteStatement)
    /// `MERGE`.
    case merge(MergeStatement)

    // MARK: DDL
    /// `CREATE DATABASE name`.
    case createDatabase(name: Identifier)
    /// `ALTER DATABASE name|CURRENT SET option value, … [WITH termination]`.
    case alterDatabase(AlterDatabaseStatement)
    /// `USE name`.
    case use(database: Identifier)
    /// `CREATE SCHEMA name [AUTHORIZATION owner]`.
    case createSchema(name: Identifier, authorization: Identifier?)
    /// `CREATE TYPE name FROM base_type [NULL|NOT NULL]`.
    case createType(CreateTypeStatement)
    /// `CREATE TABLE`.
    case createTable(CreateTableStatement)
    /// `CREATE INDEX`.
    case createIndex(CreateIndexStatement)
    /// `CREATE|ALTER|CREATE OR ALTER VIEW`.
    case createView(CreateViewStatement)
    /// `CREATE|ALTER|CREATE OR ALTER PROCEDURE`.
    case createProcedure(CreateProcedureStatement)
    /// `CREATE SEQUENCE`.
    case createSequence(CreateSequenceStatement)
    /// `CREATE|ALTER|CREATE OR ALTER TRIGGER` (DML triggers).
    case createTrigger(CreateTriggerStatement)
    /// `CREATE|ALTER|CREATE OR ALTER FUNCTION`.
    case createFunction(CreateFunctionStatement)
    /// `ALTER TABLE`.
    case alterTable(AlterTableStatement)
    /// `DROP TABLE|VIEW|PROCEDURE|FUNCTION|TRIGGER|SEQUENCE|INDEX|TYPE|SCHEMA|DATABASE [IF EXISTS] …`.
    case drop(DropStatement)
    /// `TRUNCATE TABLE name`.
    case truncateTable(ObjectName)

    // MARK: Execution
    /// `EXEC [@rc =] procedure arguments`; also a batch's first statement without `EXEC`.
    case execute(ExecuteStatement)
    /// `EXEC (string_expression)`: dynamic SQL.
    case executeString(Expression)

    // MARK: Transactions and session
    /// `BEGIN TRAN[SACTION] [name]`.
    case beginTransaction(name: String?)
    /// `COMMIT [TRAN[SACTION] [name] | WORK] [WITH (DELAYED_DURABILITY = ON|OFF)]`; the option is
    /// `nil` when absent.
    case commitTransaction(name: String?, delayedDurability: Bool? = nil)
    /// `ROLLBACK [TRAN[SACTION] [name] | WORK]`.
    case rollbackTransaction(name: String?)
    /// `SAVE TRAN[SACTION] name`.
    case saveTransaction(name: String)
    /// `SET TRANSACTION ISOLATION LEVEL …`.
    case setTransactionIsolationLevel(IsolationLevel)
    /// `SET IDENTITY_INSERT table ON|OFF`.
    case setIdentityInsert(table: ObjectName, isOn: Bool)
    /// `SET NOCOUNT ON`, `SET ANSI_NULLS, QUOTED_IDENTIFIER ON`, `SET TEXTSIZE 2048`,
    /// `SET DATEFORMAT ymd`…: option names upper-cased (`STATISTICS IO` is one name).
    case setOption(names: [String], value: OptionValue)

    // MARK: Procedural
    /// `DECLARE @a type [= value], …`.
    case declare([VariableDeclaration])
    /// `DECLARE @t TABLE (…)`.
    case declareTable(variable: String, elements: [TableElement])
    /// `SET @v = value` (or a compound operator).
    case setVariable(variable: String, AssignmentOperator, Expression)
    /// `IF condition statement [ELSE statement]`.
    case `if`(condition: Expression, then: TSQLStatement, else: TSQLStatement?)
    /// `BEGIN … END`.
    case block([TSQLStatement])
    /// `WHILE condition statement`.
    case `while`(condition: Expression, body: TSQLStatement)
    /// `BREAK`.
    case `break`
    /// `CONTINUE`.
    case `continue`
    /// `RETURN [value]`.
    case `return`(Expression?)
    /// `PRINT value`.
    case print(Expression)
    /// `RAISERROR (message, severity, state [, args…]) [WITH options]`.
    case raiserror(RaiserrorStatement)
    /// `THROW number, message, state`, or a bare `THROW` (re-throw in CATCH) with `nil`.
    case `throw`(ThrowArguments?)
    /// `BEGIN TRY … END TRY BEGIN CATCH … END CATCH`.
    case tryCatch(try: [TSQLStatement], catch: [TSQLStatement])
    /// `WAITFOR DELAY|TIME value`.
    case waitFor(isDelay: Bool, Expression)
}

/// `ON`, `OFF`, a word (`ymd`, `us_english`, `IMMEDIATE`) or a value (`2048`, `'…'`).
public enum OptionValue: Hashable, Sendable {
    case on, off
    /// A bare word, upper-cased.
    case word(String)
    /// A constant or variable.
    case expression(Expression)
}

/// A transaction isolation level.
public enum IsolationLevel: String, Hashable, Sendable, CaseIterable {
    case readUncommitted = "READ UNCOMMITTED", readCommitted = "READ COMMITTED",
        repeatableRead = "REPEATABLE READ", snapshot = "SNAPSHOT", serializable = "SERIALIZABLE"
}

/// `@name [AS] type [= value]`.
public struct VariableDeclaration: Hashable, Sendable {
    /// The variable, with its `@`.
    public var name: String
    /// Its type.
    public var type: DataType
    /// Its initial value.
    public var initialValue: Expression?

    /// Creates a declaration.
    public init(name: String, type: DataType, initialValue: Expression? = nil) {
        self.name = name
        self.type = type
        self.initialValue = initialValue
    }
}

/// `THROW number, message, state`.
public struct ThrowArguments: Hashable, Sendable {
    /// The error number (50000 or more).
    public var number: Expression
    /// The message.
    public var message: Expression
    /// The state.
    public var state: Expression

    /// Creates the arguments.
    public init(number: Expression, message: Expression, state: Expression) {
        self.number = number
        self.message = message
        self.state = state
    }
}

/// `RAISERROR (message, severity, state [, argument…]) [WITH LOG|NOWAIT|SETERROR]`.
public struct RaiserrorStatement: Hashable, Sendable {
    /// A message number, a message string or a variable.
    public var message: Expression
    /// The severity.
    public var severity: Expression
    /// The state.
    public var state: Expression
    /// Substitution arguments for the message's `%d`, `%s`…
    public var arguments: [Expression]
    /// `WITH` options, upper-cased.
    public var options: [String]

    /// Creates the statement.
    public init(
        message: Expression, severity: Expression, state: Expression, arguments: [Expression] = [],
        options: [String] = []
    ) {
        self.message = message
        self.severity = severity
        self.state = state
        self.arguments = arguments
        self.options = options
    }
}

/// `EXEC [@rc =] procedure [argument, …]`.
public struct ExecuteStatement: Hashable, Sendable {
    /// The procedure: a name, or a variable holding one.
    public enum Procedure: Hashable, Sendable {
        case name(ObjectName)
        case variable(String)
    }

    /// The variable receiving the return code: `EXEC @rc = p`.
    public var returnVariable: String?
    /// The procedure.
    public var procedure: Procedure
    /// The arguments.
    public var arguments: [ExecuteArgument]
    /// Whether `EXEC`/`EXECUTE` was omitted (a batch's first statement may omit it).
    public var isImplicit: Bool

    /// Creates the statement.
    public init(
        returnVariable: String? = nil, procedure: Procedure, arguments: [ExecuteArgument] = [],
        isImplicit: Bool = false
    ) {
        self.returnVariable = returnVariable
        self.procedure = procedure
        self.arguments = arguments
        self.isImplicit = isImplicit
    }
}

/// `[@parameter =] value [OUTPUT]`.
///
/// SQL Server takes a bare word argument (`EXEC sp_help Employee`) as a string: it parses to an
/// `N'…'` literal.
public struct ExecuteArgument: Hashable, Sendable {
    /// The parameter name with its `@`, for a named argument.
    public var name: String?
    /// The value (`.default` for `DEFAULT`).
    public var value: Expression
    /// `OUTPUT`/`OUT`.
    public var isOutput: Bool

    /// Creates an argument.
    public init(name: String? = nil, value: Expression, isOutput: Bool = false) {
        self.name = name
        self.value = value
        self.isOutput = isOutput
    }
}

/// `ALTER DATABASE name|CURRENT SET option value, … [WITH ROLLBACK IMMEDIATE|NO_WAIT|…]`.
public struct AlterDatabaseStatement: Hashable, Sendable {
    /// The database; `nil` for `CURRENT`.
    public var database: Identifier?
    /// The options set, names upper-cased: `ALLOW_SNAPSHOT_ISOLATION`, `READ_COMMITTED_SNAPSHOT`.
    public var options: [Option]
    /// The termination clause as upper-cased words (`ROLLBACK IMMEDIATE`), if any.
    public var termination: String?

    /// `name value`.
    public struct Option: Hashable, Sendable {
        /// The option name, upper-cased.
        public var name: String
        /// Its value; `nil` for options that are a bare word (`SINGLE_USER`).
        public var value: OptionValue?
        /// Creates an option.
        public init(name: String, value: OptionValue?) {
            self.name = name.uppercased()
            self.value = value
        }
    }

    /// Creates the statement.
    public init(database: Identifier?, options: [Option], termination: String? = nil) {
        self.database = database
        self.options = options
        self.termination = termination
    }
}
