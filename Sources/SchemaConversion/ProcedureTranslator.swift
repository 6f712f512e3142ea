import FerryCore
import TSQL

/// Translates simple T-SQL procedures to PL/pgSQL procedures, statement by statement.
///
/// Safe rules only: parameters (`OUTPUT` → `INOUT`), `DECLARE`/`SET`, `IF`/`WHILE`/`BEGIN…END`,
/// `BREAK`/`CONTINUE`, `RETURN` without a value, single-table `INSERT`/`UPDATE`/`DELETE`, `PRINT`,
/// `THROW`/`RAISERROR`, and `SET NOCOUNT`. Anything else (result sets, transactions, TRY/CATCH,
/// cursors, dynamic SQL, temporary tables, `@@` functions) makes the whole procedure an action
/// item: a half-translated procedure would be worse than none.
struct ProcedureTranslator {
    let catalog: SourceCatalog
    let naming: ConversionNaming
    let schema: String
    var warnings: [String] = []
    /// `@name` (lower-cased) → PL/pgSQL name and kind.
    private var variables: [String: (name: String, kind: ValueKind)] = [:]
    private var declarations: [String] = []

    init(catalog: SourceCatalog, naming: ConversionNaming, schema: String) {
        self.catalog = catalog
        self.naming = naming
        self.schema = schema
    }

    mutating func translate(definition: String, target: String) throws(Untranslatable) -> String {
        let batch: TSQLBatch
        do {
            batch = try TSQLParser.parse(definition)
        } catch {
            throw Untranslatable("the definition does not parse: \(error)")
        }
        guard batch.statements.count == 1, case .createProcedure(let procedure) = batch.statements[0].kind else {
            throw Untranslatable("the definition is not a single CREATE PROCEDURE")
        }
        guard procedure.options.isEmpty else { throw Untranslatable("procedure options (\(procedure.options.joined(separator: ", "))) have no rule") }
        var parameters: [String] = []
        for parameter in procedure.parameters {
            guard !parameter.isReadOnly else { throw Untranslatable("table-valued parameter \(parameter.name)") }
            let type = try resolve(parameter.type)
            let name = "p_" + naming.object(String(parameter.name.dropFirst()))
            variables[parameter.name.lowercased()] = (name, type.kind)
            var text = (parameter.isOutput ? "INOUT " : "") + "\(PostgreSQLNames.quote(name)) \(type.declaration)"
            if let value = parameter.defaultValue {
                text += " DEFAULT " + (try expression(value, scope: TranslationScope()).sql)
            } else if parameters.contains(where: { $0.contains(" DEFAULT ") }) {
                throw Untranslatable("a parameter without a default after one with a default")
            }
            parameters.append(text)
        }
        var body: [String] = []
        for statement in procedure.body { body += try self.statement(statement, depth: 1) }
        var sql = "CREATE PROCEDURE \(target)(\(parameters.joined(separator: ", ")))\nLANGUAGE plpgsql\nAS $ferry$\n"
        if !declarations.isEmpty { sql += "DECLARE\n" + declarations.map { "    \($0);\n" }.joined() }
        sql += "BEGIN\n" + (body.isEmpty ? ["    NULL;"] : body).joined(separator: "\n") + "\nEND\n$ferry$"
        return sql
    }

    private func resolve(_ type: DataType) throws(Untranslatable) -> (declaration: String, kind: ValueKind) {
        if type.systemType == nil {
            let wanted = type.name.name.value.lowercased()
            if let alias = catalog.aliasTypes.first(where: { $0.name.lowercased() == wanted }) {
                return (alias.baseType.postgreSQLType.declaration, ValueKind(alias.baseType))
            }
        }
        return try ExpressionTranslator.targetType(type)
    }

    private mutating func expression(_ expression: Expression, scope: TranslationScope, against kind: ValueKind? = nil) throws(Untranslatable) -> TranslatedExpression {
        let rewritten = expression
        var translator = ExpressionTranslator()
        let result: TranslatedExpression
        if let kind {
            result = try translator.operand(rewritten, against: kind, scope: scope)
        } else {
            result = try translator.translate(rewritten, scope: scope)
        }
        warnings += translator.warnings
        return result
    }

    private func variableScope(parent: TranslationScope? = nil) -> TranslationScope {
        let scope = TranslationScope(parent: parent)
        scope.sources.append(.init(keys: ["@variables"], qualifier: nil, columns: variables))
        return scope
    }

    private func indent(_ depth: Int) -> String { String(repeating: "    ", count: depth) }

    private mutating func statement(_ statement: TSQLStatement, depth: Int) throws(Untranslatable) -> [String] {
        let pad = indent(depth)
        let scope = variableScope()
        switch statement.kind {
        case .setOption(let names, _):
            guard names.allSatisfy({ ["NOCOUNT", "XACT_ABORT", "ANSI_NULLS", "QUOTED_IDENTIFIER"].contains($0) }) else {
                throw Untranslatable("SET \(names.joined(separator: ", ")) has no rule")
            }
            return []
        case .declare(let list):
            var lines: [String] = []
            for declaration in list {
                let type = try resolve(declaration.type)
                let name = "v_" + naming.object(String(declaration.name.dropFirst()))
                guard variables[declaration.name.lowercased()] == nil else { throw Untranslatable("the variable \(declaration.name) is declared twice") }
                variables[declaration.name.lowercased()] = (name, type.kind)
                declarations.append("\(PostgreSQLNames.quote(name)) \(type.declaration)")
                // T-SQL initialises at the DECLARE's position each time it runs.
                var value = "NULL"
                if let initial = declaration.initialValue { value = try expression(initial, scope: variableScope(), against: type.kind).sql }
                lines.append("\(pad)\(PostgreSQLNames.quote(name)) := \(value);")
            }
            return lines
        case .setVariable(let variable, let op, let value):
            guard let target = variables[variable.lowercased()] else { throw Untranslatable("SET of the undeclared \(variable)") }
            let translated = try expression(value, scope: scope, against: target.kind).sql
            let name = PostgreSQLNames.quote(target.name)
            switch op {
            case .assign: return ["\(pad)\(name) := \(translated);"]
            case .add where target.kind == .string: return ["\(pad)\(name) := \(name) || \(translated);"]
            case .add, .subtract, .multiply, .divide:
                return ["\(pad)\(name) := \(name) \(String(op.rawValue.dropLast())) (\(translated));"]
            default: throw Untranslatable("SET \(variable) \(op.rawValue) has no rule")
            }
        case .if(let condition, let then, let otherwise):
            var lines = ["\(pad)IF \(try expression(condition, scope: scope).sql) THEN"]
            lines += try self.statement(then, depth: depth + 1)
            if let otherwise {
                lines.append("\(pad)ELSE")
                lines += try self.statement(otherwise, depth: depth + 1)
            }
            lines.append("\(pad)END IF;")
            return lines
        case .while(let condition, let body):
            var lines = ["\(pad)WHILE \(try expression(condition, scope: scope).sql) LOOP"]
            lines += try self.statement(body, depth: depth + 1)
            lines.append("\(pad)END LOOP;")
            return lines
        case .block(let statements):
            var lines: [String] = []
            for inner in statements { lines += try self.statement(inner, depth: depth) }
            return lines
        case .break: return ["\(pad)EXIT;"]
        case .continue: return ["\(pad)CONTINUE;"]
        case .return(let value):
            guard value == nil else { throw Untranslatable("RETURN with a status value: PostgreSQL procedures return no status") }
            return ["\(pad)RETURN;"]
        case .print(let value):
            return ["\(pad)RAISE NOTICE '%', \(try expression(value, scope: scope).sql);"]
        case .throw(let arguments):
            guard let arguments else { throw Untranslatable("a bare THROW re-raises inside CATCH, which is not converted") }
            return ["\(pad)RAISE EXCEPTION '%', \(try expression(arguments.message, scope: scope).sql);"]
        case .raiserror(let raiserror):
            guard raiserror.arguments.isEmpty, case .literal(.string) = raiserror.message else {
                throw Untranslatable("RAISERROR with a message number or substitution arguments")
            }
            let severity = ExpressionTranslator.integerConstant(raiserror.severity) ?? 16
            let level = severity > 10 ? "EXCEPTION" : "NOTICE"
            return ["\(pad)RAISE \(level) '%', \(try expression(raiserror.message, scope: scope).sql);"]
        case .insert(let insert):
            return ["\(pad)\(try self.insert(insert));"]
        case .update(let update):
            return ["\(pad)\(try self.update(update));"]
        case .delete(let delete):
            return ["\(pad)\(try self.delete(delete));"]
        case .select:
            throw Untranslatable("a SELECT returns a result set; PostgreSQL procedures cannot (use a function returning a table, or a refcursor)")
        case .beginTransaction, .commitTransaction, .rollbackTransaction, .saveTransaction:
            throw Untranslatable("transaction control differs: a PL/pgSQL procedure runs in the caller's transaction and commits with COMMIT only when called outside one")
        case .tryCatch:
            throw Untranslatable("TRY/CATCH becomes BEGIN … EXCEPTION in PL/pgSQL, which rolls back to the block's start; the semantics differ")
        case .execute, .executeString:
            throw Untranslatable("EXEC of another procedure or dynamic SQL")
        default:
            throw Untranslatable("\(Self.statementName(statement.sourceText)) has no PL/pgSQL rule")
        }
    }

    static func statementName(_ text: String) -> String {
        String(text.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(2).joined(separator: " ")).uppercased()
    }

    /// The target table of a DML statement and a scope with its columns and the variables.
    private func dmlTarget(_ target: DMLTarget) throws(Untranslatable) -> (table: CatalogTable, sql: String, scope: TranslationScope) {
        guard case .table(let name, _) = target else { throw Untranslatable("DML on a table variable") }
        let schemas = name.schema.map { [$0.value] } ?? [schema, "dbo"]
        guard let table = schemas.lazy.compactMap({ self.catalog.table(schema: $0, name: name.name.value) }).first else {
            throw Untranslatable("\(name) is not a converted table")
        }
        let scope = variableScope()
        var columns: [String: (name: String, kind: ValueKind)] = [:]
        for column in table.columns {
            columns[column.name.lowercased()] = (naming.column(table.schema, table.name, column.name), ValueKind(column.type))
        }
        scope.sources.insert(.init(keys: [table.name.lowercased(), "\(table.schema).\(table.name)".lowercased()], qualifier: nil, columns: columns), at: 0)
        let sql = PostgreSQLNames.qualified(naming.schema(catalog.database, table.schema), naming.table(table.schema, table.name))
        return (table, sql, scope)
    }

    private mutating func insert(_ insert: InsertStatement) throws(Untranslatable) -> String {
        guard insert.commonTableExpressions.isEmpty, insert.top == nil, insert.output == nil else {
            throw Untranslatable("INSERT with a CTE, TOP or OUTPUT")
        }
        let (table, target, _) = try dmlTarget(insert.target)
        let columns = insert.columns.isEmpty ? table.columns.filter { $0.computed == nil && $0.type.name != .rowversion }.map(\.name) : insert.columns.map(\.value)
        var kinds: [ValueKind] = []
        var names: [String] = []
        for column in columns {
            guard let found = table.column(named: column) else { throw Untranslatable("\(column) is not a column of \(table.qualifiedName)") }
            kinds.append(ValueKind(found.type))
            names.append(PostgreSQLNames.quote(naming.column(table.schema, table.name, found.name)))
        }
        var sql = "INSERT INTO \(target) (\(names.joined(separator: ", ")))"
        switch insert.source {
        case .values(let rows):
            var rendered: [String] = []
            for row in rows {
                guard row.count == kinds.count else { throw Untranslatable("an INSERT row with \(row.count) values for \(kinds.count) columns") }
                var values: [String] = []
                for (value, kind) in zip(row, kinds) { values.append(try expression(value, scope: variableScope(), against: kind).sql) }
                rendered.append("(" + values.joined(separator: ", ") + ")")
            }
            sql += " VALUES " + rendered.joined(separator: ", ")
        case .defaultValues:
            sql = "INSERT INTO \(target) DEFAULT VALUES"
        case .query, .execute:
            throw Untranslatable("INSERT … SELECT or INSERT … EXEC")
        }
        return sql
    }

    private mutating func update(_ update: UpdateStatement) throws(Untranslatable) -> String {
        guard update.commonTableExpressions.isEmpty, update.top == nil, update.output == nil, update.from.isEmpty else {
            throw Untranslatable("UPDATE with a CTE, TOP, OUTPUT or FROM (PostgreSQL's UPDATE … FROM joins differently)")
        }
        let (table, target, scope) = try dmlTarget(update.target)
        var assignments: [String] = []
        for clause in update.assignments {
            guard case .column(let reference) = clause.target, clause.operation == .assign,
                let column = table.column(named: reference.column.value)
            else { throw Untranslatable("a SET that assigns a variable or uses a compound operator") }
            let value = try expression(clause.value, scope: scope, against: ValueKind(column.type)).sql
            assignments.append("\(PostgreSQLNames.quote(naming.column(table.schema, table.name, column.name))) = \(value)")
        }
        var sql = "UPDATE \(target) SET " + assignments.joined(separator: ", ")
        if let condition = update.whereClause { sql += " WHERE " + (try expression(condition, scope: scope).sql) }
        return sql
    }

    private mutating func delete(_ delete: DeleteStatement) throws(Untranslatable) -> String {
        guard delete.commonTableExpressions.isEmpty, delete.top == nil, delete.output == nil, delete.from.isEmpty else {
            throw Untranslatable("DELETE with a CTE, TOP, OUTPUT or FROM")
        }
        let (_, target, scope) = try dmlTarget(delete.target)
        var sql = "DELETE FROM \(target)"
        if let condition = delete.whereClause { sql += " WHERE " + (try expression(condition, scope: scope).sql) }
        return sql
    }
}
