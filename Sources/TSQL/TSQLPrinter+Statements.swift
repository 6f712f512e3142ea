extension Writer {
    /// Statements of a block or body, one per line, each ending with `;`.
    mutating func statementList(_ statements: [TSQLStatement]) {
        for statement in statements {
            newline()
            self.statement(statement.kind)
            write(";")
        }
    }

    /// A statement nested in IF/WHILE: written inline.
    mutating func nested(_ statement: TSQLStatement) {
        self.statement(statement.kind)
    }

    mutating func statement(_ statement: Statement) {
        switch statement {
        case .select(let query):
            self.query(query)
        case .insert(let insert):
            self.insert(insert)
        case .update(let update):
            self.update(update)
        case .delete(let delete):
            self.delete(delete)
        case .merge(let merge):
            self.merge(merge)
        case .createDatabase(let name):
            write("CREATE DATABASE \(name)")
        case .alterDatabase(let alter):
            write("ALTER DATABASE \(alter.database?.description ?? "CURRENT") SET ")
            list(alter.options) { writer, option in
                writer.write(option.name)
                if let value = option.value {
                    writer.write(" ")
                    writer.optionValue(value)
                }
            }
            if let termination = alter.termination { write(" WITH \(termination)") }
        case .use(let database):
            write("USE \(database)")
        case .createSchema(let name, let owner):
            write("CREATE SCHEMA \(name)")
            if let owner { write(" AUTHORIZATION \(owner)") }
        case .createType(let type):
            write("CREATE TYPE \(type.name) FROM ")
            dataType(type.baseType)
            nullability(type.isNullable)
        case .createTable(let table):
            write("CREATE TABLE \(table.name) (")
            indentation += 1
            list(table.elements, separator: ",") { writer, element in
                writer.newline()
                writer.tableElement(element)
            }
            indentation -= 1
            newline()
            write(")")
            if let fileGroup = table.fileGroup { write(" ON \(fileGroup)") }
            if let fileGroup = table.textImageFileGroup { write(" TEXTIMAGE_ON \(fileGroup)") }
        case .createIndex(let index):
            write("CREATE ")
            if index.isUnique { write("UNIQUE ") }
            if let clustering = index.clustering { write(clustering.rawValue + " ") }
            write("INDEX \(index.name) ON \(index.table) ")
            indexColumns(index.columns)
            if !index.includedColumns.isEmpty {
                write(" INCLUDE ")
                names(index.includedColumns)
            }
            if let filter = index.filter {
                write(" WHERE ")
                expression(filter)
            }
            indexOptions(index.options)
            if let fileGroup = index.fileGroup { write(" ON \(fileGroup)") }
        case .createView(let view):
            write("\(view.creation.rawValue) VIEW \(view.name)")
            if !view.columns.isEmpty {
                write(" ")
                names(view.columns)
            }
            if !view.options.isEmpty { write(" WITH " + view.options.joined(separator: ", ")) }
            write(" AS")
            newline()
            query(view.query)
            if view.withCheckOption { write(" WITH CHECK OPTION") }
        case .createProcedure(let procedure):
            self.procedure(procedure)
        case .createSequence(let sequence):
            self.sequence(sequence)
        case .createTrigger(let trigger):
            self.trigger(trigger)
        case .createFunction(let function):
            self.function(function)
        case .alterTable(let alter):
            alterTable(alter)
        case .drop(let drop):
            write("DROP \(drop.kind.rawValue) ")
            if drop.ifExists { write("IF EXISTS ") }
            list(drop.targets) { writer, target in
                writer.write(target.name.description)
                if let table = target.table { writer.write(" ON \(table)") }
            }
        case .truncateTable(let name):
            write("TRUNCATE TABLE \(name)")
        case .execute(let execute):
            self.execute(execute)
        case .executeString(let sql):
            write("EXEC (")
            expression(sql)
            write(")")
        case .beginTransaction(let name):
            write("BEGIN TRANSACTION" + (name.map { " " + $0 } ?? ""))
        case .commitTransaction(let name, let delayed):
            write(
                "COMMIT TRANSACTION" + (name.map { " " + $0 } ?? "")
                    + (delayed.map { " WITH (DELAYED_DURABILITY = \($0 ? "ON" : "OFF"))" } ?? ""))
        case .rollbackTransaction(let name):
            write("ROLLBACK TRANSACTION" + (name.map { " " + $0 } ?? ""))
        case .saveTransaction(let name):
            write("SAVE TRANSACTION \(name)")
        case .setTransactionIsolationLevel(let level):
            write("SET TRANSACTION ISOLATION LEVEL \(level.rawValue)")
        case .setIdentityInsert(let table, let isOn):
            write("SET IDENTITY_INSERT \(table) \(isOn ? "ON" : "OFF")")
        case .setOption(let names, let value):
            write("SET " + names.joined(separator: ", ") + " ")
            optionValue(value)
        case .declare(let declarations):
            write("DECLARE ")
            list(declarations) { writer, declaration in
                writer.write(declaration.name + " ")
                writer.dataType(declaration.type)
                if let initial = declaration.initialValue {
                    writer.write(" = ")
                    writer.expression(initial)
                }
            }
        case .declareTable(let variable, let elements):
            write("DECLARE \(variable) TABLE (")
            list(elements) { $0.tableElement($1) }
            write(")")
        case .setVariable(let variable, let op, let value):
            write("SET \(variable) \(op.rawValue) ")
            expression(value)
        case .if(let condition, let then, let otherwise):
            write("IF ")
            expression(condition)
            write(" ")
            // A THEN branch that is an IF without ELSE would capture our ELSE: wrap it.
            if otherwise != nil, case .if(_, _, nil) = then.kind {
                block([then])
            } else {
                nested(then)
            }
            if let otherwise {
                newline()
                write("ELSE ")
                nested(otherwise)
            }
        case .block(let statements):
            block(statements)
        case .while(let condition, let body):
            write("WHILE ")
            expression(condition)
            write(" ")
            nested(body)
        case .break:
            write("BREAK")
        case .continue:
            write("CONTINUE")
        case .return(let value):
            write("RETURN")
            if let value {
                write(" ")
                expression(value)
            }
        case .print(let value):
            write("PRINT ")
            expression(value)
        case .raiserror(let raiserror):
            write("RAISERROR (")
            list([raiserror.message, raiserror.severity, raiserror.state] + raiserror.arguments) {
                $0.expression($1)
            }
            write(")")
            if !raiserror.options.isEmpty { write(" WITH " + raiserror.options.joined(separator: ", ")) }
        case .throw(let arguments):
            write("THROW")
            if let arguments {
                write(" ")
                list([arguments.number, arguments.message, arguments.state]) { $0.expression($1) }
            }
        case .tryCatch(let tryBody, let catchBody):
            write("BEGIN TRY")
            indentation += 1
            statementList(tryBody)
            indentation -= 1
            newline()
            write("END TRY")
            newline()
            write("BEGIN CATCH")
            indentation += 1
            statementList(catchBody)
            indentation -= 1
            newline()
            write("END CATCH")
        case .waitFor(let isDelay, let value):
            write(isDelay ? "WAITFOR DELAY " : "WAITFOR TIME ")
            expression(value)
        }
    }

    mutating func block(_ statements: [TSQLStatement]) {
        write("BEGIN")
        indentation += 1
        statementList(statements)
        indentation -= 1
        newline()
        write("END")
    }

    mutating func nullability(_ isNullable: Bool?) {
        if let isNullable { write(isNullable ? " NULL" : " NOT NULL") }
    }

    // MARK: - DML

    mutating func dmlTarget(_ target: DMLTarget) {
        switch target {
        case .table(let name, let hints):
            write(name.description)
            tableHints(hints)
        case .variable(let name):
            write(name)
        }
    }

    mutating func output(_ output: OutputClause?) {
        guard let output else { return }
        write(" OUTPUT ")
        selectItems(output.items)
        if let into = output.into {
            write(" INTO ")
            dmlTarget(into)
            if !output.intoColumns.isEmpty {
                write(" ")
                names(output.intoColumns)
            }
        }
    }

    mutating func topPrefix(_ top: TopClause?) {
        if let top {
            self.top(top)
            write(" ")
        }
    }

    mutating func insert(_ insert: InsertStatement) {
        commonTableExpressions(insert.commonTableExpressions)
        write("INSERT ")
        topPrefix(insert.top)
        write("INTO ")
        dmlTarget(insert.target)
        if !insert.columns.isEmpty {
            write(" ")
            names(insert.columns)
        }
        output(insert.output)
        switch insert.source {
        case .values(let rows):
            write(" VALUES ")
            valueRows(rows)
        case .query(let query):
            write(" ")
            self.query(query)
        case .defaultValues:
            write(" DEFAULT VALUES")
        case .execute(let execute):
            write(" ")
            self.execute(ExecuteStatement(
                returnVariable: execute.returnVariable, procedure: execute.procedure, arguments: execute.arguments))
        }
    }

    mutating func setClauses(_ clauses: [SetClause]) {
        list(clauses) { writer, clause in
            switch clause.target {
            case .column(let column): writer.columnReference(column)
            case .variable(let name): writer.write(name)
            }
            writer.write(" \(clause.operation.rawValue) ")
            writer.expression(clause.value)
        }
    }

    mutating func fromAndWhere(_ from: [TableSource], _ condition: Expression?) {
        if !from.isEmpty {
            write(" FROM ")
            list(from) { $0.tableSource($1) }
        }
        if let condition {
            write(" WHERE ")
            expression(condition)
        }
    }

    mutating func update(_ update: UpdateStatement) {
        commonTableExpressions(update.commonTableExpressions)
        write("UPDATE ")
        topPrefix(update.top)
        dmlTarget(update.target)
        write(" SET ")
        setClauses(update.assignments)
        output(update.output)
        fromAndWhere(update.from, update.whereClause)
    }

    mutating func delete(_ delete: DeleteStatement) {
        commonTableExpressions(delete.commonTableExpressions)
        write("DELETE ")
        topPrefix(delete.top)
        write("FROM ")
        dmlTarget(delete.target)
        output(delete.output)
        fromAndWhere(delete.from, delete.whereClause)
    }

    mutating func merge(_ merge: MergeStatement) {
        commonTableExpressions(merge.commonTableExpressions)
        write("MERGE INTO \(merge.target)")
        alias(merge.targetAlias)
        write(" USING ")
        tableSource(merge.source)
        write(" ON ")
        expression(merge.condition)
        for clause in merge.whenClauses {
            newline()
            switch clause.match {
            case .matched: write("WHEN MATCHED")
            case .notMatchedByTarget: write("WHEN NOT MATCHED BY TARGET")
            case .notMatchedBySource: write("WHEN NOT MATCHED BY SOURCE")
            }
            if let condition = clause.condition {
                write(" AND ")
                expression(condition, minimum: 3)
            }
            write(" THEN ")
            switch clause.action {
            case .update(let clauses):
                write("UPDATE SET ")
                setClauses(clauses)
            case .delete:
                write("DELETE")
            case .insert(let columns, let values):
                write("INSERT")
                if !columns.isEmpty {
                    write(" ")
                    names(columns)
                }
                if let values {
                    write(" VALUES ")
                    valueRows([values])
                } else {
                    write(" DEFAULT VALUES")
                }
            }
        }
        output(merge.output)
    }

    mutating func execute(_ execute: ExecuteStatement) {
        if !execute.isImplicit { write("EXEC ") }
        if let variable = execute.returnVariable { write("\(variable) = ") }
        switch execute.procedure {
        case .name(let name): write(name.description)
        case .variable(let name): write(name)
        }
        if !execute.arguments.isEmpty {
            write(" ")
            list(execute.arguments) { writer, argument in
                if let name = argument.name { writer.write("\(name) = ") }
                writer.expression(argument.value, minimum: 7)
                if argument.isOutput { writer.write(" OUTPUT") }
            }
        }
    }

    // MARK: - DDL

    mutating func indexColumns(_ columns: [IndexColumn]) {
        write("(")
        list(columns) { writer, column in
            writer.write(column.name.description)
            if let direction = column.direction { writer.write(" " + direction.rawValue) }
        }
        write(")")
    }

    mutating func indexOptions(_ options: [IndexOption]) {
        guard !options.isEmpty else { return }
        write(" WITH (")
        list(options) { writer, option in
            writer.write(option.name + " = ")
            writer.optionValue(option.value)
        }
        write(")")
    }

    mutating func tableElement(_ element: TableElement) {
        switch element {
        case .column(let column): columnDefinition(column)
        case .constraint(let constraint): self.constraint(constraint)
        }
    }

    mutating func columnDefinition(_ column: ColumnDefinition) {
        write(column.name.description)
        if let type = column.dataType {
            write(" ")
            dataType(type)
        }
        if let computed = column.computedExpression {
            write(" AS (")
            expression(computed)
            write(")")
        }
        if column.isPersisted { write(" PERSISTED") }
        if let collation = column.collation { write(" COLLATE \(collation)") }
        if column.isSparse { write(" SPARSE") }
        if let identity = column.identity {
            write(" IDENTITY(")
            expression(identity.seed, minimum: 7)
            write(", ")
            expression(identity.increment, minimum: 7)
            write(")")
            if identity.notForReplication { write(" NOT FOR REPLICATION") }
        }
        if column.isRowGuidCol { write(" ROWGUIDCOL") }
        nullability(column.isNullable)
        for constraint in column.constraints {
            write(" ")
            self.constraint(constraint)
        }
    }

    mutating func constraint(_ constraint: TableConstraint) {
        if let name = constraint.name { write("CONSTRAINT \(name) ") }
        switch constraint.kind {
        case .primaryKey(let key):
            write("PRIMARY KEY")
            self.key(key)
        case .unique(let key):
            write("UNIQUE")
            self.key(key)
        case .check(let condition, let notForReplication):
            write(notForReplication ? "CHECK NOT FOR REPLICATION (" : "CHECK (")
            expression(condition)
            write(")")
        case .default(let value, let column, let withValues):
            write("DEFAULT (")
            expression(value)
            write(")")
            if let column { write(" FOR \(column)") }
            if withValues { write(" WITH VALUES") }
        case .foreignKey(let key):
            if !key.columns.isEmpty {
                write("FOREIGN KEY ")
                names(key.columns)
                write(" ")
            }
            write("REFERENCES \(key.referencedTable)")
            if !key.referencedColumns.isEmpty {
                write(" ")
                names(key.referencedColumns)
            }
            if let action = key.onDelete { write(" ON DELETE \(action.rawValue)") }
            if let action = key.onUpdate { write(" ON UPDATE \(action.rawValue)") }
            if key.notForReplication { write(" NOT FOR REPLICATION") }
        }
    }

    mutating func key(_ key: KeyConstraint) {
        if let clustering = key.clustering { write(" " + clustering.rawValue) }
        if !key.columns.isEmpty {
            write(" ")
            indexColumns(key.columns)
        }
        indexOptions(key.options)
        if let fileGroup = key.fileGroup { write(" ON \(fileGroup)") }
    }

    mutating func procedure(_ procedure: CreateProcedureStatement) {
        write("\(procedure.creation.rawValue) PROCEDURE \(procedure.name)")
        if !procedure.parameters.isEmpty {
            indentation += 1
            list(procedure.parameters, separator: ",") { writer, parameter in
                writer.newline()
                writer.write(parameter.name + " ")
                writer.dataType(parameter.type)
                if let value = parameter.defaultValue {
                    writer.write(" = ")
                    writer.expression(value, minimum: 7)
                }
                if parameter.isOutput { writer.write(" OUTPUT") }
                if parameter.isReadOnly { writer.write(" READONLY") }
            }
            indentation -= 1
            newline()
        } else {
            write(" ")
        }
        let withOptions = procedure.options.filter { $0 != "FOR REPLICATION" }
        if !withOptions.isEmpty { write("WITH " + withOptions.joined(separator: ", ") + " ") }
        if withOptions.count != procedure.options.count { write("FOR REPLICATION ") }
        write("AS")
        statementList(procedure.body)
    }

    mutating func sequence(_ sequence: CreateSequenceStatement) {
        write("CREATE SEQUENCE \(sequence.name)")
        if let type = sequence.dataType {
            write(" AS ")
            dataType(type)
        }
        let clauses: [(String, Expression?)] = [
            ("START WITH", sequence.start), ("INCREMENT BY", sequence.increment), ("MINVALUE", sequence.minimum),
            ("MAXVALUE", sequence.maximum),
        ]
        for (keyword, value) in clauses {
            guard let value else { continue }
            write(" \(keyword) ")
            expression(value, minimum: 7)
        }
        if sequence.isCycling { write(" CYCLE") }
        switch sequence.cache {
        case .cache(let size)?:
            write(" CACHE")
            if let size {
                write(" ")
                expression(size)
            }
        case .noCache?: write(" NO CACHE")
        case nil: break
        }
    }

    mutating func trigger(_ trigger: CreateTriggerStatement) {
        write("\(trigger.creation.rawValue) TRIGGER \(trigger.name) ON \(trigger.table) ")
        if !trigger.options.isEmpty { write("WITH " + trigger.options.joined(separator: ", ") + " ") }
        write(trigger.timing.rawValue + " " + trigger.events.map(\.rawValue).joined(separator: ", "))
        if trigger.notForReplication { write(" NOT FOR REPLICATION") }
        write(" AS")
        statementList(trigger.body)
    }

    mutating func function(_ function: CreateFunctionStatement) {
        write("\(function.creation.rawValue) FUNCTION \(function.name)(")
        list(function.parameters) { writer, parameter in
            writer.write(parameter.name + " ")
            writer.dataType(parameter.type)
            if let value = parameter.defaultValue {
                writer.write(" = ")
                writer.expression(value, minimum: 7)
            }
            if parameter.isReadOnly { writer.write(" READONLY") }
        }
        write(") RETURNS ")
        switch function.returns {
        case .scalar(let type): dataType(type)
        case .table: write("TABLE")
        case .tableVariable(let variable, let elements):
            write("\(variable) TABLE (")
            list(elements) { $0.tableElement($1) }
            write(")")
        }
        if !function.options.isEmpty { write(" WITH " + function.options.joined(separator: ", ")) }
        write(" AS")
        newline()
        if let query = function.query {
            write("RETURN (")
            self.query(query)
            write(")")
        } else {
            block(function.body)
        }
    }

    mutating func alterTable(_ alter: AlterTableStatement) {
        write("ALTER TABLE \(alter.table) ")
        switch alter.action {
        case .add(let elements, let withCheck):
            if let withCheck { write(withCheck ? "WITH CHECK " : "WITH NOCHECK ") }
            write("ADD ")
            list(elements) { $0.tableElement($1) }
        case .drop(let elements):
            write("DROP ")
            list(elements) { writer, element in
                writer.write(element.kind.rawValue + " ")
                if element.ifExists { writer.write("IF EXISTS ") }
                writer.write(element.name.description)
            }
        case .alterColumn(let name, let type, let collation, let isNullable):
            write("ALTER COLUMN \(name) ")
            dataType(type)
            if let collation { write(" COLLATE \(collation)") }
            nullability(isNullable)
        case .setConstraintsEnabled(let enabled, let names, let withCheck):
            if let withCheck { write(withCheck ? "WITH CHECK " : "WITH NOCHECK ") }
            write(enabled ? "CHECK CONSTRAINT " : "NOCHECK CONSTRAINT ")
            write(names.isEmpty ? "ALL" : names.map(\.description).joined(separator: ", "))
        }
    }
}
