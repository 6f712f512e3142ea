public import FerryCore
public import FreeTDS

/// How the source selects one column and turns what comes back into a ``ColumnValue``: most
/// types are selected as they are; `hierarchyid` as its path text, spatial types as
/// `AsBinaryZM()` plus `STSrid`, `sql_variant` with its `SQL_VARIANT_PROPERTY` details.
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
                list.append(quoted)
                for property in ["BaseType", "Precision", "Scale", "MaxLength"] {
                    list.append("SQL_VARIANT_PROPERTY(\(quoted), '\(property)')")
                }
                widths.append(5)
            default:
                list.append(quoted); widths.append(1)
            }
        }
        self.selectList = list
        self.widths = widths
    }

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
                    result.append(try ValueConverter.variant(value: values[index], baseType: values[index + 1], precision: values[index + 2],
                                                             scale: values[index + 3], maxLength: values[index + 4]))
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
