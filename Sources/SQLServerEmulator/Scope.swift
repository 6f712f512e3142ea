import Postgres
import TSQL

/// A column a query can reference: where it comes from in the PostgreSQL statement and its SQL
/// Server metadata.
struct BoundColumn: Hashable, Sendable {
    var name: String
    /// The PostgreSQL expression reading it (`t1."name"`).
    var pgExpression: String
    var type: SQLServerType?
    var isNullable: Bool
    var isIdentity: Bool
    /// Whether the expression reads a table's stored column, so a `time(7)`/`datetime2(7)` one is
    /// the composite with the 7th digit (a view's or derived table's column is already plain).
    var isStoredComposite = false
}

/// A table, derived table or CTE in a FROM clause.
struct BoundSource: Hashable, Sendable {
    /// The name that qualifies its columns: the alias, else the table name.
    var exposedName: String
    /// The schema, for a table referenced without an alias (so `HumanResources.Employee.Name` binds).
    var schemaName: String?
    var columns: [BoundColumn]
    /// The table or view this source reads, with its PostgreSQL alias (nil for derived sources).
    var table: TableRecord? = nil
    var pgAlias: String? = nil
}

/// The sources visible to an expression, innermost first; `parent` holds an outer query's
/// sources for correlated subqueries.
final class Scope: Sendable {
    let sources: [BoundSource]
    let parent: Scope?

    init(sources: [BoundSource], parent: Scope?) {
        self.sources = sources
        self.parent = parent
    }

    /// Binds a column reference, searching outward; throws 207, 209 or 4104 as SQL Server does.
    func resolve(_ reference: ColumnReference) throws(SQLServerError) -> BoundColumn {
        let columnKey = reference.column.value.lowercased()
        if let table = reference.table {
            let qualifier = table.name.value.lowercased()
            let schema = table.schema?.value.lowercased()
            var scope: Scope? = self
            while let current = scope {
                for source in current.sources where source.exposedName.lowercased() == qualifier {
                    if let schema, source.schemaName?.lowercased() != schema { continue }
                    guard let column = source.columns.first(where: { $0.name.lowercased() == columnKey }) else {
                        throw SQLServerError.invalidColumnName(reference.column.value)
                    }
                    return column
                }
                scope = current.parent
            }
            let written = (table.parts.compactMap { $0?.value } + [reference.column.value]).joined(separator: ".")
            throw SQLServerError(
                code: .multiPartIdentifierNotBound,
                message: "The multi-part identifier \"\(written)\" could not be bound.", abortsBatch: true)
        }
        var scope: Scope? = self
        while let current = scope {
            let matches = current.sources.flatMap { source in
                source.columns.filter { $0.name.lowercased() == columnKey }
            }
            if matches.count > 1 { throw SQLServerError.ambiguousColumnName(reference.column.value) }
            if let match = matches.first { return match }
            scope = current.parent
        }
        throw SQLServerError.invalidColumnName(reference.column.value)
    }

    /// The columns of `*` (all sources) or `qualifier.*`.
    func starColumns(qualifier: ObjectName?) throws(SQLServerError) -> [BoundColumn] {
        guard let qualifier else { return sources.flatMap(\.columns) }
        let key = qualifier.name.value.lowercased()
        guard let source = sources.first(where: { $0.exposedName.lowercased() == key }) else {
            throw SQLServerError(
                code: .multiPartIdentifierNotBound,
                message: "The multi-part identifier \"\(qualifier.description)\" could not be bound.", abortsBatch: true)
        }
        return source.columns
    }
}
