public import FerryCore
public import FreeTDS

/// How the source selects one column and turns what comes back into a ``ColumnValue``: most
/// types are selected as they are; `hierarchyid` as its path text, spatial types as
/// `AsBinaryZM()` plus `STSrid`, `sql_variant` as its raw value or its text (see
/// ``variantTextBaseTypes``) plus its `SQL_VARIANT_PROPERTY` details.
public struct ColumnProjection: Sendable {
    /// The columns, in select-list order.
    public let columns: [ColumnDefinition]
    /// The select-list expressions for all columns, qualified with `alias` when given.
    public let selectList: [String]
    /// How many result columns each column takes.
    private let widths: [Int]

    /// Makes the projection of `columns`, each read from `alias.[column]` (or `[column]`).
    public init(columns: [ColumnDefinition], alias: String? = nil) throws(SourceError) {
        self.columns = columns
        var list: [String] = []
        var widths: [Int] = []
        for column in columns {
            let quoted: String
            do { quoted = (alias.map { $0 + "." } ?? "") + (try TDSLiteral.identifier(column.name)) } catch {
                throw SourceError(.invalidConfiguration, "column name '\(column.name)' cannot be quoted", context: ["column": column.name])
            }
            switch column.type.category {
            case .hierarchyID:
                list.append("CAST(\(quoted) AS nvarchar(4000))"); widths.append(1)
            case .spatial:
                list.append("\(quoted).AsBinaryZM()"); list.append("\(quoted).STSrid"); widths.append(2)
            case .variant:
                // Two value columns, never both set: the raw value, which db-lib hands over as the
                // base type's buffer, and the text of the base types that buffer cannot carry.
                let textual = "SQL_VARIANT_PROPERTY(\(quoted), 'BaseType') IN ("
                    + Self.variantTextBaseTypes.map { "'\($0)'" }.joined(separator: ", ") + ")"
                list.append("CASE WHEN \(textual) THEN NULL ELSE \(quoted) END")
                list.append("CASE WHEN \(textual) THEN CAST(\(quoted) AS nvarchar(max)) END")
                for property in ["BaseType", "Precision", "Scale", "MaxLength"] {
                    list.append("SQL_VARIANT_PROPERTY(\(quoted), '\(property)')")
                }
                widths.append(6)
            default:
                list.append(quoted); widths.append(1)
            }
        }
        self.selectList = list
        self.widths = widths
    }

    /// The `sql_variant` base types read as text (`CAST(col AS nvarchar(max))`, exact for all of
    /// them) rather than raw. With FreeTDS 1.3.17 a raw `decimal`/`numeric` variant is cut short
    /// (db-lib reports the wire length of a `DBNUMERIC` buffer), and a raw character variant
    /// leaves its character conversion on the column, so every later non-character variant in
    /// the result set would be converted as text; keeping them out of the raw column avoids both.
    public static let variantTextBaseTypes = ["decimal", "numeric", "char", "varchar", "nchar", "nvarchar"]

    /// The number of result columns the projection produces.
    public var width: Int { widths.reduce(0, +) }

    /// Decodes the projection's values from `values`, starting at `offset`.
    public func decode(_ values: [TDSValue], from offset: Int) throws(SourceError) -> [ColumnValue] {
        guard values.count >= offset + width else {
            throw SourceError(.unexpectedChangeData, "a row has \(values.count) columns; \(offset + width) expected")
        }
        var result: [ColumnValue] = []
        result.reserveCapacity(columns.count)
        var index = offset
        for (column, width) in zip(columns, widths) {
            do {
                switch column.type.category {
                case .spatial:
                    result.append(try ValueConverter.spatial(wellKnownBinary: values[index], srid: values[index + 1]))
                case .variant:
                    result.append(try ValueConverter.variant(
                        value: values[index], text: values[index + 1], baseType: values[index + 2], precision: values[index + 3],
                        scale: values[index + 4], maxLength: values[index + 5]))
                default:
                    result.append(try ValueConverter.convert(values[index], to: column.type))
                }
            } catch {
                var error = error
                error.context["column"] = column.name
                error.message = "column '\(column.name)': " + error.message
                throw error
            }
            index += width
        }
        return result
    }
}
