public import FerryCore

/// What the source does with large-object columns (`varchar(max)`, `nvarchar(max)`,
/// `varbinary(max)`, `text`, `ntext`, `image`, `xml`), as DMS's `TargetMetadata` LOB settings say.
///
/// - `SupportLobs: false` (``Mode-swift.enum/exclude``): LOB columns are left out of the events
///   (and not read), as DMS leaves them out of the migration.
/// - `LimitedSizeLobMode` (``Mode-swift.enum/truncate(maxBytes:)``): a value longer than
///   `LobMaxSize` KB is cut to its first `LobMaxSize × 1024` bytes as SQL Server stores them —
///   bytes for binary types, one byte per character for `varchar(max)`/`text`, two bytes per UTF-16
///   code unit for `nvarchar(max)`/`ntext`/`xml` (a surrogate pair is never split). Every cut is
///   counted per table and column and logged; see ``SourceStatistics``.
/// - `FullLobMode` (``Mode-swift.enum/full``): values travel whole.
public struct LobPolicy: Hashable, Sendable {
    /// The three behaviours.
    public enum Mode: Hashable, Sendable {
        /// Values travel whole.
        case full
        /// LOB columns are left out.
        case exclude
        /// Values longer than `maxBytes` are truncated to it.
        case truncate(maxBytes: Int)
    }

    /// The behaviour.
    public var mode: Mode

    /// Makes a policy.
    public init(_ mode: Mode) { self.mode = mode }

    /// The policy for DMS's effective LOB handling (``TargetMetadataSettings/lobHandling``).
    public init(_ handling: TargetMetadataSettings.LobHandling) {
        switch handling {
        case .none: mode = .exclude
        case .full: mode = .full
        case .limited(let kilobytes): mode = .truncate(maxBytes: kilobytes * 1024)
        }
    }

    /// Values travel whole.
    public static let full = LobPolicy(.full)

    /// Whether `column` is part of the events.
    public func keeps(_ column: ColumnDefinition) -> Bool {
        if case .exclude = mode { return !column.type.isLargeObject }
        return true
    }

    /// `value` of a column of `type` within the limit, and whether it was cut.
    public func limit(_ value: ColumnValue, type: SQLServerDataType) -> (value: ColumnValue, truncated: Bool) {
        guard case .truncate(let maxBytes) = mode, type.isLargeObject else { return (value, false) }
        switch value {
        case .bytes(let bytes):
            guard bytes.count > maxBytes else { return (value, false) }
            return (.bytes(Array(bytes.prefix(maxBytes))), true)
        case .string(let text):
            guard let prefix = type.storedPrefix(of: text, maxBytes: maxBytes) else { return (value, false) }
            return (.string(prefix), true)
        default:
            return (value, false)
        }
    }

    /// Applies ``limit(_:type:)`` to a row's values in place; returns the indices of the cut columns.
    public func limit(_ values: inout [ColumnValue], columns: [ColumnDefinition]) -> [Int] {
        guard case .truncate = mode else { return [] }
        var cut: [Int] = []
        for index in values.indices where index < columns.count && columns[index].type.isLargeObject {
            let (value, truncated) = limit(values[index], type: columns[index].type)
            if truncated {
                values[index] = value
                cut.append(index)
            }
        }
        return cut
    }
}
