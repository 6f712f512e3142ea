import FerryCore
import FreeTDS

/// Reads one change table's rows in an LSN window on its own connection, in a task that runs
/// ahead of the merge by at most a few chunks (a bounded channel), so tables are read in parallel
/// and a window is never held in memory.
final class ChangeTableReader: ChangeRowCursor {
    private let channel: BoundedChannel<[ChangeRow]>
    private let task: Task<Void, Never>
    private var buffer: [ChangeRow] = []
    private var position = 0

    /// The query for `instance` in `window`: the change table read directly, ordered as Microsoft
    /// documents (`__$start_lsn`, `__$command_id`, `__$seqval`, `__$operation`), which the
    /// `fn_cdc_get_all_changes_` function cannot give since it leaves out `__$command_id`.
    static func query(instance: CaptureInstance, columns: ColumnProjection, window: LSNWindow) throws -> String {
        let table = try TDSLiteral.qualifiedIdentifier("cdc", instance.name + "_CT")
        let list = (["ct.__$start_lsn", "ct.__$command_id", "ct.__$seqval", "ct.__$operation", "ct.__$update_mask"] + columns.selectList).joined(separator: ", ")
        return """
            SELECT \(list) FROM \(table) AS ct
            WHERE ct.__$start_lsn > \(window.after.hexLiteral) AND ct.__$start_lsn <= \(window.through.hexLiteral)
            ORDER BY ct.__$start_lsn, ct.__$command_id, ct.__$seqval, ct.__$operation
            """
    }

    /// Decodes one change-table row (metadata columns first, then the projection).
    static func decode(_ values: [TDSValue], projection: ColumnProjection, tableIndex: Int, table: String) throws(SourceError) -> ChangeRow {
        guard values.count >= 5, let commit = values[0].bytesValue.flatMap({ LSN(bytes: $0) }),
              let sequence = values[2].bytesValue.flatMap({ LSN(bytes: $0) }),
              let code = values[3].int64Value, let operation = ChangeRow.Operation(rawValue: Int(code))
        else {
            throw SourceError(.unexpectedChangeData, "\(table): a change row has malformed CDC columns (__$start_lsn, __$seqval, __$operation)", context: ["table": table])
        }
        let mask = UpdateMask(values[4].bytesValue ?? [])
        return ChangeRow(commitLSN: commit, commandID: values[1].int64Value ?? 0, sequenceValue: sequence, operation: operation,
                         updateMask: mask, values: try projection.decode(values, from: 5), tableIndex: tableIndex)
    }

    /// Starts reading `sql` on `connection`.
    init(connection: TDSConnection, sql: String, projection: ColumnProjection, tableIndex: Int, table: String, chunkRows: Int = 256, chunksAhead: Int = 4) {
        let channel = BoundedChannel<[ChangeRow]>(capacity: chunksAhead)
        self.channel = channel
        self.task = Task {
            do {
                var chunk: [ChangeRow] = []
                chunk.reserveCapacity(chunkRows)
                for try await row in try await connection.stream(sql, chunkSize: chunkRows).rows {
                    chunk.append(try ChangeTableReader.decode(row.values, projection: projection, tableIndex: tableIndex, table: table))
                    if chunk.count >= chunkRows {
                        try await channel.send(chunk)
                        chunk.removeAll(keepingCapacity: true)
                    }
                }
                if !chunk.isEmpty { try await channel.send(chunk) }
                await channel.finish()
            } catch {
                await channel.finish(throwing: error)
            }
        }
    }

    func next() async throws -> ChangeRow? {
        while position == buffer.count {
            guard let chunk = try await channel.receive() else { return nil }
            buffer = chunk
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }

    /// Stops reading (the connection's batch is cancelled) and waits for the reading task.
    func stop() async {
        await channel.close()
        task.cancel()
        await task.value
    }
}
