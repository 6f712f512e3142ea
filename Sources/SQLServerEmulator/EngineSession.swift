import Logging
import Postgres
import TSQL

/// One client's session: its current database, transaction nesting (`@@TRANCOUNT`), SET options
/// and variables, and the PostgreSQL connection it runs on.
///
/// A batch runs statement by statement. An error that ends only its statement (a duplicate key, a
/// NULL into a NOT NULL column, a constraint conflict) is reported and the batch goes on; an error
/// that aborts the batch (a compile error such as an invalid object or column name, a conversion
/// failure, a divide by zero under the default ARITHABORT ON) ends it. As in SQL Server with
/// XACT_ABORT OFF, neither rolls back an open transaction: each statement runs under a savepoint.
public actor EngineSession {
    let connection: PostgresConnection
    let catalog: Catalog
    let logger: Logger

    /// The current database.
    public internal(set) var database: SessionDatabase
    var databaseRecord: DatabaseRecord
    /// `@@TRANCOUNT`.
    public internal(set) var transactionCount = 0
    /// Savepoint names of `SAVE TRANSACTION`, innermost last.
    var savepoints: [String] = []
    /// `SET NOCOUNT`.
    public internal(set) var noCount = false
    /// The table with `IDENTITY_INSERT ON` (object id and name), if any.
    var identityInsertTable: (databaseID: Int, objectID: Int, name: String)?
    /// `@@ROWCOUNT`.
    var rowCount = 0
    /// `@@ERROR`.
    var lastError = 0
    /// `@@IDENTITY` / `SCOPE_IDENTITY()`, as text.
    var lastIdentity: String?
    /// Local variables, by lower-cased name with `@`.
    var variables: [String: Variable] = [:]
    /// Other SET options, upper-cased name to value.
    var options: [String: String] = [:]
    /// How many TRY blocks enclose the running statement: errors then go to the CATCH block.
    var tryDepth = 0
    /// The errors being handled by the enclosing CATCH blocks, innermost last.
    var caughtErrors: [SQLServerError] = []
    /// The procedures running, innermost last (errors name the innermost).
    var procedureStack: [String] = []
    /// The value of the running procedure's RETURN.
    var returnStatus = 0
    /// `SET TRANSACTION ISOLATION LEVEL`.
    var isolationLevel = IsolationLevel.readCommitted
    /// `SET LOCK_TIMEOUT` in milliseconds (`@@LOCK_TIMEOUT`); -1 waits forever.
    var lockTimeout = -1
    /// The table locks the statement being translated asks for with table hints.
    let tableLocks = TableLockCollector()
    /// Where the running request streams its results, if it does (see ``EngineOutput``).
    var output: (any EngineOutput)?
    /// Whether the results so far told the client a transaction is open.
    var reportedInTransaction = false
    /// How the transaction that ends next ends, for ``TransactionChange``.
    var transactionEnding = TransactionChange.committed
    /// Rows fetched from PostgreSQL per round trip when a result set is streamed.
    public static let streamingChunkSize = 1000

    init(connection: PostgresConnection, database: DatabaseRecord, logger: Logger) {
        self.connection = connection
        self.catalog = Catalog(connection: connection)
        self.databaseRecord = database
        self.database = SessionDatabase(id: database.id, name: database.name)
        self.logger = logger
    }

    /// Closes the PostgreSQL connection; an open transaction is rolled back.
    public func close() async {
        await connection.close()
    }

    /// Runs one batch and returns what SQL Server would send back, in order (every result set
    /// materialized; use ``execute(batch:output:)`` for large results).
    ///
    /// Errors SQL Server reports (syntax, name resolution, constraint violations, …) are results
    /// (``EngineResult/error(_:)``), not thrown.
    ///
    /// - Throws: ``PostgresError`` only when PostgreSQL itself fails (the connection is lost).
    public func execute(batch source: String) async throws -> [EngineResult] {
        var results: [EngineResult] = []
        try await runBatch(source, into: &results)
        return results.filter { if case .transaction = $0 { false } else { true } }
    }

    /// Runs one batch, sending its results to `output` as they are produced: result sets are read
    /// from PostgreSQL a chunk at a time and never held whole.
    ///
    /// - Throws: whatever `output` throws (a cancelled client), after the running statement was
    ///   rolled back; ``PostgresError`` when PostgreSQL itself fails.
    public func execute(batch source: String, output: any EngineOutput) async throws {
        self.output = output
        defer { self.output = nil }
        var results: [EngineResult] = []
        try await runBatch(source, into: &results)
        try await flush(&results)
    }

    private func runBatch(_ source: String, into results: inout [EngineResult]) async throws {
        let batch: TSQLBatch
        do {
            batch = try TSQLParser.parse(source)
        } catch {
            results.append(.error(SQLServerError(syntaxError: error)))
            return
        }
        variables = [:]
        do {
            _ = try await run(batch.statements, into: &results)
        } catch let abort as BatchAbort {
            _ = abort
        }
        noteTransactionState(into: &results)
    }

    /// Sends the results gathered so far to the streaming output, if there is one.
    func flush(_ results: inout [EngineResult]) async throws {
        guard let output else { return }
        for result in results { try await output.write(result) }
        results.removeAll(keepingCapacity: true)
    }

    /// Records a transaction that began or ended since the last look, where it happened.
    func noteTransactionState(into results: inout [EngineResult]) {
        let inTransaction = transactionCount > 0
        guard inTransaction != reportedInTransaction else { return }
        reportedInTransaction = inTransaction
        results.append(.transaction(inTransaction ? .began : transactionEnding))
    }

    // MARK: Running statements

    /// What a statement list asks its enclosing loop or batch to do next.
    enum Flow {
        case next, breakLoop, continueLoop, returnFromBatch
    }

    /// Thrown once an error that aborts the batch has been recorded.
    struct BatchAbort: Error {}

    func run(_ statements: [TSQLStatement], into results: inout [EngineResult]) async throws -> Flow {
        for statement in statements {
            let flow = try await run(statement, into: &results)
            if flow != .next { return flow }
        }
        return .next
    }

    func run(_ statement: TSQLStatement, into results: inout [EngineResult]) async throws -> Flow {
        do {
            let flow = try await dispatch(statement, into: &results)
            lastError = 0
            noteTransactionState(into: &results)
            return flow
        } catch var error as SQLServerError {
            // The innermost statement locates the error; enclosing EXEC statements leave it.
            if !error.isLocated {
                error.line = statement.location.line
                error.procedure = procedureStack.last
                error.isLocated = true
            }
            lastError = error.number
            rowCount = 0
            if tryDepth > 0 { throw error }
            results.append(.error(error))
            noteTransactionState(into: &results)
            if error.abortsBatch { throw BatchAbort() }
            return .next
        }
    }

    private func dispatch(_ statement: TSQLStatement, into results: inout [EngineResult]) async throws -> Flow {
        switch statement.kind {
        // Control of flow
        case .block(let statements):
            return try await run(statements, into: &results)
        case .if(let condition, let then, let otherwise):
            if try await evaluateCondition(condition) {
                return try await run(then, into: &results)
            } else if let otherwise {
                return try await run(otherwise, into: &results)
            }
            return .next
        case .while(let condition, let body):
            while try await evaluateCondition(condition) {
                let flow = try await run(body, into: &results)
                if flow == .breakLoop { break }
                if flow == .returnFromBatch { return flow }
            }
            return .next
        case .break: return .breakLoop
        case .continue: return .continueLoop
        case .return(let value):
            if let value { returnStatus = Int(try await evaluate(value, as: .int) ?? "0") ?? 0 }
            return .returnFromBatch
        case .declare(let declarations):
            try await declare(declarations)
        case .setVariable(let name, let op, let value):
            try await assign(name, op, value)
        case .print(let value):
            let text = try await evaluate(value, as: .nvarcharMax)
            results.append(.message(InfoMessage(number: 0, text: text ?? "", line: statement.location.line)))
        case .raiserror(let raiserror):
            if let message = try await raise(raiserror) {
                results.append(.message(InfoMessage(number: 50000, severity: message.severity, state: message.state, text: message.message, line: statement.location.line)))
            }
        case .throw(let arguments):
            try await throwError(arguments)
        case .setOption(let names, let value):
            if names.contains("LOCK_TIMEOUT") { try await setLockTimeout(value) }
            setOption(names.filter { $0 != "LOCK_TIMEOUT" }, value)
        case .setIdentityInsert(let table, let isOn):
            try await setIdentityInsert(table, isOn: isOn)
        case .setTransactionIsolationLevel(let level):
            setIsolationLevel(level)

        // Transactions
        case .beginTransaction:
            try await beginTransaction()
        case .commitTransaction(_, let delayedDurability):
            try await commitTransaction(delayedDurability: delayedDurability)
        case .rollbackTransaction(let name):
            try await rollbackTransaction(name: name)
        case .saveTransaction(let name):
            try await saveTransaction(name: name)

        // Databases and DDL
        case .createDatabase(let name):
            try await createDatabase(name.value)
        case .use(let name):
            try await use(name.value, into: &results, line: statement.location.line)
        case .createSchema(let name, _):
            try await atomically { try await self.createSchema(name.value) }
        case .createType(let create):
            try await atomically { try await self.createType(create) }
        case .createTable(let create):
            try await atomically { try await self.createTable(create) }
        case .alterTable(let alter):
            try await atomically(statementKind: "ALTER TABLE") { try await self.alterTable(alter) }
        case .drop(let drop):
            try await dropObjects(drop)
        case .truncateTable(let name):
            try await atomically { try await self.truncateTable(name) }
        case .createIndex(let create):
            try await atomically { try await self.createIndex(create) }

        // Queries and DML
        case .select(let query):
            try await select(query, into: &results)
        case .insert(let insert):
            let count = try await atomically(statementKind: "INSERT") { try await self.insert(insert) }
            reportRowCount(count, into: &results)
        case .update(let update):
            let count = try await atomically(statementKind: "UPDATE") { try await self.update(update) }
            reportRowCount(count, into: &results)
        case .delete(let delete):
            let count = try await atomically(statementKind: "DELETE") { try await self.delete(delete) }
            reportRowCount(count, into: &results)

        case .merge: throw SQLServerError.notSupported("MERGE")
        case .createView(let create):
            try await atomically { try await self.createView(create) }
        case .createProcedure(let create):
            try await atomically { try await self.createProcedure(create) }
        case .createSequence(let create):
            try await atomically { try await self.createSequence(create) }
        case .createTrigger(let create):
            try await atomically { try await self.createTrigger(create) }
        case .createFunction(let create):
            try await atomically { try await self.createFunction(create) }
        case .alterDatabase(let alter):
            try await atomically { try await self.alterDatabase(alter) }
        case .execute(let execute):
            try await executeProcedure(execute, into: &results)
        case .executeString: throw SQLServerError.notSupported("EXECUTE")
        case .declareTable: throw SQLServerError.notSupported("DECLARE TABLE")
        case .tryCatch(let tryBody, let catchBody):
            tryDepth += 1
            do {
                let flow = try await run(tryBody, into: &results)
                tryDepth -= 1
                return flow
            } catch let error as SQLServerError {
                tryDepth -= 1
                caughtErrors.append(error)
                do {
                    let flow = try await run(catchBody, into: &results)
                    caughtErrors.removeLast()
                    return flow
                } catch {
                    caughtErrors.removeLast()
                    throw error
                }
            } catch {
                tryDepth -= 1
                throw error
            }
        case .waitFor: throw SQLServerError.notSupported("WAITFOR")
        }
        return .next
    }

    func reportRowCount(_ count: Int, into results: inout [EngineResult]) {
        rowCount = count
        if !noCount { results.append(.rowCount(count)) }
    }

    private func setOption(_ names: [String], _ value: OptionValue) {
        for name in names {
            let text: String
            switch value {
            case .on: text = "ON"
            case .off: text = "OFF"
            case .word(let word): text = word
            case .expression(let expression): text = TSQLPrinter.print(expression)
            }
            if name == "NOCOUNT" { noCount = text == "ON" }
            options[name] = text
        }
    }

    // MARK: Translation context

    var translator: Translator {
        Translator(
            catalog: catalog,
            context: TranslationContext(
                database: databaseRecord, variables: variables,
                systemValues: [
                    "@@TRANCOUNT": (String(transactionCount), .int),
                    "@@ROWCOUNT": (String(rowCount), .int),
                    "@@ERROR": (String(lastError), .int),
                    "@@IDENTITY": (lastIdentity, .decimal(38, 0)),
                    "@@SPID": ("51", SQLServerType(.smallint)),
                    "@@VERSION": (
                        "Microsoft SQL Server 2019 (RTM) - 15.0.2000.5 (X64) (Ferry SQL Server emulator on PostgreSQL)",
                        .nvarchar(300)
                    ),
                    "@@SERVERNAME": ("ferry", .nvarchar(128)),
                    "@@NESTLEVEL": (String(procedureStack.count), .int),
                    "@@LOCK_TIMEOUT": (String(lockTimeout), .int),
                ],
                caughtError: caughtErrors.last, isSnapshot: isolationLevel == .snapshot, tableLocks: tableLocks))
    }
}

/// The current database of a session, as clients see it.
public struct SessionDatabase: Hashable, Sendable {
    /// `DB_ID()`.
    public var id: Int
    /// `DB_NAME()`.
    public var name: String
}

extension SQLServerError {
    /// The SQL Server error for a parse failure (102, 105, 111, 113, 156), which aborts the batch.
    init(syntaxError: TSQLSyntaxError) {
        self.init(
            code: Code(syntaxError.code.number), severity: syntaxError.severity, state: syntaxError.state,
            message: syntaxError.message, line: syntaxError.line, abortsBatch: true)
    }
}
