public import struct Foundation.UUID

/// One column's value in a change event, typed for every SQL Server type, plus `NULL` and
/// ``unchanged`` (a large value the source did not capture in this change).
///
/// The case follows the column type's ``SQLServerDataType/category``; the column type itself
/// (length, scale) lives in the ``TableSchema``. Exact numbers and temporal values are never
/// rounded: see ``ExactDecimal``, ``SQLDateTime``, ``SQLDateTimeOffset``.
///
/// Only ``variant(_:_:)`` is boxed: a value of any other case lives inline, so decoding a row
/// allocates nothing per value (a boxed case costs a heap allocation and reference counting for
/// every column of every event).
public enum ColumnValue: Hashable, Sendable {
    /// SQL `NULL`.
    case null
    /// A large value (`(max)`, `xml`, `text`, `ntext`, `image`) that CDC left out of this change
    /// row: the column keeps its current value. Never to be written as `NULL`.
    case unchanged
    /// `bit`.
    case bool(Bool)
    /// `tinyint`, `smallint`, `int`, `bigint`.
    case int(Int64)
    /// `real`.
    case real(Float)
    /// `float`.
    case float(Double)
    /// `decimal`, `numeric`, `money`, `smallmoney`.
    case decimal(ExactDecimal)
    /// `date`.
    case date(SQLDate)
    /// `time(n)`.
    case time(SQLTime)
    /// `datetime2(n)`, `datetime`, `smalldatetime`.
    case dateTime(SQLDateTime)
    /// `datetimeoffset(n)`.
    case dateTimeOffset(SQLDateTimeOffset)
    /// `uniqueidentifier`, in the byte order of its printed form.
    case guid(UUID)
    /// `binary`, `varbinary`, `image`, `rowversion`.
    case bytes([UInt8])
    /// `char`, `varchar`, `nchar`, `nvarchar`, `text`, `ntext`, `xml`, and `hierarchyid` as its
    /// path text (`/1/3/`).
    case string(String)
    /// `geography`, `geometry`: the spatial reference id and the OGC well-known binary.
    case spatial(srid: Int32, wellKnownBinary: [UInt8])
    /// `sql_variant`: the value together with its base type.
    indirect case variant(SQLServerDataType, ColumnValue)

    /// Whether the value is `NULL`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether the value is ``unchanged``: a pattern match, cheaper than `==` on the hot paths.
    public var isUnchanged: Bool {
        if case .unchanged = self { return true }
        return false
    }
}
