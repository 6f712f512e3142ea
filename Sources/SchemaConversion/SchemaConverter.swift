public import FerryCore
import TSQL

/// Turns a ``SourceCatalog`` into PostgreSQL DDL and action items, by rule.
///
/// Tables first (columns with mapped types, `tinyint` checks, identity, defaults, generated
/// columns), then primary and unique keys, checks, indexes, foreign keys, views in dependency
/// order, procedures; functions and triggers are action items with their original code. Nothing
/// is dropped silently: every object that does not convert becomes a `manual` action item.
public struct SchemaConverter: Sendable {
    /// Conversion options.
    public struct Options: Sendable {
        /// How names map.
        public var naming: ConversionNaming
        /// Put keys, checks, indexes and foreign keys in the after-load phase (DMS's `CreatePkAfterFullLoad`).
        public var createConstraintsAfterLoad: Bool
        /// The target's `server_version_num`; 150000 and later get `UNIQUE NULLS NOT DISTINCT`,
        /// SQL Server's unique semantics for NULL.
        public var postgreSQLVersion: Int

        /// Makes options.
        public init(naming: ConversionNaming = .default, createConstraintsAfterLoad: Bool = false, postgreSQLVersion: Int = 150000) {
            self.naming = naming
            self.createConstraintsAfterLoad = createConstraintsAfterLoad
            self.postgreSQLVersion = postgreSQLVersion
        }
    }

    /// The options.
    public var options: Options

    /// Makes a converter.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Converts a catalog.
    public func convert(_ catalog: SourceCatalog) -> ConversionResult {
        var run = ConversionRun(catalog: catalog, options: options)
        run.convert()
        return run.result
    }
}

/// The state of one conversion.
struct ConversionRun {
    let catalog: SourceCatalog
    let options: SchemaConverter.Options
    var naming: ConversionNaming { options.naming }
    var result: ConversionResult
    /// Relation names taken per target schema (tables, views, indexes, sequences share a namespace).
    var relationNames: [String: Set<String>] = [:]
    var constraintPhase: LoadPhase { options.createConstraintsAfterLoad ? .afterLoad : .beforeLoad }

    init(catalog: SourceCatalog, options: SchemaConverter.Options) {
        self.catalog = catalog
        self.options = options
        self.result = ConversionResult(database: catalog.database, targetSchemas: [], statements: [], objects: [], actionItems: [])
    }

    func targetSchema(_ schema: String) -> String { naming.schema(catalog.database, schema) }

    func targetTable(_ table: CatalogTable) -> String {
        PostgreSQLNames.qualified(targetSchema(table.schema), naming.table(table.schema, table.name))
    }

    func targetColumn(_ table: CatalogTable, _ column: String) -> String {
        PostgreSQLNames.quote(naming.column(table.schema, table.name, table.column(named: column)?.name ?? column))
    }

    mutating func emit(_ phase: LoadPhase, _ kind: ConversionObjectKind, _ source: String, _ target: String, _ sql: String) {
        result.statements.append(ConvertedStatement(phase: phase, kind: kind, sourceObject: source, targetObject: target, sql: sql))
    }

    mutating func record(_ kind: ConversionObjectKind, _ source: String, _ target: String?, _ outcome: ConversionOutcome) {
        result.objects.append(ConvertedObject(kind: kind, sourceObject: source, targetObject: target, outcome: outcome))
    }

    mutating func action(
        _ severity: ActionItem.Severity, _ kind: ConversionObjectKind, _ source: String, _ message: String,
        snippet: String? = nil, generated: String? = nil, recommendation: String
    ) {
        result.actionItems.append(ActionItem(
            severity: severity, kind: kind, sourceObject: source, message: message, sourceSnippet: snippet, generated: generated,
            recommendation: recommendation))
    }

    /// A name for a relation (index, key) unique in its schema and within 63 bytes.
    mutating func uniqueRelationName(_ wanted: String, schema: String, table: String) -> String {
        var name = Self.truncated(wanted)
        if relationNames[schema, default: []].contains(name) { name = Self.truncated("\(wanted)_\(table)") }
        var counter = 2
        while relationNames[schema, default: []].contains(name) {
            name = Self.truncated("\(wanted)_\(counter)")
            counter += 1
        }
        relationNames[schema, default: []].insert(name)
        return name
    }

    static func truncated(_ name: String) -> String {
        guard name.utf8.count > 63 else { return name }
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let suffix = "_" + String(hash % 0xFFFFFF, radix: 16)
        var prefix = ""
        for character in name where prefix.utf8.count + character.utf8.count + suffix.utf8.count <= 63 { prefix.append(character) }
        return prefix + suffix
    }

    /// The scope of one table's columns, for defaults, checks, computed columns and filters.
    func tableScope(_ table: CatalogTable) -> TranslationScope {
        let scope = TranslationScope()
        var columns: [String: (name: String, kind: ValueKind)] = [:]
        for column in table.columns {
            columns[column.name.lowercased()] = (naming.column(table.schema, table.name, column.name), ValueKind(column.type))
        }
        scope.sources.append(.init(keys: [table.name.lowercased()], qualifier: nil, columns: columns))
        return scope
    }

    /// Translates a stored T-SQL expression (`(getdate())`) in a table's scope.
    func translateStored(_ text: String, table: CatalogTable, expected: ValueKind? = nil) -> Result<(sql: String, warnings: [String]), Untranslatable> {
        let parsed: Expression
        do {
            parsed = try TSQLParser.parseExpression(text)
        } catch {
            return .failure(Untranslatable("the T-SQL does not parse: \(error)"))
        }
        var translator = ExpressionTranslator()
        do throws(Untranslatable) {
            let value: TranslatedExpression
            if let expected {
                value = try translator.operand(parsed, against: expected, scope: tableScope(table))
            } else {
                value = try translator.translate(parsed, scope: tableScope(table))
            }
            return .success((value.sql, Array(Set(translator.warnings)).sorted()))
        } catch {
            return .failure(error)
        }
    }

    mutating func convert() {
        for note in catalog.readNotes {
            action(.warning, .catalog, catalog.database, note, recommendation: "Check the source objects this note names by hand.")
        }
        let schemas = Array(Set(catalog.schemas.map(targetSchema))).sorted()
        result.targetSchemas = schemas
        for (index, schema) in schemas.enumerated() {
            let source = catalog.schemas.filter { targetSchema($0) == schema }.joined(separator: ", ")
            emit(.beforeLoad, .schema, source, PostgreSQLNames.quote(schema), "CREATE SCHEMA IF NOT EXISTS \(PostgreSQLNames.quote(schema))")
            record(.schema, source.isEmpty ? "schema \(index)" : source, PostgreSQLNames.quote(schema), .automatic)
        }
        for sequence in catalog.sequences { convertSequence(sequence) }
        for table in catalog.tables {
            relationNames[targetSchema(table.schema), default: []].insert(naming.table(table.schema, table.name))
        }
        for table in catalog.tables { convertTable(table) }
        for table in catalog.tables { convertKeys(table) }
        for table in catalog.tables { convertChecks(table) }
        for table in catalog.tables { convertIndexes(table) }
        for table in catalog.tables { convertForeignKeys(table) }
        convertViews()
        for routine in catalog.routines { convertRoutine(routine) }
        for table in catalog.tables { resynchroniseIdentity(table) }
        result.actionItems.sort { ($1.severity, $0.sourceObject) < ($0.severity, $1.sourceObject) }
    }
}
