import FerryCore
import TSQL

extension ConversionRun {
    mutating func convertViews() {
        // Every view's target name first, so a view may reference one converted later; then
        // emit in dependency order.
        var known: [String: (target: String, columns: [String])] = [:]
        for view in catalog.views {
            let schema = targetSchema(view.schema)
            let name = naming.table(view.schema, view.name)
            relationNames[schema, default: []].insert(name)
            known[view.qualifiedName.lowercased()] = (PostgreSQLNames.qualified(schema, name), [])
        }
        var converted: [(key: String, sql: String, references: Set<String>, view: CatalogModule)] = []
        for view in catalog.views {
            let target = known[view.qualifiedName.lowercased()]!.target
            guard let definition = view.definition else {
                action(.manual, .view, view.qualifiedName, "the view's definition is not readable (WITH ENCRYPTION)",
                       recommendation: "Recreate the view from the original script.")
                record(.view, view.qualifiedName, nil, .manual)
                continue
            }
            let statement: CreateViewStatement
            do {
                let batch = try TSQLParser.parse(definition)
                guard batch.statements.count == 1, case .createView(let parsed) = batch.statements[0].kind else {
                    throw Untranslatable("the definition is not a single CREATE VIEW")
                }
                statement = parsed
            } catch {
                action(.manual, .view, view.qualifiedName, "the view does not parse: \(error)", snippet: definition,
                       recommendation: "Translate the view by hand.")
                record(.view, view.qualifiedName, nil, .manual)
                continue
            }
            var translator = QueryTranslator(catalog: catalog, naming: naming, defaultSchema: view.schema, views: known)
            var warnings: [String] = []
            do throws(Untranslatable) {
                let body = try translator.translate(statement.query, warnings: &warnings)
                var sql = "CREATE VIEW \(target)"
                if !statement.columns.isEmpty {
                    sql += " (" + statement.columns.map { PostgreSQLNames.quote(naming.object($0.value)) }.joined(separator: ", ") + ")"
                }
                sql += " AS\n" + body
                if statement.withCheckOption { sql += "\nWITH CASCADED CHECK OPTION" }
                if statement.options.contains("SCHEMABINDING") {
                    warnings.append("WITH SCHEMABINDING was dropped: PostgreSQL always refuses to drop a table a view depends on")
                }
                for warning in Array(Set(warnings)).sorted() {
                    action(.warning, .view, view.qualifiedName, warning, snippet: definition, generated: sql,
                           recommendation: "Compare the view's results on both databases.")
                }
                record(.view, view.qualifiedName, target, warnings.isEmpty ? .automatic : .withWarnings)
                converted.append((view.qualifiedName.lowercased(), sql, translator.references, view))
            } catch {
                action(.manual, .view, view.qualifiedName, "the view does not convert: \(error.reason)", snippet: definition,
                       recommendation: "Translate the view by hand.")
                record(.view, view.qualifiedName, nil, .manual)
            }
        }
        // Dependency order; a view whose dependency failed is still emitted last and fails loudly
        // at apply rather than being dropped.
        var emitted = Set<String>()
        var pending = converted
        while !pending.isEmpty {
            let convertedKeys = Set(pending.map(\.key))
            let ready = pending.filter { $0.references.intersection(convertedKeys).subtracting([$0.key]).isEmpty }
            let batch = ready.isEmpty ? pending : ready
            for item in batch {
                emit(.beforeLoad, .view, item.view.qualifiedName, known[item.key]!.target, item.sql)
                emitted.insert(item.key)
            }
            pending.removeAll { emitted.contains($0.key) }
        }
    }

    mutating func convertRoutine(_ routine: CatalogModule) {
        let kind: ConversionObjectKind =
            switch routine.kind {
            case .procedure: .procedure
            case .trigger: .trigger
            default: .function
            }
        let source = routine.schema.isEmpty ? routine.name : routine.qualifiedName
        guard let definition = routine.definition else {
            action(.manual, kind, source, "the \(routine.kind.rawValue) has no readable T-SQL (encrypted or compiled)",
                   recommendation: "Rewrite it in PL/pgSQL from the original source.")
            record(kind, source, nil, .manual)
            return
        }
        guard routine.kind == .procedure else {
            let what = routine.kind == .trigger
                ? "triggers are not converted: T-SQL triggers see the inserted/deleted tables of a whole statement, PL/pgSQL triggers need a trigger function and REFERENCING transition tables"
                : "functions are not converted by rule: PostgreSQL functions differ in how they return tables and handle errors"
            action(.manual, kind, source, what, snippet: definition,
                   recommendation: routine.kind == .trigger
                       ? "Write a trigger function and CREATE TRIGGER … FOR EACH STATEMENT with REFERENCING NEW TABLE / OLD TABLE. Keep it disabled on the replication target (session_replication_role = replica) so replicated rows are not processed twice."
                       : "Rewrite the function in SQL or PL/pgSQL.")
            record(kind, source, nil, .manual)
            return
        }
        let schema = targetSchema(routine.schema)
        let target = PostgreSQLNames.qualified(schema, naming.object(routine.name))
        var translator = ProcedureTranslator(catalog: catalog, naming: naming, schema: routine.schema)
        do throws(Untranslatable) {
            let sql = try translator.translate(definition: definition, target: target)
            emit(.beforeLoad, .procedure, source, target, sql)
            for warning in Array(Set(translator.warnings)).sorted() {
                action(.warning, .procedure, source, warning, snippet: definition, generated: sql, recommendation: "Test the procedure.")
            }
            record(.procedure, source, target, translator.warnings.isEmpty ? .automatic : .withWarnings)
        } catch {
            action(.manual, .procedure, source, "the procedure was not converted: \(error.reason)", snippet: definition,
                   recommendation: "Rewrite the procedure in PL/pgSQL.")
            record(.procedure, source, nil, .manual)
        }
    }
}
