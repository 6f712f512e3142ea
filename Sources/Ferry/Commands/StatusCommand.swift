import ArgumentParser
import Foundation
import Logging
import Postgres
import PostgresSink
import Validation

/// `ferry status`: per-table statistics, lag and state of the sinks writing to a target.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show per-table statistics, lag and state of the sinks of a PostgreSQL target.",
        discussion: """
            The table view shows DMS's table states (Full load, Table completed, Table error, Table does not exist), \
            times in UTC, the lag behind the source and the apply exceptions per table. --json prints what \
            `aws dms describe-table-statistics` prints, for one sink (give --name when several write to the target).
            """
    )

    @Option(help: "The target PostgreSQL database (a libpq URL).")
    var target: String

    @Option(help: "Only this sink.")
    var name: String?

    @Flag(help: "Print JSON shaped like `aws dms describe-table-statistics` output instead of a table.")
    var json = false

    func run() async throws {
        var logger = Logger(label: "ferry.status") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let connection = try await PostgresConnection.connect(url: target, logger: logger)
        let statuses: [SinkTableStatus]
        do {
            statuses = Self.merge(try await SinkTableStatus.load(from: connection, sink: name),
                                  try await ValidationStatusStore.load(from: connection, sink: name))
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        if json {
            // One task per document, as describe-table-statistics answers for one task.
            let sinks = Set(statuses.map(\.sink)).sorted()
            guard name != nil || sinks.count <= 1 else {
                throw ValidationError("--name: \(sinks.count) sinks write to this target (\(sinks.joined(separator: ", "))); choose one for --json")
            }
            print(SinkTableStatus.describeTableStatisticsJSON(sink: name ?? sinks.first, statuses))
            return
        }
        guard !statuses.isEmpty else {
            print(name.map { "sink \($0) has written no statistics to this target" } ?? "no sink has written statistics to this target")
            return
        }
        let header = ["sink", "schema", "table", "target table", "state", "full load rows", "inserts", "updates", "deletes", "ddls",
                      "full load start", "full load end", "last update", "validation", "lag s", "exceptions"]
        let rows = statuses.map { s in
            [s.sink, s.schemaName, s.tableName, s.targetTable, s.tableState, "\(s.fullLoadRows)", "\(s.inserts)", "\(s.updates)",
             "\(s.deletes)", "\(s.ddls)", Self.shortTime(s.fullLoadStartTime), Self.shortTime(s.fullLoadEndTime),
             Self.shortTime(s.lastUpdateTime), s.validationFailedRecords > 0 ? "\(s.validationState) (\(s.validationFailedRecords))" : s.validationState, s.lagSeconds.map { String(format: "%.1f", $0) } ?? "-", "\(s.exceptions)"]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        print(line(header))
        print(line(widths.map { String(repeating: "-", count: $0) }))
        for row in rows { print(line(row)) }
    }

    /// `2026-11-27 08:15:02` (UTC) for the table view; `-` when unknown.
    static func shortTime(_ time: UTCTimestamp?) -> String {
        guard let text = time?.description else { return "-" }
        return String(text.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
