import FerryCore
import Postgres

/// The sink's hooks into DMS's control tables, kept out of the apply path's code.
extension SinkEngine {
    /// After a commit: counts the committed batch (records and bytes per slot type) into the
    /// current `awsdms_history` slot.
    func dmsCommitted(selected: [Int], statistics: [TableIdentity: TableStatisticsDelta]) {
        guard let dms, dms.tables.history else { return }
        var fullLoadBytes: Int64 = 0
        var changeBytes: Int64 = 0
        for index in selected {
            guard case .change(let event, _) = buffer[index].content else { continue }
            let size = Int64(buffer[index].record.key?.count ?? 0) + Int64(buffer[index].record.value?.count ?? 0)
            if event.operation == .read { fullLoadBytes += size } else { changeBytes += size }
        }
        dms.committed(statistics: statistics, fullLoadBytes: fullLoadBytes, changeBytes: changeBytes)
    }

    /// Writes the `awsdms_history` rows of ended slots. A transient failure (the target away) is
    /// logged and retried later — history must not stop the sink; the counts are kept meanwhile.
    func dmsFlushHistory() async throws {
        guard let dms, dms.tables.history, let connection, dms.isHistoryDue else { return }
        do {
            try await dms.flushHistoryIfDue(connection)
        } catch {
            let connected = await connection.isConnected
            guard Self.isTransient(error) || !connected else { throw error }
            dms.postponeHistory()
            logger.warning("awsdms_history not written, retrying later", metadata: ["error": "\(error)"])
        }
    }

    /// On stop (normal or failed): the last history slot and `NOT RUNNING` in `awsdms_status`,
    /// when the target can still be reached.
    func markStopped() async {
        guard let dms, let connection, await connection.isConnected else { return }
        if await connection.transactionStatus != .idle { _ = try? await connection.execute("ROLLBACK") }
        do {
            try await dms.stop(connection)
        } catch {
            logger.warning("could not record the stop in the DMS control tables", metadata: ["error": "\(error)"])
        }
    }
}
